"""The result cache: a re-run skips what is done, a killed run resumes and ends with the same tables."""
from __future__ import annotations

import json
import logging
import sqlite3
import subprocess
import sys
import time
from contextlib import closing

import pandas as pd
import pytest

import toolkit
from toolkit import SCHEMA, Analysis
from toolkit.engine import cache as cache_module
from toolkit.engine.cache import FILENAME, ResultCache

from .conftest import ROOT

NAMES = ["Ana Ruiz", "Kofi Mensah", "Rosa Vidal", "Tom Baker", "Lena Fischer", "Omar Haddad"]
PLACES = ["Lyon", "Accra", "Santiago", "Dublin", "Hamburg", "Amman"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]


def story(i: int, sentences: int = 3) -> str:
    """A short made-up news story; `i` varies the people, places and days."""
    out = []
    for s in range(sentences):
        name, place, day = NAMES[(i + s) % 6], PLACES[(i * 7 + s) % 6], DAYS[(i + 2 * s) % 5]
        surname = name.split()[1]
        out.append(f'"The talks in {place} will resume on {day}," {name} said. {surname} left {place} '
                   f"on March {(i + s) % 28 + 1}, 2019, according to officials.")
    return " ".join(out)


def frame(n: int, **extra) -> pd.DataFrame:
    return pd.DataFrame({"id": [f"a{i}" for i in range(n)], "text": [story(i) for i in range(n)],
                         "published": "2019-04-02", **extra})


def reuse_line(caplog) -> str:
    return [r.getMessage() for r in caplog.records if "reused" in r.getMessage()][-1]


def assert_same_tables(a: Analysis, b: Analysis) -> None:
    for table in SCHEMA:
        pd.testing.assert_frame_equal(getattr(a, table), getattr(b, table), obj=table)


def test_rerun_reuses_every_article_and_gives_the_same_tables(nlp, tmp_path, caplog):
    caplog.set_level(logging.INFO, logger="toolkit")
    first = toolkit.analyze(frame(5), nlp=nlp, cache=tmp_path, chunk_size=2, progress=False)
    assert reuse_line(caplog).endswith("0 articles reused, 5 analysed")
    again = toolkit.analyze(frame(5), nlp=nlp, cache=tmp_path, chunk_size=2, progress=False)
    assert reuse_line(caplog).endswith("5 articles reused, 0 analysed")
    assert_same_tables(again, first)
    assert len(first.quotes) >= 5


def test_only_new_or_changed_articles_are_analysed(nlp, tmp_path, caplog):
    caplog.set_level(logging.INFO, logger="toolkit")
    toolkit.analyze(frame(3), nlp=nlp, cache=tmp_path, progress=False)
    changed = frame(4)
    changed.loc[1, "text"] = "Mr. Baker said nothing on Sunday."  # new text
    changed.loc[2, "published"] = "2019-04-09"  # same text, other date: relative dates move
    result = toolkit.analyze(changed, nlp=nlp, cache=tmp_path, progress=False)
    assert reuse_line(caplog).endswith("1 articles reused, 3 analysed")
    assert_same_tables(result, toolkit.analyze(changed, nlp=nlp, progress=False))


def test_cache_is_keyed_by_text_not_id(nlp, tmp_path, caplog):
    caplog.set_level(logging.INFO, logger="toolkit")
    toolkit.analyze(frame(2), nlp=nlp, cache=tmp_path, progress=False)
    renamed = frame(2).assign(id=["x", "y"])
    result = toolkit.analyze(renamed, nlp=nlp, cache=tmp_path, progress=False)
    assert reuse_line(caplog).endswith("2 articles reused, 0 analysed")
    assert set(result.mentions["article_id"]) == {"x", "y"} and set(result.quotes["article_id"]) == {"x", "y"}
    assert_same_tables(result, toolkit.analyze(renamed, nlp=nlp, progress=False))


def test_another_model_version_or_toolkit_version_does_not_reuse(nlp, tmp_path, caplog, monkeypatch):
    caplog.set_level(logging.INFO, logger="toolkit")
    toolkit.analyze(frame(2), nlp=nlp, cache=tmp_path, progress=False)
    monkeypatch.setattr(cache_module, "__version__", "99.0")
    toolkit.analyze(frame(2), nlp=nlp, cache=tmp_path, progress=False)
    assert reuse_line(caplog).endswith("0 articles reused, 2 analysed")
    monkeypatch.setitem(nlp.meta, "version", "0.0.1")
    toolkit.analyze(frame(2), nlp=nlp, cache=tmp_path, progress=False)
    assert reuse_line(caplog).endswith("0 articles reused, 2 analysed")
    with closing(sqlite3.connect(tmp_path / FILENAME)) as db:
        keys = {row[0] for row in db.execute("SELECT DISTINCT pipeline FROM results")}
    assert len(keys) == 3 and any("toolkit-99.0" in k and "-0.0.1 " in k for k in keys)


def test_cache_folder_that_is_a_file_is_a_clear_error(tmp_path):
    (tmp_path / "c").write_text("x")
    with pytest.raises(NotADirectoryError, match="must be a folder"):
        ResultCache(tmp_path / "c", "p")


def test_killed_run_resumes_and_ends_with_the_tables_of_an_uninterrupted_run(nlp, tmp_path):
    corpus = tmp_path / "news.jsonl"
    n = 60
    corpus.write_text("\n".join(json.dumps({"id": f"n{i}", "text": story(i, sentences=8), "published": "2019-04-02"})
                                for i in range(n)), encoding="utf-8")
    out, cache = tmp_path / "out", tmp_path / "cache"
    args = [sys.executable, "-m", "toolkit", "analyze", str(corpus), "--out", str(out), "--cache", str(cache),
            "--stream", "--chunk-size", "4", "--no-progress"]
    run = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        cached = _wait_for_cached_articles(cache / FILENAME, run)
        run.kill()  # SIGKILL: no clean-up of any kind
        run.wait(timeout=30)
    finally:
        if run.poll() is None:
            run.kill()
    assert 0 < cached < n, "the run was not interrupted mid-way"
    assert not (out / "mentions.parquet").exists()
    done = subprocess.run(args, cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    reused = int(done.stderr.split(" articles reused")[0].rsplit(" ", 1)[-1])
    assert cached <= reused < n and f"{reused} articles reused, {n - reused} analysed" in done.stderr
    reference = toolkit.analyze(corpus, nlp=nlp, progress=False)
    assert_same_tables(Analysis.read_parquet(out), reference)


def _wait_for_cached_articles(db, run, timeout: float = 120) -> int:
    """Poll the cache of a running process until its first chunk is committed."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and run.poll() is None:
        if db.exists():
            try:
                reader = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
                count = reader.execute("SELECT count(*) FROM results").fetchone()[0]
                reader.close()
            except sqlite3.OperationalError:  # table not created yet, or locked for a moment
                count = 0
            if count:
                return count
        time.sleep(0.02)
    raise AssertionError(f"no chunk was cached (exit code {run.poll()}): {run.stderr.read() if run.poll() else ''}")
