"""One process against two: tokens per second of `analyze` (and of raw `nlp.pipe`), same tables.

    PYTHONPATH=. python bench/processes.py ../shared/eval/quotes/polnear/articles.jsonl \
        ../shared/eval/dates/timebank/articles.jsonl seeds --rounds 2

Runs are interleaved (1 process, 2 processes, 1, 2, ...) so the load of a shared machine hits
both alike; every two-process run must give exactly the tables of the one-process run. Raw
`nlp.pipe(n_process=...)` (spaCy's own multiprocessing, which sends whole Docs back) is
measured too, for reference. On a machine with fewer than two free cores the speed-up cannot
show (the machine line gives the load average), so each run also reports its CPU seconds, the
parent's and the workers' together: their ratio to one process's is the price of going
parallel, whatever the load, and 2 / that ratio bounds the speed-up on two idle cores.
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pandas as pd  # noqa: E402

import toolkit  # noqa: E402
from toolkit.engine import models  # noqa: E402

from bench.common import Timer, load, machine_line, median, parser  # noqa: E402


class CpuTimer(Timer):
    """Also the CPU seconds of finished child processes (pool workers are joined at the end)."""

    def __enter__(self):
        self.children_start = _children_cpu()
        return super().__enter__()

    def __exit__(self, *exc):
        super().__exit__(*exc)
        self.cpu_seconds += _children_cpu() - self.children_start


def _children_cpu() -> float:
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


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
    print(f"model: {models.model_name(nlp)}; corpus: {len(texts)} articles from {', '.join(args.corpus)}; "
          f"batch_size {args.batch_size}")
    ours = list(models.COMPONENTS)
    speedups, raw_speedups, costs, raw_costs = [], [], [], []
    for r in range(1, args.rounds + 1):
        rates, tables, cpu = {}, {}, {}
        for n in (1, args.processes):
            with CpuTimer() as t:
                tables[n] = toolkit.analyze(corpus, nlp=nlp, n_process=n, batch_size=args.batch_size, progress=False)
            rates[n] = int(tables[n].articles["n_tokens"].sum()) / t.seconds
            cpu[n] = t.cpu_seconds
        for table in toolkit.SCHEMA:
            pd.testing.assert_frame_equal(getattr(tables[1], table), getattr(tables[args.processes], table), obj=table)
        speedups.append(rates[args.processes] / rates[1])
        costs.append(cpu[args.processes] / cpu[1])
        line = (f"round {r}: analyze 1 process {rates[1]:,.0f} tok/s | {args.processes} processes "
                f"{rates[args.processes]:,.0f} tok/s | speed-up {speedups[-1]:.2f}x | CPU {cpu[1]:.1f} s -> "
                f"{cpu[args.processes]:.1f} s ({costs[-1]:.2f}x) | tables identical")
        if not args.no_raw:
            raw, raw_cpu = {}, {}
            for n in (1, args.processes):
                with CpuTimer() as t:
                    tokens = sum(len(d) for d in nlp.pipe(texts, disable=ours, batch_size=args.batch_size, n_process=n))
                raw[n], raw_cpu[n] = tokens / t.seconds, t.cpu_seconds
            raw_speedups.append(raw[args.processes] / raw[1])
            raw_costs.append(raw_cpu[args.processes] / raw_cpu[1])
            line += (f" || raw nlp.pipe {raw[1]:,.0f} -> {raw[args.processes]:,.0f} tok/s "
                     f"({raw_speedups[-1]:.2f}x, CPU {raw_costs[-1]:.2f}x)")
        print(line)
    n = args.processes
    summary = (f"analyze {n} processes / 1, median of {len(speedups)}: {median(speedups):.2f}x wall-clock; "
               f"CPU cost {median(costs):.2f}x, so at most {n / median(costs):.2f}x on {n} idle cores")
    if raw_speedups:
        summary += (f"; raw nlp.pipe(n_process={n}): {median(raw_speedups):.2f}x, CPU cost {median(raw_costs):.2f}x "
                    f"(at most {n / median(raw_costs):.2f}x)")
    print(f"{summary}  ({machine_line()})")


if __name__ == "__main__":
    main()
