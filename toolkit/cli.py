"""Command line: `python -m toolkit analyze PATH --out DIR` (or `news-toolkit analyze ...`).

Writes every table of the analysis (`articles`, `mentions`, `entities`, `quotes`, `dates`,
`problems`) into DIR as Parquet, CSV or one Excel workbook, and the HTML report
`DIR/report.html` (unless `--no-report`), and prints a one-line summary; the problems, if any,
follow on stderr by reason, a few of each with their file and line. `--cache DIR` keeps results
between runs; `--stream` keeps memory flat on corpora of any size (and writes no report).

Exit status: 0 when the tables were written (problems or not); 2 when nothing could be done: a
bad option, a path with no file, no article that could be read, a model that is not
installed, a cache or output that cannot be used. Such errors print one `error: ...` line and
no traceback (`--debug` shows it).
"""
from __future__ import annotations

import argparse
import datetime as dt
import logging
import os
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__
from .text.plurals import plural

if TYPE_CHECKING:  # imported when a run starts, so --help, --version and a bad option answer at once
    import pandas as pd

    from .analysis import Analysis

FORMATS = ("parquet", "csv", "xlsx")
WORKBOOK = "analysis.xlsx"  # the file `--format xlsx` writes in DIR


class CommandError(Exception):
    """A condition that ends the command: printed as `error: ...`, exit status 2."""


# ------------------------------------------------------------------ arguments
def build_parser(prog: str | None = None) -> argparse.ArgumentParser:
    """The argument parser; `prog` is the name the user typed (default: the script's name)."""
    parser = argparse.ArgumentParser(prog=prog or _prog(), description="Analyse news text: quotes, entities, dates.")
    parser.add_argument("--version", action="version", version=f"news-toolkit {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    run = sub.add_parser("analyze", help="analyse a file, folder or glob of articles and write its tables",
                         description="Analyse a file, folder or glob of articles and write its tables into --out.")
    run.add_argument("path", help="a .txt/.jsonl/.csv/.parquet/.html file, a folder of them, or a glob")
    run.add_argument("--out", required=True, type=_folder, metavar="DIR", help="folder to write the tables into")
    run.add_argument("--model", type=_text, help="spaCy model name or path (default: $TOOLKIT_MODEL, then the best "
                                                 "installed)")
    run.add_argument("--n-process", type=_positive, default=1, metavar="N", help="worker processes (default 1)")
    run.add_argument("--batch-size", type=_positive, default=32, metavar="N",
                     help="articles per spaCy batch (default 32)")
    run.add_argument("--format", choices=FORMATS, default="parquet",
                     help=f"table format (default parquet); xlsx writes one workbook, DIR/{WORKBOOK}")
    run.add_argument("--published", type=_date, metavar="YYYY-MM-DD",
                     help="publication date for articles that carry none")
    run.add_argument("--outlet", type=_text, help="outlet for articles that carry none")
    run.add_argument("--encoding", type=_text, default="utf-8",
                     help="encoding of text files without a byte-order mark (default utf-8; e.g. cp1252, latin-1)")
    run.add_argument("--no-progress", action="store_true", help="hide the progress bar")
    run.add_argument("--no-report", action="store_true", help="do not write the HTML report DIR/report.html")
    run.add_argument("--cache", type=_folder, metavar="DIR",
                     help="keep every article's results in DIR: a re-run skips them, a killed run resumes")
    run.add_argument("--stream", action="store_true",
                     help="read and write chunk by chunk so memory stays flat on any corpus size "
                          "(Parquet only; no report, which needs every table in memory)")
    run.add_argument("--chunk-size", type=_positive, default=256, metavar="N",
                     help="articles per chunk cached or written (default 256)")
    run.add_argument("--debug", action="store_true", help="show the traceback of an error")
    return parser


