"""Reliability: hostile inputs and faults must cost a problem row, never data, a run or another article.

Every case writes its own inputs. The module is in sections by what is guarded (loading, outputs,
the command line, the engine); a new case joins the section of what it guards, or opens one.
"""
from __future__ import annotations

import builtins
import errno
import io
import json
import logging
import os
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import toolkit
from toolkit import SCHEMA, Analysis, CorpusError, load_corpus
from toolkit.analysis import conform
from toolkit.corpus import MIN_PAGE_TEXT, corpus_from_frame

TEXT = "The minister said on Monday that talks would resume."


def jsonl(path: Path, *records, newline: str = "\n") -> Path:
    """Write records (dicts, or raw lines as str) the way `json.dumps(ensure_ascii=False)` writes them."""
    lines = [r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in records]
    path.write_bytes((newline.join(lines) + newline).encode("utf-8"))
    return path


def problems_of(problems: pd.DataFrame) -> dict:
    """{(file name, record or None): reason} of a problems frame."""
    return {(Path(src).name, None if pd.isna(rec) else int(rec)): reason
            for src, rec, reason in problems[["source", "record", "reason"]].itertuples(index=False)}


# =================================================================== loading: lines and encodings
def test_line_and_paragraph_separators_inside_strings_stay_in_their_record(tmp_path):
    # what json.dumps(ensure_ascii=False) writes: raw U+2028, U+2029 and U+0085 are valid in a JSON string
    texts = ["Cut\u2028here.", "Para\u2029graph.", "Next\x85line."]
    path = jsonl(tmp_path / "feed.jsonl", *({"id": f"s{i}", "text": t} for i, t in enumerate(texts)),
                 '{"id": "broken", ', {"id": "last", "text": TEXT}, newline="\r\n")
    articles, problems = load_corpus(path)
    assert list(articles["text"]) == [*texts, TEXT]
    assert list(articles["record"]) == [1, 2, 3, 5]  # lines as an editor numbers them
    assert list(problems_of(problems)) == [("feed.jsonl", 4)]
    assert "broken JSON" in problems.loc[0, "reason"]


def test_a_bare_carriage_return_is_not_a_line_break(tmp_path):
    # JSON allows \r as whitespace between tokens; JSON Lines cut lines at \n only
    path = tmp_path / "feed.jsonl"
    path.write_bytes(b'{"id": "a",\r "text": "One story."}\n\n{"id": "b", "text": "Two."}\n')
    articles, problems = load_corpus(path)
    assert list(articles["id"]) == ["a", "b"]
    assert list(articles["record"]) == [1, 3]
    assert problems.empty


def test_a_manifest_keeps_a_separator_inside_its_strings(tmp_path):
    (tmp_path / "one.txt").write_text(TEXT, encoding="utf-8")
    jsonl(tmp_path / "manifest.jsonl", {"file": "one.txt", "title": "Left\u2028right", "outlet": "Wire"})
    articles, problems = load_corpus(tmp_path)
    assert articles.loc[0, "title"] == "Left\u2028right" and articles.loc[0, "outlet"] == "Wire"
    assert problems.empty


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be-bom", "utf-32"])
def test_unicode_files_with_a_byte_order_mark_are_decoded(tmp_path, encoding):
    def encode(text: str) -> bytes:
        if encoding == "utf-16-be-bom":
            return b"\xfe\xff" + text.encode("utf-16-be")
        return text.encode(encoding)  # Python's utf-16 and utf-32 write a byte-order mark

    record = {"id": "j", "text": "Café story.", "published": "2019-05-01"}
    (tmp_path / "feed.jsonl").write_bytes(encode(json.dumps(record, ensure_ascii=False) + "\n"))
    (tmp_path / "page.txt").write_bytes(encode("Ünïcode text\r\nover two lines."))
    (tmp_path / "table.csv").write_bytes(encode("id,text\nc,Zoë said so.\n"))
    articles, problems = load_corpus(tmp_path)
    assert problems.empty, list(problems["reason"])
    assert dict(zip(articles["id"], articles["text"])) == {
        "j": "Café story.", "page": "Ünïcode text\r\nover two lines.", "c": "Zoë said so."}


def test_utf16_without_a_mark_is_named_and_read_with_encoding(tmp_path):
    path = tmp_path / "feed.jsonl"
    path.write_bytes((json.dumps({"id": "a", "text": "Hello there."}) + "\n").encode("utf-16-le"))
    _, problems = load_corpus(path)
    assert "binary" in problems.loc[0, "reason"] and "encoding='utf-16-le'" in problems.loc[0, "reason"]
    articles, problems = load_corpus(path, encoding="utf-16-le")
    assert list(articles["text"]) == ["Hello there."] and problems.empty


