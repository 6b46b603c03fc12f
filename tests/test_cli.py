"""The command line: analyse a folder, write every table, report every bad record."""
from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd

from toolkit import SCHEMA, Analysis

from .conftest import ROOT


def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "toolkit", *args], capture_output=True, text=True, cwd=ROOT)


def test_messy_folder_keeps_good_articles_and_reports_every_bad_record(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "feed.jsonl").write_text("\n".join([
        json.dumps({"id": "good", "text": '"We are ready," Ms. Lopez said on Monday.', "published": "2019-04-02"}),
        '{"id": "broken"',
        json.dumps({"id": "blank", "text": ""}),
        json.dumps({"id": "baddate", "text": "Mr. Ng spoke.", "published": "not a date"}),
    ]), encoding="utf-8")
    (src / "meta.csv").write_text("title,date\nOnly metadata,2019-01-01\n", encoding="utf-8")
    (src / "blob.txt").write_bytes(bytes(range(256)))
    out = tmp_path / "out"
    done = run_cli("analyze", str(src), "--out", str(out), "--no-progress")
    assert done.returncode == 0, done.stderr
    assert "2 articles" in done.stdout and "5 problems" in done.stdout
    for table in SCHEMA:
        assert (out / f"{table}.parquet").exists(), table
    result = Analysis.read_parquet(out)
    assert sorted(result.articles["id"]) == ["baddate", "good"]
    problems = {(p.rsplit("/", 1)[-1], None if pd.isna(r) else int(r)): reason
                for p, r, reason in result.problems.itertuples(index=False)}
    assert set(problems) == {("feed.jsonl", 2), ("feed.jsonl", 3), ("feed.jsonl", 4), ("meta.csv", None),
                             ("blob.txt", None)}
    assert "unparseable date" in problems[("feed.jsonl", 4)]
    assert "no text column" in problems[("meta.csv", None)]
    assert "binary" in problems[("blob.txt", None)]
    assert result.quotes["text"].tolist() == ["We are ready,"]


def test_csv_format_round_trip(tmp_path):
    out = tmp_path / "out"
    done = run_cli("analyze", str(ROOT / "seeds" / "000_4ec77375d4676b5e.txt"), "--out", str(out), "--format", "csv",
                   "--published", "2018-03-13", "--no-progress")
    assert done.returncode == 0, done.stderr
    result = Analysis.read_csv(out)
    assert result.articles.loc[0, "published"] == pd.Timestamp("2018-03-13")
    assert len(result.quotes) > 5 and len(result.dates) > 5
    assert all(isinstance(a, list) for a in result.entities["aliases"])


def test_missing_path_is_a_clear_error(tmp_path):
    done = run_cli("analyze", str(tmp_path / "nothing-here"), "--out", str(tmp_path / "o"))
    assert done.returncode == 2
    assert "nothing-here" in done.stderr and "Traceback" not in done.stderr


def test_unknown_model_is_a_clear_error(tmp_path):
    (tmp_path / "a.txt").write_text("Hello.", encoding="utf-8")
    done = run_cli("analyze", str(tmp_path), "--out", str(tmp_path / "o"), "--model", "nope_model")
    assert done.returncode == 2
    assert "nope_model" in done.stderr and "pip install" in done.stderr
