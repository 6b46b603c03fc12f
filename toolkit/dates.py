"""Time expressions and their TIMEX3 values, resolved against the publication date.

`date_mentions(doc)` yields a `DateMention` for each time expression of a Doc: its span, its
TIMEX3 type and value, and the concrete days the value covers (`range_start`, `range_end`),
so that a chart can place it. Relative expressions ("Tuesday", "last year") are resolved
against `doc._.published`; without one they stay unanchored (`anchored=False`).

First version: spaCy's DATE and TIME entities; values for explicit calendar dates, years,
"today"/"yesterday"/"tomorrow" and weekdays (taken as the last such day on or before
publication).
"""
from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import Iterator, NamedTuple

from spacy.language import Language
from spacy.tokens import Doc, Span

from . import extensions  # noqa: F401  (registers Doc._ attributes)


class DateMention(NamedTuple):
    """One time expression of an article."""

    article_id: str | None
    start: int
    end: int
    text: str
    type: str  # DATE / TIME / DURATION / SET
    value: str | None  # TIMEX3 value
    range_start: str | None  # ISO date
    range_end: str | None
    anchored: bool


MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9
WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}
RELATIVE_DAYS = {"today": 0, "yesterday": -1, "tomorrow": 1, "tonight": 0}
LEADING = {"on", "in", "at", "by", "since", "until", "from", "during", "of", "for"}


def published_date(doc: Doc) -> dt.date | None:
    """The Doc's publication date, or None."""
    value = doc._.published
    return dt.date.fromisoformat(value[:10]) if value else None


def date_spans(doc: Doc) -> Iterator[Span]:
    """spaCy's DATE and TIME entities without leading prepositions."""
    for ent in doc.ents:
        if ent.label_ in ("DATE", "TIME"):
            start = ent.start
            while start < ent.end and (ent.doc[start].lower_ in LEADING or ent.doc[start].is_punct):
                start += 1
            end = ent.end
            while end > start and (ent.doc[end - 1].is_punct or ent.doc[end - 1].is_space):
                end -= 1
            if end > start:
                yield Span(ent.doc, start, end, label=ent.label)


def date_mentions(doc: Doc) -> Iterator[DateMention]:
    """Yield the time expressions of `doc` with TIMEX3 values where they can be resolved."""
    anchor = published_date(doc)
    for span in date_spans(doc):
        value, relative = timex_value(span.text, anchor)
        low, high = value_range(value)
        yield DateMention(doc._.article_id, span.start_char, span.end_char, span.text, span.label_, value,
                          low, high, not relative or anchor is not None)


def timex_value(text: str, anchor: dt.date | None) -> tuple[str | None, bool]:
    """The TIMEX3 value of a date expression and whether it is relative to the anchor."""
    words = re.findall(r"[a-z]+|\d+", text.lower())
    if not words:
        return None, False
    if len(words) == 1 and words[0] in RELATIVE_DAYS:
        return (_iso(anchor + dt.timedelta(days=RELATIVE_DAYS[words[0]])) if anchor else None), True
    if len(words) == 1 and words[0] in WEEKDAYS:
        if anchor is None:
            return None, True
        back = (anchor.weekday() - WEEKDAYS[words[0]]) % 7
        return _iso(anchor - dt.timedelta(days=back)), True
    if len(words) == 1 and re.fullmatch(r"1\d{3}|20\d{2}", words[0]):
        return words[0], False
    month = next((MONTHS[w] for w in words if w in MONTHS), None)
    numbers = [int(w) for w in words if w.isdigit()]
    years = [n for n in numbers if 1000 <= n <= 2999]
    days = [n for n in numbers if 1 <= n <= 31]
    if month and years and days:
        try:
            return _iso(dt.date(years[0], month, days[0])), False
        except ValueError:
            return None, False
    if month and years and len(numbers) == 1:
        return f"{years[0]:04d}-{month:02d}", False
    if month and days and not years and len(numbers) == 1:
        if anchor is None:
            return None, True
        try:
            return _iso(dt.date(anchor.year, month, days[0])), True
        except ValueError:
            return None, True
    return None, False


def value_range(value: str | None) -> tuple[str | None, str | None]:
    """First and last day (ISO) covered by a calendar TIMEX3 value (`2017`, `2017-03`, `2017-03-05`)."""
    if not value:
        return None, None
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return value, value
    if re.fullmatch(r"\d{4}-\d{2}", value):
        year, month = map(int, value.split("-"))
        return f"{value}-01", f"{value}-{calendar.monthrange(year, month)[1]:02d}"
    if re.fullmatch(r"\d{4}", value):
        return f"{value}-01-01", f"{value}-12-31"
    return None, None


def _iso(day: dt.date) -> str:
    return day.isoformat()


# ---------------------------------------------------------------- component
@Language.factory("toolkit_dates", assigns=["doc._.date_mentions"])
def make_dates_component(nlp: Language, name: str) -> "DatesComponent":
    return DatesComponent(name)


class DatesComponent:
    """Store the Doc's date mentions on `doc._.date_mentions` as plain tuples."""

    def __init__(self, name: str = "toolkit_dates") -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        doc._.date_mentions = [tuple(d) for d in date_mentions(doc)]
        return doc

