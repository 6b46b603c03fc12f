"""What one of the toolkit's components adds to the spaCy pass, in tokens per second.

    python bench/extractor_cost.py [CORPUS] [--component toolkit_entities] [--with NAME ...]
                                   [--model NAME] [--rounds 5] [--limit N]

Runs the corpus through the pipeline without and with `--component` (the components named by
`--with`, e.g. what it requires, run in both), alternating the order round by round in one
process, so that a shared, noisy machine slows both alike. Prints tokens/s of each, the share the
component adds (median over rounds of with/without - 1), and, less noisy, the component's own
time on the Docs of a pass divided by that pass's time, in the same round. CORPUS is anything `toolkit.load_corpus` reads (default: seeds/).
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import toolkit  # noqa: E402
from toolkit import pipeline  # noqa: E402


def run(nlp, texts: list[str], disabled: list[str]) -> tuple[float, int]:
    """Seconds and tokens for one pass over `texts` with `disabled` components off."""
    with nlp.select_pipes(disable=disabled):
        start = time.perf_counter()
        tokens = sum(len(doc) for doc in nlp.pipe(texts, batch_size=32))
        return time.perf_counter() - start, tokens


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", nargs="?", default=str(ROOT / "seeds"))
    parser.add_argument("--component", default="toolkit_entities")
    parser.add_argument("--with", dest="also", nargs="*", default=[], help="components run in both arms")
    parser.add_argument("--model", default=None)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--limit", type=int, default=None, help="first N articles only")
    args = parser.parse_args(argv)

    nlp = toolkit.load_nlp(args.model)
    texts = list(toolkit.load_corpus(args.corpus).articles["text"])[: args.limit]
    ours = [c for c in pipeline.COMPONENTS if c in nlp.pipe_names]
    if args.component not in ours:
        parser.error(f"--component must be one of {', '.join(ours)}")
    without = [c for c in ours if c not in args.also]
    with_ = [c for c in without if c != args.component]
    run(nlp, texts[:2], without)  # warm up: lazy tables, caches
    run(nlp, texts[:2], with_)
    component = nlp.get_pipe(args.component)
    passes, own_shares, rates = [], [], {"without": [], "with": []}
    for r in range(args.rounds):
        arms = [("without", without), ("with", with_)]
        times = {}
        for name, disabled in arms if r % 2 == 0 else arms[::-1]:
            seconds, tokens = run(nlp, texts, disabled)
            times[name] = seconds
            rates[name].append(tokens / seconds)
        passes.append(times["with"] / times["without"] - 1)
        # the component alone, timed right after a pass without it over the same Docs
        with nlp.select_pipes(disable=without):
            start = time.perf_counter()
            docs = list(nlp.pipe(texts, batch_size=32))
            base = time.perf_counter() - start
        start = time.perf_counter()
        for doc in docs:
            component(doc)
        own_shares.append((time.perf_counter() - start) / base)
    n_tokens = sum(len(d) for d in docs)
    print(f"model {pipeline.model_name(nlp)}; {len(texts)} articles, {n_tokens} tokens; {args.rounds} rounds")
    print(f"spaCy pass without {args.component}: {statistics.median(rates['without']):,.0f} tokens/s")
    print(f"spaCy pass with {args.component}:    {statistics.median(rates['with']):,.0f} tokens/s")
    print(f"added by {args.component}, whole passes compared: {statistics.median(passes):+.1%} (median; rounds: "
          + ", ".join(f"{x:+.1%}" for x in passes) + ")")
    print(f"added by {args.component}, its own time over the pass's: {statistics.median(own_shares):+.1%} "
          "(median; rounds: " + ", ".join(f"{x:+.1%}" for x in own_shares) + ")")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