def test_an_unknown_encoding_is_one_clear_error(tmp_path):
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    with pytest.raises(CorpusError, match="unknown encoding 'klingon'"):
        load_corpus(tmp_path, encoding="klingon")


def test_the_command_line_reads_with_encoding(tmp_path, nlp):
    from toolkit import cli

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "old.txt").write_bytes("\u201cWe\u2019re ready,\u201d said Zoë.".encode("cp1252"))
    out = tmp_path / "out"
    assert cli.main(["analyze", str(tmp_path / "in"), "--out", str(out), "--encoding", "cp1252",
                     "--no-progress", "--no-report"]) == 0
    result = Analysis.read_parquet(out)
    assert list(result.articles["text"]) == ["\u201cWe\u2019re ready,\u201d said Zoë."]
    assert result.problems.empty


# =================================================================== loading: unreadable files and folders
@pytest.fixture
def deny(monkeypatch):
    """Make paths unreadable as a permission error would (chmod alone does not bind root, who runs CI here)."""
    denied: set[str] = set()

    def check(path) -> None:
        if isinstance(path, str | os.PathLike) and os.path.abspath(os.fspath(path)) in denied:
            raise PermissionError(errno.EACCES, "Permission denied", os.fspath(path))

    real_open, real_scandir = builtins.open, os.scandir

    def guarded_open(file, *args, **kwargs):
        check(file)
        return real_open(file, *args, **kwargs)

    def guarded_scandir(path="."):
        check(path)
        return real_scandir(path)

    monkeypatch.setattr(builtins, "open", guarded_open)
    monkeypatch.setattr(io, "open", guarded_open)
    monkeypatch.setattr(os, "scandir", guarded_scandir)

    def deny_paths(*paths: Path) -> None:
        for path in paths:
            denied.add(os.path.abspath(path))
            path.chmod(0)  # binds everyone but root

    yield deny_paths
    for path in denied:
        os.chmod(path, 0o755)


def test_permission_denied_on_a_file_or_folder_is_a_problem_row(tmp_path, deny):
    (tmp_path / "ok.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "secret.txt").write_text("Not for us.", encoding="utf-8")
    jsonl(tmp_path / "feed.jsonl", {"id": "j", "text": TEXT})
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "inside.txt").write_text(TEXT, encoding="utf-8")
    deny(tmp_path / "secret.txt", tmp_path / "feed.jsonl", locked)
    articles, problems = load_corpus(tmp_path)
    assert list(articles["id"]) == ["ok"]
    by_file = problems_of(problems)
    assert set(by_file) == {("locked", None), ("secret.txt", None), ("feed.jsonl", None)}
    assert "unreadable folder (PermissionError: Permission denied)" in by_file[("locked", None)]
    assert "cannot read (PermissionError: Permission denied); skipped" == by_file[("secret.txt", None)]
    assert "PermissionError" in by_file[("feed.jsonl", None)]


def test_links_are_followed_and_dangling_or_looping_ones_are_problems(tmp_path):
    root, elsewhere = tmp_path / "corpus", tmp_path / "elsewhere"
    root.mkdir()
    elsewhere.mkdir()
    (root / "a.txt").write_text(TEXT, encoding="utf-8")
    (elsewhere / "b.txt").write_text("Story from a linked folder.", encoding="utf-8")
    (root / "linked").symlink_to(elsewhere)
    (root / "again.txt").symlink_to(root / "a.txt")  # the same file twice
    (root / "gone.txt").symlink_to(root / "nothing.txt")
    (root / "self.txt").symlink_to(root / "self.txt")
    (root / "sub").mkdir()
    (root / "sub" / "up").symlink_to(root)  # a folder that contains itself
    articles, problems = load_corpus(root)
    assert sorted(articles["id"]) == ["a", "linked/b"]
    by_file = problems_of(problems)
    assert set(by_file) == {("up", None), ("again.txt", None), ("gone.txt", None), ("self.txt", None)}
    assert "link loops back" in by_file[("up", None)]
    assert "same file as" in by_file[("again.txt", None)] and "a.txt" in by_file[("again.txt", None)]
    assert "dangling link" in by_file[("gone.txt", None)]
    assert "link loops" in by_file[("self.txt", None)]


