"""Tokens per second of raw `nlp.pipe` and of `toolkit.analyze` with the same model, in one run.

    PYTHONPATH=. python bench/speed.py ../shared/eval/quotes/polnear/articles.jsonl \
        ../shared/eval/dates/timebank/articles.jsonl seeds --rounds 3

Raw and toolkit passes are interleaved (raw, analyze, raw, analyze, ...) so that the load of a
shared machine hits both alike; each round prints its ratio and the last line the median.
"Raw" is `nlp.pipe` over the texts with the toolkit's components disabled, consuming the Docs;
"analyze" is the whole `toolkit.analyze` (components, rows, frames, entity linking). In
between, "+ components" is `nlp.pipe` with the toolkit's components on, so the last line
splits the cost: what the extractors add to spaCy's pass, and what the rows and tables add
to that. Ratios are given on wall-clock time and on this process's CPU time; with one
process the CPU ratio is the steadier one on a machine that others load.

`--whole` compares whole processes instead, as a user runs them: `python -m toolkit analyze
CORPUS --out DIR` (reading, components, tables, writing and the report: everything) against a
process that imports spaCy, loads the same model, reads the same texts and runs `nlp.pipe`,
alternating, with the CPU time of each child process. A second toolkit run with `--no-report`
says what the report costs, and `python -X importtime` what the imports cost.
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import toolkit  # noqa: E402
from toolkit.engine import models  # noqa: E402
from toolkit.text import spaces  # noqa: E402

from bench.common import Timer, docs, load, machine_line, median, parser  # noqa: E402


RAW = """
import json, sys, spacy
nlp = spacy.load(sys.argv[1])
texts = [json.loads(line)["text"] for line in open(sys.argv[2], encoding="utf-8")]
print(sum(len(doc) for doc in nlp.pipe(texts, batch_size=int(sys.argv[3]))))
"""


def whole(args, corpus) -> None:
    """Whole processes: `python -m toolkit analyze` against spaCy's own pass, alternating."""
    import json
    import resource
    import subprocess
    import tempfile
    import time

    model = toolkit.resolve_model(args.model)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "news.jsonl"
        rows = corpus.articles[["id", "text", "published"]].astype({"published": str}).to_dict("records")
        path.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
        commands = {
            "raw nlp.pipe": [sys.executable, "-c", RAW, model, str(path), str(args.batch_size)],
            "analyze": [sys.executable, "-m", "toolkit", "analyze", str(path), "--out", f"{tmp}/out", "--no-progress",
                        "--model", model, "--batch-size", str(args.batch_size)],
            "analyze --no-report": [sys.executable, "-m", "toolkit", "analyze", str(path), "--out", f"{tmp}/out2",
                                    "--no-progress", "--no-report", "--model", model,
                                    "--batch-size", str(args.batch_size)],
        }
        times = {name: [] for name in commands}
        for r in range(1, args.rounds + 1):
            line = []
            for name, command in commands.items():
                before = resource.getrusage(resource.RUSAGE_CHILDREN)
                start = time.perf_counter()
                subprocess.run(command, check=True, capture_output=True, cwd=Path(__file__).resolve().parents[1])
                wall = time.perf_counter() - start
                after = resource.getrusage(resource.RUSAGE_CHILDREN)
                cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
                times[name].append((wall, cpu))
                line.append(f"{name} {wall:.1f} s ({cpu:.1f} s CPU)")
            print(f"round {r}: " + " | ".join(line))
        raw = [t for t in times["raw nlp.pipe"]]
        for name in ("analyze", "analyze --no-report"):
            wall = median([a[0] / b[0] for a, b in zip(raw, times[name])])
            cpu = median([a[1] / b[1] for a, b in zip(raw, times[name])])
            print(f"{name} / raw nlp.pipe in whole processes, median of {args.rounds}: speed {wall:.3f} wall-clock, "
                  f"{cpu:.3f} CPU time  ({machine_line()})")


def main() -> None:
    p = parser(__doc__.splitlines()[0])
    p.add_argument("--rounds", type=int, default=3, help="interleaved raw/analyze rounds (default 3)")
    p.add_argument("--n-process", type=int, default=1, help="processes for both passes (default 1)")
    p.add_argument("--whole", action="store_true", help="whole processes: the command line against raw nlp.pipe")
    args = p.parse_args()
    corpus = load(args.corpus, args.limit)
    if args.whole:
        return whole(args, corpus)
    nlp = toolkit.load_nlp(args.model)
    texts = [spaces.plain(t) for t in corpus.articles["text"]]  # what the engine parses: same tokens
    ours = [n for n in nlp.pipe_names if n in models.COMPONENTS]
    print(machine_line())
    print(f"model: {models.model_name(nlp)}; pipeline: {', '.join(nlp.pipe_names)}; "
          f"disabled in the model: {', '.join(nlp.disabled) or 'none'}")
    print(f"corpus: {len(texts)} articles, {sum(map(len, texts)):,} characters from {', '.join(args.corpus)}; "
          f"batch_size {args.batch_size}, n_process {args.n_process}")
    # warm-up: first calls allocate and fill caches
    for _ in nlp.pipe(texts[:8], disable=ours):
        pass
    ratios, cpu_ratios, component_shares, table_shares = [], [], [], []
    for r in range(1, args.rounds + 1):
        with Timer() as raw:
            tokens = sum(len(doc) for doc in nlp.pipe(texts, disable=ours, batch_size=args.batch_size,
                                                        n_process=args.n_process))
        with Timer() as full:
            for doc in nlp.pipe(docs(nlp, corpus.articles), batch_size=args.batch_size, n_process=args.n_process):
                pass
        with Timer() as ours_t:
            analysis = toolkit.analyze(corpus, nlp=nlp, batch_size=args.batch_size, n_process=args.n_process,
                                       progress=False)
        assert int(analysis.articles["n_tokens"].sum()) == tokens, "analyze saw other tokens than nlp.pipe"
        raw_tps, ours_tps = tokens / raw.seconds, tokens / ours_t.seconds
        ratios.append(ours_tps / raw_tps)
        cpu_ratios.append(raw.cpu_seconds / ours_t.cpu_seconds)
        component_shares.append(full.cpu_seconds / raw.cpu_seconds - 1)
        table_shares.append(ours_t.cpu_seconds / full.cpu_seconds - 1)
        print(f"round {r}: {tokens:,} tokens | raw nlp.pipe {raw_tps:,.0f} tok/s | analyze {ours_tps:,.0f} tok/s "
              f"| ratio {ratios[-1]:.3f} (CPU time: {tokens / raw.cpu_seconds:,.0f} vs "
              f"{tokens / ours_t.cpu_seconds:,.0f} tok/s, ratio {cpu_ratios[-1]:.3f}; + components "
              f"{tokens / full.seconds:,.0f} tok/s)")
    print(f"CPU time the toolkit's components add to spaCy's pass: {median(component_shares):+.1%}; "
          f"that rows, frames and linking add to the components' pass: {median(table_shares):+.1%}")
    print(f"analyze / raw nlp.pipe, median of {len(ratios)}: {median(ratios):.3f} wall-clock, "
          f"{median(cpu_ratios):.3f} CPU time  ({machine_line()})")


if __name__ == "__main__":
    main()
