"""The extractors: plain functions over a parsed spaCy `Doc` that yield small records, and the
spaCy components that store those records on `Doc._` (registered as factories, so that
`nlp.add_pipe("toolkit_entities")` and `spacy.load` find them).

    from toolkit import extract
    for quote in extract.quotes(doc): ...

| function | yields | component |
| --- | --- | --- |
| `entity_mentions(doc)`, `entity_clusters(doc)`, `resolve(doc)` | `Mention`, `Entity` | `toolkit_entities` |
| `quotes(doc)`, `reported_speech(doc)` | `Quote`, `Attribution` | `toolkit_quotes` |
| `date_mentions(doc)` | `DateMention` | `toolkit_dates` |

`entity_at(doc, start, end)` is the entity a span refers to; `normalize(words, context)` the
TIMEX3 value of a time expression's words.
"""
from __future__ import annotations

from .date_values import Context, Timex, normalize
from .dates import DateMention, DatesComponent, date_mentions
from .entities import EntitiesComponent, Entity, Mention, entity_at, entity_clusters, entity_mentions, link_entities, resolve
from .extensions import DOC_EXTENSIONS, register_extensions
from .sentences import paragraph_starts  # noqa: F401  (registers toolkit_sentences, run before the parser)
from .speakers import Attribution, Quote, QuotesComponent, quotes, reported_speech

__all__ = ["Attribution", "Context", "DOC_EXTENSIONS", "DateMention", "DatesComponent", "EntitiesComponent", "Entity",
           "Mention", "Quote", "QuotesComponent", "Timex", "date_mentions", "entity_at", "entity_clusters",
           "entity_mentions", "link_entities", "normalize", "quotes", "register_extensions", "reported_speech",
           "resolve"]
