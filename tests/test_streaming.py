"""Chunked reading and writing: the same articles and tables as the in-memory path, chunk by chunk."""
from __future__ import annotations

import json

import pandas as pd
import pytest

import toolkit
from toolkit import SCHEMA, Analysis, Corpus, load_corpus
from toolkit.corpus import _check_text, _FileProblem, _read_text, iter_corpus
from toolkit.engine import local
from toolkit.engine.local import analyze_to_parquet
from toolkit.engine.writer import PARTS, TableWriter

from .conftest import SEEDS

STORIES = [
    '"We will rebuild the bridge by June," Mayor Ana Ruiz said on Tuesday. Ruiz spoke in Lyon.',
    "The Red Cross said on Monday that 40 families had left the valley. It asked Geneva for help.",
    'Prime Minister Kofi Mensah told reporters in Accra: "The budget is balanced." He left on Friday.',
    "Last year the Central Bank of Chile raised rates twice. Its governor, Rosa Vidal, declined to comment.",
    '"Nobody expected this," said Tom Baker, a farmer near Dublin, on March 3, 2019.',
]


def write_messy_folder(root):
    """A folder of every format, with bad records among good ones."""
    root.mkdir()
    lines = [json.dumps({"id": f"j{i}", "text": STORIES[i % len(STORIES)], "published": f"2019-03-{i + 1:02d}"})
             for i in range(7)]
    lines.insert(2, '{"id": "broken", ')
    lines.insert(5, json.dumps({"id": "j0", "text": "duplicate"}))
    # a line separator inside a JSON string is a character of its record: neither read cuts there
    lines.append('{"id": "sep", "text": "Cut\u2028here."}')
    (root / "feed.jsonl").write_text("\r\n".join(lines) + "\n", encoding="utf-8")
    pd.DataFrame({"id": [f"p{i}" for i in range(1100)], "text": [f"Story number {i}." for i in range(1100)],
                  "date": "2020-01-02"}).to_parquet(root / "big.parquet")
    pd.DataFrame({"body": [STORIES[1], ""], "publisher": ["Wire", "Wire"]}).to_csv(root / "t.csv", index=False)
    (root / "a.txt").write_text(STORIES[2], encoding="utf-8")
    (root / "latin.txt").write_bytes("Caf\xe9".encode("latin-1"))
    return root


def test_chunks_concatenate_to_load_corpus(tmp_path):
    root = write_messy_folder(tmp_path / "in")
    whole = load_corpus(root)
    chunks = list(iter_corpus(root, chunk_size=100))
    assert len(chunks) > 10 and all(len(c.articles) <= 100 for c in chunks)
    articles = pd.concat([c.articles for c in chunks], ignore_index=True)
    problems = pd.concat([c.problems for c in chunks], ignore_index=True)
    pd.testing.assert_frame_equal(articles, whole.articles)
    pd.testing.assert_frame_equal(problems, whole.problems)
    assert len(whole.articles) == 1 + 1100 + 7 + 1 + 1  # a.txt, parquet, jsonl (j0 once), csv, sep
    assert whole.articles.set_index("id").loc["sep", "text"] == "Cut\u2028here."
    reasons = " | ".join(whole.problems["reason"])
    assert "broken JSON" in reasons and "duplicate id 'j0'" in reasons and "cannot decode" in reasons


def test_streaming_decode_check_matches_whole_file_read(tmp_path):
    path = tmp_path / "x.jsonl"
    path.write_bytes(("é" * 50).encode("utf-8") + b"\xff" + "ü".encode("utf-8"))
    with pytest.raises(_FileProblem) as whole:
        _read_text(path, "utf-8")
    # blocks of 7 bytes cut two-byte characters in half; only the bad byte may be reported
    with pytest.raises(_FileProblem) as streamed:
        _check_text(path, "utf-8", block=7)
    assert str(streamed.value) == str(whole.value)
    assert "byte 100" in str(streamed.value)
    good = tmp_path / "good.jsonl"
    good.write_bytes(("é" * 51).encode("utf-8"))
    _check_text(good, "utf-8", block=7)  # raises if a split character were taken for an error
    truncated = tmp_path / "cut.jsonl"
    truncated.write_bytes("é".encode("utf-8")[:1])
    with pytest.raises(_FileProblem, match="cannot decode as utf-8 \\(byte 0"):
        _check_text(truncated, "utf-8", block=7)


