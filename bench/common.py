"""Helpers shared by the benchmark scripts: the machine line, the corpus, timers.

The corpora are read at run time from the paths given on the command line (the evaluation
sets under `../shared/eval` are inputs only, never copied).
"""
from __future__ import annotations

import argparse
import os
import platform
import resource
import time

import pandas as pd

import toolkit
from toolkit.corpus import Corpus

DEFAULT_CORPORA = ("seeds",)


def parser(description: str) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=description)
    p.add_argument("corpus", nargs="*", default=list(DEFAULT_CORPORA),
                   help="files or folders of articles (default: seeds/); several are concatenated")
    p.add_argument("--model", help="spaCy model (default: as toolkit.resolve_model)")
    p.add_argument("--batch-size", type=int, default=32, help="articles per spaCy batch (default 32)")
    p.add_argument("--limit", type=int, help="use only the first N articles")
    return p


def machine_line() -> str:
    """Cores, load averages and versions: timings on a shared machine mean little without them."""
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    import spacy
    return (f"machine: {os.cpu_count()} cores, load average {load} (1/5/15 min), Python {platform.python_version()}, "
            f"spaCy {spacy.__version__}, toolkit {toolkit.__version__}")


def load(paths: list[str], limit: int | None = None) -> Corpus:
    """The articles of every path, ids made unique by a path prefix when two paths clash."""
    parts, problems = [], []
    for n, path in enumerate(paths):
        corpus = toolkit.load_corpus(path)
        ids = corpus.articles["id"] if len(paths) == 1 else f"{n}/" + corpus.articles["id"]
        parts.append(corpus.articles.assign(id=ids))
        problems.append(corpus.problems)
    articles = pd.concat(parts, ignore_index=True)
    if limit:
        articles = articles.head(limit).reset_index(drop=True)
    return Corpus(articles, pd.concat(problems, ignore_index=True))


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, in MB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Timer:
    """Wall-clock seconds, and CPU seconds of this process (less disturbed by other processes'
    load, but blind to worker processes)."""

    def __enter__(self):
        self.start, self.cpu_start = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc):
        self.seconds = time.perf_counter() - self.start
        self.cpu_seconds = time.process_time() - self.cpu_start


def median(values) -> float:
    values = sorted(values)
    mid = len(values) // 2
    return values[mid] if len(values) % 2 else (values[mid - 1] + values[mid]) / 2


def docs(nlp, articles):
    """Docs as `analyze` makes them (article id and publication date set), from an articles frame."""
    from toolkit.engine import work

    records = (work.record(*row) for row in articles[["id", "text", "published"]].itertuples(index=False))
    return work.make_docs(nlp, records)
