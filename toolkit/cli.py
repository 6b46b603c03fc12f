"""Command line: `python -m toolkit analyze PATH --out DIR`.

Writes every table of the analysis (`articles`, `mentions`, `entities`, `quotes`, `dates`,
`problems`) into DIR as Parquet or CSV, and the HTML report `DIR/report.html` (unless
`--no-report`), and prints a one-line summary. `--cache DIR` keeps results between runs;
`--stream` keeps memory flat on corpora of any size (and writes no report).
"""
from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from .analysis import OutputError, OutputFolder
from .corpus import CorpusError, iter_corpus, load_corpus
from .engine import CacheError, ModelNotFoundError, analyze, analyze_to_parquet


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
    run.add_argument("--encoding", default="utf-8",
                     help="encoding of text files without a byte-order mark (default utf-8; e.g. cp1252, latin-1)")
    run.add_argument("--no-progress", action="store_true", help="hide the progress bar")
    run.add_argument("--no-report", action="store_true", help="do not write the HTML report DIR/report.html")
    run.add_argument("--cache", type=Path, metavar="DIR",
                     help="keep every article's results in DIR: a re-run skips them, a killed run resumes")
    run.add_argument("--stream", action="store_true",
                     help="read and write chunk by chunk so memory stays flat on any corpus size "
                          "(Parquet only; no report, which needs every table in memory)")
    run.add_argument("--chunk-size", type=_positive, default=256,
                     help="articles per chunk cached or written (default 256)")
    return parser


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {number}")
    return number


def _skip_iri_grammar() -> None:
    """Altair imports jsonschema, whose format checkers import `rfc3987_syntax` when it is installed
    (Jupyter's dependencies bring it), and that builds an IRI grammar at import: 1.5 s of CPU, more
    on a loaded machine, for a format check the report never makes. This process is ours: skip it."""
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.stream and args.format != "parquet":
        parser.error("--stream writes Parquet; drop --format csv")
    logging.basicConfig(format="%(message)s")  # the cache's "articles reused" line, on stderr
    logging.getLogger("toolkit").setLevel(logging.INFO)
    options = dict(model=args.model, n_process=args.n_process, batch_size=args.batch_size,
                   progress=not args.no_progress, cache=args.cache, chunk_size=args.chunk_size)
    try:
        if args.stream:
            corpus = iter_corpus(args.path, published=args.published, outlet=args.outlet, encoding=args.encoding,
                                 chunk_size=args.chunk_size)
            counts = analyze_to_parquet(corpus, args.out, corpus_name=args.path, **options)
            if not args.no_report:
                print(f"no report with --stream (it needs every table in memory); write one with "
                      f"toolkit.views.report.write_report(toolkit.Analysis.read_parquet({str(args.out)!r}), ...)",
                      file=sys.stderr)
            print(f"{args.out}: " + ", ".join(f"{n} {table}" for table, n in counts.items()))
            return 0
        # locked and checked before any analysis; the tables and the report are moved into place together
        with OutputFolder(args.out) as output:
            corpus = load_corpus(args.path, published=args.published, outlet=args.outlet, encoding=args.encoding)
            analysis = analyze(corpus, **options)
            output.tables(analysis, args.format)
            if not args.no_report:
                _skip_iri_grammar()
                from .views.report import write_report  # imported here: Altair is not needed without a report

                write_report(analysis, output.path / "report.html")
            output.commit(run=analysis.run | {"corpus": args.path})
    except (CorpusError, ModelNotFoundError, OutputError, CacheError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"{args.out}: {analysis.summary()}")
    return 0
