"""TIMEX3 values: calendar arithmetic on them and the days they cover.

Values follow the TimeML 1.2.1 TIMEX3 guidelines (Pustejovsky et al.; Saurí et al. 2006):
`2018`, `2018-03`, `2018-03-13`, `2018-W11`, `2018-W11-WE`, `2018-Q1`, `2018-H1`, `2018-SU`,
`199` (a decade), `19` (a century), `2018-03-13TMO` (a part of a day), `2018-03-13T09:00`.
Nothing here knows English: `toolkit.extract.date_values` reads the words, this module does the calendar.

Conventions (documented in README "dates"):
- weeks are ISO weeks (Monday to Sunday), except that "this/last/next week" counts weeks from
  Sunday as American news does, so a Sunday article's "last week" is the ISO week just ending;
- seasons are meteorological: spring March-May, summer June-August, autumn September-November,
  winter December to February, named by the year it starts in (`1997-WI` ends in February 1998);
- a value's range is its first and last day; a decade `199` covers 1990-01-01..1999-12-31 and a
  century `19` (TIMEX3 writes the 20th century so) covers 1900-01-01..1999-12-31.
"""
from __future__ import annotations

import calendar
import datetime as dt
import re
import warnings
from functools import lru_cache
from typing import Callable

from dateutil.relativedelta import relativedelta

SEASONS = ("SP", "SU", "FA", "WI")
SEASON_START = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}
# how finely each granularity cuts time, finest first
GRAINS = ("D", "WE", "W", "M", "S", "Q", "H", "Y", "DE", "C", "L")
FUTURE_WEIGHT = 2  # without a tense, a date ahead must be twice as near as one behind to win

_PATTERNS: list[tuple[str, re.Pattern]] = [
    ("D", re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:T.*)?")),
    ("W", re.compile(r"(\d{4})-W(\d{1,2})")),
    ("WE", re.compile(r"(\d{4})-W(\d{1,2})-WE")),
    ("WD", re.compile(r"(\d{4})-W(\d{1,2})-([1-7])(?:T.*)?")),
    ("M", re.compile(r"(\d{4})-(\d{2})")),
    ("Q", re.compile(r"(\d{4})-Q([1-4])")),
    ("H", re.compile(r"(\d{4})-H([12])")),
    ("S", re.compile(r"(\d{4})-(SP|SU|FA|WI)")),
    ("Y", re.compile(r"(\d{4})")),
    ("DE", re.compile(r"(\d{3})")),
    ("C", re.compile(r"(\d{2})")),
    ("L", re.compile(r"(\d)")),
]


# ---------------------------------------------------------------- formatting
def day_value(day: dt.date) -> str:
    return f"{day.year:04d}-{day.month:02d}-{day.day:02d}"