def test_streamed_tables_equal_those_made_in_memory(nlp, tmp_path):
    root = tmp_path / "in"
    root.mkdir()
    records = [{"id": f"s{i}", "text": STORIES[i % len(STORIES)] + " " + STORIES[(i + 2) % len(STORIES)],
                "published": None if i == 3 else f"2018-05-{i + 1:02d}"} for i in range(9)]
    records[4]["text"] = "Word " * 400  # longer than the max_length set below: a problem, not a crash
    (root / "news.jsonl").write_text("\n".join(map(json.dumps, records)) + "\n{oops\n", encoding="utf-8")
    old = nlp.max_length
    nlp.max_length = 1000
    try:
        memory = toolkit.analyze(root, nlp=nlp, progress=False)
        counts = analyze_to_parquet(root, tmp_path / "out", nlp=nlp, progress=False, chunk_size=2)
    finally:
        nlp.max_length = old
    streamed = Analysis.read_parquet(tmp_path / "out")
    for table in SCHEMA:
        pd.testing.assert_frame_equal(getattr(streamed, table), getattr(memory, table), obj=table)
        assert counts[table] == len(getattr(memory, table))
    assert len(memory.quotes) >= 5 and len(memory.entities) >= 5  # the comparison is not vacuous
    assert list(memory.problems["reason"].str.contains("nlp.max_length")) == [False, True]
    assert not (tmp_path / "out" / PARTS).exists()


def test_two_processes_give_the_tables_of_one(nlp, seeds_analysis):
    two = toolkit.analyze(SEEDS, nlp=nlp, n_process=2, chunk_size=4, batch_size=2, progress=False)
    for table in SCHEMA:
        pd.testing.assert_frame_equal(getattr(two, table), getattr(seeds_analysis, table), obj=table)


def test_chunks_with_a_repeated_id_are_refused(nlp):
    chunk = Corpus(toolkit.analysis.conform("articles", [{"id": "a", "text": STORIES[0]}]),
                   toolkit.analysis.conform("problems"))
    with pytest.raises(ValueError, match="'a' occurs in two chunks"):
        toolkit.analyze(iter([chunk, chunk]), nlp=nlp, progress=False)


def test_writer_gives_a_column_null_in_one_chunk_the_type_of_the_others(tmp_path):
    from toolkit.engine.tables import Chunk
    from toolkit.extract.entities import Entity

    writer = TableWriter(tmp_path)
    articles = toolkit.analysis.conform("articles", [{"id": "a", "text": "Ann and Bob."}])
    clusters = [tuple(Entity("a", key, name, "PERSON", (name,), 1)) for key, name in (("k1", "Ann"), ("k2", "Bob"))]
    for title in (None, "Dr."):  # all null in the first chunk: no type there
        mentions = [("a", 0, 3, "Ann", "PERSON", "name", "k1", title, 0), ("a", 8, 11, "Bob", "PERSON", "name", "k2", None, 0)]
        writer.add(Chunk(articles, {"mentions": mentions, "clusters": clusters, "quotes": [], "dates": []},
                         toolkit.analysis.conform("problems")))
    counts = writer.finish(toolkit.analysis.conform("problems"))
    back = pd.read_parquet(tmp_path / "mentions.parquet")
    assert counts["mentions"] == 4
    assert list(back["entity_id"]) == ["k1", "k2", "k1", "k2"]
    assert back["title"].tolist()[2] == "Dr." and back["title"].isna().tolist() == [True, True, False, True]


def test_new_words_do_not_grow_the_vocabulary(nlp):
    made_up = " ".join(f"Zorblax{i}qu said Vrentol{i}ia." for i in range(50))
    toolkit.analyze(pd.DataFrame({"id": ["w"], "text": [made_up]}), nlp=nlp, progress=False)  # warm
    before = len(nlp.vocab.strings)
    result = toolkit.analyze(pd.DataFrame({"id": ["w"], "text": [made_up.replace("qu", "qx")]}), nlp=nlp,
                             progress=False)
    assert result.articles.loc[0, "n_tokens"] > 100
    assert "Zorblax7qx" in result.articles.loc[0, "text"]
    assert len(nlp.vocab.strings) == before


def test_spawned_workers_rebuild_the_pipeline_and_agree(nlp, monkeypatch):
    # macOS and Windows cannot fork: their workers rebuild the pipeline from its config and bytes
    monkeypatch.setattr(local, "_start_method", lambda: "spawn")
    articles = pd.DataFrame({"id": ["a", "b", "c"], "text": STORIES[:3], "published": "2019-03-01"})
    spawned = toolkit.analyze(articles, nlp=nlp, n_process=2, progress=False)
    for table in SCHEMA:
        pd.testing.assert_frame_equal(getattr(spawned, table),
                                      getattr(toolkit.analyze(articles, nlp=nlp, progress=False), table), obj=table)
    assert len(spawned.quotes) >= 2


def test_cli_stream_refuses_csv(tmp_path):
    from .test_cli import run_cli

    done = run_cli("analyze", str(SEEDS), "--out", str(tmp_path / "o"), "--stream", "--format", "csv")
    assert done.returncode == 2 and "--stream writes Parquet" in done.stderr