def test_a_named_pipe_is_a_problem_not_a_hang(tmp_path):
    os.mkfifo(tmp_path / "stream.jsonl")
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    articles, problems = load_corpus(tmp_path)
    assert list(articles["id"]) == ["a"]
    assert "not a regular file" in problems_of(problems)[("stream.jsonl", None)]


def test_json_the_parser_gives_up_on_is_one_line_lost(tmp_path):
    path = jsonl(tmp_path / "feed.jsonl", {"id": "a", "text": TEXT}, "[" * 100_000 + "]" * 100_000,
                 '{"id": "n", "text": "x", "n": ' + "7" * 5000 + "}", {"id": "b", "text": TEXT})
    articles, problems = load_corpus(path)
    assert list(articles["id"]) == ["a", "b"]
    by_line = problems_of(problems)
    assert set(by_line) == {("feed.jsonl", 2), ("feed.jsonl", 3)}
    assert "nested too deeply" in by_line[("feed.jsonl", 2)]
    assert "broken JSON" in by_line[("feed.jsonl", 3)]


def test_an_exception_from_the_html_extractor_is_one_problem_row(tmp_path, monkeypatch):
    import trafilatura

    def broken(*args, **kwargs):
        raise RuntimeError("extractor bug")

    monkeypatch.setattr(trafilatura, "bare_extraction", broken)
    (tmp_path / "page.html").write_text("<html><body><p>Hello</p></body></html>", encoding="utf-8")
    (tmp_path / "z.txt").write_text(TEXT, encoding="utf-8")
    articles, problems = load_corpus(tmp_path)
    assert list(articles["id"]) == ["z"]
    reason = problems_of(problems)[("page.html", None)]
    assert "HTML extractor (trafilatura) failed (RuntimeError: extractor bug)" in reason


def test_a_navigation_only_page_is_no_article(tmp_path):
    (tmp_path / "nav.html").write_text(
        "<html><body><nav><a href='/'>Home</a> <a href='/s'>Sports</a></nav><p>Menu</p></body></html>",
        encoding="utf-8")
    articles, problems = load_corpus(tmp_path)
    assert articles.empty
    reason = problems.loc[0, "reason"]
    assert "no article text" in reason and "only 4 characters" in reason and f"at least {MIN_PAGE_TEXT}" in reason


def test_the_html_extractor_says_nothing_on_stderr(tmp_path, caplog):
    (tmp_path / "empty.html").write_text("", encoding="utf-8")
    with caplog.at_level(logging.DEBUG):
        _, problems = load_corpus(tmp_path)
    assert [r for r in caplog.records if r.name.startswith("trafilatura")] == []
    assert "no article text" in problems.loc[0, "reason"] and "trafilatura: " in problems.loc[0, "reason"]


def test_repeated_csv_columns_are_named_and_the_first_is_used(tmp_path):
    (tmp_path / "t.csv").write_text("id,text,text,Title,title\nr1,First text.,Second text.,Upper,lower\n",
                                    encoding="utf-8")
    articles, problems = load_corpus(tmp_path)
    assert list(articles["text"]) == ["First text."] and list(articles["title"]) == ["Upper"]
    reasons = sorted(problems["reason"])
    assert reasons == ["2 columns named 'Title' and 'title'; the first is used, the others ignored",
                       "2 columns named 'text' and 'text'; the first is used, the others ignored"]


def test_a_file_without_records_is_said(tmp_path):
    (tmp_path / "empty.jsonl").write_text("\n\n", encoding="utf-8")
    (tmp_path / "header.csv").write_text("id,text\n", encoding="utf-8")
    articles, problems = load_corpus(tmp_path)
    assert articles.empty
    assert problems_of(problems) == {("empty.jsonl", None): "no records in the file",
                                     ("header.csv", None): "no records in the file"}


# =================================================================== loading: publication dates
def dated(tmp_path, *values, **kwargs):
    path = jsonl(tmp_path / "d.jsonl", *({"id": f"d{i}", "text": TEXT, "published": v} for i, v in enumerate(values)))
    articles, problems = load_corpus(path, **kwargs)
    return list(articles["published"]), {rec: reason for rec, reason in zip(problems["record"], problems["reason"])}


def test_a_partial_date_is_the_first_day_it_names_and_says_so(tmp_path):
    # parsed from today's date these would be 2018-<this month>-<today>, changing from day to day
    dates, problems = dated(tmp_path, "2018", "Feb 2018", "2018-03", "March 5, 2018")
    assert dates == [pd.Timestamp("2018-01-01"), pd.Timestamp("2018-02-01"), pd.Timestamp("2018-03-01"),
                     pd.Timestamp("2018-03-05")]
    assert set(problems) == {1, 2, 3}
    assert "names no month or day: taken as 2018-01-01" in problems[1]
    assert "names no day: taken as 2018-02-01" in problems[2]


