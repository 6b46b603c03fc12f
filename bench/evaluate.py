"""Score the toolkit on every development set of `../shared/eval`, fast enough to judge each rule.

    python bench/evaluate.py                     # all sets: seed, quotes, entities, dates
    python bench/evaluate.py quotes              # the quote sets and the seed
    python bench/evaluate.py dates/tbaq-rest     # one set
    python bench/evaluate.py entities --detail   # with the scorer's sub-figures (P/R, per kind, ...)

Prints the scorer's headline line for each set (and, with `--detail`, the figures under it), and
writes each set's tables to `--out/<set>` for a closer look. The scorer is
`../shared/eval/score.py`, the same one the README's figures come from.

spaCy's own pass (tagger, parser, NER) is the slow part and does not change while the toolkit's
rules do, so its Docs are kept in a parse cache (`--parse-cache`, a DocBin per set, keyed by the
set's texts, the pipes that run before the toolkit's components, the model and spaCy's version;
written whole or not at all); a run then costs only the toolkit's components and the tables, built
by the same engine path as `toolkit.analyze`. `--check` runs one set through `toolkit.analyze` as
well and says whether both give the same tables. The evaluation data is read in place and never
copied into the project.
"""
from __future__ import annotations

import argparse
import hashlib
import importlib.util
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pandas as pd  # noqa: E402
import spacy  # noqa: E402
from spacy.tokens import DocBin  # noqa: E402

import toolkit  # noqa: E402
from toolkit.engine import models, work  # noqa: E402
from toolkit.engine.tables import collect, tables  # noqa: E402
from toolkit.text import spaces  # noqa: E402

LAYERS = {
    "seed": ["seed"],
    "quotes": ["seed", "quotes/polnear", "quotes/polnear-train"],
    "entities": ["seed", "entities/gum", "entities/gum-more"],
    "dates": ["seed", "dates/timebank", "dates/tbaq-rest"],
}
ALL = list(dict.fromkeys(s for sets in LAYERS.values() for s in sets))


