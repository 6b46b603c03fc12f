"""The engine keeps every article and every run: results matched by article id, one failure one
problem row, a damaged cache entry a cache miss, a lost worker replaced, outputs written whole."""
from __future__ import annotations

import json
import logging
import sqlite3
import subprocess
import sys
from contextlib import closing

import pandas as pd
import pytest
import srsly
from spacy.util import raise_error

import toolkit
from toolkit import SCHEMA, Analysis
from toolkit.analysis import MANIFEST, ManifestError, OutputError, OutputFolder
from toolkit.engine.cache import FILENAME, CacheError
from toolkit.engine.local import analyze_to_parquet

from .conftest import ROOT, TEST_MODEL
from .failing import MARKER, failing_nlp
from .test_pipeline import assert_offsets_valid

TEXTS = {
    "a": '"We will rebuild the bridge by June," Mayor Ana Ruiz said on Tuesday. Ruiz spoke in Lyon.',
    "b": f'"The river is rising," {MARKER} Vidal said on Monday. Vidal left Santiago on March 3, 2019.',
    "c": 'Prime Minister Kofi Mensah told reporters in Accra: "The budget is balanced." He left on Friday.',
}


def three() -> pd.DataFrame:
    return pd.DataFrame({"id": list(TEXTS), "text": list(TEXTS.values()), "published": "2019-03-01"})


def assert_b_alone_failed(analysis: Analysis, reference: Analysis, step: str) -> None:
    """a and c analysed exactly as without b, b kept without layers, one problem row naming b and the step."""
    assert analysis.articles["id"].tolist() == ["a", "b", "c"]
    assert analysis.articles["n_tokens"].notna().tolist() == [True, False, True]
    assert len(analysis.problems) == 1
    reason = analysis.problems["reason"].iloc[0]
    assert "'b'" in reason and step in reason, reason
    for table in ("mentions", "entities", "quotes", "dates"):
        pd.testing.assert_frame_equal(getattr(analysis, table), getattr(reference, table), obj=table)
    assert len(reference.quotes) >= 2 and set(reference.quotes["article_id"]) == {"a", "c"}
    assert_offsets_valid(analysis)


@pytest.fixture(scope="module")
def without_b(nlp) -> Analysis:
    return toolkit.analyze(three().query("id != 'b'"), nlp=nlp, progress=False)


@pytest.fixture(scope="module")
def raising():
    return failing_nlp(TEST_MODEL, "raise")


# ------------------------------------------------------------- one failure, one problem row
def test_a_component_raising_on_one_article_in_one_process(raising, without_b):
    assert_b_alone_failed(toolkit.analyze(three(), nlp=raising, progress=False), without_b,
                          "test_fails_on_marker failed (ZeroDivisionError")


def test_a_component_raising_on_one_article_in_two_processes(raising, without_b):
    result = toolkit.analyze(three(), nlp=raising, n_process=2, batch_size=2, progress=False)
    assert_b_alone_failed(result, without_b, "test_fails_on_marker failed")


def test_a_component_raising_with_a_cache_and_a_rerun(raising, without_b, tmp_path, caplog):
    caplog.set_level(logging.INFO, logger="toolkit")
    for expected in ("0 articles reused, 3 analysed", "2 articles reused, 1 analysed"):  # failures are not cached
        result = toolkit.analyze(three(), nlp=raising, cache=tmp_path, progress=False)
        assert caplog.records[-1].getMessage().endswith(expected)
        assert_b_alone_failed(result, without_b, "test_fails_on_marker failed")


def test_an_error_handler_dropping_docs_shifts_no_result(raising, without_b, tmp_path):
    # spaCy drops the Docs an error handler swallows: results matched by position went to the wrong article
    raising.default_error_handler = lambda *args: None  # what components without their own handler use
    try:
        for _ in range(2):  # the cache, then a re-run from it
            result = toolkit.analyze(three(), nlp=raising, cache=tmp_path, progress=False)
            assert_b_alone_failed(result, without_b, "test_fails_on_marker failed")
    finally:
        raising.default_error_handler = raise_error


