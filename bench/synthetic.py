"""A synthetic `Analysis` of any size, for measuring what runs on the tables (widgets, charts).

    from bench.synthetic import synthetic_analysis
    analysis = synthetic_analysis(10_000)

Articles are built sentence by sentence from made-up people, organisations and places whose
frequencies follow a Zipf law (a few people are quoted everywhere, most rarely), over two
years and eight outlets, so that filters and groupings see realistic shapes. Every row
satisfies the tables' contracts: offsets point into the article text (`text[start:end] ==
row.text`), every mention and speaker has an entity, dates carry TIMEX3 values and ranges.
"""
from __future__ import annotations

import datetime as dt
import random

import pandas as pd

from toolkit import Analysis

FIRST = ["Ana", "Kofi", "Rosa", "Tom", "Lena", "Omar", "Mei", "Ivan", "Sara", "Juan", "Aisha", "Piotr", "Yuki",
         "Liam", "Nora", "Ravi", "Elif", "Hugo", "Zara", "Femi"]
LAST = ["Ruiz", "Mensah", "Vidal", "Baker", "Fischer", "Haddad", "Chen", "Petrov", "Lindqvist", "Moreno", "Bello",
        "Nowak", "Tanaka", "Walsh", "Berg", "Iyer", "Kaya", "Laurent", "Osei", "Adeyemi"]
ORGS = ["Ministry of Finance", "Central Bank", "Red Cross", "United Nations", "World Bank", "Supreme Court",
        "Health Ministry", "Port Authority", "Green Party", "Labour Union", "Election Commission", "Army"]
PLACES = ["Lyon", "Accra", "Santiago", "Dublin", "Hamburg", "Amman", "Osaka", "Lagos", "Quito", "Krakow",
          "Pune", "Izmir", "Perth", "Tunis", "Riga"]
OUTLETS = ["Daily Planet", "Evening Star", "The Courier", "Wire One", "Metro News", "The Ledger", "Globe", "Herald"]
CLAIMS = ["The talks will resume next week", "We have no plans to raise taxes", "The budget is balanced",
          "Nobody expected this", "The bridge will reopen in June", "We will appeal the ruling",
          "Prices have stopped rising", "The vote was fair", "Our hospitals are full", "The port is safe"]
CUES = ["said", "told reporters", "added", "warned", "insisted"]
FILLER = ["The statement followed weeks of negotiations between the parties over the terms of the agreement.",
          "Officials gave no further details, and the figures could not be independently verified.",
          "The decision is expected to be reviewed at the next meeting of the committee, later this month.",
          "Critics have long argued that the plan favours large companies over small firms and households."]


def _zipf(rng: random.Random, items: list, n: int) -> list:
    weights = [1 / (rank + 1) for rank in range(len(items))]
    return rng.choices(items, weights=weights, k=n)


def synthetic_analysis(n_articles: int = 10_000, seed: int = 0) -> Analysis:
    """A consistent `Analysis` of `n_articles` made-up articles: about 45 mentions, 7 quotes, 7
    dates and 1,800 characters each (the toolkit finds 30-55 mentions, 2-11 quotes and 7-12 dates
    in the evaluation sets' articles), with 3,200 people among 3,400 entities."""
    rng = random.Random(seed)
    people = [f"{f} {m}. {l}" for f in FIRST for m in "ABCDEFGH" for l in LAST]
    rng.shuffle(people)
    start = dt.date(2018, 1, 1)
    articles, mentions, quotes, dates = [], [], [], []

    for a in range(n_articles):
        aid = f"art{a:06d}"
        published = start + dt.timedelta(days=rng.randrange(730))
        parts: list[str] = []
        pos = 0
        sentence = 0

        def put(piece: str) -> tuple[int, int]:
            nonlocal pos
            parts.append(piece)
            pos += len(piece)
            return pos - len(piece), pos

        def mention(name: str, label: str, of: str | None = None) -> tuple[int, int]:
            s, e = put(name)
            mentions.append((aid, s, e, name, label, "name", f"{label}:{(of or name).lower()}", None, sentence))
            return s, e

        def date(day: dt.date) -> None:
            text = f"{day:%B} {day.day}, {day.year}"
            s, e = put(text)
            iso = day.isoformat()
            dates.append((aid, s, e, text, "DATE", iso, iso, iso, True))

        for speaker in _zipf(rng, people, rng.randint(3, 12)):
            put('"')
            claim = rng.choice(CLAIMS)
            qs, qe = put(claim + ",")
            put('" ')
            ss, se = mention(speaker, "PERSON")
            put(" ")
            cue = rng.choice(CUES)
            cs, ce = put(cue)
            put(" in ")
            mention(rng.choice(PLACES), "GPE")
            put(" on ")
            date(published - dt.timedelta(days=rng.randrange(10)))
            put(". ")
            quotes.append((aid, qs, qe, claim + ",", "direct", cue, cs, ce, speaker, f"PERSON:{speaker.lower()}",
                           ss, se))
            sentence += 1
            mention(speaker.split()[-1], "PERSON", of=speaker)  # the surname, of the same entity
            put(" works with the ")
            mention(rng.choice(ORGS), "ORG")
            put(" and met ")
            mention(_zipf(rng, people, 1)[0], "PERSON")
            put(" in ")
            mention(rng.choice(PLACES), "GPE")
            put(". ")
            sentence += 1
            put(rng.choice(FILLER) + " ")
            sentence += 1
        text = "".join(parts).rstrip()
        articles.append({"id": aid, "title": f"Report {a}", "outlet": rng.choice(OUTLETS), "published": published,
                         "url": f"https://news.example/{aid}", "source": "synthetic", "record": a + 1,
                         "text": text, "n_tokens": len(text.split())})

    mention_cols = ["article_id", "start", "end", "text", "label", "kind", "entity_id", "title", "sentence"]
    mention_frame = pd.DataFrame(mentions, columns=mention_cols)
    entities = (mention_frame.groupby("entity_id", sort=False)
                .agg(name=("text", lambda s: max(s, key=len)), label=("label", "first"),
                     aliases=("text", lambda s: list(dict.fromkeys(s))), n_mentions=("text", "size"),
                     n_articles=("article_id", "nunique"))
                .reset_index())
    quote_cols = ["article_id", "start", "end", "text", "kind", "cue", "cue_start", "cue_end", "speaker",
                  "speaker_entity_id", "speaker_start", "speaker_end"]
    date_cols = ["article_id", "start", "end", "text", "type", "value", "range_start", "range_end", "anchored"]
    return Analysis(articles=pd.DataFrame(articles), mentions=mention_frame, entities=entities,
                    quotes=pd.DataFrame(quotes, columns=quote_cols), dates=pd.DataFrame(dates, columns=date_cols))
