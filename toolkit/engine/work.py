"""The unit of work of every engine, and its row codec.

`analyze_records(nlp, records)` takes `(article_id, text, published)` records and gives back one
`Result` per article: its token count and plain rows of every layer (`LAYERS`), so no `Doc` ever
crosses a process boundary. `encode_result` / `decode_result` turn a result into the bytes the
cache stores and back.
"""
from __future__ import annotations

from typing import Iterable, Iterator, NamedTuple

import pandas as pd
import srsly
from spacy.language import Language
from spacy.tokens import Doc

from ..extract import dates, entities, speakers
from ..text import spaces

# table -> (Doc._ attribute holding its rows, record type). A new layer is one line here.
LAYERS: dict[str, tuple[str, type]] = {
    "mentions": ("entity_mentions", entities.Mention),
    "clusters": ("entity_clusters", entities.Entity),
    "quotes": ("quotes", speakers.Quote),
    "dates": ("date_mentions", dates.DateMention),
}
# Where each record carries its article id (cached results are stored without it).
_ID_FIELD = {layer: record._fields.index("article_id") for layer, (_, record) in LAYERS.items()}
# The (start, end, text) fields of each layer: the pipeline reads `spaces.plain(text)`, and these
# get the article's own characters back (offsets are the same in both).
_SPANS = {layer: [tuple(LAYERS[layer][1]._fields.index(f) for f in span) for span in spans] for layer, spans in {
    "mentions": [("start", "end", "text")],
    "quotes": [("start", "end", "text"), ("cue_start", "cue_end", "cue")],
    "dates": [("start", "end", "text")],
}.items()}


class Result(NamedTuple):
    """What one article yields: its token count and its rows of each layer, in `LAYERS` order."""

    n_tokens: int
    rows: tuple[list[tuple], ...]


def analyze_records(nlp: Language, records: Iterable[tuple[str, str, str | None]],
                    batch_size: int = 32) -> list[Result]:
    """Run the pipeline over `(article_id, text, published ISO date or None)` records.

    This is the unit of work of every engine (one process, a local pool, a Dask worker): text
    in, plain rows out, so no `Doc` ever crosses a process boundary.

    Notes:
        Runs inside `nlp.memory_zone()` (spaCy 3.8): the strings and lexemes that new words add
        to the vocabulary are freed afterwards, so a long run's memory does not grow with the
        corpus's vocabulary. Nothing of the Docs outlives the zone but plain rows.
    """
    records = list(records)
    texts = {article_id: text for article_id, text, _ in records}
    with nlp.memory_zone():
        return [result_of(doc, texts[doc._.article_id])
                for doc in nlp.pipe(make_docs(nlp, records), batch_size=batch_size)]


def result_of(doc: Doc, text: str | None = None) -> Result:
    """The `Result` of an analysed Doc: its token count and the rows its components stored.

    `text` is the article as written, when the Doc was made from `spaces.plain(text)`: the rows'
    span texts are taken from it, so `text[start:end] == row.text` holds for the original.
    """
    rows = tuple(list(getattr(doc._, attr) or ()) for attr, _ in LAYERS.values())
    if text is not None and text != doc.text:
        rows = tuple(_original(layer, layer_rows, text) for layer, layer_rows in zip(LAYERS, rows))
    return Result(len(doc), rows)


def _original(layer: str, rows: list[tuple], text: str) -> list[tuple]:
    """Rows with the original characters in their span texts."""
    spans = _SPANS.get(layer)
    if not spans:
        return rows
    out = []
    for row in rows:
        row = list(row)
        for s, e, t in spans:
            if row[s] is not None and row[t] is not None:
                row[t] = text[row[s]:row[e]]
        out.append(tuple(row))
    return out


def encode_result(result: Result) -> bytes:
    """msgpack bytes of a result without its article id (see `toolkit.engine.cache`)."""
    rows = [[row[:i] + row[i + 1:] for row in layer] for layer, i in zip(result.rows, _ID_FIELD.values())]
    return srsly.msgpack_dumps([result.n_tokens, rows])


def decode_result(payload: bytes, article_id: str) -> Result:
    """The `Result` that `encode_result` stored, given back to article `article_id`."""
    n_tokens, rows = srsly.msgpack_loads(payload, use_list=False)
    return Result(n_tokens, tuple([row[:i] + (article_id,) + row[i:] for row in layer]
                                  for layer, i in zip(rows, _ID_FIELD.values())))


def make_docs(nlp: Language, records: Iterable[tuple[str, str, str | None]]) -> Iterator[Doc]:
    """Tokenised Docs of the articles' plain text (`toolkit.text.spaces.plain`: Unicode spaces and
    dashes made plain, offsets unchanged) that know their article id and publication date."""
    for art_id, text, published in records:
        doc = nlp.make_doc(spaces.plain(text))
        doc._.article_id = art_id
        doc._.published = published
        yield doc


def record(article_id, text: str, published) -> tuple[str, str, str | None]:
    """The `(id, text, ISO publication date or None)` record `analyze_records` takes."""
    return str(article_id), text, None if pd.isna(published) else pd.Timestamp(published).date().isoformat()


def too_long_reason(nlp: Language, article_id: str, text: str) -> str | None:
    """Why an article cannot be analysed by `nlp`, if it is too long (the `problems` reason)."""
    if len(text) <= nlp.max_length:
        return None
    return (f"article {article_id!r} has {len(text):,} characters, more than nlp.max_length ({nlp.max_length:,}); "
            "not analysed (split it or raise nlp.max_length)")
