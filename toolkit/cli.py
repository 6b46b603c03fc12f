"""Command line: `python -m toolkit analyze PATH --out DIR`.

Writes every table of the analysis (`articles`, `mentions`, `entities`, `quotes`, `dates`,
`problems`) into DIR as Parquet or CSV, and the HTML report `DIR/report.html` (unless
`--no-report`), and prints a one-line summary.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .corpus import CorpusError, load_corpus
from .pipeline import ModelNotFoundError, analyze


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m toolkit", description="Analyse news text: quotes, entities, dates.")
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("analyze", help="analyse a file, folder or glob of articles and write its tables")
    run.add_argument("path", help="a .txt/.jsonl/.csv/.parquet/.html file, a folder of them, or a glob")
    run.add_argument("--out", required=True, type=Path, help="folder to write the tables into")
    run.add_argument("--model", help="spaCy model name or path (default: $TOOLKIT_MODEL, then the best installed)")
    run.add_argument("--n-process", type=int, default=1, help="spaCy worker processes (default 1)")
    run.add_argument("--batch-size", type=int, default=32, help="articles per spaCy batch (default 32)")
    run.add_argument("--format", choices=("parquet", "csv"), default="parquet", help="table format (default parquet)")
    run.add_argument("--published", help="publication date for articles that carry none (YYYY-MM-DD)")
    run.add_argument("--outlet", help="outlet for articles that carry none")
    run.add_argument("--no-progress", action="store_true", help="hide the progress bar")
    run.add_argument("--no-report", action="store_true", help="do not write the HTML report DIR/report.html")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        corpus = load_corpus(args.path, published=args.published, outlet=args.outlet)
        analysis = analyze(corpus, model=args.model, n_process=args.n_process, batch_size=args.batch_size,
                           progress=not args.no_progress)
    except (CorpusError, ModelNotFoundError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.format == "parquet":
        analysis.to_parquet(args.out)
    else:
        analysis.to_csv(args.out)
    if not args.no_report:
        from .report import write_report  # imported here: Altair is not needed without a report

        write_report(analysis, args.out / "report.html")
    print(f"{args.out}: {analysis.summary()}")
    return 0
