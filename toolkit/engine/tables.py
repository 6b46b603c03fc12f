"""Rows to tables: the frames of an `Analysis` from the plain rows the unit of work gives."""
from __future__ import annotations

from typing import Iterable

import pandas as pd

from ..analysis import Analysis
from ..extract import dates, entities, speakers

def records_frame(records: Iterable[tuple], record_type) -> pd.DataFrame:
    """A frame of record tuples, one column per field of the record type (fields may be appended)."""
    return pd.DataFrame.from_records(list(records), columns=list(record_type._fields))


def assign_entity_ids(table: str, frame: pd.DataFrame, ids: dict[tuple[str, str], str]) -> pd.DataFrame:
    """Replace the article-level entity keys of a chunk of `mentions` or `quotes` by corpus ids."""
    if table == "mentions":
        keys = list(zip(frame["article_id"], frame["entity_key"]))
        labels = getattr(ids, "labels", None)  # the label the corpus gives each article's entity
        if labels:
            frame = frame.assign(label=[labels.get(key, lab) for key, lab in zip(keys, frame["label"])])
        return frame.assign(entity_id=[ids[key] for key in keys]).drop(columns=["entity_key"])
    if table == "quotes":
        keys = zip(frame["article_id"], frame["speaker_entity_id"])
        return frame.assign(speaker_entity_id=[ids.get((a, k)) if isinstance(k, str) else None for a, k in keys])
    return frame


def tables(articles: pd.DataFrame, rows: dict[str, list], problems: pd.DataFrame) -> Analysis:
    """The `Analysis` of a corpus from its articles, the rows of every layer and its problems."""
    ents, ids = entities.link_entities(records_frame(rows["clusters"], entities.Entity))
    mentions = assign_entity_ids("mentions", records_frame(rows["mentions"], entities.Mention), ids)
    quotes = assign_entity_ids("quotes", records_frame(rows["quotes"], speakers.Quote), ids)
    return Analysis(articles=articles, mentions=mentions, entities=ents, quotes=quotes,
                    dates=records_frame(rows["dates"], dates.DateMention), problems=problems)
