"""The command line: analyse a folder, write every table, report every bad record, speak up when it cannot."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import toolkit
from toolkit import SCHEMA, Analysis, cli

from .conftest import ROOT


def run_cli(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "toolkit", *args], capture_output=True, text=True, cwd=cwd)


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
    assert "2 articles" in done.stdout and "5 problems" in done.stdout and "1 quote," in done.stdout
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


def messy_folder(tmp_path: Path) -> Path:
    src = tmp_path / "in"
    src.mkdir()
    (src / "feed.jsonl").write_text("\n".join([
        json.dumps({"id": "good", "text": '"We are ready," Ms. Lopez said on Monday.'}),
        '{"id": "broken"', '{"id": "broken too"', json.dumps({"id": "blank", "text": ""}),
    ]) + "\n", encoding="utf-8")
    (src / "scan.pdf").write_bytes(b"%PDF-1.4")
    return src


def test_after_a_run_the_problems_are_listed_by_reason_with_file_and_line(tmp_path):
    done = run_cli("analyze", str(messy_folder(tmp_path)), "--out", str(tmp_path / "out"), "--no-progress",
                   "--no-report")
    assert done.returncode == 0, done.stderr
    lines = done.stderr.splitlines()
    start = lines.index(f"4 problems, by reason (all of them in {tmp_path / 'out' / 'problems.parquet'}):")
    listed = "\n".join(lines[start:])
    assert "      2  broken JSON\n" in listed  # the commonest reason first, with its count
    assert f"{tmp_path / 'in' / 'feed.jsonl'}, line 2: broken JSON" in listed
    assert f"{tmp_path / 'in' / 'feed.jsonl'}, line 3: broken JSON" in listed
    assert "      1  empty text\n" in listed and "      1  unknown file type\n" in listed
    assert f"{tmp_path / 'in' / 'scan.pdf'}: unknown file type '.pdf'" in listed


def test_problem_reasons_are_grouped_without_their_particulars():
    assert cli.reason_kind("broken JSON (Expecting ',' delimiter at column 9); line skipped") == "broken JSON"
    assert cli.reason_kind("unparseable date 'soon'; article kept without a date") == "unparseable date"
    assert cli.reason_kind("duplicate id 'a7' (first read from x.jsonl); skipped") == "duplicate id"
    problems = pd.DataFrame({"source": ["a.jsonl"] * 5, "record": [1, 2, 3, 4, None],
                             "reason": ["empty text; skipped"] * 4 + ["binary file (holds NUL bytes), not text"]})
    groups = cli.problem_groups(problems, first=3)
    assert [(kind, n, len(rows)) for kind, n, rows in groups] == [("empty text", 4, 3), ("binary file", 1, 1)]


@pytest.mark.parametrize("make", ["empty", "unreadable"])
def test_no_readable_article_is_an_error_not_an_empty_report(tmp_path, make):
    src = tmp_path / "in"
    src.mkdir()
    if make == "unreadable":
        (src / "feed.jsonl").write_text('{"id": "broken"\n', encoding="utf-8")
        (src / "scan.pdf").write_bytes(b"%PDF-1.4")
    out = tmp_path / "out"
    done = run_cli("analyze", str(src), "--out", str(out))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert f"error: no article could be read from {src}" in done.stderr
    if make == "unreadable":
        assert "2 problems above" in done.stderr and f"{src / 'feed.jsonl'}, line 1: broken JSON" in done.stderr
    else:
        assert "no file there holds articles" in done.stderr
    assert not (out / "report.html").exists()


def test_version_and_the_name_the_user_typed():
    done = run_cli("--version")
    assert done.returncode == 0 and done.stdout.strip() == f"news-toolkit {toolkit.__version__}"
    assert run_cli("--help").stdout.startswith("usage: python -m toolkit ")
    script = Path(sys.executable).parent / "news-toolkit"  # the console script pip installs
    if script.exists():
        help_text = subprocess.run([str(script), "analyze", "--help"], capture_output=True, text=True).stdout
        assert help_text.startswith("usage: news-toolkit analyze ")


@pytest.mark.parametrize("args, says", [
    (["--batch-size", "0"], "argument --batch-size: must be at least 1, not 0"),
    (["--batch-size", "-1"], "argument --batch-size: must be at least 1, not -1"),
    (["--batch-size", "many"], "argument --batch-size: must be a whole number, not 'many'"),
    (["--n-process", "0"], "argument --n-process: must be at least 1, not 0"),
    (["--chunk-size", "0"], "argument --chunk-size: must be at least 1, not 0"),
    (["--published", "2019-13-01"], "argument --published: must be a date written YYYY-MM-DD, not '2019-13-01'"),
    (["--outlet", " "], "argument --outlet: must not be empty"),
    (["--format", "pdf"], "argument --format: invalid choice: 'pdf'"),
    (["--stream", "--format", "xlsx"], "--stream writes Parquet; drop --format xlsx"),
])
def test_every_option_is_checked_with_a_clear_message(tmp_path, args, says):
    (tmp_path / "a.txt").write_text("Hello.", encoding="utf-8")
    done = run_cli("analyze", str(tmp_path / "a.txt"), "--out", str(tmp_path / "o"), *args)
    assert done.returncode == 2 and says in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "o").exists()  # checked before anything runs


def test_an_output_or_cache_that_is_a_file_is_refused_before_the_run(tmp_path):
    (tmp_path / "a.txt").write_text("Hello.", encoding="utf-8")
    (tmp_path / "taken").write_text("not a folder", encoding="utf-8")
    for option in ("--out", "--cache"):
        extra = [] if option == "--out" else ["--out", str(tmp_path / "o")]
        done = run_cli("analyze", str(tmp_path / "a.txt"), *extra, option, str(tmp_path / "taken"))
        assert done.returncode == 2 and f"argument {option}: {tmp_path / 'taken'} is a file; give a folder" in done.stderr


def test_a_fatal_error_is_one_line_unless_debug(tmp_path):
    (tmp_path / "a.txt").write_text("Hello.", encoding="utf-8")
    args = ["analyze", str(tmp_path / "a.txt"), "--out", str(tmp_path / "o"), "--model", "nope_model"]
    done = run_cli(*args)
    assert done.returncode == 2 and done.stderr.startswith("error: ") and "Traceback" not in done.stderr
    debug = run_cli(*args, "--debug")
    assert debug.returncode != 0 and "Traceback" in debug.stderr and "ModelNotFoundError" in debug.stderr


def test_xlsx_round_trip_read_back_with_pandas(tmp_path):
    src = tmp_path / "news.jsonl"
    long = "The council met again. " * 1500  # 34,500 characters: more than an Excel cell holds
    src.write_text("\n".join(json.dumps(r) for r in [
        {"id": "n1", "published": "2021-05-04", "text": '"We will rebuild the bridge," Mayor Ada Obi said on Monday.'},
        {"id": "n2", "published": "2021-05-05", "text": long + "Ms. Obi said the vote would wait."},
    ]) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    done = run_cli("analyze", str(src), "--out", str(out), "--format", "xlsx", "--no-progress", "--no-report")
    assert done.returncode == 0, done.stderr
    sheets = pd.read_excel(out / cli.WORKBOOK, sheet_name=None)
    assert list(sheets) == list(SCHEMA)
    arts = sheets["articles"].set_index("id")
    assert arts.loc["n2", "text"] + arts.loc["n2", "text (part 2)"] == long + "Ms. Obi said the vote would wait."
    assert sheets["quotes"]["text"].tolist()[0] == "We will rebuild the bridge,"
    back = Analysis.read_excel(out / cli.WORKBOOK)
    assert back.text_of("n2").startswith(long) and len(back.quotes) == len(sheets["quotes"]) >= 2
    assert back.articles["published"].tolist() == [pd.Timestamp("2021-05-04"), pd.Timestamp("2021-05-05")]


def test_progress_moves_per_batch_not_per_chunk(monkeypatch, nlp):
    import toolkit.engine.local as local

    steps = []

    class Recorder:  # stands in for tqdm: records every update
        def __init__(self, *args, **kwargs):
            self.total = kwargs.get("total")

        def update(self, n=1):
            steps.append(n)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

    monkeypatch.setattr(local, "tqdm", Recorder)
    frame = pd.DataFrame({"id": [f"a{i}" for i in range(5)], "text": [f"Ms. Obi said {i}." for i in range(5)]})
    toolkit.analyze(frame, nlp=nlp, batch_size=2, chunk_size=256)
    assert [n for n in steps if n] == [2, 2, 1]  # one chunk, three batches: the bar moves after each
