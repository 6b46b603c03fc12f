"""Hand-built analyses for the chart, widget, report and browser tests (no spaCy needed).

Spans are located by substring, so every offset obeys `text[start:end] == row.text`. One
article carries hostile markup (`<script>`, `<img onerror=...>`) in its title, text and a
quote: wherever it is shown, it must show as text and never run.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

import toolkit

SCRIPT = "<script>window.__pwned = 1</script>"
IMG = '<img src=x onerror="window.__pwned = 2">'

ARTICLES = [
    {"id": "mars", "title": "Rover lands on Mars", "outlet": "Daily Planet", "published": "2020-03-02",
     "text": '"We are thrilled," said Dr. Ana Ruiz of NASA on Monday.\nNASA plans a return in 2030. '
             "Ruiz said the team would rest."},
    {"id": "budget", "title": "Council <b>budget</b> & tax", "outlet": "Evening Star", "published": "2020-06-15",
     "text": f"Mayor Li Wei said the {SCRIPT} budget passed.\n"
             f'"Taxes rise {IMG} next year," Li said. NASA was not involved.'},
    {"id": "undated", "title": None, "outlet": None, "published": None,
     "text": "Ana Ruiz met Li Wei in Paris."},
]
ENTITIES = {"PERSON:ana ruiz": ("Ana Ruiz", "PERSON"), "ORG:nasa": ("NASA", "ORG"),
            "PERSON:li wei": ("Li Wei", "PERSON"), "GPE:paris": ("Paris", "GPE")}
# (article, text as written, nth occurrence, entity id, kind, sentence)
MENTIONS = [("mars", "Ana Ruiz", 0, "PERSON:ana ruiz", "name", 0), ("mars", "NASA", 0, "ORG:nasa", "name", 0),
            ("mars", "NASA", 1, "ORG:nasa", "name", 1), ("mars", "Ruiz", 1, "PERSON:ana ruiz", "name", 2),
            ("budget", "Li Wei", 0, "PERSON:li wei", "name", 0), ("budget", "Li", 1, "PERSON:li wei", "name", 1),
            ("budget", "NASA", 0, "ORG:nasa", "name", 2), ("undated", "Ana Ruiz", 0, "PERSON:ana ruiz", "name", 0),
            ("undated", "Li Wei", 0, "PERSON:li wei", "name", 0), ("undated", "Paris", 0, "GPE:paris", "name", 0)]
# (article, content, kind, nth "said" is its cue, speaker entity, speaker as written, nth occurrence of that)
QUOTES = [("mars", "We are thrilled,", "direct", 0, "PERSON:ana ruiz", "Ana Ruiz", 0),
          ("mars", "the team would rest", "indirect", 1, "PERSON:ana ruiz", "Ruiz", 1),
          ("budget", f"Taxes rise {IMG} next year,", "direct", 1, "PERSON:li wei", "Li", 1),
          ("budget", f"the {SCRIPT} budget passed", "indirect", 0, "PERSON:li wei", "Li Wei", 0)]
# (article, text, value, range start, range end)
DATES = [("mars", "Monday", "2020-03-02", "2020-03-02", "2020-03-02"),
         ("mars", "2030", "2030", "2030-01-01", "2030-12-31"),
         ("budget", "next year", "2021", "2021-01-01", "2021-12-31")]


def find(text: str, piece: str, nth: int = 0) -> tuple[int, int]:
    """Offsets of the `nth` occurrence of `piece` in `text`."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(piece, start + 1)
    return start, start + len(piece)


