"""What one of the toolkit's components adds to the spaCy pass, in tokens per second.

    python bench/extractor_cost.py [CORPUS] --component toolkit_dates [--with NAME ...]
                                   [--model NAME] [--rounds 5] [--limit N]

Runs the corpus through the pipeline without and with `--component` (the components named by
`--with`, e.g. what it requires, run in both arms), alternating the order round by round in one
process so that a shared, noisy machine slows both alike. Prints tokens/s of each, the share the
component adds (median over rounds of with/without - 1), and, steadier, the component's own time
on the Docs of a pass divided by that pass's time, in the same round. Times are CPU seconds of
this process (`time.process_time`), which other processes disturb less than wall-clock time.
CORPUS is anything `toolkit.load_corpus` reads (default: seeds/); Docs carry their article id and
publication date, as in `toolkit.analyze`.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import toolkit  # noqa: E402
from toolkit.engine import models  # noqa: E402

from bench.common import docs  # noqa: E402


def run(nlp, articles: pd.DataFrame, disabled: list[str]) -> tuple[float, list]:
    """CPU seconds and Docs of one pass over `articles` with `disabled` components off."""
    with nlp.select_pipes(disable=disabled):
        parsed = list(docs(nlp, articles))
        start = time.process_time()
        out = list(nlp.pipe(parsed, batch_size=32))
        return time.process_time() - start, out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", nargs="?", default=str(ROOT / "seeds"))
    parser.add_argument("--component", required=True, help="e.g. toolkit_entities, toolkit_dates, toolkit_quotes")
    parser.add_argument("--with", dest="also", nargs="*", default=[], help="components run in both arms")
    parser.add_argument("--model", default=None)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--limit", type=int, default=None, help="first N articles only")
    args = parser.parse_args(argv)

    nlp = toolkit.load_nlp(args.model)
    articles = toolkit.load_corpus(args.corpus).articles.head(args.limit)
    ours = [c for c in models.COMPONENTS if c in nlp.pipe_names]
    if args.component not in ours:
        parser.error(f"--component must be one of {', '.join(ours)}")
    without = [c for c in ours if c not in args.also]
    with_ = [c for c in without if c != args.component]
    run(nlp, articles.head(2), without)  # warm up: lazy tables, caches
    run(nlp, articles.head(2), with_)
    component = nlp.get_pipe(args.component)
    passes, own_shares, rates = [], [], {"without": [], "with": []}
    for r in range(args.rounds):
        arms = [("without", without), ("with", with_)]
        times = {}
        for name, disabled in arms if r % 2 == 0 else arms[::-1]:
            seconds, docs = run(nlp, articles, disabled)
            n_tokens = sum(len(d) for d in docs)
            times[name] = seconds
            rates[name].append(n_tokens / seconds)
        passes.append(times["with"] / times["without"] - 1)
        # the component alone, timed right after a pass without it over the same Docs
        base, docs = run(nlp, articles, without)
        start = time.process_time()
        for doc in docs:
            component(doc)
        own_shares.append((time.process_time() - start) / base)
    print(f"model {models.model_name(nlp)}; {len(articles)} articles, {n_tokens:,} tokens; {args.rounds} rounds")
    print(f"spaCy pass without {args.component}: {statistics.median(rates['without']):,.0f} tokens/s")
    print(f"spaCy pass with {args.component}:    {statistics.median(rates['with']):,.0f} tokens/s")
    print(f"added by {args.component}, whole passes compared: {statistics.median(passes):+.1%} (median; rounds: "
          + ", ".join(f"{x:+.1%}" for x in passes) + ")")
    print(f"added by {args.component}, its own time over the pass's: {statistics.median(own_shares):+.1%} "
          "(median; rounds: " + ", ".join(f"{x:+.1%}" for x in own_shares) + ")")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