def test_a_component_raising_on_one_article_streamed(raising, without_b, tmp_path):
    counts = analyze_to_parquet(three(), tmp_path / "out", nlp=raising, chunk_size=2, progress=False)
    result = Analysis.read_parquet(tmp_path / "out")
    assert_b_alone_failed(result, without_b, "test_fails_on_marker failed")
    assert counts == {table: len(getattr(result, table)) for table in SCHEMA}


@pytest.mark.parametrize("how, step", [("unstorable", "storing its rows failed (TypeError"),
                                       ("outside", "storing its rows failed (DamagedPayload: a quotes span")])
def test_rows_that_cannot_be_stored_or_lie_outside_the_text_are_one_problem(how, step, without_b, tmp_path):
    result = toolkit.analyze(three(), nlp=failing_nlp(TEST_MODEL, how), progress=False)
    assert_b_alone_failed(result, without_b, step)
    result.to_parquet(tmp_path)  # and the tables can be written


def test_a_worker_killed_by_one_article_costs_that_article_only(without_b, caplog):
    caplog.set_level(logging.WARNING, logger="toolkit")
    result = toolkit.analyze(three(), nlp=failing_nlp(TEST_MODEL, "exit"), n_process=2, batch_size=4, progress=False)
    assert_b_alone_failed(result, without_b, "its worker process failed (the process died")
    messages = [r.getMessage() for r in caplog.records]
    assert any(m.startswith("a worker process died; articles ") and "'b'" in m for m in messages)
    assert "article 'b' kills the worker process that analyses it; not analysed" in messages


def test_lone_surrogates_in_a_frame_are_repaired_with_a_problem_row(nlp, tmp_path):
    text = "Mayor Ana Ruiz said on Tuesday \ud800 that the bridge would open."
    frame = pd.DataFrame({"id": ["s"], "text": [text], "title": ["Bridge \udc00"]}, dtype=object)
    result = toolkit.analyze(frame, nlp=nlp, progress=False)
    stored = result.articles["text"].iloc[0]
    assert len(stored) == len(text) and stored[31] == "\ufffd" and result.articles["title"].iloc[0] == "Bridge \ufffd"
    assert len(result.problems) and result.problems["reason"].str.contains("surrogate").all()
    assert result.articles["n_tokens"].iloc[0] > 5
    result.to_parquet(tmp_path)
    pd.testing.assert_frame_equal(Analysis.read_parquet(tmp_path).articles, result.articles)


# ------------------------------------------------------------------------- the result cache
def _payloads(cache) -> list[tuple[str, bytes]]:
    with closing(sqlite3.connect(cache / FILENAME)) as db:
        return db.execute("SELECT text_sha256, payload FROM results ORDER BY text_sha256").fetchall()


def test_damaged_cache_entries_are_misses_with_a_problem_row(nlp, tmp_path, caplog):
    caplog.set_level(logging.INFO, logger="toolkit")
    articles = three().assign(text=lambda f: f["text"].str.replace(MARKER, "Rosa"))
    first = toolkit.analyze(articles, nlp=nlp, cache=tmp_path, progress=False)
    (rotten, _), (shifted, payload), _ = _payloads(tmp_path)
    n_tokens, rows = srsly.msgpack_loads(payload)
    rows[0][0][1] = 10_000  # a mention's end far past its text: readable bytes, wrong rows
    with closing(sqlite3.connect(tmp_path / FILENAME)) as db, db:
        db.execute("UPDATE results SET payload = ? WHERE text_sha256 = ?", (b"\xc1\x00rot", rotten))
        db.execute("UPDATE results SET payload = ? WHERE text_sha256 = ?",
                   (srsly.msgpack_dumps([n_tokens, rows]), shifted))
    again = toolkit.analyze(articles, nlp=nlp, cache=tmp_path, progress=False)
    assert caplog.records[-1].getMessage().endswith("1 articles reused, 2 analysed")
    reasons = again.problems["reason"].tolist()
    assert len(reasons) == 2 and all("is damaged" in r and "analysed again" in r for r in reasons)
    assert any("unreadable" in r for r in reasons) and any("lies outside the article" in r for r in reasons)
    for table in ("articles", "mentions", "entities", "quotes", "dates"):
        pd.testing.assert_frame_equal(getattr(again, table), getattr(first, table), obj=table)
    third = toolkit.analyze(articles, nlp=nlp, cache=tmp_path, progress=False)  # the entries were replaced
    assert caplog.records[-1].getMessage().endswith("3 articles reused, 0 analysed") and third.problems.empty


