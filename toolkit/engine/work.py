"""The unit of work of every engine, and its one serialisation.

`analyze_records(nlp, records)` takes `(article_id, text, published)` records and gives back one
`Result` per article, carrying its article id: its token count and plain rows of every layer
(`LAYERS`) as msgpack bytes (`Result.payload`), or, when the article could not be analysed, the
reason (`Result.problem`: the step that failed and the error). The same bytes travel back from a
pool worker, are stored by the cache and carried by Dask; `decode` checks them against the
article's text and gives the rows back, so nothing reaches a table unchecked.

One article that breaks a component, the conversion of its rows or the codec costs that article
its layers, never the batch: a batch that raises is run again article by article to find it.
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
# Where each record carries its article id (payloads are stored without it).
_ID_FIELD = {layer: record._fields.index("article_id") for layer, (_, record) in LAYERS.items()}
_WIDTH = {layer: len(record._fields) for layer, (_, record) in LAYERS.items()}
# The (start, end, text) fields of each layer's spans, text None for spans given by offsets only:
# the pipeline reads `spaces.plain(text)`, and the span texts get the article's own characters
# back (offsets are the same in both); every span is checked to lie inside the article.
_SPANS = {layer: [tuple(None if f is None else LAYERS[layer][1]._fields.index(f) for f in span) for span in spans]
          for layer, spans in {
              "mentions": [("start", "end", "text")],
              "clusters": [],
              "quotes": [("start", "end", "text"), ("cue_start", "cue_end", "cue"),
                         ("speaker_start", "speaker_end", None)],
              "dates": [("start", "end", "text")],
          }.items()}

Record = tuple[str, str, str | None]


class Result(NamedTuple):
    """What one article yields: its msgpack `payload` (see `encode`), or why there is none."""

    article_id: str
    payload: bytes | None
    problem: str | None = None


class Decoded(NamedTuple):
    """A payload read back: the article's token count and its rows of each layer, in `LAYERS` order."""

    n_tokens: int
    rows: tuple[list[tuple], ...]


class DamagedPayload(ValueError):
    """Bytes that are not the rows of the article they are given to (unreadable, or spans outside it)."""


def analyze_records(nlp: Language, records: Iterable[Record], batch_size: int = 32) -> list[Result]:
    """Run the pipeline over `(article_id, text, published ISO date or None)` records.

    This is the unit of work of every engine (one process, a local pool, a Dask worker): text
    in, one `Result` per record out, in the records' order and carrying their ids (checked), so
    no `Doc` ever crosses a process boundary and no result is matched by position.

    Notes:
        Runs inside `nlp.memory_zone()` (spaCy 3.8): the strings and lexemes that new words add
        to the vocabulary are freed afterwards, so a long run's memory does not grow with the
        corpus's vocabulary. Nothing of the Docs outlives the zone but bytes.
    """
    records = list(records)
    out: list[Result] = []
    with nlp.memory_zone():
        for i in range(0, len(records), batch_size):
            out.extend(_batch(nlp, records[i:i + batch_size]))
    return out


def _batch(nlp: Language, batch: list[Record]) -> list[Result]:
    """One batch through `nlp.pipe`, results matched by article id; an article whose Doc does not
    come back (the batch raised, or an error handler set on the pipeline dropped it) goes alone."""
    try:
        docs = {doc._.article_id: doc for doc in nlp.pipe(make_docs(nlp, batch), batch_size=len(batch))}
    except Exception:  # noqa: BLE001 - which article failed is found alone, and becomes its problem row
        docs = {}
    return [_converted(docs[rec[0]], rec[0], rec[1]) if rec[0] in docs else _alone(nlp, rec) for rec in batch]


def _alone(nlp: Language, rec: Record) -> Result:
    """One article, component by component, so that a failure names its step."""
    aid, text, _ = rec
    step = "the tokenizer"
    try:
        doc = next(make_docs(nlp, [rec]))
        for step, component in nlp.pipeline:
            doc = component(doc)
    except Exception as exc:  # noqa: BLE001
        return failed(aid, step, exc)
    return _converted(doc, aid, text)


def _converted(doc: Doc, article_id: str, text: str) -> Result:
    try:
        return result_of(doc, text)
    except Exception as exc:  # noqa: BLE001
        return failed(article_id, "storing its rows", exc)


def failed(article_id: str, step: str, exc: BaseException | str) -> Result:
    """The `Result` of an article whose analysis failed at `step` (the `problems` reason)."""
    error = exc if isinstance(exc, str) else f"{type(exc).__name__}: {exc}"
    return Result(article_id, None, f"article {article_id!r}: {step} failed ({error}); "
                                    "the article is kept without mentions, quotes or dates")


def result_of(doc: Doc, text: str | None = None) -> Result:
    """The `Result` of an analysed Doc: its token count and the rows its components stored.

    `text` is the article as written, when the Doc was made from `spaces.plain(text)`: the rows'
    span texts are taken from it, so `text[start:end] == row.text` holds for the original.

    Raises:
        DamagedPayload: a row is not of its layer's shape, belongs to another article or has a
            span outside the text.
        TypeError, UnicodeEncodeError: a value msgpack (and so Parquet) cannot store.
    """
    text = doc.text if text is None else text
    rows = tuple(list(getattr(doc._, attr) or ()) for attr, _ in LAYERS.values())
    if text != doc.text:
        rows = tuple(_original(layer, layer_rows, text) for layer, layer_rows in zip(LAYERS, rows))
    return Result(doc._.article_id, encode(doc._.article_id, len(doc), rows, len(text)))