def test_a_date_without_a_year_is_a_problem_not_this_year(tmp_path):
    dates, problems = dated(tmp_path, "Feb", "March 3", "Monday")
    assert all(pd.isna(d) for d in dates)
    assert all("names no year" in problems[n] and "kept without a date" in problems[n] for n in (1, 2, 3))


def test_two_digit_years_do_not_move_with_the_calendar(tmp_path):
    dates, problems = dated(tmp_path, "3/4/18", "1/2/75")
    assert dates == [pd.Timestamp("2018-03-04"), pd.Timestamp("1975-01-02")]
    assert not problems


def test_out_of_range_dates_are_problems_never_year_44_or_silent_nat(tmp_path):
    dates, problems = dated(tmp_path, "-0044-03-15", 1e15, 10 ** 17, float("1e300"), True, "0001-01-01", "9999-12-31")
    assert all(pd.isna(d) for d in dates[:5])
    assert dates[5:] == [pd.Timestamp("0001-01-01"), pd.Timestamp("9999-12-31")]  # the bounds themselves hold
    assert set(problems) == {1, 2, 3, 4, 5}
    assert "out of range (years 1 to 9999)" in problems[1]
    assert all("out of range" in problems[n] for n in (2, 3, 4))
    assert "not a date" in problems[5]


def test_epoch_numbers_are_read_with_their_unit_said(tmp_path):
    (tmp_path / "t.csv").write_text("id,text,timestamp\na,One.,1514764800\nb,Two.,1514764800000\n", encoding="utf-8")
    articles, problems = load_corpus(tmp_path)
    assert list(articles["published"]) == [pd.Timestamp("2018-01-01")] * 2
    assert ["seconds" in problems.loc[0, "reason"], "milliseconds" in problems.loc[1, "reason"]] == [True, True]


def test_a_parquet_timestamp_past_year_9999_is_a_problem(tmp_path):
    table = pa.table({"id": ["a", "b"], "text": [TEXT, TEXT],
                      "published": pa.array([10 ** 12, 1_514_764_800], type=pa.timestamp("s"))})
    pq.write_table(table, tmp_path / "c.parquet")
    articles, problems = load_corpus(tmp_path / "c.parquet")
    assert pd.isna(articles.loc[0, "published"]) and articles.loc[1, "published"] == pd.Timestamp("2018-01-01")
    assert list(problems["record"]) == [1] and "out of range" in problems.loc[0, "reason"]


def test_the_published_argument_is_read_once_and_never_from_today(tmp_path):
    jsonl(tmp_path / "d.jsonl", {"id": "a", "text": TEXT}, {"id": "b", "text": TEXT, "published": "2020-05-06"})
    articles, problems = load_corpus(tmp_path, published="2018")
    assert list(articles["published"]) == [pd.Timestamp("2018-01-01"), pd.Timestamp("2020-05-06")]
    assert list(problems["reason"]) == ["publication date '2018' names no month or day: taken as 2018-01-01, "
                                        "its first day"]
    with pytest.raises(CorpusError, match="published='someday'"):
        load_corpus(tmp_path, published="someday")


# =================================================================== loading: ids
def test_ids_that_become_one_string_clash_in_a_frame(nlp):
    frame = pd.DataFrame({"id": [1, "1", 2], "text": ["First story.", "Second story.", "Third story."]})
    result = toolkit.analyze(frame, nlp=nlp, progress=False)
    assert list(result.articles["id"]) == ["1", "2"]
    assert list(result.articles["text"]) == ["First story.", "Third story."]
    assert list(result.problems["reason"]) == ["duplicate id '1' (first at row 1 of the frame); skipped"]
    assert list(result.problems["record"]) == [2]


def test_a_repeated_id_in_a_frame_is_a_problem_row_not_the_run(nlp):
    frame = pd.DataFrame({"id": ["a", "a", None], "text": ["x", "y", "z"]})
    result = toolkit.analyze(frame, nlp=nlp, progress=False)
    assert list(result.articles["text"]) == ["x"]
    assert list(zip(result.problems["record"], result.problems["reason"])) == [
        (2, "duplicate id 'a' (first at row 1 of the frame); skipped"), (3, "no id; skipped")]