def test_a_cache_file_that_is_no_database_is_a_clear_error(nlp, tmp_path):
    (tmp_path / FILENAME).write_bytes(b"these are not the pages of a database " * 200)
    with pytest.raises(CacheError, match=f"{FILENAME}: not a usable result cache"):
        toolkit.analyze(three(), nlp=nlp, cache=tmp_path, progress=False)


# ------------------------------------------------------------- one name for each speaker
SMITH = ["Mayor John Smith said on Monday that the bridge would reopen in June.",
         '"The budget is balanced," Smith said on Friday. Smith left for Lyon.']


def assert_speakers_are_entity_names(analysis: Analysis) -> None:
    names = dict(zip(analysis.entities["entity_id"], analysis.entities["name"]))
    linked = analysis.quotes.dropna(subset=["speaker_entity_id"])
    assert len(linked) >= 2
    assert [names[i] for i in linked["speaker_entity_id"]] == linked["speaker"].tolist()


def test_quote_speakers_carry_the_name_of_their_entity(nlp, tmp_path):
    assert nlp(SMITH[1])._.quotes[0][8] == "Smith"  # the article alone knows only the surname
    frame = pd.DataFrame({"id": ["x", "y"], "text": SMITH})
    memory = toolkit.analyze(frame, nlp=nlp, progress=False)
    assert_speakers_are_entity_names(memory)
    assert memory.quotes.set_index("article_id").loc["y", "speaker"] == "John Smith"
    analyze_to_parquet(frame, tmp_path, nlp=nlp, chunk_size=1, progress=False)
    assert_speakers_are_entity_names(Analysis.read_parquet(tmp_path))


# ------------------------------------------------------------------------ output folders
KILLER = """
import os, signal, sys
import pandas as pd
from toolkit.engine import writer

writes = []

def counted(write):
    def wrapper(*args, **kwargs):
        writes.append(1)
        if len(writes) == 2:  # between the first and the second table
            os.kill(os.getpid(), signal.SIGKILL)
        return write(*args, **kwargs)
    return wrapper

pd.DataFrame.to_parquet = counted(pd.DataFrame.to_parquet)
writer.TableWriter._join = counted(writer.TableWriter._join)
from toolkit.cli import main
sys.exit(main(sys.argv[1:]))
"""


def write_corpus(path, ids) -> str:
    path.write_text("\n".join(json.dumps({"id": i, "text": TEXTS[i].replace(MARKER, "Rosa")}) for i in ids),
                    encoding="utf-8")
    return str(path)


@pytest.mark.parametrize("stream", [False, True], ids=["in memory", "streamed"])
def test_a_run_killed_between_two_table_writes_leaves_the_previous_output(tmp_path, stream):
    first, second = write_corpus(tmp_path / "one.jsonl", ["a"]), write_corpus(tmp_path / "two.jsonl", ["b", "c"])
    out, fresh = tmp_path / "out", tmp_path / "fresh"
    options = ["--no-progress", *(["--stream"] if stream else [])]
    done = subprocess.run([sys.executable, "-m", "toolkit", "analyze", first, "--out", str(out), *options],
                          cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    before = Analysis.read_parquet(out)
    report = (out / "report.html").read_bytes() if not stream else None
    for target in (out, fresh):
        killed = subprocess.run([sys.executable, "-c", KILLER, "analyze", second, "--out", str(target), *options],
                                cwd=ROOT, capture_output=True, text=True)
        assert killed.returncode == -9, killed.stderr
    after = Analysis.read_parquet(out)
    for table in SCHEMA:
        pd.testing.assert_frame_equal(getattr(after, table), getattr(before, table), obj=table)
    assert after.articles["id"].tolist() == ["a"] and after.run["corpus"] == first
    if report is not None:
        assert (out / "report.html").read_bytes() == report
    assert not fresh.exists()  # no output rather than part of one
    again = subprocess.run([sys.executable, "-m", "toolkit", "analyze", second, "--out", str(out), *options],
                           cwd=ROOT, capture_output=True, text=True)
    assert again.returncode == 0, again.stderr
    assert Analysis.read_parquet(out).articles["id"].tolist() == ["b", "c"]
    # the next run on `out` removed the staging folder the killed run left beside it
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".out.")] == [".out.lock"]