def _prog() -> str:
    """What the user typed to start the command: `python -m toolkit` or the script's name."""
    name = os.path.basename(sys.argv[0]) if sys.argv and sys.argv[0] else "news-toolkit"
    return "python -m toolkit" if name in ("__main__.py", "-m", "-c", "") else name


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number, not {value!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {number}")
    return number


def _date(value: str) -> str:
    try:
        dt.datetime.strptime(value, "%Y-%m-%d")
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a date written YYYY-MM-DD, not {value!r}") from None
    return value


def _text(value: str) -> str:
    if not value.strip():
        raise argparse.ArgumentTypeError("must not be empty")
    return value


def _folder(value: str) -> Path:
    if not value.strip():
        raise argparse.ArgumentTypeError("must name a folder")
    path = Path(value)
    if path.exists() and not path.is_dir():
        raise argparse.ArgumentTypeError(f"{value} is a file; give a folder")
    return path


def check_args(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    """Checks that involve more than one option (argparse's own message and exit status 2)."""
    if args.stream and args.format != "parquet":
        parser.error(f"--stream writes Parquet; drop --format {args.format}")
    if args.cache is not None and args.cache.resolve() == args.out.resolve():
        parser.error("--cache and --out must be different folders")


# ------------------------------------------------------------------ running
def main(argv: list[str] | None = None, *, prog: str | None = None) -> int:
    """Run the command line; returns the exit status (see the module's docstring)."""
    parser = build_parser(prog)
    args = parser.parse_args(argv)
    check_args(parser, args)
    logging.basicConfig(format="%(message)s")  # the cache's "articles reused" line, on stderr
    logging.getLogger("toolkit").setLevel(logging.INFO)
    try:
        return run(args)
    except KeyboardInterrupt:
        if args.debug:
            raise
        print("error: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001  every fatal condition: one line, no traceback
        if args.debug:
            raise
        print(f"error: {error_message(exc)}", file=sys.stderr)
        if not _self_explained(exc):
            print("(run again with --debug to see where it happened)", file=sys.stderr)
        return 2


def _self_explained(exc: BaseException) -> bool:
    """Whether the error's message says all there is (the toolkit's own errors about the input)."""
    kinds: tuple[type, ...] = (CommandError,)
    for module, name in (("toolkit.corpus", "CorpusError"), ("toolkit.engine.models", "ModelNotFoundError"),
                         ("toolkit.analysis", "OutputError"), ("toolkit.analysis", "ManifestError"),
                         ("toolkit.engine.cache", "CacheError")):
        if module in sys.modules:  # a module never imported raised nothing
            kinds += (getattr(sys.modules[module], name),)
    return isinstance(exc, kinds)


def error_message(exc: BaseException) -> str:
    """The one line printed for an error: its message, with its kind when the message alone is unclear."""
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if _self_explained(exc) else f"{text} ({type(exc).__name__})"


def run(args: argparse.Namespace) -> int:
    """Analyse `args.path` and write the tables (and the report) into `args.out`."""
    import pandas as pd

    from .analysis import OutputFolder
    from .corpus import iter_corpus, load_corpus
    from .engine import analyze, analyze_to_parquet, load_nlp

    if args.stream:  # analyze_to_parquet locks and checks the output before any analysis
        nlp = load_nlp(args.model)  # first: a model that is not installed is said before any reading
        corpus = iter_corpus(args.path, published=args.published, outlet=args.outlet, encoding=args.encoding,
                             chunk_size=args.chunk_size)
        counts = analyze_to_parquet(corpus, args.out, corpus_name=args.path, **_options(args, nlp))
        problems = args.out / "problems.parquet"  # the one table read back: the others may be huge
        print_problems(pd.read_parquet(problems) if counts.get("problems") and problems.exists() else None,
                       str(problems))
        if not counts.get("articles"):
            raise CommandError(no_articles(args.path, counts.get("problems", 0)))
        if not args.no_report:
            print(f"no report with --stream (it needs every table in memory); write one with "
                  f"toolkit.views.report.write_report(toolkit.Analysis.read_parquet({str(args.out)!r}), ...)",
                  file=sys.stderr)
        print(f"{args.out}: " + ", ".join(f"{n} {table}" for table, n in counts.items()))
        return 0
    # the output is locked and checked before any analysis; tables and report are moved into place together
    with OutputFolder(args.out) as output:
        nlp = load_nlp(args.model)  # a model that is not installed is said before any reading
        corpus = load_corpus(args.path, published=args.published, outlet=args.outlet, encoding=args.encoding)
        if corpus.articles.empty:
            print_problems(corpus.problems)
            raise CommandError(no_articles(args.path, len(corpus.problems)))
        if not args.no_progress:
            print(f"{plural(len(corpus.articles), 'article')} read from {args.path}; analysing", file=sys.stderr)
        analysis = analyze(corpus, **_options(args, nlp))
        written = write_tables(analysis, output, args.format)
        if not args.no_report:
            _skip_iri_grammar()
            from .views.report import write_report  # imported here: Altair is not needed without a report

            write_report(analysis, output.path / "report.html")
        output.commit(run=analysis.run | {"corpus": args.path})
    print(f"{args.out}: {analysis.summary()}")
    print_problems(analysis.problems, f"{args.out / written}, sheet problems" if args.format == "xlsx"
                   else str(args.out / written))
    return 0


def _options(args: argparse.Namespace, nlp) -> dict:
    return dict(nlp=nlp, n_process=args.n_process, batch_size=args.batch_size, progress=not args.no_progress,
                cache=args.cache, chunk_size=args.chunk_size)


def write_tables(analysis: "Analysis", output, fmt: str) -> str:
    """Write the tables in `fmt` (`parquet`, `csv`, or `xlsx`: one workbook) into the staging folder
    of `output` (an `OutputFolder`); returns the name of the file that holds the problems."""
    from .analysis import TABLES

    if fmt == "xlsx":
        analysis.to_excel(output.path / WORKBOOK)
        output.rows.update({name: len(getattr(analysis, name)) for name in TABLES})
        return WORKBOOK
    output.tables(analysis, fmt)
    return f"problems.{fmt}"


def _skip_iri_grammar() -> None:
    """Altair imports jsonschema, whose format checkers import `rfc3987_syntax` when it is installed
    (Jupyter's dependencies bring it), and that builds an IRI grammar at import: 1.5 s of CPU, more
    on a loaded machine, for a format check the report never makes. This process is ours: skip it."""
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]


def no_articles(path, n_problems: int) -> str:
    why = f"{plural(n_problems, 'problem')} above" if n_problems else "no file there holds articles"
    return f"no article could be read from {path} ({why}); nothing was analysed"


# ------------------------------------------------------------------ problems
def reason_kind(reason: str) -> str:
    """What a problem's reason says, without its particulars: the key problems are grouped by.

    "broken JSON (Expecting ',' at column 9); line skipped" -> "broken JSON";
    "unparseable date 'soon'; article kept without a date" -> "unparseable date".
    """
    head = re.split(r"[(;:]", str(reason), maxsplit=1)[0]
    head = re.sub(r"'[^']*'|\"[^\"]*\"", "", head)
    head = re.sub(r"\d[\d,.]*", "N", head)
    return " ".join(head.split()) or str(reason)


def problem_groups(problems: "pd.DataFrame | None", *, first: int = 3) -> list[tuple[str, int, "pd.DataFrame"]]:
    """Problems grouped by `reason_kind`, most frequent first: (kind, count, the first `first` rows)."""
    if problems is None or problems.empty:
        return []
    kinds = problems["reason"].astype(str).map(reason_kind)
    order = kinds.value_counts(sort=True)
    return [(kind, int(n), problems[kinds == kind].head(first)) for kind, n in order.items()]


def print_problems(problems: "pd.DataFrame | None", table: str | None = None, *, first: int = 3, file=None) -> None:
    """Print the problems by reason on stderr: each reason's count and its first few, with file and line.

    `table` says where all of them were written (e.g. `out/problems.parquet`).
    """
    groups = problem_groups(problems, first=first)
    if not groups:
        return
    file = file or sys.stderr
    where = f" (all of them in {table})" if table else ""
    print(f"{plural(len(problems), 'problem')}, by reason{where}:", file=file)
    for kind, n, rows in groups:
        print(f"  {n:>5}  {kind}", file=file)
        for source, record, reason in rows[["source", "record", "reason"]].itertuples(index=False):
            print(f"         {_place(source, record)}: {reason}", file=file)
        if n > len(rows):
            print(f"         ... and {n - len(rows):,} more", file=file)


def _place(source, record) -> str:
    import pandas as pd

    if record is None or pd.isna(record):
        return str(source)
    unit = "line" if str(source).lower().endswith((".jsonl", ".ndjson", ".json")) else "row"
    return f"{source}, {unit} {int(record)}"
