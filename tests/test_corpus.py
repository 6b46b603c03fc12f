"""load_corpus: every format, metadata sources, and every bad input becoming a problem row."""
from __future__ import annotations

import json

import pandas as pd
import pytest

from toolkit import CorpusError, load_corpus

TEXT = "The minister said on Monday that talks would resume."


def write_jsonl(path, records):
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r) for r in records) + "\n", encoding="utf-8")
    return path


def reasons(problems):
    return list(problems["reason"])


def test_txt_file_takes_id_from_name_and_metadata_from_arguments(tmp_path):
    (tmp_path / "story.txt").write_text(TEXT, encoding="utf-8")
    articles, problems = load_corpus(tmp_path / "story.txt", published="2020-02-29", outlet="AP")
    assert list(articles["id"]) == ["story"]
    assert articles.loc[0, "text"] == TEXT
    assert articles.loc[0, "published"] == pd.Timestamp("2020-02-29")
    assert articles.loc[0, "outlet"] == "AP"
    assert problems.empty


def test_txt_folder_reads_sidecar_manifest_recursively(tmp_path):
    sub = tmp_path / "a" / "b"
    sub.mkdir(parents=True)
    (sub / "one.txt").write_text(TEXT, encoding="utf-8")
    (sub / "two.txt").write_text("Another story.", encoding="utf-8")
    write_jsonl(sub / "manifest.jsonl", [{"file": "one.txt", "id": "x-1", "title": "One", "published": "2019-05-01",
                                          "outlet": "Reuters", "url": "https://example.org/1"}])
    articles, problems = load_corpus(tmp_path, outlet="Fallback")
    rows = articles.set_index("id")
    assert set(rows.index) == {"x-1", "a/b/two"}
    assert rows.loc["x-1", "title"] == "One"
    assert rows.loc["x-1", "outlet"] == "Reuters"
    assert rows.loc["x-1", "url"] == "https://example.org/1"
    assert rows.loc["x-1", "published"] == pd.Timestamp("2019-05-01")
    assert rows.loc["a/b/two", "outlet"] == "Fallback"
    assert pd.isna(rows.loc["a/b/two", "published"])
    assert problems.empty