def _original(layer: str, rows: list[tuple], text: str) -> list[tuple]:
    """Rows with the original characters in their span texts."""
    spans = [span for span in _SPANS[layer] if span[2] is not None]
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


def encode(article_id: str, n_tokens: int, rows: tuple[list[tuple], ...], length: int) -> bytes:
    """msgpack bytes of an article's rows without their article id, checked first (see `check`)."""
    check(article_id, rows, length)
    stripped = [[row[:i] + row[i + 1:] for row in layer] for layer, i in zip(rows, _ID_FIELD.values())]
    return srsly.msgpack_dumps([n_tokens, stripped])


def decode(payload: bytes, article_id: str, text: str) -> Decoded:
    """The token count and rows that `encode` stored, given back to article `article_id`.

    Raises:
        DamagedPayload: the bytes are not msgpack of that shape, or a span is outside `text`.
    """
    try:
        n_tokens, stored = srsly.msgpack_loads(payload, use_list=False)
        rows = tuple([row[:i] + (article_id,) + row[i:] for row in layer]
                     for layer, i in zip(stored, _ID_FIELD.values()))
    except Exception as exc:  # noqa: BLE001 - any damage to the bytes is the same news
        raise DamagedPayload(f"unreadable ({type(exc).__name__}: {exc})") from None
    if not isinstance(n_tokens, int) or len(rows) != len(LAYERS):
        raise DamagedPayload("not the rows of an article")
    check(article_id, rows, len(text))
    return Decoded(n_tokens, rows)


def check(article_id: str, rows: tuple[list[tuple], ...], length: int) -> None:
    """Every row of its layer's width and of `article_id`, every span inside a text of `length`.

    Raises:
        DamagedPayload: the first row that is not.
    """
    if len(rows) != len(LAYERS):
        raise DamagedPayload(f"{len(rows)} layers of rows, not {len(LAYERS)}")
    for layer, layer_rows in zip(LAYERS, rows):
        width, id_field, spans = _WIDTH[layer], _ID_FIELD[layer], _SPANS[layer]
        for row in layer_rows:
            if len(row) != width or row[id_field] != article_id:
                raise DamagedPayload(f"a {layer} row {row!r:.80} is not one of article {article_id!r}")
            for s, e, _ in spans:
                start, end = row[s], row[e]
                if start is None and end is None:
                    continue
                if not (isinstance(start, int) and isinstance(end, int) and 0 <= start <= end <= length):
                    raise DamagedPayload(f"a {layer} span {start}-{end} lies outside the article "
                                         f"({length} characters)")


def make_docs(nlp: Language, records: Iterable[Record]) -> Iterator[Doc]:
    """Tokenised Docs of the articles' plain text (`toolkit.text.spaces.plain`: Unicode spaces and
    dashes made plain, offsets unchanged) that know their article id and publication date."""
    for art_id, text, published in records:
        doc = nlp.make_doc(spaces.plain(text))
        doc._.article_id = art_id
        doc._.published = published
        yield doc


def record(article_id, text: str, published) -> Record:
    """The `(id, text, ISO publication date or None)` record `analyze_records` takes."""
    return str(article_id), text, None if pd.isna(published) else pd.Timestamp(published).date().isoformat()


def too_long_reason(nlp: Language, article_id: str, text: str) -> str | None:
    """Why an article cannot be analysed by `nlp`, if it is too long (the `problems` reason)."""
    if len(text) <= nlp.max_length:
        return None
    return (f"article {article_id!r} has {len(text):,} characters, more than nlp.max_length ({nlp.max_length:,}); "
            "not analysed (split it or raise nlp.max_length)")


def records(nlp: Language, articles: pd.DataFrame) -> tuple[list[Record], dict[str, Result]]:
    """The records `analyze_records` takes for a frame of articles (`id`, `text`, `published`), and
    the `Result` of each article it cannot take: longer than `nlp.max_length`, or with a
    publication date that is no date."""
    todo: list[Record] = []
    results: dict[str, Result] = {}
    for aid, text, published in articles[["id", "text", "published"]].itertuples(index=False):
        try:
            rec = record(aid, text, published)
        except Exception as exc:  # noqa: BLE001
            results[str(aid)] = failed(str(aid), "reading its publication date", exc)
            continue
        reason = too_long_reason(nlp, rec[0], text)
        if reason is None:
            todo.append(rec)
        else:
            results[rec[0]] = Result(rec[0], None, reason)
    return todo, results


def storable(articles: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, str]]:
    """The articles with every string the Parquet writer cannot store (UTF-8 with lone surrogates,
    which JSON can smuggle in) repaired one character for one (U+FFFD), offsets unchanged; and
    the reason for each article repaired, by id."""
    notes: dict[str, list[str]] = {}
    repaired = {}
    for column in articles.columns:
        values = articles[column]
        if values.dtype != object:  # Arrow-backed strings cannot hold them in the first place
            continue
        bad = [i for i, v in enumerate(values) if isinstance(v, str) and not _utf8(v)]
        if not bad:
            continue
        fixed = values.copy()
        for i in bad:
            fixed.iloc[i] = "".join("\ufffd" if "\ud800" <= ch <= "\udfff" else ch for ch in fixed.iloc[i])
            notes.setdefault(str(articles["id"].iloc[i]), []).append(column)
        repaired[column] = fixed
    reasons = {aid: f"article {aid!r}: lone surrogates in its {', '.join(cols)} cannot be stored as UTF-8; "
                    "each replaced by U+FFFD (offsets unchanged)" for aid, cols in notes.items()}
    return (articles.assign(**repaired) if repaired else articles), reasons


def _utf8(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
