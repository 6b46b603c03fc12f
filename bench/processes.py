"""One process against two: tokens per second of `analyze` (and of raw `nlp.pipe`), same tables.

    PYTHONPATH=. python bench/processes.py ../shared/eval/quotes/polnear/articles.jsonl \
        ../shared/eval/dates/timebank/articles.jsonl seeds --rounds 2

Runs are interleaved (1 process, 2 processes, 1, 2, ...) so the load of a shared machine hits
both alike; every two-process run must give exactly the tables of the one-process run. Raw
`nlp.pipe(n_process=...)` (spaCy's own multiprocessing, which sends whole Docs back) is
measured too, for reference. On a machine with fewer than two free cores the speed-up cannot
show: the machine line gives the load average.
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pandas as pd  # noqa: E402

import toolkit  # noqa: E402
from toolkit import pipeline  # noqa: E402

from bench.common import Timer, load, machine_line, median, parser  # noqa: E402


def main() -> None:
    p = parser(__doc__.splitlines()[0])
    p.add_argument("--rounds", type=int, default=2, help="interleaved rounds (default 2)")
    p.add_argument("--processes", type=int, default=2, help="processes to compare with one (default 2)")
    p.add_argument("--no-raw", action="store_true", help="skip the raw nlp.pipe reference")
    args = p.parse_args()
    corpus = load(args.corpus, args.limit)
    nlp = toolkit.load_nlp(args.model)
    texts = list(corpus.articles["text"])
    print(machine_line())
    print(f"model: {pipeline.model_name(nlp)}; corpus: {len(texts)} articles from {', '.join(args.corpus)}; "
          f"batch_size {args.batch_size}")
    ours = list(pipeline.COMPONENTS)
    speedups, raw_speedups = [], []
    for r in range(1, args.rounds + 1):
        rates, tables = {}, {}
        for n in (1, args.processes):
            with Timer() as t:
                tables[n] = toolkit.analyze(corpus, nlp=nlp, n_process=n, batch_size=args.batch_size, progress=False)
            rates[n] = int(tables[n].articles["n_tokens"].sum()) / t.seconds
        for table in toolkit.SCHEMA:
            pd.testing.assert_frame_equal(getattr(tables[1], table), getattr(tables[args.processes], table), obj=table)
        speedups.append(rates[args.processes] / rates[1])
        line = (f"round {r}: analyze 1 process {rates[1]:,.0f} tok/s | {args.processes} processes "
                f"{rates[args.processes]:,.0f} tok/s | speed-up {speedups[-1]:.2f}x | tables identical")
        if not args.no_raw:
            raw = {}
            for n in (1, args.processes):
                with Timer() as t:
                    tokens = sum(len(d) for d in nlp.pipe(texts, disable=ours, batch_size=args.batch_size, n_process=n))
                raw[n] = tokens / t.seconds
            raw_speedups.append(raw[args.processes] / raw[1])
            line += (f" || raw nlp.pipe {raw[1]:,.0f} -> {raw[args.processes]:,.0f} tok/s "
                     f"({raw_speedups[-1]:.2f}x)")
        print(line)
    summary = f"analyze {args.processes} processes / 1, median of {len(speedups)}: {median(speedups):.2f}x"
    if raw_speedups:
        summary += f"; raw nlp.pipe: {median(raw_speedups):.2f}x"
    print(f"{summary}  ({machine_line()})")


if __name__ == "__main__":
    main()
