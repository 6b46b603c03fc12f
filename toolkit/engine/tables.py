"""Rows to tables: the one path from the unit of work's results to the frames of an `Analysis`.

Every engine (in memory, streamed, Dask) takes the same three steps:

1. `collect(articles, results)`: a chunk of articles and their `Result`s, matched by article id,
   become a `Chunk`: the articles with their token counts, the rows of every layer (read back and
   checked by `work.decode`) and a `problems` row for every article that has no rows;
2. `link(clusters)`: once per corpus, the entity clusters of every article give the `entities`
   table and the corpus-wide ids (`Linking`);
3. `finish(table, frame, linking)`: a chunk of one table gets those ids, quote speakers the names
   of their entities, and the documented columns.

`tables(...)` is the in-memory run: one chunk. The streamed writer and Dask run step 3 chunk by
chunk (partition by partition) after step 2.
"""
from __future__ import annotations

from typing import Iterable, Mapping, NamedTuple

import pandas as pd

from ..analysis import Analysis, conform
from ..extract import entities
from .work import LAYERS, DamagedPayload, Result, decode

# the tables made chunk by chunk; entities (from the clusters) and problems are made whole
CHUNKED = ("articles", "mentions", "quotes", "dates")


class Chunk(NamedTuple):
    """One chunk of a corpus, analysed: articles with `n_tokens`, rows per layer, problems of the analysis."""

    articles: pd.DataFrame
    rows: dict[str, list[tuple]]
    problems: pd.DataFrame


class Linking(NamedTuple):
    """The corpus-wide entities: the `entities` table, `{(article_id, key): entity_id}` and `{entity_id: name}`."""

    entities: pd.DataFrame
    ids: dict[tuple[str, str], str]
    names: dict[str, str]


def collect(articles: pd.DataFrame, results: Mapping[str, Result],
            notes: Mapping[str, Iterable[str]] | None = None) -> Chunk:
    """The rows of a chunk of articles from their results, matched by article id.

    Args:
        articles: the chunk's articles (`id`, `text`, `source`, `record`, ...).
        results: a `Result` per article id; an article without rows keeps its `articles` row
            (its `n_tokens` null) and gets a `problems` row with the result's reason.
        notes: further `problems` reasons per article id (met before the analysis: a damaged
            cache entry, a repaired text).

    Raises:
        RuntimeError: an article has no result, or a result belongs to no article of the chunk
            (an engine that lost track of its work: never papered over).
    """
    notes = notes or {}
    ids = [str(i) for i in articles["id"]]
    stray = set(results).difference(ids)
    if stray:
        raise RuntimeError(f"results for articles not in the chunk: {sorted(stray)[:5]}")
    rows: dict[str, list[tuple]] = {layer: [] for layer in LAYERS}
    n_tokens: list[int | None] = []
    problems = []
    for aid, text, source, rec in zip(ids, articles["text"], articles["source"], articles["record"]):
        reasons = list(notes.get(aid, ()))
        result = results.get(aid)
        if result is None:
            raise RuntimeError(f"article {aid!r} has no result")
        count = None
        if result.payload is not None:
            try:
                decoded = decode(result.payload, aid, text)
            except DamagedPayload as exc:
                reasons.append(f"article {aid!r}: its results are damaged ({exc}); "
                               "the article is kept without mentions, quotes or dates")
            else:
                count = decoded.n_tokens
                for layer, layer_rows in zip(LAYERS, decoded.rows):
                    rows[layer].extend(layer_rows)
        if result.problem:
            reasons.append(result.problem)
        n_tokens.append(count)
        problems.extend({"source": source, "record": rec, "reason": reason} for reason in reasons)
    return Chunk(articles.assign(n_tokens=pd.array(n_tokens, dtype="Int64")), rows, conform("problems", problems))


def records_frame(records: Iterable[tuple], record_type) -> pd.DataFrame:
    """A frame of record tuples, one column per field of the record type (fields may be appended)."""
    return pd.DataFrame.from_records(list(records), columns=list(record_type._fields))


def layer_frame(table: str, rows: list[tuple]) -> pd.DataFrame:
    """One table's rows of a chunk as a frame, entities still keyed per article."""
    return records_frame(rows, LAYERS[table][1])


def link(clusters: list[tuple]) -> Linking:
    """Link the entity clusters of every article into corpus entities (`entities.link_entities`)."""
    ents, ids = entities.link_entities(records_frame(clusters, entities.Entity))
    return Linking(ents, ids, dict(zip(ents["entity_id"], ents["name"])))


def finish(table: str, frame: pd.DataFrame, linking: Linking) -> pd.DataFrame:
    """A chunk of `table` as it is stored: corpus-wide entity ids, quote speakers named as their
    entity in `entities` (`quotes.speaker == entities.name` wherever `speaker_entity_id` is set),
    the documented columns."""
    if table == "mentions":
        keys = list(zip(frame["article_id"], frame["entity_key"]))
        labels = getattr(linking.ids, "labels", None)  # the label the corpus gives each article's entity
        if labels:
            frame = frame.assign(label=[labels.get(key, lab) for key, lab in zip(keys, frame["label"])])
        frame = frame.assign(entity_id=[linking.ids[key] for key in keys]).drop(columns=["entity_key"])
    elif table == "quotes":
        keys = zip(frame["article_id"], frame["speaker_entity_id"])
        ids = [linking.ids.get((a, k)) if isinstance(k, str) else None for a, k in keys]
        names = [linking.names.get(i, s) if i is not None else s for i, s in zip(ids, frame["speaker"])]
        frame = frame.assign(speaker_entity_id=ids, speaker=names)
    return conform(table, frame)


def tables(articles: pd.DataFrame, rows: dict[str, list], problems: pd.DataFrame) -> Analysis:
    """The `Analysis` of a corpus from its articles, the rows of every layer and its problems."""
    linking = link(rows["clusters"])
    frames = {table: finish(table, layer_frame(table, rows[table]), linking) for table in ("mentions", "quotes", "dates")}
    return Analysis(articles=articles, entities=linking.entities, problems=problems, **frames)
