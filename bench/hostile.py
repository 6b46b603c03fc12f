"""Time per 1,000 characters on hostile text, beside ordinary news: is every scan linear?

    python bench/hostile.py [--cases marks,cues,...] [--sizes 500,1000,2000] [--model NAME]

Each case is text written to stress one scan, at several sizes (in repetitions of its unit):

- `marks`      thousands of unbalanced and mixed quotation marks, with cues (quotation-mark pairing,
               quotes);
- `cues`       `Mattis said, "we will ` repeated in one paragraph (speaker search, entity resolution);
- `names`      one long paragraph of names and pronouns (entity grouping and coreference);
- `dates`      a run of time words and numbers with no sentence end (date matching and values).

The ordinary baseline is the bundled `seeds/`. For each case and size the script prints the
characters, the seconds of `toolkit.analyze` (one process, no cache) and the seconds per 1,000
characters, and the ratio of that to the ordinary news; a linear scan keeps the ratio flat as
the size grows. The bound the project holds itself to is 3x ordinary news.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pandas as pd  # noqa: E402

import toolkit  # noqa: E402

from bench.common import machine_line  # noqa: E402

BOUND = 3.0


def marks(n: int) -> str:
    # quotations opened and never closed, one a paragraph, each with a cue; and stray marks of every kind
    unit = ['“He said it\n\n', '"no, she said ', "« ", " ”yes ", "„ ", "‘", " it’s "]
    return "".join(unit[i % len(unit)] for i in range(n)) + "."


def cues(n: int) -> str:
    return 'Mattis said, "we will ' * n


def names(n: int) -> str:
    unit = ["Gen. Valery Gerasimov met Patrick Ryder and ", "he told Haley that ", "Gerasimov and she ",
            "the Pentagon and Russia, ", "Ryder's aide and they "]
    return "".join(unit[i % len(unit)] for i in range(n)) + "."


def dates(n: int) -> str:
    unit = ["last Tuesday ", "Jan. 20 ", "2 weeks ", "the next year ", "1999 ", "this morning ", "March 3, 2018 "]
    return "".join(unit[i % len(unit)] for i in range(n)) + "."


CASES = {"marks": marks, "cues": cues, "names": names, "dates": dates}


def seconds(nlp, texts: list[str]) -> float:
    frame = pd.DataFrame({"id": [f"h{i}" for i in range(len(texts))], "text": texts, "published": "2018-03-13"})
    start = time.perf_counter()
    toolkit.analyze(frame, nlp=nlp, progress=False)
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", default=",".join(CASES), help=f"comma-separated: {', '.join(CASES)}")
    parser.add_argument("--sizes", default="500,1000,2000", help="repetitions of each case's unit")
    parser.add_argument("--model")
    args = parser.parse_args(argv)
    chosen = args.cases.split(",")
    unknown = set(chosen) - set(CASES)
    if unknown:
        parser.error(f"unknown case(s) {', '.join(sorted(unknown))}; choose from {', '.join(CASES)}")
    sizes = [int(s) for s in args.sizes.split(",")]

    nlp = toolkit.load_nlp(args.model)
    print(machine_line())
    news = list(toolkit.load_corpus(ROOT / "seeds").articles["text"])
    seconds(nlp, news[:2])  # warm up
    base = seconds(nlp, news) / (sum(map(len, news)) / 1000)
    print(f"ordinary news (seeds/, {sum(map(len, news)):,} characters): {base * 1000:.1f} ms per 1,000 characters")
    print(f"{'case':<8}{'size':>7}{'characters':>12}{'seconds':>10}{'ms/1k chars':>13}{'x news':>8}")
    worst = 0.0
    for case in chosen:
        for n in sizes:
            text = CASES[case](n)
            took = seconds(nlp, [text])
            per_k = took / (len(text) / 1000)
            worst = max(worst, per_k / base)
            print(f"{case:<8}{n:>7}{len(text):>12,}{took:>10.2f}{per_k * 1000:>13.1f}{per_k / base:>8.2f}")
    print(f"worst: {worst:.2f}x ordinary news ({'within' if worst <= BOUND else 'above'} the {BOUND:.0f}x bound)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
