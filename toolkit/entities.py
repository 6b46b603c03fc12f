"""Entity mentions and the canonical entities they belong to.

`entity_mentions(doc)` yields `Mention` records for the people, organisations, places and
other named things of a Doc, each with the key of its canonical entity in that article;
`entity_clusters(doc)` yields one `Entity` per canonical entity. `link_entities` then gives
every entity an id that is stable over the whole corpus.

First version: spaCy's named entities, leading determiners and possessive 's trimmed,
grouped by normalised name.
"""
from __future__ import annotations

import re
from collections import defaultdict
from typing import Iterable, Iterator, NamedTuple

import pandas as pd
from spacy.language import Language
from spacy.tokens import Doc, Span

from . import extensions  # noqa: F401  (registers Doc._ attributes)

# Named-entity labels that denote entities (dates, numbers and amounts are other layers).
ENTITY_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "PRODUCT",
                           "LAW", "LANGUAGE", "WORK_OF_ART"})


class Mention(NamedTuple):
    """One mention of an entity in an article."""

    article_id: str | None
    start: int
    end: int
    text: str
    label: str
    kind: str  # name / pronoun / nominal
    entity_key: str  # the canonical entity within the article (see `Entity.key`)
    title: str | None
    sentence: int


class Entity(NamedTuple):
    """One canonical entity of an article."""

    article_id: str | None
    key: str
    name: str
    label: str
    aliases: tuple[str, ...]
    n_mentions: int  # mentions of it in this article


def normalise(name: str) -> str:
    """A name folded for comparison: lower case, curly quotes and possessive 's removed."""
    name = name.replace("’", "'").strip()
    name = re.sub(r"'s?$", "", name)
    return re.sub(r"\s+", " ", name).lower()


def _trim(span: Span) -> Span | None:
    """The span without a leading determiner or trailing possessive/punctuation."""
    start, end = span.start, span.end
    doc = span.doc
    while start < end and (doc[start].lower_ in ("the", "a", "an") or doc[start].is_punct):
        start += 1
    while end > start and (doc[end - 1].tag_ == "POS" or doc[end - 1].is_punct or doc[end - 1].is_space):
        end -= 1
    return Span(doc, start, end, label=span.label) if end > start else None


def named_spans(doc: Doc) -> Iterator[Span]:
    """spaCy's named entities of the entity labels, trimmed of determiners and possessives."""
    for ent in doc.ents:
        if ent.label_ in ENTITY_LABELS:
            span = _trim(ent)
            if span is not None:
                yield span


def entity_mentions(doc: Doc) -> Iterator[Mention]:
    """Yield the entity mentions of `doc`, grouped into canonical entities by normalised name.

    Yields:
        `Mention` records in text order; `entity_key` names the article's canonical entity.
    """
    sentence_of = _sentence_index(doc)
    for span in named_spans(doc):
        yield Mention(doc._.article_id, span.start_char, span.end_char, span.text, span.label_, "name",
                      _key(span.label_, span.text), None, sentence_of(span.start))


def entity_clusters(doc: Doc, mentions: Iterable[Mention] | None = None) -> Iterator[Entity]:
    """Yield the canonical entities of `doc` (from `mentions`, computed if not given)."""
    groups: dict[str, list[Mention]] = defaultdict(list)
    for m in entity_mentions(doc) if mentions is None else mentions:
        groups[m.entity_key].append(m)
    for key, ms in groups.items():
        names = [m.text for m in ms if m.kind == "name"]
        name = max(names, key=len) if names else ms[0].text
        yield Entity(doc._.article_id, key, name, ms[0].label, tuple(dict.fromkeys(names)), len(ms))


def entity_at(doc: Doc, start: int, end: int) -> Entity | None:
    """The canonical entity mentioned at character offsets `start:end` of an analysed Doc.

    Looks for a mention overlapping the span (the speaker of a quote, say), preferring the
    mention that shares the span's last character. Needs the `toolkit_entities` component.
    """
    mentions = [Mention(*m) for m in doc._.entity_mentions or ()]
    hits = [m for m in mentions if m.start < end and start < m.end]
    if not hits:
        return None
    best = max(hits, key=lambda m: (m.end == end, min(m.end, end) - max(m.start, start)))
    for row in doc._.entity_clusters or ():
        entity = Entity(*row)
        if entity.key == best.entity_key:
            return entity
    return None


def _key(label: str, name: str) -> str:
    return f"{label}:{normalise(name)}"


def _sentence_index(doc: Doc):
    """A function from token index to sentence index (0 for unparsed docs)."""
    if not doc.has_annotation("SENT_START"):
        return lambda i: 0
    index = [0] * len(doc)
    for n, sent in enumerate(doc.sents):
        for i in range(sent.start, sent.end):
            index[i] = n
    return index.__getitem__


# ---------------------------------------------------------------- corpus level
def link_entities(clusters: pd.DataFrame) -> tuple[pd.DataFrame, dict[tuple[str, str], str]]:
    """Give every article's canonical entities an id that is stable over the corpus.

    Args:
        clusters: `Entity` rows of every article (only these are needed, not the mentions,
            so that linking stays cheap on large corpora).

    Returns:
        The `entities` frame (one row per corpus entity, columns of `SCHEMA["entities"]`) and
        the mapping `{(article_id, key): entity_id}` that mentions and quote speakers follow.
    """
    # First version: the article-level key (label + normalised name) is already corpus-wide.
    ids = {(a, k): k for a, k in zip(clusters["article_id"], clusters["key"])}
    clusters = clusters.assign(entity_id=[ids[(a, k)] for a, k in zip(clusters["article_id"], clusters["key"])])
    entities = (clusters.groupby("entity_id", sort=False)
                .agg(name=("name", lambda s: max(s, key=len)), label=("label", "first"),
                     aliases=("aliases", lambda s: list(dict.fromkeys(a for al in s for a in al))),
                     n_mentions=("n_mentions", "sum"), n_articles=("article_id", "nunique"))
                .reset_index())
    return entities, ids


# ---------------------------------------------------------------- component
@Language.factory("toolkit_entities", assigns=["doc._.entity_mentions", "doc._.entity_clusters"])
def make_entities_component(nlp: Language, name: str) -> "EntitiesComponent":
    return EntitiesComponent(name)


class EntitiesComponent:
    """Store the Doc's entity mentions and canonical entities on `doc._` as plain tuples."""

    def __init__(self, name: str = "toolkit_entities") -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        mentions = list(entity_mentions(doc))
        doc._.entity_mentions = [tuple(m) for m in mentions]
        doc._.entity_clusters = [tuple(e) for e in entity_clusters(doc, mentions)]
        return doc
