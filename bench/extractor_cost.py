"""What one toolkit component adds to the spaCy pass, in tokens per second.

    python bench/extractor_cost.py toolkit_dates [PATH] [--rounds 5] [--model NAME]

PATH is anything `toolkit.load_corpus` reads (default: the bundled seeds/). Two measurements,
interleaved round by round so that the load of a shared machine hits both sides alike:

1. the whole pass: `nlp.pipe` over the corpus with only spaCy's own components, then with
   spaCy's components plus COMPONENT (the other toolkit components off in both);
2. the component alone: COMPONENT called on Docs that spaCy has already parsed, against the
   time of the spaCy pass in the same round. This is the steadier figure on a busy machine.

Times are CPU seconds of this process (`time.process_time`), which other processes on a shared
machine disturb less than wall-clock time. Prints tokens/s for each side (median over rounds)
and the cost of COMPONENT in percent.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import pandas as pd

import toolkit
from toolkit import pipeline

ROOT = Path(__file__).resolve().parents[1]


def make_docs(nlp, articles: pd.DataFrame) -> list:
    """Tokenised Docs with the article id and publication date the components read."""
    docs = []
    for art_id, text, published in articles[["id", "text", "published"]].itertuples(index=False):
        doc = nlp.make_doc(text)
        doc._.article_id = str(art_id)
        doc._.published = None if pd.isna(published) else pd.Timestamp(published).date().isoformat()
        docs.append(doc)
    return docs


def timed_pipe(nlp, articles: pd.DataFrame, enabled: list[str]) -> tuple[float, list]:
    with nlp.select_pipes(enable=enabled):
        docs = make_docs(nlp, articles)
        start = time.process_time()
        out = list(nlp.pipe(docs, batch_size=32))
        return time.process_time() - start, out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("component", help="a toolkit component, e.g. toolkit_dates")
    parser.add_argument("path", nargs="?", default=str(ROOT / "seeds"), help="corpus to run over")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--model", default=None)
    args = parser.parse_args(argv)

    nlp = toolkit.load_nlp(args.model)
    if args.component not in nlp.pipe_names:
        sys.exit(f"extractor_cost: no component {args.component!r} (have {', '.join(nlp.pipe_names)})")
    spacy_pipes = [name for name in nlp.pipe_names if name not in pipeline.COMPONENTS]
    articles = toolkit.load_corpus(args.path).articles
    component = nlp.get_pipe(args.component)
    _, warm = timed_pipe(nlp, articles, spacy_pipes)  # load vectors and caches once
    for doc in warm:
        component(doc)
    n_tokens = sum(len(doc) for doc in warm)

    without, with_, alone = [], [], []
    for i in range(args.rounds):
        # alternate which side goes first, so that a drift in machine load favours neither
        first_with = i % 2 == 1
        if first_with:
            with_.append(timed_pipe(nlp, articles, spacy_pipes + [args.component])[0])
        seconds, parsed = timed_pipe(nlp, articles, spacy_pipes)
        without.append(seconds)
        start = time.process_time()
        for doc in parsed:
            component(doc)
        alone.append((time.process_time() - start) / seconds)
        if not first_with:
            with_.append(timed_pipe(nlp, articles, spacy_pipes + [args.component])[0])

    base, full = statistics.median(without), statistics.median(with_)
    paired = statistics.median(w / b - 1 for w, b in zip(with_, without))
    print(f"{len(articles)} articles, {n_tokens:,} tokens, {args.rounds} interleaved rounds, model {pipeline.model_name(nlp)}")
    print(f"spaCy pass alone       {n_tokens / base:10,.0f} tokens/s")
    print(f"spaCy + {args.component:<15}{n_tokens / full:9,.0f} tokens/s   "
          f"({100 * paired:+.1f}% time, median of the rounds' ratios)")
    print(f"{args.component} alone on parsed Docs: {100 * statistics.median(alone):.2f}% of the spaCy pass "
          f"(min {100 * min(alone):.2f}%, max {100 * max(alone):.2f}%)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