def test_a_second_run_on_a_busy_output_fails_at_once_and_says_why(nlp, tmp_path):
    out = tmp_path / "out"
    with OutputFolder(out):
        with pytest.raises(OutputError, match="another run is writing this folder"):
            analyze_to_parquet(three(), out, nlp=nlp, progress=False)
        corpus = write_corpus(tmp_path / "c.jsonl", ["a"])
        done = subprocess.run([sys.executable, "-m", "toolkit", "analyze", corpus, "--out", str(out), "--stream",
                               "--no-progress"], cwd=ROOT, capture_output=True, text=True)
        assert done.returncode == 2 and "error: " in done.stderr and "another run is writing" in done.stderr
    analyze_to_parquet(three(), out, nlp=nlp, progress=False)  # free again
    assert len(Analysis.read_parquet(out).articles) == 3


def test_an_unwritable_output_is_found_before_the_analysis(tmp_path, monkeypatch, capsys):
    from toolkit import cli, corpus

    monkeypatch.setattr(corpus, "load_corpus", lambda *a, **k: pytest.fail("the corpus was read"))
    (tmp_path / "file").write_text("x")
    assert cli.main(["analyze", str(ROOT / "seeds"), "--out", str(tmp_path / "file" / "out")]) == 2
    assert "error: " in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_:  # argparse itself refuses a file as --out
        cli.main(["analyze", str(ROOT / "seeds"), "--out", str(tmp_path / "file")])
    assert exit_.value.code == 2 and "is a file; give a folder" in capsys.readouterr().err


def test_a_folder_holding_other_files_is_not_replaced(seeds_analysis, tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(OutputError, match="notes.txt, which are not toolkit tables"):
        seeds_analysis.to_parquet(tmp_path)
    assert (tmp_path / "notes.txt").read_text() == "mine" and not (tmp_path / "articles.parquet").exists()


def test_an_old_report_is_not_left_beside_new_tables(seeds_analysis, tmp_path):
    seeds_analysis.to_parquet(tmp_path)
    (tmp_path / "report.html").write_text("of an earlier run")
    seeds_analysis.for_articles([]).to_parquet(tmp_path)
    assert not (tmp_path / "report.html").exists()


def test_the_manifest_names_the_run_and_read_parquet_checks_it(seeds_analysis, tmp_path):
    seeds_analysis.to_parquet(tmp_path / "one")
    manifest = json.loads((tmp_path / "one" / MANIFEST).read_text())
    assert manifest["model"].endswith("-3.8.0") and "core_web_sm" in manifest["model"] and manifest["toolkit"] == toolkit.__version__
    assert manifest["corpus"] == str(ROOT / "seeds")
    assert manifest["rows"] == {table: len(getattr(seeds_analysis, table)) for table in SCHEMA}
    assert Analysis.read_parquet(tmp_path / "one").run["model"] == manifest["model"]
    seeds_analysis.for_articles(["000_4ec77375d4676b5e"]).to_parquet(tmp_path / "two")
    (tmp_path / "two" / "quotes.parquet").replace(tmp_path / "one" / "quotes.parquet")  # two runs mixed
    with pytest.raises(ManifestError, match="quotes.parquet has .* bytes, the manifest says"):
        Analysis.read_parquet(tmp_path / "one")


def test_without_an_atomic_exchange_a_run_killed_between_the_renames_is_put_back(seeds_analysis, tmp_path,
                                                                                  monkeypatch):
    from toolkit import analysis as module

    monkeypatch.setattr(module, "_exchange", lambda a, b: False)  # a system without renameat2
    out = tmp_path / "out"
    seeds_analysis.to_parquet(out)
    seeds_analysis.for_articles(["000_4ec77375d4676b5e"]).to_parquet(out)  # replaced in two renames
    assert len(Analysis.read_parquet(out).articles) == 1
    aside = tmp_path / ".out.old-killed"  # as a run killed between its two renames leaves it
    aside.mkdir()
    out.rename(aside / "x")
    with OutputFolder(out):  # the next run on `out` puts the previous output back first
        assert len(Analysis.read_parquet(out).articles) == 1
    assert not aside.exists()
