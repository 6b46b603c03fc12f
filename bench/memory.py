"""Peak memory of an analysis at 1x and at 10x the corpus, streamed to Parquet and in memory.

    PYTHONPATH=. python bench/memory.py ../shared/eval/quotes/polnear/articles.jsonl \
        ../shared/eval/dates/timebank/articles.jsonl seeds [--times 10] [--modes stream,memory]

Each measurement runs in a fresh process (peak resident memory, `ru_maxrss`, only grows). The
10x corpus is the corpus read ten times over from its files with new ids, chunk by chunk, so
nothing is copied and the stream never holds more than a chunk. `stream` is
`analyze_to_parquet` (what `--stream` runs); `memory` is `analyze`, which returns every table.
The baseline is the process after loading the model; the growth above it is what the
analysis itself costs.
"""
from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import machine_line, parser, peak_rss_mb  # noqa: E402


def child(args) -> None:
    import pandas as pd

    import toolkit
    from toolkit.corpus import Corpus, iter_corpus
    from toolkit.engine.local import analyze_to_parquet

    nlp = toolkit.load_nlp(args.model)
    toolkit.analyze(pd.DataFrame({"id": ["w"], "text": ['"Warm up," said Ann.']}), nlp=nlp, progress=False)
    baseline = peak_rss_mb()

    def chunks():
        for k in range(args.times):
            for n, path in enumerate(args.corpus):
                for chunk in iter_corpus(path, chunk_size=args.chunk_size):
                    yield Corpus(chunk.articles.assign(id=f"{n}/" + chunk.articles["id"] + f"#{k}"), chunk.problems)

    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as out:
        if args.mode == "stream":
            counts = analyze_to_parquet(chunks(), f"{out}/tables", nlp=nlp, batch_size=args.batch_size, progress=False,
                                        chunk_size=args.chunk_size)
        else:
            analysis = toolkit.analyze(chunks(), nlp=nlp, batch_size=args.batch_size, progress=False,
                                       chunk_size=args.chunk_size)
            counts = {"articles": len(analysis.articles), "mentions": len(analysis.mentions)}
    print(json.dumps({"baseline": baseline, "peak": peak_rss_mb(), "seconds": time.perf_counter() - start,
                      "articles": counts["articles"], "mentions": counts["mentions"]}))


def main() -> None:
    p = parser(__doc__.splitlines()[0])
    p.add_argument("--times", type=int, default=10, help="the large corpus is this many times the small (default 10)")
    p.add_argument("--modes", default="stream,memory", help="comma-separated: stream, memory (default both)")
    p.add_argument("--chunk-size", type=int, default=256, help="articles per chunk (default 256)")
    p.add_argument("--child", action="store_true", help=argparse_hidden())
    p.add_argument("--mode", help=argparse_hidden())
    args = p.parse_args()
    if args.child:
        return child(args)
    print(machine_line())
    print(f"corpus: {', '.join(args.corpus)}; chunk_size {args.chunk_size}")
    for mode in args.modes.split(","):
        peaks = {}
        for times in (1, args.times):
            cmd = [sys.executable, __file__, *args.corpus, "--child", "--mode", mode, "--times", str(times),
                   "--chunk-size", str(args.chunk_size), "--batch-size", str(args.batch_size)]
            if args.model:
                cmd += ["--model", args.model]
            done = subprocess.run(cmd, capture_output=True, text=True, check=True)
            m = json.loads(done.stdout.strip().splitlines()[-1])
            peaks[times] = m
            print(f"{mode:6s} {times:3d}x: {m['articles']:6,d} articles, {m['mentions']:8,d} mentions | "
                  f"model loaded {m['baseline']:6.0f} MB | peak {m['peak']:6.0f} MB | "
                  f"growth {m['peak'] - m['baseline']:5.0f} MB | {m['seconds']:.0f} s")
        small, large = peaks[1], peaks[args.times]
        print(f"{mode:6s} peak {args.times}x / 1x: {large['peak'] / small['peak']:.2f} "
              f"(growth above the model: {small['peak'] - small['baseline']:.0f} MB -> "
              f"{large['peak'] - large['baseline']:.0f} MB)")
    print(machine_line())


def argparse_hidden():
    import argparse
    return argparse.SUPPRESS


if __name__ == "__main__":
    main()