def month_value(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def week_value(day: dt.date) -> str:
    """The ISO week holding `day`: `2018-W11`."""
    year, week, _ = day.isocalendar()
    return f"{year:04d}-W{week:02d}"


def quarter_of(day: dt.date) -> int:
    return (day.month - 1) // 3 + 1


def season_of(day: dt.date) -> tuple[int, str]:
    """(year, season) of the meteorological season holding `day`; January's winter began the year before."""
    if day.month == 12:
        return day.year, "WI"
    if day.month <= 2:
        return day.year - 1, "WI"
    return day.year, SEASONS[(day.month - 3) // 3]


# ---------------------------------------------------------------- shifting
def render(day: dt.date, grain: str) -> str:
    """The value of the period of `grain` holding `day` (ISO weeks)."""
    if grain in ("D", "WD"):
        return day_value(day)
    if grain in ("W", "WE"):
        return week_value(day) + ("-WE" if grain == "WE" else "")
    return unit_value(day, grain)


def unit_value(anchor: dt.date, unit: str, n: int = 0) -> str:
    """The value of the `unit` holding `anchor`, moved `n` units: ("Y", -1) is last year.

    Units: D, W, WE (the weekend of a week), M, Q, H (half year), S (season), Y, DE, C, L.
    Weeks count from Sunday (see module notes).
    """
    if unit == "D":
        return day_value(anchor + dt.timedelta(days=n))
    if unit in ("W", "WE"):
        monday = us_week_monday(anchor) + dt.timedelta(weeks=n)
        return week_value(monday) + ("-WE" if unit == "WE" else "")
    if unit == "M":
        moved = anchor + relativedelta(months=n)
        return month_value(moved.year, moved.month)
    if unit == "Q":
        index = anchor.year * 4 + quarter_of(anchor) - 1 + n
        return f"{index // 4:04d}-Q{index % 4 + 1}"
    if unit == "H":
        index = anchor.year * 2 + (anchor.month > 6) + n
        return f"{index // 2:04d}-H{index % 2 + 1}"
    if unit == "S":
        year, season = season_of(anchor)
        index = year * 4 + SEASONS.index(season) + n
        return f"{index // 4:04d}-{SEASONS[index % 4]}"
    if unit == "Y":
        return f"{anchor.year + n:04d}"
    if unit == "DE":
        return f"{anchor.year // 10 + n:03d}"
    if unit == "C":
        return f"{anchor.year // 100 + n:02d}"
    if unit == "L":
        return f"{anchor.year // 1000 + n:d}"
    raise ValueError(f"unknown TIMEX3 unit {unit!r}")


def us_week_monday(day: dt.date) -> dt.date:
    """The Monday of the Sunday-to-Saturday week holding `day`."""
    sunday = day - dt.timedelta(days=(day.weekday() + 1) % 7)
    return sunday + dt.timedelta(days=1)


MONTHS_IN = {"M": 1, "Q": 3, "H": 6, "Y": 12, "DE": 120, "C": 1200, "L": 12000}


DAY_FRACTION = {"HOUR": 24, "MIN": 24 * 60, "SEC": 24 * 3600}


def shift(anchor: dt.date, n: float, unit: str) -> dt.date:
    """`anchor` moved by `n` units (D, W, M, Q, H, Y, DE, C, L, and HOUR, MIN, SEC in whole days:
    without a time of publication, "24 hours ago" is the day before and "3 hours ago" the same day)."""
    if unit == "D":
        return anchor + dt.timedelta(days=round(n))
    if unit in DAY_FRACTION:
        return anchor + dt.timedelta(days=int(n / DAY_FRACTION[unit]))
    if unit == "W":
        return anchor + dt.timedelta(days=round(7 * n))
    if unit not in MONTHS_IN:
        return anchor
    return anchor + relativedelta(months=round(MONTHS_IN[unit] * n))


def coarser(a: str, b: str) -> str:
    rank = {g: i for i, g in enumerate(GRAINS)}
    return a if rank.get(a, 0) >= rank.get(b, 0) else b


def shift_value(value: str, n: int, unit: str) -> str | None:
    """A calendar value moved by `n` units, at the coarser of the two grains.

    A period that recurs every year (quarter, half, season, month) moved by whole years stays a
    period of the same kind: `1989-Q3` a year earlier is `1988-Q3`.
    """
    parsed = parse(value)
    if parsed is None:
        return None
    grain, start, _ = parsed
    if unit == "Y" and grain in ("Q", "H", "S", "M"):
        return f"{start.year + n:04d}" + value[4:]
    return render(shift(start, n, unit), coarser("D" if grain == "WD" else grain, unit))


# ---------------------------------------------------------------- choosing an occurrence
def pick_year(occurrence: Callable[[int], tuple[dt.date, dt.date] | None], anchor: dt.date,
              tense: int | None) -> int | None:
    """The year whose occurrence of a yearly period (a month, a day, a season) fits the tense.

    Past (`tense` < 0): the last one that began on or before the anchor; future (> 0): the first
    one that ends on or after it; present (0): the nearest, the earlier on a tie; unknown (None):
    the nearest with future distances counted double, since news mostly reports what happened.
    Years where the period does not exist (February 29) are skipped.
    """
    years = range(max(anchor.year - 8, dt.MINYEAR), min(anchor.year + 9, dt.MAXYEAR + 1))
    spans = [(y, s) for y in years if (s := occurrence(y)) is not None]
    if not spans:
        return None
    if tense is not None and tense < 0:
        past = [y for y, (start, _) in spans if start <= anchor]
        return max(past) if past else None
    if tense is not None and tense > 0:
        future = [y for y, (_, end) in spans if end >= anchor]
        return min(future) if future else None
    weight = 1 if tense == 0 else FUTURE_WEIGHT
    return min(spans, key=lambda ys: (_distance(anchor, *ys[1]) * (weight if ys[1][0] > anchor else 1), ys[0]))[0]


def pick_weekday(weekday: int, anchor: dt.date, tense: int | None, strict: bool = False) -> dt.date:
    """The day with ISO `weekday` (Monday 1) that the tense points at: the last one on or before the
    anchor (past), the next one on or after (future), else the nearest (future distances doubled
    when the tense is unknown, see `pick_year`). `strict` skips the anchor itself."""
    back = (anchor.isoweekday() - weekday) % 7
    forward = (weekday - anchor.isoweekday()) % 7
    if strict:
        back, forward = back or 7, forward or 7
    if tense is not None and tense < 0:
        return anchor - dt.timedelta(days=back)
    if tense is not None and tense > 0:
        return anchor + dt.timedelta(days=forward)
    weight = 1 if tense == 0 else FUTURE_WEIGHT
    return anchor - dt.timedelta(days=back) if back <= forward * weight else anchor + dt.timedelta(days=forward)


def _distance(day: dt.date, start: dt.date, end: dt.date) -> int:
    if start <= day <= end:
        return 0
    return min(abs((start - day).days), abs((end - day).days))


# ---------------------------------------------------------------- feasts of other calendars
@lru_cache(maxsize=4096)
def feast_days(country: str, name: str, year: int) -> tuple[dt.date, ...]:
    """The days of `year` on which `country`'s public holidays hold one whose name starts with `name`,
    from the `holidays` package (lunar and lunisolar calendars: Chinese New Year in "CN", Eid al-Fitr
    in "TR", Diwali in "IN", Pesach in "IL" ...); none for a year its calendars do not cover."""
    import holidays  # imported on first use: most articles name no such feast

    if not dt.MINYEAR < year < dt.MAXYEAR:
        return ()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "available only from 2001 to 2035": then there are none
        try:
            calendar = holidays.country_holidays(country, years=year, language="en_US")
            return tuple(sorted(calendar.get_named(name, lookup="istartswith")))
        except (NotImplementedError, ValueError, KeyError, OverflowError):
            return ()


# ---------------------------------------------------------------- periods and ranges
def month_span(year: int, month: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


def day_span(year: int, month: int, day: int) -> tuple[dt.date, dt.date] | None:
    try:
        d = dt.date(year, month, day)
    except ValueError:
        return None
    return d, d


def season_span(year: int, season: str) -> tuple[dt.date, dt.date]:
    start = dt.date(year, SEASON_START[season], 1)
    last = start + relativedelta(months=3) - dt.timedelta(days=1)
    return start, last


def quarter_span(year: int, quarter: int) -> tuple[dt.date, dt.date]:
    start = dt.date(year, 3 * quarter - 2, 1)
    return start, start + relativedelta(months=3) - dt.timedelta(days=1)


def half_span(year: int, half: int) -> tuple[dt.date, dt.date]:
    start = dt.date(year, 6 * half - 5, 1)
    return start, start + relativedelta(months=6) - dt.timedelta(days=1)


@lru_cache(maxsize=8192)
def parse(value: str | None) -> tuple[str, dt.date, dt.date] | None:
    """(grain, first day, last day) of a calendar value, or None for anything else
    (durations, sets, PRESENT_REF, values with X)."""
    if not value or "X" in value.split("T")[0]:
        return None
    for grain, pattern in _PATTERNS:
        m = pattern.fullmatch(value)
        if m:
            try:
                return (grain, *_span(grain, m.groups()))
            except ValueError:  # month 13, week 54, year 0: not a calendar value
                return None
    return None


def _span(grain: str, groups: tuple[str, ...]) -> tuple[dt.date, dt.date]:
    year = int(groups[0])
    if grain == "D":
        day = dt.date(year, int(groups[1]), int(groups[2]))
        return day, day
    if grain in ("W", "WE", "WD"):
        monday = dt.date.fromisocalendar(year, int(groups[1]), 1)
        if grain == "WE":
            return monday + dt.timedelta(days=5), monday + dt.timedelta(days=6)
        if grain == "WD":
            day = monday + dt.timedelta(days=int(groups[2]) - 1)
            return day, day
        return monday, monday + dt.timedelta(days=6)
    if grain == "M":
        return month_span(year, int(groups[1]))
    if grain == "Q":
        return quarter_span(year, int(groups[1]))
    if grain == "H":
        return half_span(year, int(groups[1]))
    if grain == "S":
        return season_span(year, groups[1])
    if grain == "Y":
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    size = {"DE": 10, "C": 100, "L": 1000}[grain]
    first = max(year * size, 1)  # the first century and millennium start in year 1
    return dt.date(first, 1, 1), dt.date(year * size + size - 1, 12, 31)


def value_range(value: str | None) -> tuple[str | None, str | None]:
    """First and last day (ISO) that a calendar value covers; (None, None) if it is no calendar value."""
    parsed = parse(value)
    if parsed is None:
        return None, None
    return day_value(parsed[1]), day_value(parsed[2])
