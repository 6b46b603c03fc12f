"""How fast the explorers and the report are on a synthetic 10,000-article analysis.

    PYTHONPATH=. python bench/bench_explorers.py [--articles 10000]

Builds tables shaped like a real corpus (about 100 mentions, 10 quotes and 15 dates per
article, 2,500-character texts, offsets valid), then times each explorer's construction and
typical interactions (the median of several), and the report. Prints figures; asserts nothing.
"""
from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

import toolkit
from toolkit import widgets
from toolkit.report import write_report


def synthetic(n_articles: int, seed: int = 3) -> toolkit.Analysis:
    rng = np.random.default_rng(seed)
    words = np.array(["the", "council", "said", "on", "Monday", "that", "plans", "would", "go", "ahead", "minister",
                      "reporters", "budget", "city", "week", "police", "court", "ruled", "against", "rise"])
    ids = [f"a{i:05d}" for i in range(n_articles)]
    texts = [" ".join(rng.choice(words, 420)) for _ in ids]
    published = pd.Timestamp("2018-01-01") + pd.to_timedelta(rng.integers(0, 5 * 365, n_articles), unit="D")
    articles = pd.DataFrame({"id": ids, "title": [f"Story number {i}" for i in range(n_articles)],
                             "outlet": rng.choice(["Wire", "Daily", "Herald", "Post"], n_articles),
                             "published": published, "text": texts})

    def spans(per_article: int, length: int):
        art = np.repeat(np.arange(n_articles), per_article)
        start = rng.integers(0, 2400, len(art))
        return art, start, start + length

    a, s, e = spans(100, 8)
    n_ents = 20_000
    ent = np.minimum(rng.zipf(1.4, len(a)), n_ents) - 1
    labels = rng.choice(["PERSON", "ORG", "GPE", "NORP"], n_ents)
    mentions = pd.DataFrame({"article_id": np.array(ids)[a], "start": s, "end": e,
                             "text": [texts[i][x:y] for i, x, y in zip(a, s, e)], "label": labels[ent], "kind": "name",
                             "entity_id": [f"E{k}" for k in ent], "sentence": s // 120})
    counts = mentions.groupby("entity_id").agg(n_mentions=("text", "size"), n_articles=("article_id", "nunique"))
    entities = pd.DataFrame({"entity_id": [f"E{k}" for k in range(n_ents)], "name": [f"Name {k}" for k in range(n_ents)],
                             "label": labels, "aliases": [[f"Name {k}", f"N{k}"] for k in range(n_ents)]}
                            ).join(counts, on="entity_id").fillna({"n_mentions": 0, "n_articles": 0})
    a, s, e = spans(10, 150)
    who = np.minimum(rng.zipf(1.5, len(a)), 5000) - 1
    quotes = pd.DataFrame({"article_id": np.array(ids)[a], "start": s, "end": e,
                           "text": [texts[i][x:y] for i, x, y in zip(a, s, e)],
                           "kind": rng.choice(["direct", "indirect", "mixed"], len(a)), "cue": "said",
                           "cue_start": e + 1, "cue_end": e + 5, "speaker": [f"Name {k}" for k in who],
                           "speaker_entity_id": [f"E{k}" for k in who]})
    a, s, e = spans(15, 6)
    lo = published[a] + pd.to_timedelta(rng.integers(-900, 60, len(a)), unit="D")
    dates = pd.DataFrame({"article_id": np.array(ids)[a], "start": s, "end": e,
                          "text": [texts[i][x:y] for i, x, y in zip(a, s, e)], "type": "DATE",
                          "value": lo.strftime("%Y-%m-%d"), "range_start": lo, "range_end": lo, "anchored": True})
    return toolkit.Analysis(articles=articles, mentions=mentions, entities=entities, quotes=quotes, dates=dates)


def timed(action, repeat: int = 5) -> float:
    runs = []
    for _ in range(repeat):
        t = time.perf_counter()
        action()
        runs.append(time.perf_counter() - t)
    return statistics.median(runs) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=10_000)
    args = parser.parse_args()
    t = time.perf_counter()
    a = synthetic(args.articles)
    print(f"{a}  (built in {time.perf_counter() - t:.1f} s)")
    ids = list(a.articles["id"])
    rng = np.random.default_rng(0)

    t = time.perf_counter()
    viewer = widgets.article_viewer(a)
    print(f"article viewer: built in {(time.perf_counter() - t) * 1000:.0f} ms")
    print(f"  choose an article   {timed(lambda: setattr(viewer.article, 'value', rng.choice(ids[:500]))):.1f} ms")
    print(f"  toggle a layer      {timed(lambda: setattr(viewer.layers['entities'], 'value', not viewer.layers['entities'].value)):.1f} ms")
    print(f"  type a search       {timed(lambda: setattr(viewer.search, 'value', f'number {rng.integers(100, 999)}')):.1f} ms")

    t = time.perf_counter()
    speakers = widgets.speaker_explorer(a)
    print(f"speaker explorer: built in {(time.perf_counter() - t) * 1000:.0f} ms")
    names = [v for _, v in speakers.speaker.options[:200]]
    print(f"  choose a speaker    {timed(lambda: setattr(speakers.speaker, 'value', rng.choice(names))):.1f} ms")
    print(f"  choose a kind       {timed(lambda: setattr(speakers.kind, 'value', 'direct' if speakers.kind.value == 'all' else 'all')):.1f} ms")

    t = time.perf_counter()
    ents = widgets.entity_explorer(a)
    print(f"entity explorer: built in {(time.perf_counter() - t) * 1000:.0f} ms")
    print(f"  type a search       {timed(lambda: setattr(ents.search, 'value', f'name {rng.integers(1, 999)}')):.1f} ms")
    print(f"  sentence co-mentions {timed(lambda: setattr(ents.within, 'value', 'sentence' if ents.within.value == 'article' else 'article')):.1f} ms")
    ents.search.value = "Name 0"
    print(f"  most mentioned entity ({int(a.entities['n_mentions'].max()):,} mentions), toggle co-mention unit "
          f"{timed(lambda: setattr(ents.within, 'value', 'sentence' if ents.within.value == 'article' else 'article')):.1f} ms")

    t = time.perf_counter()
    line = widgets.timeline_explorer(a)
    print(f"timeline explorer: built in {(time.perf_counter() - t) * 1000:.0f} ms ({len(line.range.options)} steps)")
    n = len(line.range.options)

    def move():
        lo = int(rng.integers(0, n - 2))
        line.range.index = (lo, int(rng.integers(lo + 1, n)))
    print(f"  move the range      {timed(move):.1f} ms")
    t = time.perf_counter()
    line.by.value = "referenced"
    print(f"  first switch to referenced dates (pairs dates with quotes once) {(time.perf_counter() - t) * 1000:.0f} ms")
    print(f"  move (referenced)   {timed(move):.1f} ms")

    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        path = write_report(a, Path(tmp) / "report.html")
        print(f"report: {(time.perf_counter() - t):.1f} s, {path.stat().st_size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