def small_analysis() -> toolkit.Analysis:
    """Three short articles (one undated, one hostile) with quotes, mentions, entities and dates."""
    texts = {a["id"]: a["text"] for a in ARTICLES}
    mentions = []
    for art, piece, nth, eid, kind, sentence in MENTIONS:
        start, end = find(texts[art], piece, nth)
        mentions.append({"article_id": art, "start": start, "end": end, "text": piece, "label": ENTITIES[eid][1],
                         "kind": kind, "entity_id": eid, "title": None, "sentence": sentence})
    quotes = []
    for art, content, kind, cue_nth, eid, said_as, nth in QUOTES:
        start, end = find(texts[art], content)
        cue_start, cue_end = find(texts[art], "said", cue_nth)
        sp_start, sp_end = find(texts[art], said_as, nth)
        quotes.append({"article_id": art, "start": start, "end": end, "text": content, "kind": kind, "cue": "said",
                       "cue_start": cue_start, "cue_end": cue_end, "speaker": ENTITIES[eid][0],
                       "speaker_entity_id": eid, "speaker_start": sp_start, "speaker_end": sp_end,
                       "attribution": "subject", "cue_lemma": "say"})
    dates = []
    for art, piece, value, lo, hi in DATES:
        start, end = find(texts[art], piece)
        dates.append({"article_id": art, "start": start, "end": end, "text": piece, "type": "DATE", "value": value,
                      "range_start": lo, "range_end": hi, "anchored": True})
    mframe = pd.DataFrame(mentions)
    entities = [{"entity_id": eid, "name": name, "label": label,
                 "aliases": sorted(set(mframe.loc[mframe["entity_id"] == eid, "text"])),
                 "n_mentions": int((mframe["entity_id"] == eid).sum()),
                 "n_articles": int(mframe.loc[mframe["entity_id"] == eid, "article_id"].nunique())}
                for eid, (name, label) in ENTITIES.items()]
    return toolkit.Analysis(articles=pd.DataFrame(ARTICLES).assign(source="hand-written"), mentions=mframe,
                            entities=pd.DataFrame(entities), quotes=pd.DataFrame(quotes), dates=pd.DataFrame(dates))


def big_analysis(n_articles: int = 10_000, n_rows: int = 100_000, seed: int = 7) -> toolkit.Analysis:
    """A synthetic analysis with `n_rows` quotes, mentions and dates over `n_articles` articles.

    Offsets are not meaningful (texts are placeholders): it is for aggregation and scale only.
    """
    rng = np.random.default_rng(seed)
    ids = np.array([f"a{i:05d}" for i in range(n_articles)])
    published = pd.Timestamp("2019-01-01") + pd.to_timedelta(rng.integers(0, 3 * 365, n_articles), unit="D")
    articles = pd.DataFrame({"id": ids, "title": [f"Story {i}" for i in range(n_articles)],
                             "outlet": rng.choice(["Wire", "Daily", "Weekly", "Herald", "Post", "Times", "Echo",
                                                   "Star"], n_articles),
                             "published": published, "text": "x" * 50})
    speakers = np.array([f"Speaker {i}" for i in range(3000)])
    who = speakers[np.minimum(rng.zipf(1.6, n_rows), 3000) - 1]
    quotes = pd.DataFrame({"article_id": rng.choice(ids, n_rows), "start": 0, "end": 10,
                           "text": [f"quote {i}" for i in range(n_rows)],
                           "kind": rng.choice(["direct", "indirect", "mixed"], n_rows, p=[0.5, 0.4, 0.1]),
                           "cue": "said", "cue_lemma": "say", "speaker": who,
                           "speaker_entity_id": ["PERSON:" + w.lower() for w in who], "attribution": "subject"})
    quotes.loc[rng.random(n_rows) < 0.1, ["speaker", "speaker_entity_id", "attribution"]] = [None, None, "none"]
    n_entities = 5000
    labels = rng.choice(["PERSON", "ORG", "GPE", "NORP", "LOC"], n_entities)
    eids = np.array([f"{lab}:e{i}" for i, lab in enumerate(labels)])
    pick = np.minimum(rng.zipf(1.5, n_rows), n_entities) - 1
    mentions = pd.DataFrame({"article_id": rng.choice(ids, n_rows), "start": 0, "end": 5,
                             "text": [f"e{i}" for i in pick], "label": labels[pick], "kind": "name",
                             "entity_id": eids[pick],
                             "sentence": rng.integers(0, 30, n_rows)})
    counts = mentions.groupby("entity_id").agg(n_mentions=("text", "size"), n_articles=("article_id", "nunique"))
    entities = pd.DataFrame({"entity_id": eids, "name": [f"e{i}" for i in range(n_entities)], "label": labels,
                             "aliases": [[f"e{i}"] for i in range(n_entities)]}).join(counts, on="entity_id")
    entities = entities.fillna({"n_mentions": 0, "n_articles": 0})
    date_article = rng.choice(ids, n_rows)
    anchor = pd.Series(published, index=ids).reindex(date_article).to_numpy()
    lo = pd.to_datetime(anchor) + pd.to_timedelta(rng.integers(-3000, 400, n_rows), unit="D")
    span = pd.to_timedelta(rng.choice([0, 0, 0, 30, 364], n_rows), unit="D")
    dates = pd.DataFrame({"article_id": date_article, "start": 0, "end": 4, "text": "then", "type": "DATE",
                          "value": lo.strftime("%Y-%m-%d"), "range_start": lo, "range_end": lo + span,
                          "anchored": True})
    return toolkit.Analysis(articles=articles, quotes=quotes, mentions=mentions, entities=entities, dates=dates)
