"""Entity linking at scale: is `link_entities` linear in the corpus?

    python bench/linking.py [--articles 1000] [--times 1,10,100]

The per-article clusters (`Entity` rows, what linking reads) are made from the synthetic corpus
of `bench/synthetic.py`: each article's entities with their names and mention counts, and, to
give every step of linking work to do, one person in five named by surname only, one name in
twenty given another label by its article (the corpus vote), and genders from pronouns, titles
or first names. The corpus is then taken 10 and 100 times (new article ids each time). For each
size the script prints the rows, the seconds of `link_entities` and the microseconds per row;
linear linking keeps the last column flat.
"""
from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pandas as pd  # noqa: E402

from bench.common import machine_line  # noqa: E402
from bench.synthetic import synthetic_analysis  # noqa: E402
from toolkit.extract.entities import Entity, entity_key, link_entities  # noqa: E402

GENDERS = [("female", "pronoun"), ("male", "pronoun"), ("female", "title"), ("male", "first_name"), (None, None)]


def clusters(n_articles: int, seed: int = 0) -> pd.DataFrame:
    """The `Entity` rows of a synthetic corpus of `n_articles` articles."""
    analysis = synthetic_analysis(n_articles, seed=seed)
    rng = random.Random(seed)
    per = analysis.mentions.groupby(["article_id", "entity_id"], sort=False).size().rename("n").reset_index()
    ents = analysis.entities.set_index("entity_id")
    rows = []
    for article, eid, n in per.itertuples(index=False):
        name, label = ents.at[eid, "name"], ents.at[eid, "label"]
        if label == "PERSON" and rng.random() < 0.2:
            name = name.split()[-1]  # named by surname only in this article
        if rng.random() < 0.05:
            label = "ORG" if label != "ORG" else "PERSON"  # the tagger's other word
        gender, evidence = rng.choice(GENDERS) if label == "PERSON" else (None, None)
        rows.append(Entity(article, entity_key(label, name), name, label, (name,), int(n), gender, evidence,
                           float(n), rng.random() < 0.3))
    return pd.DataFrame(rows, columns=list(Entity._fields))


def times(base: pd.DataFrame, k: int) -> pd.DataFrame:
    """The clusters of `k` copies of the corpus, each copy with its own article ids."""
    return pd.concat([base.assign(article_id=base["article_id"] + f"-{i}") for i in range(k)], ignore_index=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1000, help="articles of the synthetic corpus (1x)")
    parser.add_argument("--times", default="1,10,100", help="comma-separated multiples of the corpus")
    args = parser.parse_args(argv)
    print(machine_line())
    base = clusters(args.articles)
    link_entities(base.head(1000))  # warm up
    print(f"{'corpus':>7}{'articles':>10}{'cluster rows':>14}{'entities':>10}{'seconds':>10}{'µs/row':>9}")
    first = None
    for k in (int(x) for x in args.times.split(",")):
        frame = times(base, k)
        start = time.perf_counter()
        ents, ids = link_entities(frame)
        took = time.perf_counter() - start
        per_row = took / len(frame) * 1e6
        first = first or per_row
        print(f"{k:>6}x{args.articles * k:>10,}{len(frame):>14,}{len(ents):>10,}{took:>10.2f}{per_row:>9.2f}"
              f"   ({per_row / first:.2f}x the 1x cost per row)")
        del frame, ents, ids
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