def scorer(eval_dir: Path):
    spec = importlib.util.spec_from_file_location("eval_score", eval_dir / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def parsed(nlp, corpus, articles_file: Path, cache_dir: Path) -> list:
    """spaCy's own annotations of every article (the toolkit's components off), from the cache if there."""
    texts = [spaces.plain(t) for t in corpus.articles["text"]]  # as the engine's make_docs
    pipes = [name for name in nlp.pipe_names if name not in models.COMPONENTS]  # what the cached pass runs
    key = hashlib.sha256("\0".join(pipes + texts).encode("utf-8", "surrogatepass")).hexdigest()[:12]
    path = cache_dir / f"{articles_file.parent.name}-{models.model_name(nlp)}-spacy{spacy.__version__}-{key}.spacy"
    if path.exists():
        docs = list(DocBin().from_disk(path).get_docs(nlp.vocab))
        if [d.text for d in docs] == texts:
            return docs
    with nlp.select_pipes(disable=list(models.COMPONENTS)):
        docs = list(nlp.pipe(texts, batch_size=32))
    cache_dir.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(f".{os.getpid()}.partial")  # several checkouts share the cache: never half a file
    DocBin(store_user_data=False, docs=docs).to_disk(partial)
    os.replace(partial, path)
    return docs


def analyse(nlp, corpus, docs) -> toolkit.Analysis:
    """The toolkit's components over parsed Docs, and the tables, as `toolkit.analyze` builds them."""
    articles = corpus.articles.reset_index(drop=True)
    records = [work.record(*row) for row in articles[["id", "text", "published"]].itertuples(index=False)]
    components = [nlp.get_pipe(name) for name in models.COMPONENTS]
    results = {}
    for doc, (article_id, text, published) in zip(docs, records):
        doc._.article_id, doc._.published = article_id, published
        for component in components:
            doc = component(doc)
        results[article_id] = work.result_of(doc, text)
    chunk = collect(articles, results)
    return tables(chunk.articles, chunk.rows, pd.concat([corpus.problems, chunk.problems], ignore_index=True))


def same_tables(a: toolkit.Analysis, b: toolkit.Analysis) -> list[str]:
    """The tables that differ between two analyses."""
    differ = []
    for name in ("articles", "mentions", "entities", "quotes", "dates"):
        x, y = getattr(a, name), getattr(b, name)
        try:
            pd.testing.assert_frame_equal(x.reset_index(drop=True), y.reset_index(drop=True), check_dtype=False)
        except AssertionError:
            differ.append(name)
    return differ


def detail(result: dict) -> list[str]:
    """The sub-figures a rule-writer looks at, under the headline."""
    lines = []
    for layer in ("quotes", "speech_quotes"):
        q = result.get(layer)
        if q:
            by_kind = ", ".join(f"{k} {v:.3f}" for k, v in q["recall_by_kind"].items())
            lines.append(f"  {layer}: attribution P {q['attribution']['p']:.3f} R {q['attribution']['r']:.3f}; "
                         f"span F1 {q['span']['f1']:.3f}; recall {by_kind}; speaker acc {q['speaker_acc']:.3f}; "
                         f"cue acc {q['cue_acc']:.3f}; gold {q['gold']}, predicted {q['pred']}")
    ents = result.get("entities", {})
    if "ner" in ents:
        lines.append(f"  ner: P {ents['ner']['p']:.3f} R {ents['ner']['r']:.3f}; unlabelled F1 "
                     f"{ents['ner_unlabelled']['f1']:.3f}")
    if "coref" in ents:
        c = ents["coref"]
        lines.append(f"  coref: MUC {c['muc']:.3f}, B3 {c['b3']:.3f}, CEAF-e {c['ceafe']:.3f}")
    d = result.get("dates")
    if d:
        lines.append(f"  dates: strict F1 {d['strict']['f1']:.3f}, relaxed F1 {d['relaxed']['f1']:.3f}, value "
                     f"P {d['value']['p']:.3f} R {d['value']['r']:.3f}, type acc {d['type_acc']:.3f}; "
                     f"gold {d['gold']}, predicted {d['pred']}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sets", nargs="*", default=["all"],
                        help=f"sets or layers: all, {', '.join(LAYERS)}, or set folders such as {ALL[1]}")
    parser.add_argument("--eval", type=Path, default=ROOT.parent / "shared" / "eval", help="the evaluation folder")
    parser.add_argument("--out", type=Path, default=Path("/tmp/toolkit-eval") / ROOT.name,
                        help="where each set's tables go (default /tmp/toolkit-eval/<checkout folder>)")
    parser.add_argument("--parse-cache", type=Path, default=Path("/tmp/toolkit-parse-cache"))
    parser.add_argument("--model", help="spaCy model (default: as toolkit.resolve_model)")
    parser.add_argument("--detail", action="store_true", help="print the scorer's sub-figures too")
    parser.add_argument("--check", action="store_true", help="also run toolkit.analyze on each set and compare")
    args = parser.parse_args(argv)

    sets = list(dict.fromkeys(s for name in args.sets for s in (ALL if name == "all" else LAYERS.get(name, [name]))))
    missing = [s for s in sets if not (args.eval / s / "gold.jsonl").exists()]
    if missing:
        parser.error(f"no evaluation set {', '.join(missing)} under {args.eval}")
    score = scorer(args.eval)
    nlp = toolkit.load_nlp(args.model)
    print(f"model {models.model_name(nlp)}; spaCy {spacy.__version__}; toolkit {toolkit.__version__}")
    for name in sets:
        start = time.perf_counter()
        articles_file = args.eval / name / "articles.jsonl"
        corpus = toolkit.load_corpus(articles_file)
        analysis = analyse(nlp, corpus, parsed(nlp, corpus, articles_file, args.parse_cache))
        out = args.out / name
        analysis.to_parquet(out)
        result = score.score(args.eval / name, out)
        print(f"{score.headline(result)}   ({time.perf_counter() - start:.1f} s)")
        if args.detail:
            print("\n".join(detail(result)))
        if args.check:
            differ = same_tables(analysis, toolkit.analyze(corpus, nlp=nlp, progress=False))
            print(f"  toolkit.analyze gives {'the same tables' if not differ else 'other ' + ', '.join(differ)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