# =================================================================== loading: values Parquet cannot store, odd dtypes
def test_lone_surrogates_are_replaced_one_for_one_and_said(tmp_path):
    # JSON escapes can smuggle in a lone surrogate, which UTF-8 (and so Parquet) cannot store
    path = tmp_path / "s.jsonl"
    path.write_text('{"id": "a", "text": "Bad \\ud800 here, \\udfff there.", "title": "T\\ud83d"}\n'
                    '{"id": "b", "text": "Fine \\ud83d\\ude00 pair."}\n', encoding="utf-8")
    articles, problems = load_corpus(path)
    assert list(articles["text"]) == ["Bad \ufffd here, \ufffd there.", "Fine \U0001F600 pair."]
    assert articles.loc[0, "title"] == "T\ufffd"
    assert list(problems["record"]) == [1, 1]
    assert "text holds 2 lone surrogates" in problems.loc[0, "reason"] and "offsets hold" in problems.loc[0, "reason"]
    articles.to_parquet(tmp_path / "ok.parquet")  # storable now
    # pandas stores such strings only as Python objects; the frame reaching `analyze` is checked too
    frame = corpus_from_frame(pd.DataFrame({"id": ["f"], "text": ["x\udc80y"], "outlet": ["O\ud800"]}, dtype=object))
    assert frame.articles.loc[0, "text"] == "x\ufffdy" and frame.articles.loc[0, "outlet"] == "O\ufffd"
    assert len(frame.problems) == 2


def test_parquet_with_unexpected_dtypes_gives_problem_rows_or_a_word(tmp_path):
    table = pa.table({
        "id": pa.array([1, 2, 3, None], type=pa.int64()),
        "text": pa.array([b"Bytes that decode.", b"\xff\xfe\xfa", b"Fine.", b"Also fine."], type=pa.binary()),
        "published": pa.array([1_514_764_800, None, 7, None], type=pa.int64()),
        "title": pa.array([["a", "list"], None, None, None], type=pa.list_(pa.string())),
        "outlet": pa.array([1.5, None, None, None]),
    })
    pq.write_table(table, tmp_path / "odd.parquet")
    pq.write_table(pa.table({"id": ["x"], "text": pa.array([3.5])}), tmp_path / "num.parquet")
    articles, problems = load_corpus(tmp_path)
    rows = articles.set_index("id")
    assert list(rows.index) == ["1", "3", "odd:4"]  # an integer id with a null beside it is "1", not "1.0"
    assert rows.loc["1", "text"] == "Bytes that decode." and rows.loc["1", "outlet"] == "1.5"
    assert pd.isna(rows.loc["1", "title"])
    assert rows.loc["1", "published"] == pd.Timestamp("2018-01-01")
    reasons = problems_of(problems.drop_duplicates(["source", "record"], keep="last"))
    assert "cannot be decoded" in reasons[("odd.parquet", 2)]
    assert "text is a float, not a string" in reasons[("num.parquet", 1)]
    words = " | ".join(problems["reason"])
    for said in ("text is stored as bytes; decoded as utf-8", "title is a list, not text; not used",
                 "is a number: read as seconds since 1970-01-01, 2018-01-01"):
        assert said in words


# =================================================================== outputs: the CSV round trip
NUMBERISH = ["007", "0.50", "1e5", "NaN", "True", "-0", " 12 "]


def test_csv_round_trip_equals_parquet_for_text_that_looks_like_numbers(tmp_path, nlp):
    texts = [*NUMBERISH, 'Agent 007 said "0.50 is enough" on 1 May 2018.']
    frame = pd.DataFrame({"id": [f"{i:03d}" for i in range(len(texts))], "text": texts,
                          "title": NUMBERISH + ["2018"], "published": "2018-05-02"})
    analysis = toolkit.analyze(frame, nlp=nlp, progress=False)
    analysis.entities = conform("entities", [{"entity_id": "1", "name": "0.50", "label": "007", "aliases": ["007"],
                                              "n_mentions": 1, "n_articles": 1}])
    analysis.problems = conform("problems", [{"source": "1.0", "record": 3, "reason": "007"}])
    analysis.to_parquet(tmp_path / "p")
    analysis.to_csv(tmp_path / "c")
    from_parquet, from_csv = Analysis.read_parquet(tmp_path / "p"), Analysis.read_csv(tmp_path / "c")
    assert list(from_csv.articles["text"]) == texts
    assert len(from_csv.quotes) >= 1 and len(from_csv.dates) >= 1  # the comparison is not vacuous
    for table in SCHEMA:
        pd.testing.assert_frame_equal(getattr(from_csv, table), getattr(from_parquet, table), obj=table)