def test_csv_manifest_is_read_too(tmp_path):
    (tmp_path / "s.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "manifest.csv").write_text("file,published,outlet\ns.txt,2017-01-31,BBC\n", encoding="utf-8")
    articles, _ = load_corpus(tmp_path)
    assert articles.loc[0, "outlet"] == "BBC"
    assert articles.loc[0, "published"] == pd.Timestamp("2017-01-31")


def test_jsonl_with_aliases_and_line_numbers(tmp_path):
    path = write_jsonl(tmp_path / "news.jsonl", [
        {"article_id": 7, "body": TEXT, "pub_date": "March 3, 2018", "headline": "H", "link": "u"},
        {"content": "Second story.", "date": "2018-03-04T22:10:00+05:00"},
    ])
    articles, problems = load_corpus(path)
    assert list(articles["id"]) == ["7", "news:2"]
    assert list(articles["record"]) == [1, 2]
    assert articles.loc[0, "title"] == "H"
    assert articles.loc[0, "url"] == "u"
    assert articles.loc[0, "published"] == pd.Timestamp("2018-03-03")
    assert articles.loc[1, "published"] == pd.Timestamp("2018-03-04")
    assert problems.empty


def test_jsonl_bad_lines_become_problems_and_good_ones_stay(tmp_path):
    path = write_jsonl(tmp_path / "bad.jsonl", [
        {"id": "ok", "text": TEXT},
        '{"id": "broken", "text": ',
        {"id": "empty", "text": "   "},
        {"id": "nodate", "text": TEXT, "published": "the day after the election"},
        {"id": "notext", "title": "only a title"},
        '["a", "list"]',
        {"id": "ok", "text": "duplicate id"},
    ])
    articles, problems = load_corpus(path)
    assert list(articles["id"]) == ["ok", "nodate"]
    assert pd.isna(articles.set_index("id").loc["nodate", "published"])
    by_line = dict(zip(problems["record"], problems["reason"]))
    assert set(by_line) == {2, 3, 4, 5, 6, 7}
    assert "broken JSON" in by_line[2]
    assert "empty text" in by_line[3]
    assert "unparseable date" in by_line[4] and "kept" in by_line[4]
    assert "no text field" in by_line[5]
    assert "not an object" in by_line[6]
    assert "duplicate id 'ok'" in by_line[7]
    assert set(problems["source"]) == {str(path)}


def test_csv_with_aliases_and_rows(tmp_path):
    pd.DataFrame({"Content": [TEXT, ""], "Date": ["2016-11-08", "2016-11-09"], "Publisher": ["NYT", "NYT"]}).to_csv(
        tmp_path / "t.csv", index=False)
    articles, problems = load_corpus(tmp_path / "t.csv")
    assert list(articles["id"]) == ["t:1"]
    assert articles.loc[0, "outlet"] == "NYT"
    assert list(problems["record"]) == [2]
    assert "empty text" in problems.loc[0, "reason"]


def test_csv_without_text_column_is_one_problem(tmp_path):
    pd.DataFrame({"headline": ["a"], "date": ["2016-01-01"]}).to_csv(tmp_path / "meta.csv", index=False)
    articles, problems = load_corpus(tmp_path / "meta.csv")
    assert articles.empty
    assert len(problems) == 1
    assert "no text column" in problems.loc[0, "reason"] and "headline" in problems.loc[0, "reason"]
    assert pd.isna(problems.loc[0, "record"])


def test_parquet(tmp_path):
    pd.DataFrame({"id": ["p1", "p2"], "text": [TEXT, "Other."],
                  "published": pd.to_datetime(["2015-06-01", "2015-06-02"])}).to_parquet(tmp_path / "c.parquet")
    articles, problems = load_corpus(tmp_path / "c.parquet")
    assert list(articles["id"]) == ["p1", "p2"]
    assert articles.loc[1, "published"] == pd.Timestamp("2015-06-02")
    assert problems.empty


def test_html_main_text_and_metadata_through_trafilatura(tmp_path):
    body = " ".join(["The mayor said the bridge would reopen next week after repairs."] * 4)
    html = f"""<html><head><title>Bridge to reopen</title>
    <meta property="og:site_name" content="Daily Planet">
    <meta name="date" content="2021-09-14"><link rel="canonical" href="https://planet.example/bridge"></head>
    <body><nav>Home | Sports | Weather</nav><article><h1>Bridge to reopen</h1><p>{body}</p>
    <p>{body}</p></article><footer>Copyright Daily Planet</footer></body></html>"""
    (tmp_path / "page.html").write_text(html, encoding="utf-8")
    articles, problems = load_corpus(tmp_path / "page.html")
    assert problems.empty
    row = articles.iloc[0]
    assert "The mayor said the bridge would reopen" in row["text"]
    assert "Sports | Weather" not in row["text"]
    assert row["title"] == "Bridge to reopen"
    assert row["published"] == pd.Timestamp("2021-09-14")
    assert row["outlet"] == "Daily Planet"


def test_html_without_text_is_a_problem(tmp_path):
    (tmp_path / "empty.html").write_text("<html><head><title>x</title></head><body><script>var a;</script></body></html>",
                                         encoding="utf-8")
    articles, problems = load_corpus(tmp_path)
    assert articles.empty
    assert "no article text" in problems.loc[0, "reason"]


def test_binary_undecodable_and_unknown_files_are_problems(tmp_path):
    (tmp_path / "good.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    (tmp_path / "latin.txt").write_bytes("Caf\xe9 story".encode("latin-1"))
    (tmp_path / "notes.docx").write_bytes(b"PK\x03\x04")
    (tmp_path / "README.md").write_text("about this folder", encoding="utf-8")
    articles, problems = load_corpus(tmp_path)
    assert list(articles["id"]) == ["good"]
    by_file = {p.split("/")[-1]: r for p, r in zip(problems["source"], problems["reason"])}
    assert set(by_file) == {"image.txt", "latin.txt", "notes.docx"}
    assert "binary" in by_file["image.txt"]
    assert "cannot decode as utf-8" in by_file["latin.txt"]
    assert "unknown file type '.docx'" in by_file["notes.docx"]


def test_encoding_argument_reads_legacy_files(tmp_path):
    (tmp_path / "latin.txt").write_bytes("Caf\xe9 story".encode("latin-1"))
    articles, problems = load_corpus(tmp_path, encoding="latin-1")
    assert articles.loc[0, "text"] == "Café story"
    assert problems.empty


def test_duplicate_ids_across_files(tmp_path):
    write_jsonl(tmp_path / "a.jsonl", [{"id": "same", "text": TEXT}])
    write_jsonl(tmp_path / "b.jsonl", [{"id": "same", "text": "Other text."}])
    articles, problems = load_corpus(tmp_path)
    assert list(articles["text"]) == [TEXT]
    assert "duplicate id 'same'" in problems.loc[0, "reason"] and "a.jsonl:1" in problems.loc[0, "reason"]


def test_glob_pattern(tmp_path):
    write_jsonl(tmp_path / "x1.jsonl", [{"id": "1", "text": TEXT}])
    write_jsonl(tmp_path / "x2.jsonl", [{"id": "2", "text": TEXT}])
    (tmp_path / "other.txt").write_text(TEXT, encoding="utf-8")
    articles, _ = load_corpus(str(tmp_path / "x*.jsonl"))
    assert sorted(articles["id"]) == ["1", "2"]


def test_missing_path_raises_naming_it(tmp_path):
    with pytest.raises(CorpusError, match="nowhere"):
        load_corpus(tmp_path / "nowhere")


def test_bundled_seeds_load_with_their_manifest(seeds_analysis):
    articles = seeds_analysis.articles.set_index("id")
    assert len(articles) == 11
    assert articles.loc["000_4ec77375d4676b5e", "published"] == pd.Timestamp("2018-03-13")
    assert articles.loc["000_4ec77375d4676b5e", "outlet"] == "CNN"
    assert (articles["outlet"] == "Wikinews").sum() == 10
    assert articles["published"].notna().all()
    assert seeds_analysis.problems.empty
