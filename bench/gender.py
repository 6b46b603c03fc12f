"""Score `entities.gender` against GUM's gold coreference chains: accuracy and coverage.

    python bench/gender.py                          # entities/gum and entities/gum-more
    python bench/gender.py entities/gum --detail    # and every disagreement

A gold person has a gender where its coreference chain holds "he", "him", "his", "himself" or
"she", "her", "hers", "herself" (the majority of them, where both occur). The person is found in
the toolkit's output as the entity that holds most of the gold chain's named mentions (the
same span as the gold name core). For each set the script prints:

- accuracy: the share of right genders among the gold persons the toolkit gives a gender
  (other than `unknown`) — the figure the project holds at 0.95 or more;
- coverage: the share of gold persons with a gender that the toolkit gives one;
- the same by kind of evidence (`pronoun`, `title`, `first_name`).

The tables come from `bench/evaluate.py`'s path (spaCy's pass cached, the engine's tables); the
evaluation data is read in place and never copied.
"""
from __future__ import annotations

import argparse
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import toolkit  # noqa: E402

from bench import evaluate  # noqa: E402

MALE = frozenset({"he", "him", "his", "himself"})
FEMALE = frozenset({"she", "her", "hers", "herself"})


def gold_genders(record: dict, text: str) -> list[tuple[str, str, list[tuple[int, int]]]]:
    """(name, gender, name spans) of each gold person whose chain has gendered pronouns."""
    out = []
    for e in record.get("entities", []):
        if e.get("label") != "PERSON":
            continue
        said = Counter("male" if w in MALE else "female" for m in e["mentions"] if m.get("kind") == "pronoun"
                       for w in [text[m["start"]:m["end"]].lower()] if w in MALE | FEMALE)
        if not said:
            continue
        (gender, n), *rest = said.most_common()
        if rest and rest[0][1] == n:
            continue  # the chain itself is split: no gold gender
        spans = [(m.get("name_start", m["start"]), m.get("name_end", m["end"]))
                 for m in e["mentions"] if m.get("kind") == "name"]
        out.append((e["name"], gender, spans))
    return out


def score(analysis: toolkit.Analysis, gold: dict, texts: dict, detail: bool = False) -> dict:
    names = analysis.mentions[analysis.mentions["kind"] == "name"]
    by_span = {(a, s, e): eid for a, s, e, eid in zip(names["article_id"], names["start"], names["end"],
                                                        names["entity_id"])}
    ents = analysis.entities.set_index("entity_id")
    tally: dict[str, Counter] = defaultdict(Counter)
    n_gold = 0
    for aid, record in gold.items():
        for name, gender, spans in gold_genders(record, texts[aid]):
            n_gold += 1
            hits = Counter(by_span[(aid, s, e)] for s, e in spans if (aid, s, e) in by_span)
            if not hits:
                tally["all"]["not found"] += 1
                continue
            ent = ents.loc[hits.most_common(1)[0][0]]
            said, evidence = (v if isinstance(v, str) else None for v in (ent["gender"], ent["gender_evidence"]))
            if said not in ("female", "male"):
                tally["all"]["unknown"] += 1
                continue
            right = said == gender
            for key in ("all", str(evidence)):
                tally[key]["right" if right else "wrong"] += 1
            if detail and not right:
                print(f"    {aid}: {name} is {gender}; the toolkit says {said} ({evidence}; entity {ent['name']!r})")
    return {"gold": n_gold, "tally": tally}


def line(name: str, result: dict) -> str:
    t = result["tally"]
    said = t["all"]["right"] + t["all"]["wrong"]
    acc = t["all"]["right"] / said if said else float("nan")
    parts = [f"{name} | gender accuracy {acc:.3f} ({t['all']['right']}/{said}) | coverage "
             f"{said / result['gold']:.3f} of {result['gold']} gold persons with a gender"]
    for kind in ("pronoun", "title", "first_name"):
        k = t.get(kind)
        if k:
            parts.append(f"{kind} {k['right'] / (k['right'] + k['wrong']):.3f} ({k['right'] + k['wrong']})")
    parts.append(f"unknown {t['all']['unknown']}, not found {t['all']['not found']}")
    return " | ".join(parts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sets", nargs="*", default=["entities/gum", "entities/gum-more"])
    parser.add_argument("--eval", type=Path, default=ROOT.parent / "shared" / "eval")
    parser.add_argument("--parse-cache", type=Path, default=Path("/tmp/toolkit-parse-cache"))
    parser.add_argument("--model")
    parser.add_argument("--detail", action="store_true", help="print every wrong gender")
    args = parser.parse_args(argv)
    score_module = evaluate.scorer(args.eval)
    nlp = toolkit.load_nlp(args.model)
    for name in args.sets:
        articles_file = args.eval / name / "articles.jsonl"
        if not articles_file.exists():
            parser.error(f"no evaluation set {name} under {args.eval}")
        corpus = toolkit.load_corpus(articles_file)
        analysis = evaluate.analyse(nlp, corpus, evaluate.parsed(nlp, corpus, articles_file, args.parse_cache))
        texts = dict(zip(corpus.articles["id"].astype(str), corpus.articles["text"]))
        gold = {r["id"]: r for r in score_module.read_jsonl(args.eval / name / "gold.jsonl")}
        print(line(name, score(analysis, gold, texts, args.detail)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
