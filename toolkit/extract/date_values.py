"""Read the words of a time expression and resolve them to a TIMEX3 type, value and modifier.

`normalize(words, context)` takes the tokens of one expression ("early", "next", "year") and a
`Context` (publication date, tense of the governing clause, the last date the article mentioned)
and returns a `Timex`, or None when the words are no time expression after all ("37 years old").

Notes:
    The method is HeidelTime's (Strötgen & Gertz 2013, "Multilingual and cross-domain temporal
    tagging", LRE 47): rules with a normalisation per construction, relative expressions resolved
    against the document creation time for news, the tense of the sentence deciding whether a bare
    "Monday" or "March" is the last or the next one, and anaphoric expressions ("that day", "a year
    earlier") resolved against the last date mentioned. Values and modifiers follow the TimeML
    1.2.1 TIMEX3 guidelines; vague references (PRESENT_REF, PXY) as in SUTime (Chang & Manning 2012).
    The words are read into typed atoms (month, unit, number, relative word ...) first, so one
    resolution serves every word order the span patterns admit ("June last year", "the 1988 third
    quarter"). Absolute numeric dates ("03/13/2018") are parsed by python-dateutil, Easter by its
    computus; the lunar and lunisolar feasts (Chinese New Year, Ramadan, Eid, Diwali, Passover) come
    from the public-holiday calendars of the `holidays` package (`toolkit.text.timex.feast_days`).
    In results stories "a year ago" and "the quarter" follow the quarter reported on (`Context.period`).
    At the calendar's ends (an anchor in year 1 or 9999) values are left unanchored, never raised.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, NamedTuple

from dateutil import easter as dateutil_easter
from dateutil import parser as dateutil_parser
from dateutil.relativedelta import relativedelta
from dateutil.relativedelta import weekdays as WEEKDAYS

from ..text import lexicons, timex

DATA_FILE = lexicons.TIMEX_FILE
REJECT = "REJECT"  # normalize() result for words that turn out not to be a time expression


class Context(NamedTuple):
    """What a value depends on beyond the words."""

    anchor: dt.date | None = None  # publication date
    tense: int | None = None  # governing clause: -1 past, 0 present, 1 future, None unknown
    reference: str | None = None  # the last calendar value of the article, for "that day"
    before: str | None = None  # the word before the expression, lower case
    after: str | None = None  # the word after it
    rate: bool = False  # a quantity comes just before: "$500 a month" is a rate, a SET
    period: str | None = None  # the last quarter or half the article named: what results are reported for


class Timex(NamedTuple):
    type: str  # DATE / TIME / DURATION / SET
    value: str | None
    mod: str | None
    range_start: str | None
    range_end: str | None
    anchored: bool
    anaphoric: bool = False  # resolved against the story's last date ("that day"), not the calendar


class Atom(NamedTuple):
    kind: str
    value: Any
    word: str


# ---------------------------------------------------------------- words -> atoms
@lru_cache(maxsize=None)
def _tables(name: str = DATA_FILE) -> dict[str, Any]:
    lex = lexicons.timex(name)
    word_kinds: dict[str, tuple[str, Any]] = {}
    order = [
        ("months", "MONTH"), ("weekdays", "WEEKDAY"), ("weekdays_plural", "WEEKDAYS"), ("seasons", "SEASON"),
        ("seasons_plural", "SEASONS"), ("parts_of_day", "POD"), ("parts_of_day_plural", "PODS"),
        ("deictic_days", "DEICTIC"), ("references", "REF"), ("relatives", "REL"), ("modifiers", "MOD"),
        ("approximators", "APPROX"), ("shifts", "SHIFT"), ("vague_quantities", "VAGUE"), ("numbers", "NUM"),
        ("multipliers", "MULT"), ("ordinals", "ORD"), ("decade_words", "DECADEW"), ("set_adverbs", "SETADV"),
        ("frequencies", "FREQ"), ("clock_suffixes", "AMPM"), ("clock_words", "CLOCKW"),
    ]
    for table, kind in order:
        for word, value in lex[table].items():
            word_kinds.setdefault(word, (kind, value))
    for word, (code, n) in lex["units"].items():
        word_kinds[word] = ("UNIT", (code, n, word in lex["plural_units"]))
    for word in lex["set_words"]:
        word_kinds[word] = ("SETW", None)
    for word in lex["time_zones"]:
        word_kinds.setdefault(word, ("TZ", None))
    for word in lex["fiscal"]:
        word_kinds[word] = ("FISCAL", None)
    for word in lex.get("day_qualifiers", ()):
        word_kinds.setdefault(word, ("QUAL", None))  # "eight trading days" counts days all the same
    for word, value in lex["reference_nouns"].items():
        word_kinds.setdefault(word, ("REFNOUN", value))
    word_kinds.update({"the": ("DET", None), "a": ("A", 1), "an": ("A", 1), "of": ("OF", None),
                       "and": ("AND", None), "or": ("OR", None), "so": ("SO", None), "other": ("OTHER", None),
                       "times": ("TIMES", None), "from": ("FROM", None), "old": ("AGE", None),
                       "right": ("RIGHT", None), "these": ("THESE", None), "near": ("NEAR", None),
                       "distant": ("NEAR", None), "half": ("HALF", 0.5), "halves": ("HALF", 0.5),
                       "period": ("PERIOD", None), "part": ("PART", None), "end": ("ENDWORD", "END"),
                       "full": ("FULL", None), "more": ("MORE", None), "additional": ("MORE", None),
                       "extra": ("MORE", None), "further": ("MORE", None)})
    phrases = {**{p: ("PREFIX", m) for p, m in lex["prefixes"].items()},
               **{h: ("HOLIDAY", rule) for h, rule in lex["holidays"].items()}}
    return {"words": word_kinds, "phrases": phrases, "max_phrase": max(len(p.split()) for p in phrases),
            "lex": lex}


PUNCT = {",", ".", "-", "--", "'", "’", "/", "(", ")", ";", ":", "—", "–", "'s", "’s"}
_ORDINAL = re.compile(r"(\d+)(?:st|nd|rd|th)")
_NUMBER = re.compile(r"\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?")


def _join(words: list[str]) -> str:
    """Words of a phrase as the lexicon writes them: "new year 's day" -> "new year's day",
    "eid al - fitr" -> "eid al-fitr"."""
    return re.sub(r" (?=')| ?- ?", lambda m: "-" if "-" in m.group() else "", " ".join(words))


def atomize(words: list[str], data: str = DATA_FILE) -> list[Atom] | None:
    """Typed atoms of the lower-cased `words`; None if a word is not temporal vocabulary."""
    tables = _tables(data)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", "".join(words)):
        return [Atom("NUMDATE", "".join(words), "".join(words))]
    atoms: list[Atom] = []
    i = 0
    apostrophe = False
    while i < len(words):
        for n in range(min(tables["max_phrase"], len(words) - i), 0, -1):
            hit = tables["phrases"].get(_join(words[i:i + n]))
            if hit:
                atoms.append(Atom(hit[0], hit[1], _join(words[i:i + n])))
                i += n
                break
        else:
            word = words[i]
            i += 1
            if word in PUNCT:
                apostrophe = word in ("'", "’")
                continue
            pieces = [word] if word in tables["words"] else [p for p in re.split(r"[-–]", word) if p]
            for piece in pieces:
                atom = _classify(piece, tables["words"], apostrophe)
                if atom is None:
                    return None
                atoms.append(atom)
            apostrophe = False
    return atoms


def _classify(piece: str, words: dict[str, tuple[str, Any]], apostrophe: bool) -> Atom | None:
    if piece in words:
        kind, value = words[piece]
        return Atom(kind, value, piece)
    if apostrophe and re.fullmatch(r"\d\d", piece):
        return Atom("YEAR2", int(piece), piece)
    if re.fullmatch(r"\d{2}s|\d{4}s", piece):
        digits = piece[:-1]
        if len(digits) == 4:
            number = int(digits)
            # "the 1500s" is a century, "the 1990s" (and "the 2000s") a decade
            if number % 100 == 0 and number < 2000:
                return Atom("CENTURY", f"{number // 100:02d}", piece)
            return Atom("DECADE", f"{number // 10:03d}", piece)
        return Atom("DECADE2", int(digits), piece)
    if _NUMBER.fullmatch(piece):
        text = piece.replace(",", "")
        return Atom("NUM", float(text) if "." in text else int(text), piece)
    if m := _ORDINAL.fullmatch(piece):
        return Atom("ORD", int(m.group(1)), piece)
    if m := re.fullmatch(r"(\d+)/(\d+)", piece):
        return Atom("FRACTION", int(m.group(1)) / int(m.group(2)), piece) if int(m.group(2)) else None
    if m := re.fullmatch(r"([01]?\d|2[0-4]):([0-5]\d)", piece):
        return Atom("CLOCK", (int(m.group(1)), int(m.group(2))), piece)
    if m := re.fullmatch(r"q([1-4])|([1-4])q", piece):
        return Atom("QCODE", int(m.group(1) or m.group(2)), piece)
    if re.fullmatch(r"\d{1,4}[/.]\d{1,2}[/.]\d{2,4}", piece):
        return Atom("NUMDATE", piece, piece)
    return None


# ---------------------------------------------------------------- atoms -> reading
@dataclass
class Reading:
    """The atoms of an expression, with roles settled and numbers combined."""

    atoms: list[Atom]
    lex: dict[str, Any]  # the lexicon the words were read with
    mod: str | None = None
    by_kind: dict[str, list[Atom]] = field(default_factory=dict)

    def has(self, *kinds: str) -> bool:
        return any(k in self.by_kind for k in kinds)

    def first(self, kind: str) -> Any:
        return self.by_kind[kind][0].value if kind in self.by_kind else None

    def kinds(self) -> list[str]:
        return [a.kind for a in self.atoms]


def read(atoms: list[Atom], data: str = DATA_FILE) -> Reading:
    """Settle the words with two roles by their neighbours and combine number words."""
    lex = _tables(data)["lex"]
    atoms = _settle_roles(atoms, lex)
    atoms = _combine_numbers(atoms)
    reading = Reading(atoms, lex)
    for atom in atoms:
        reading.by_kind.setdefault(atom.kind, []).append(atom)
    mods = [a.value for a in atoms if a.kind in ("MOD", "APPROX", "PREFIX")]
    if "OR" in reading.by_kind and "SO" in reading.by_kind:
        mods.append("APPROX")
    reading.mod = mods[0] if mods else None
    return reading


def _settle_roles(atoms: list[Atom], lex: dict[str, Any]) -> list[Atom]:
    out = []
    for i, atom in enumerate(atoms):
        prev = atoms[i - 1] if i else None
        nxt = atoms[i + 1] if i + 1 < len(atoms) else None
        kind = atom.kind
        if atom.word in ("earlier", "later"):
            # "a year earlier", "year-earlier quarter" shift; "earlier this year" modifies
            kind = "SHIFT" if prev is not None and prev.kind in ("UNIT", "SO") else "MOD"
        elif atom.word in ("before", "after"):
            kind = "SHIFT"
        elif atom.word == "some":
            kind = "APPROX" if nxt is not None and nxt.kind == "NUM" else "VAGUE"
            atom = atom._replace(value="APPROX" if kind == "APPROX" else None)
        elif atom.word in ("past", "present", "future") and nxt is None and prev is not None and prev.kind in (
                "DET", "NEAR"):
            kind = "REFNOUN"
            atom = atom._replace(value=lex["reference_nouns"][atom.word])
        elif atom.word == "recent" and nxt is not None and nxt.kind == "UNIT":
            kind = "VAGUE"
        elif atom.word == "last" and nxt is not None and nxt.kind == "HALF":
            kind = "ORD"  # "the last half of 1989" is its second half
            atom = atom._replace(value=-1)
        elif atom.kind == "A" and (nxt is None or nxt.kind not in ("UNIT", "MULT", "NUM", "FRACTION", "HALF", "MORE")):
            kind = "ART"  # an article, not "one": "a few", "a week or so"
        if kind == "SHIFT":
            atom = atom._replace(value=lex["shifts"][atom.word])
        if kind == "MOD":
            atom = atom._replace(value=lex["modifiers"].get(atom.word, "START"))
        out.append(atom._replace(kind=kind))
    return out


def _combine_numbers(atoms: list[Atom]) -> list[Atom]:
    """Adjacent number atoms as one: "two thousand", "2 1/2", "nineteen seventy-nine" (a year)."""
    out: list[Atom] = []
    group: list[Atom] = []
    for atom in [*atoms, Atom("END", None, "")]:
        if group and atom.kind == "NUM" and _digits(atom) and _digits(group[-1]):
            out.append(_number(group))  # "March 26, 1996": two numbers, not one
            group = []
        if atom.kind in ("NUM", "MULT", "FRACTION") or (atom.kind == "A" and not group):
            group.append(atom)
            continue
        if group:
            out.append(_number(group))
            group = []
        if atom.kind != "END":
            out.append(atom)
    return out


def _digits(atom: Atom) -> bool:
    return atom.word[:1].isdigit()


def _number(group: list[Atom]) -> Atom:
    if len(group) > 1 and group[0].kind == "A" and group[1].kind == "NUM":
        group = group[1:]  # "a five-year plan": the article of the noun, not "one"
    words = " ".join(a.word for a in group)
    if len(group) == 1:
        atom = group[0]
        return Atom("NUM", atom.value, atom.word) if atom.kind != "MULT" else Atom("NUM", atom.value, words)
    total, current, year_like = 0.0, 0.0, False
    previous: Atom | None = None
    for atom in group:
        if atom.kind == "MULT":
            current = (current or 1) * atom.value
            if atom.value >= 1000:
                total, current = total + current, 0
        elif atom.kind == "FRACTION":
            current += atom.value
        elif previous is not None and previous.kind == "NUM" and 10 <= current <= 99 and atom.value >= 10 \
                and isinstance(atom.value, int) and atom.value <= 99:
            current, year_like = current * 100 + atom.value, True  # "nineteen ninety"
        else:
            current += atom.value
        previous = atom
    value = total + current
    value = int(value) if float(value).is_integer() else value
    return Atom("YEARNUM" if year_like else "NUM", value, words)


# ---------------------------------------------------------------- reading -> value
def normalize(words: list[str], context: Context = Context(), data: str = DATA_FILE) -> Timex | str | None:
    """The TIMEX3 reading of an expression's words, REJECT if they are not one, None if unreadable.

    `data` is the lexicon (a bundled file's name or a path, see `toolkit.text.lexicons.timex`).
    """
    reading = _reading(tuple(w.lower() for w in words), data)
    if reading is None:
        return None
    if "AGE" in reading.by_kind or context.after in ("old", "-old"):
        return REJECT
    try:
        result = _checked(_resolve(reading, context))
        if isinstance(result, Timex) and result.mod is None and context.before == "about" and \
                result.type in ("DURATION", "TIME") and reading.has("NUM"):
            result = result._replace(mod="APPROX")  # "for about two weeks": "about" outside the span, as TimeBank has it
        return result
    except (OverflowError, ValueError):
        # the calendar's ends (an anchor in year 1 or 9999, "10,000 years from now"): the words
        # are read without the anchor, unresolved, rather than failing the article
        if context.anchor is None and context.reference is None:
            return _timex("DATE", None, reading.mod, False, (None, None))
        return normalize(words, context._replace(anchor=None, reference=None), data)


@lru_cache(maxsize=8192)
def _reading(words: tuple[str, ...], data: str) -> Reading | None:
    """The reading of lower-cased words, built once: news repeats its expressions (rules only read it)."""
    atoms = atomize(list(words), data)
    return read(atoms, data) if atoms else None


def _resolve(reading: Reading, context: Context) -> Timex | str | None:
    for rule in (_reference, _set, _clock, _shifted, _duration, _calendar):
        result = rule(reading, context)
        if result is not None:
            return result
    return None


def _checked(result: Timex | str | None) -> Timex | str | None:
    """`result`, unless its value names a calendar period outside years 1 to 9999 ("10000", "0000-Q4")."""
    if isinstance(result, Timex) and result.value and result.value[0] in "-0123456789" and \
            timex.parse(result.value) is None:
        raise ValueError(f"{result.value} is outside the calendar")
    return result


def _timex(kind: str, value: str | None, mod: str | None, anchored: bool = True,
           span: tuple[str | None, str | None] | None = None, anaphoric: bool = False) -> Timex:
    if value is not None and kind == "DATE" and "T" in value and not value.endswith("_REF"):
        kind = "TIME"
    low, high = span if span is not None else timex.value_range(value)
    return Timex(kind, value, mod, low, high, anchored, anaphoric)


def _reference(r: Reading, c: Context) -> Timex | None:
    value = None
    if r.has("REF") and set(r.kinds()) <= {"REF", "RIGHT", "MOD", "APPROX"}:
        value = r.first("REF")
    elif r.has("REFNOUN") and r.has("DET"):
        value = r.first("REFNOUN")
    elif r.has("THESE") and r.first("UNIT") and r.first("UNIT")[0] == "D":
        value = "PRESENT_REF"
    elif len(r.atoms) == 1 and r.atoms[0].word in r.lex.get("reference_adjectives", {}):
        value = r.lex["reference_adjectives"][r.atoms[0].word]  # "current market conditions"
    if value is None:
        return None
    span = (timex.day_value(c.anchor),) * 2 if value == "PRESENT_REF" and c.anchor else (None, None)
    return _timex("DATE", value, r.mod, c.anchor is not None, span)


def _set(r: Reading, c: Context) -> Timex | None:
    if r.has("SETADV"):
        return _timex("SET", r.first("SETADV"), None)
    if r.has("WEEKDAYS"):
        return _timex("SET", f"XXXX-WXX-{r.first('WEEKDAYS')}", None)
    if r.has("SEASONS"):
        return _timex("SET", f"XXXX-{r.first('SEASONS')}", None)
    if r.has("PODS") and r.has("WEEKDAY"):  # "Tuesday nights": every Tuesday night
        return _timex("SET", f"XXXX-WXX-{r.first('WEEKDAY')}T{r.first('PODS')}", None)
    if r.has("PODS") and not r.has("UNIT"):
        return _timex("SET", f"XXXX-XX-XXT{r.first('PODS')}", None)
    if r.has("FREQ", "TIMES") and r.has("UNIT"):
        code, n, _ = r.first("UNIT")
        return _timex("SET", _duration_value(n, code), None)
    if not r.has("SETW"):
        return None
    if r.has("UNIT"):
        code, n, _ = r.first("UNIT")
        count = r.first("NUM") if r.has("NUM") else 2 if r.has("OTHER") else 1
        return _timex("SET", _duration_value(count * n, code), None)
    if r.has("WEEKDAY"):
        return _timex("SET", f"XXXX-WXX-{r.first('WEEKDAY')}", None)
    if r.has("MONTH"):
        return _timex("SET", f"XXXX-{r.first('MONTH'):02d}", None)
    if r.has("SEASON"):
        return _timex("SET", f"XXXX-{r.first('SEASON')}", None)
    if r.has("POD"):
        return _timex("SET", f"XXXX-XX-XXT{r.first('POD')}", None)
    return None


def _clock(r: Reading, c: Context) -> Timex | None:
    if r.has("CLOCK"):
        hour, minute = r.first("CLOCK")
    elif r.has("CLOCKW"):
        hour, minute = map(int, r.first("CLOCKW").split(":"))
    elif r.has("AMPM") and r.has("NUM") and isinstance(r.first("NUM"), int) and 1 <= r.first("NUM") <= 12:
        hour, minute = r.first("NUM"), 0
    else:
        return None
    half = r.first("AMPM")
    if half == "pm" and hour < 12:
        hour += 12
    elif half == "am" and hour == 12:
        hour = 0
    if hour > 24:
        return REJECT
    time = f"T{hour:02d}:{minute:02d}"
    if r.has("MONTH"):  # "5 p.m. EST Nov. 9"
        date = _month(r, c)
        if not isinstance(date, Timex) or date.value is None or len(date.value) != 10:
            return date
        return _timex("TIME", date.value + time, r.mod, date.anchored, (None, None) if not date.anchored else None)
    day = _day_of(r, c)
    if day is None:
        weekday = r.first("WEEKDAY")
        value = f"XXXX-WXX-{weekday}{time}" if weekday else f"XXXX-XX-XX{time}"
        return _timex("TIME", value, r.mod, False, (None, None))
    return _timex("TIME", day + time, r.mod)


def _day_of(r: Reading, c: Context) -> str | None:
    """The day a clock time or a part of day belongs to: its weekday, "yesterday", else the story's
    day (the last day named before it: "He was shot on Friday ... at 10 p.m."), else publication."""
    if c.anchor is None:
        return None
    if r.has("WEEKDAY"):
        return timex.day_value(timex.pick_weekday(r.first("WEEKDAY"), c.anchor, c.tense))
    if r.has("DEICTIC"):
        return timex.day_value(c.anchor + dt.timedelta(days=r.first("DEICTIC")))
    if (day := _story_day(c)) is not None:
        return timex.day_value(day)
    return timex.day_value(c.anchor)


def _story_day(c: Context) -> dt.date | None:
    """The day of the story's last date (`Context.reference`) when it names a day, else None."""
    parsed = timex.parse(c.reference) if c.reference else None
    return parsed[1] if parsed is not None and parsed[0] in ("D", "WD") else None


def _count(r: Reading) -> float | str | None:
    """How many units an expression counts: a number, "X" for a vague one, None for none."""
    if r.has("NUM"):
        n = r.first("NUM")
        if r.has("HALF") and r.kinds().index("HALF") > r.kinds().index("UNIT"):
            n += 0.5  # "an hour and a half"
        return n
    if r.has("VAGUE"):
        return r.first("VAGUE") or "X"
    return None


def _shifted(r: Reading, c: Context) -> Timex | None:
    """ "two weeks ago", "a year earlier", "three days from now", "the year-earlier quarter"."""
    from_now = r.has("FROM") and (r.first("REF") == "PRESENT_REF" or r.first("DEICTIC") == 0)
    if not (r.has("SHIFT") or from_now) or not r.has("UNIT"):
        return None
    kinds = r.kinds()
    direction = 1 if from_now else r.first("SHIFT")
    shift_word = r.by_kind["SHIFT"][0].word if r.has("SHIFT") else "hence"
    if r.has("DEICTIC"):  # "the day before yesterday"
        return None
    code, n, plural = r.first("UNIT")
    count = _count(r)
    if count is None and not plural and r.has("SHIFT"):
        kinds = r.kinds()
        if code == "Y" and (not r.has("DET") or kinds.index("SHIFT") < len(kinds) - 1):
            return _year_earlier(r, c)  # "year-earlier", "the year-ago quarter"
        count = 1  # "the day before", "the year after": one unit from the story's time
    if count is None or count == "X":
        if c.anchor is None:
            return _timex("DATE", None, r.mod, False)
        return _timex("DATE", "PAST_REF" if direction < 0 else "FUTURE_REF", r.mod)
    if count == 1 and code == "Y" and c.period and not r.has("DEICTIC"):
        # "profit rose from $5 million a year ago": the period the results are for, a year back
        return _timex("DATE", timex.shift_value(c.period, direction, "Y"), r.mod, anaphoric=True)
    from_publication = from_now or shift_word in r.lex["dct_shifts"]
    base = timex.day_value(c.anchor) if c.anchor else None
    anaphoric = not from_publication and bool(c.reference and timex.parse(c.reference))
    if anaphoric:
        base = c.reference
    if base is None:
        return _timex("DATE", None, r.mod, False)
    base_grain, start, _ = timex.parse(base)
    mod = POINT_MODS.get(r.mod, {}).get(direction, r.mod)  # "more than two weeks ago" is BEFORE that day
    if code == "Y" and base_grain in ("Q", "H", "S", "M") and float(count).is_integer():
        return _timex("DATE", timex.shift_value(base, direction * int(count), "Y"), mod, anaphoric=anaphoric)
    moved = timex.shift(start, direction * count * n, code)
    value = timex.render(moved, timex.coarser(base_grain.replace("WD", "D"), DAY_GRAIN.get(code, code)))
    return _timex("DATE", value, mod, anaphoric=anaphoric)


# TimeML's modifiers of a point in time for the quantity modifiers of "N units ago" / "N units from now":
# more than two weeks ago is before the day two weeks ago, nearly two weeks ago after it
POINT_MODS = {
    "MORE_THAN": {-1: "BEFORE", 1: "AFTER"}, "LESS_THAN": {-1: "AFTER", 1: "BEFORE"},
    "EQUAL_OR_MORE": {-1: "ON_OR_BEFORE", 1: "ON_OR_AFTER"}, "EQUAL_OR_LESS": {-1: "ON_OR_AFTER", 1: "ON_OR_BEFORE"},
}


# units whose shifted dates are written as days: "two weeks ago" is 2018-02-27, not a week
DAY_GRAIN = {"W": "D", "WE": "D", "HOUR": "D", "MIN": "D", "SEC": "D", "DE": "Y", "C": "Y", "L": "Y"}


def _year_earlier(r: Reading, c: Context) -> Timex | None:
    """ "the year-earlier (third) quarter", "year-ago": the reference period one year back."""
    direction = r.first("SHIFT")
    base = c.period or (c.reference if c.reference and timex.parse(c.reference) else None)
    if r.has("ORD") and r.has("UNIT") and r.by_kind["UNIT"][-1].value[0] == "Q":
        year = int(base[:4]) if base else c.anchor.year if c.anchor else None
        if year is None:
            return _timex("DATE", None, r.mod, False)
        return _timex("DATE", f"{year + direction:04d}-Q{r.first('ORD')}", r.mod, anaphoric=True)
    if base is None:
        if c.anchor is None:
            return _timex("DATE", None, r.mod, False)
        unit = r.by_kind["UNIT"][-1].value[0] if len(r.by_kind["UNIT"]) > 1 else "Y"
        base = timex.unit_value(c.anchor, unit if unit in ("Q", "M") else "Y", -1 if unit == "Q" else 0)
    return _timex("DATE", timex.shift_value(base, direction, "Y"), r.mod, anaphoric=True)


CALENDAR_KINDS = ("MONTH", "WEEKDAY", "SEASON", "DEICTIC", "DECADE", "DECADE2", "DECADEW", "CENTURY", "CLOCK",
                  "HOLIDAY", "YEAR2", "YEARNUM", "QCODE", "NUMDATE")


def _duration(r: Reading, c: Context) -> Timex | None:
    """ "two weeks", "the past three years", "several months", "years", "in three days"."""
    if not r.has("UNIT") or r.has(*CALENDAR_KINDS) or r.has("SETW"):
        return None
    code, n, plural = r.first("UNIT")
    count = _count(r)
    if count is None and r.has("A"):
        count = 1
    if isinstance(count, (int, float)) and count >= 1000 and r.has("DET") and (code == "Y" or not plural):
        return None  # "the year 2000", "the 1988 quarter"
    rel = r.first("REL")
    if c.rate and [a.kind for a in r.atoms] == ["NUM", "UNIT"] and r.atoms[0].word in ("a", "an", "per") \
            and not plural:
        return _timex("SET", _duration_value(n, code), None)  # "$20,000 a year", "229,000 jobs a month"
    if count is None:
        if not plural:
            return None  # "last year", "the quarter": calendar
        count = "X"  # "years", "recent months", "the coming weeks"
    kinds = r.kinds()
    if "ORD" in kinds and kinds.index("UNIT") == kinds.index("ORD") + 1 and code in ("Q", "C", "L"):
        return None  # "the 1988 third quarter", "the 20th century"
    if [a.word for a in r.atoms] == ["one", "day"] and c.tense is not None and c.tense > 0:
        return _timex("DATE", "FUTURE_REF", None)  # "will one day be"
    if c.before == "in" and c.tense is not None and c.tense > 0 and count != "X" and c.anchor is not None:
        moved = timex.shift(c.anchor, count * n, code)
        return _timex("DATE", timex.render(moved, DAY_GRAIN.get(code, code)), r.mod)
    value = _duration_value(count if count == "X" else count * n, code)
    span: tuple[str | None, str | None] = (None, None)
    if rel in (-1, 1) and count != "X" and c.anchor is not None and code in timex.MONTHS_IN | {"D": 0, "W": 0}:
        other = timex.shift(c.anchor, rel * count * n, code)
        ends = sorted([c.anchor, other])
        span = (timex.day_value(ends[0]), timex.day_value(ends[1]))
    return _timex("DURATION", value, r.mod, True, span)


# ISO 8601 durations have no decades, centuries or millennia: a count of them is written in years,
# as TimeBank does ("two decades" P20Y); a vague one keeps its unit ("decades" PXDE), which years would lose
YEARS_IN = {"DE": 10, "C": 100, "L": 1000}


def _duration_value(count: float | str, code: str) -> str:
    time_unit = {"HOUR": "H", "MIN": "M", "SEC": "S"}.get(code)
    if code in YEARS_IN and count != "X":
        count, code = count * YEARS_IN[code], "Y"
    if count == "X":
        return f"PTX{time_unit}" if time_unit else f"PX{code}"
    whole = int(count)
    fraction = count - whole
    if time_unit:
        if fraction and code == "HOUR":
            return f"PT{whole}H{round(fraction * 60)}M" if whole else f"PT{round(fraction * 60)}M"
        if fraction and code == "MIN":
            return f"PT{whole}M{round(fraction * 60)}S" if whole else f"PT{round(fraction * 60)}S"
        return f"PT{_num(count)}{time_unit}"
    if fraction and code == "Y":
        return f"P{whole}Y{round(fraction * 12)}M" if whole else f"P{round(fraction * 12)}M"
    if fraction and code == "D":
        return f"P{whole}DT{round(fraction * 24)}H" if whole else f"PT{round(fraction * 24)}H"
    return f"P{_num(count)}{code}"


def _num(n: float) -> str:
    return str(int(n)) if float(n).is_integer() else f"{n:g}"


# ---------------------------------------------------------------- calendar values
def _calendar(r: Reading, c: Context) -> Timex | None:
    for rule in (_decade, _numeric_date, _holiday, _month, _season, _part_of_year, _weekday, _deictic,
                 _part_of_day, _relative_unit, _year):
        result = rule(r, c)
        if result is not None:
            return result
    return None


def _with_pod(r: Reading, day: str) -> str:
    pod = r.first("POD")
    return f"{day}T{pod}" if pod else day


def _explicit_year(r: Reading, c: Context) -> int | None:
    """A year written out: 1998, '98, "nineteen ninety-eight", "the year 2000"."""
    if r.has("YEARNUM"):
        return r.first("YEARNUM")
    if r.has("YEAR2"):
        two = r.first("YEAR2")
        ceiling = (c.anchor.year if c.anchor else 2000) + 10
        return 2000 + two if 2000 + two <= ceiling else 1900 + two
    kinds = r.kinds()
    for i, atom in enumerate(r.atoms):
        if atom.kind == "NUM" and isinstance(atom.value, int) and 1000 <= atom.value <= 2999 and (
                atom.word.isdigit() or (i and kinds[i - 1] == "UNIT")):  # 1998, "the year two thousand"
            return atom.value
    return None


def _rel(r: Reading) -> int | None:
    """The relative words together: "last" -1, "this" 0, "this past" -1, None if there are none."""
    atoms = r.by_kind.get("REL", [])
    if not atoms:
        return None
    return sum(a.value for a in atoms if a.word != "this")


def _year_relative(r: Reading) -> int | None:
    """The year a relative word gives a month or quarter: "June last year" -> -1."""
    kinds = r.kinds()
    for i, atom in enumerate(r.atoms):
        if atom.kind == "REL" and i + 1 < len(kinds) and kinds[i + 1] == "UNIT" and r.atoms[i + 1].value[0] == "Y":
            return atom.value
    return None


def _unanchored(r: Reading, value: str | None) -> Timex:
    return _timex("DATE", value, r.mod, False, (None, None))


def _decade(r: Reading, c: Context) -> Timex | None:
    if r.has("DECADE"):
        return _timex("DATE", r.first("DECADE"), r.mod)
    if r.has("CENTURY"):
        return _timex("DATE", r.first("CENTURY"), r.mod)
    if r.has("DECADE2", "DECADEW"):
        tens = r.first("DECADE2") // 10 if r.has("DECADE2") else r.first("DECADEW")
        now = c.anchor.year if c.anchor else 2000
        century = now // 100 if tens * 10 <= now % 100 else now // 100 - 1
        return _timex("DATE", f"{century}{tens}", r.mod)
    units = [a.value[0] for a in r.by_kind.get("UNIT", [])]
    if r.has("ORD") and units and units[-1] in ("C", "L") and r.first("ORD") > 0:
        n = r.first("ORD") - 1
        return _timex("DATE", f"{n:02d}" if units[-1] == "C" else f"{n}", r.mod)
    return None


def _numeric_date(r: Reading, c: Context) -> Timex | None:
    if not r.has("NUMDATE"):
        return None
    try:
        day = dateutil_parser.parse(r.first("NUMDATE"), dayfirst=False, yearfirst=False).date()
    except (ValueError, OverflowError):
        return None
    return _timex("DATE", _with_pod(r, timex.day_value(day)), r.mod)


def _holiday_span(rule: Any, year: int, week: bool = False) -> tuple[dt.date, dt.date] | None:
    """The day of a holiday in `year` (or its ISO week, Monday to Sunday)."""
    if week:
        day = _holiday_span(rule, year)
        if day is None:
            return None
        monday = day[0] - dt.timedelta(days=day[0].weekday())
        return monday, monday + dt.timedelta(days=6)
    if isinstance(rule, list):
        return timex.day_span(year, *rule)
    if "calendar" in rule:
        days = timex.feast_days(*rule["calendar"], year)
        if not days:
            return None
        if "until" not in rule:  # a feast of several days is named by its first
            return days[0], days[0]
        # a month such as Ramadan: from its first day to the day before the feast that ends it
        ends = [d for y in (year, year + 1) for d in timex.feast_days(*rule["until"], y) if d > days[0]]
        return (days[0], ends[0] - dt.timedelta(days=1)) if ends else None
    if "easter" in rule:
        day = dateutil_easter.easter(year, EASTER_METHODS[rule.get("method", "western")]) + \
            dt.timedelta(days=rule["easter"])
    else:
        month, weekday, n, *first = rule["nth"]  # the nth ISO weekday of a month, counted from day `first`
        start = dt.date(year, month, first[0] if first else 1) if n > 0 else \
            dt.date(year, month, 1) + relativedelta(months=1, days=-1)
        day = start + relativedelta(weekday=WEEKDAYS[weekday - 1](n))
    day += dt.timedelta(days=rule.get("offset", 0))
    return day, day


EASTER_METHODS = {"western": dateutil_easter.EASTER_WESTERN, "orthodox": dateutil_easter.EASTER_ORTHODOX}


def _holiday(r: Reading, c: Context) -> Timex | None:
    if not r.has("HOLIDAY"):
        return None
    rule = r.first("HOLIDAY")
    week = "W" in [a.value[0] for a in r.by_kind.get("UNIT", [])]
    year = _explicit_year(r, c)
    if year is None and c.anchor is not None:
        rel = _year_relative(r)
        near = _rel(r) if r.has("REL") and rel is None else None  # "last Thanksgiving", "next Easter"
        tense = c.tense if not near else near
        year = c.anchor.year + rel if rel is not None else timex.pick_year(
            lambda y: _holiday_span(rule, y, week), c.anchor, tense)
    if year is None:
        return _unanchored(r, f"XXXX-{rule[0]:02d}-{rule[1]:02d}" if isinstance(rule, list) else None)
    span = _holiday_span(rule, year)
    if span is None:
        return _unanchored(r, None)  # "Ramadan 2150": beyond the calendars the feast is known for
    if week:
        return _timex("DATE", timex.week_value(span[0]), r.mod)
    days = (timex.day_value(span[0]), timex.day_value(span[1])) if span[1] != span[0] else None
    return _timex("DATE", _with_pod(r, timex.day_value(span[0])), r.mod, span=days)


def _month(r: Reading, c: Context) -> Timex | None:
    if not r.has("MONTH"):
        return None
    month = r.first("MONTH")
    day = _day_number(r)
    year = _explicit_year(r, c)
    if year is None and c.anchor is not None:
        year = _month_year(r, c, month, day)
    if year is None:
        return _unanchored(r, f"XXXX-{month:02d}" + (f"-{day:02d}" if day else ""))
    if day is None:
        return _timex("DATE", timex.month_value(year, month), r.mod)
    if timex.day_span(year, month, day) is None:
        return REJECT  # "Feb. 30"
    if r.has("UNIT") and r.first("UNIT")[0] in ("W", "WE"):  # "the week of March 6": the week holding it
        return _timex("DATE", timex.render(dt.date(year, month, day), r.first("UNIT")[0]), r.mod)
    return _timex("DATE", _with_pod(r, f"{year:04d}-{month:02d}-{day:02d}"), r.mod)


def _day_number(r: Reading) -> int | None:
    """The day of the month next to a month name: "Jan. 20", "20 January", "the 20th of January"."""
    kinds = r.kinds()
    at = kinds.index("MONTH")
    for i in (at + 1, at - 1, at - 2):
        if 0 <= i < len(r.atoms) and r.atoms[i].kind in ("NUM", "ORD"):
            value = r.atoms[i].value
            if isinstance(value, int) and 1 <= value <= 31 and (r.atoms[i].kind == "ORD" or i == at + 1 or
                                                               kinds[i + 1:at] in (["OF"], [])):
                return value
    return None


def _month_year(r: Reading, c: Context, month: int, day: int | None) -> int | None:
    anchor = c.anchor
    rel = _year_relative(r)
    if rel is not None:
        return anchor.year + rel
    kinds = r.kinds()
    at = kinds.index("MONTH")
    if at and kinds[at - 1] == "REL":  # "last October", "this September", "next May"
        rel = r.atoms[at - 1].value
        if rel < 0:
            return anchor.year if month < anchor.month else anchor.year - 1
        if rel > 0:
            return anchor.year if month > anchor.month else anchor.year + 1
        return anchor.year
    if day is not None and r.has("WEEKDAY"):
        # "Saturday, April 25": the year in which that day is that weekday, the nearest one
        weekday = r.first("WEEKDAY")
        return timex.pick_year(lambda y: _on_weekday(timex.day_span(y, month, day), weekday), anchor, 0)
    if day is not None:
        return timex.pick_year(lambda y: timex.day_span(y, month, day), anchor, c.tense)
    return timex.pick_year(lambda y: timex.month_span(y, month), anchor, c.tense)


def _on_weekday(span: tuple[dt.date, dt.date] | None, weekday: int) -> tuple[dt.date, dt.date] | None:
    return span if span is not None and span[0].isoweekday() == weekday else None


def _season(r: Reading, c: Context) -> Timex | None:
    if not r.has("SEASON"):
        return None
    season = r.first("SEASON")
    year = _explicit_year(r, c)
    if year is None and c.anchor is not None:
        rel = _rel(r)
        current_year, current = timex.season_of(c.anchor)
        if rel is not None and rel < 0:
            year = current_year if timex.SEASONS.index(season) < timex.SEASONS.index(current) else current_year - 1
        elif rel is not None and rel > 0:
            year = current_year if timex.SEASONS.index(season) > timex.SEASONS.index(current) else current_year + 1
        else:
            year = timex.pick_year(lambda y: timex.season_span(y, season), c.anchor, c.tense if rel is None else None)
    if year is None:
        return _unanchored(r, f"XXXX-{season}")
    return _timex("DATE", f"{year:04d}-{season}", r.mod)


def _part_of_year(r: Reading, c: Context) -> Timex | None:
    """Quarters and halves: "the third quarter", "Q3 2018", "the first half of 1989"."""
    units = [a.value[0] for a in r.by_kind.get("UNIT", [])]
    year = _explicit_year(r, c)
    latest = r.first("REL") == -1 and r.has("PERIOD") and not r.has("NUM", "ORD", "QCODE", "VAGUE")
    if c.period and not r.has("ORD", "QCODE", "VAGUE") and (r.has("PERIOD") or units == ["Q"]) and (year or latest):
        # "the 1988 quarter", "the latest period": the quarter the results are for, in that year
        return _timex("DATE", (f"{year:04d}" if year else c.period[:4]) + c.period[4:], r.mod, anaphoric=True)
    if latest and c.anchor is not None:
        return _timex("DATE", timex.unit_value(c.anchor, "Q", -1), r.mod)  # no period named yet: the last quarter
    if r.has("QCODE"):
        kind, n = "Q", r.first("QCODE")
    elif r.has("ORD") and (r.has("HALF") or "Q" in units):
        kind = "H" if r.has("HALF") else "Q"
        n = r.first("ORD")
        n = (2 if kind == "H" else 4) if n == -1 else n
        if not 1 <= n <= (2 if kind == "H" else 4):
            return None
    else:
        return None
    span_of = timex.half_span if kind == "H" else timex.quarter_span
    year = _explicit_year(r, c)
    if year is None and c.anchor is not None:
        rel = _year_relative(r)
        # a quarter is the nearest one, or in a past-tense clause the last one begun ("earned $5 million
        # in the fiscal first quarter"); a future clause is most often a report still to come on a
        # quarter already over ("expects to report a profit for the third quarter")
        past = c.tense if c.tense is not None and c.tense < 0 else None
        year = c.anchor.year + rel if rel is not None else timex.pick_year(lambda y: span_of(y, n), c.anchor, past)
    if year is None:
        return _unanchored(r, f"XXXX-{kind}{n}")
    return _timex("DATE", f"{year:04d}-{kind}{n}", r.mod)


def _weekday(r: Reading, c: Context) -> Timex | None:
    if not r.has("WEEKDAY"):
        return None
    weekday = r.first("WEEKDAY")
    if c.anchor is None:
        return _unanchored(r, f"XXXX-WXX-{weekday}")
    rel = _rel(r)
    if rel is not None and rel != 0:
        # "the previous Friday", "the following Monday": from the story's day when there is one
        anchor, anaphoric = c.anchor, False
        if any(a.word in r.lex["anaphoric_relatives"] for a in r.by_kind["REL"]) and \
                (story_day := _story_day(c)) is not None:
            anchor, anaphoric = story_day, True
        day = timex.pick_weekday(weekday, anchor, rel, strict=True)
        return _timex("DATE", _with_pod(r, timex.day_value(day)), r.mod, anaphoric=anaphoric)
    else:
        day = timex.pick_weekday(weekday, c.anchor, c.tense)
    return _timex("DATE", _with_pod(r, timex.day_value(day)), r.mod)


def _deictic(r: Reading, c: Context) -> Timex | None:
    if not r.has("DEICTIC"):
        return None
    if c.anchor is None:
        return _unanchored(r, None)
    offset = r.first("DEICTIC")
    if r.has("SHIFT") and r.has("UNIT"):  # "the day before yesterday"
        offset += r.first("SHIFT")
    day = timex.day_value(c.anchor + dt.timedelta(days=offset))
    if r.by_kind["DEICTIC"][0].word == "tonight" and not r.has("POD"):
        day += "TNI"
    return _timex("DATE", _with_pod(r, day), r.mod)


def _part_of_day(r: Reading, c: Context) -> Timex | None:
    """ "this morning", "last night", "the next morning"."""
    if not r.has("POD"):
        return None
    if c.anchor is None:
        return _unanchored(r, None)
    if not r.has("REL"):  # "by mid afternoon", "in the morning": of the story's day (see _day_of)
        return _timex("DATE", _with_pod(r, _day_of(r, c)), r.mod)
    rel = _rel(r)
    word = r.by_kind["REL"][-1].word
    if rel < 0 and r.first("POD") in ("NI", "EV"):
        offset = -1  # "last night" was yesterday's
    elif word in r.lex["anaphoric_relatives"] or rel > 0:
        base = timex.parse(c.reference)[1] if c.reference and timex.parse(c.reference) else c.anchor
        return _timex("DATE", _with_pod(r, timex.day_value(base + dt.timedelta(days=rel))), r.mod)
    else:
        offset = 0
    return _timex("DATE", _with_pod(r, timex.day_value(c.anchor + dt.timedelta(days=offset))), r.mod)


def _relative_unit(r: Reading, c: Context) -> Timex | None:
    """ "last year", "this week", "the past month", "the weekend", "that year", "the quarter"."""
    units = [a for a in r.by_kind.get("UNIT", []) if not a.value[2]]
    if not units or r.has("NUM", "YEARNUM"):
        return None
    code = units[-1].value[0]
    if code in ("HOUR", "MIN", "SEC"):
        return None
    rel_atoms = r.by_kind.get("REL", [])
    rel = _rel(r)
    anaphoric = any(a.word in r.lex["anaphoric_relatives"] for a in rel_atoms) or (
        code == "D" and r.has("DET"))  # "the next day" follows the story, not the calendar
    if code == "Y" and r.has("ENDWORD") and not rel_atoms and c.anchor is not None:
        return _timex("DATE", timex.unit_value(c.anchor, "Y"), "END")  # "by year-end", "year's end": this year's
    if code == "Y" and not rel_atoms and r.has("DET") and c.after in ("ended", "ending"):
        return _timex("DURATION", "P1Y", r.mod, True, (None, None))  # "the year ended June 30": a fiscal year's length
    if code == "Q" and c.period and timex.parse(c.period)[0] == "Q" and not rel_atoms and r.has("DET"):
        return _timex("DATE", c.period, r.mod, anaphoric=True)  # "the quarter": the one reported on
    if not rel_atoms:
        if not r.has("DET"):
            return None
        # "the quarter", "the year": the one the story is about if that is of this year, else the current one
        anaphoric, rel = code != "WE" and _this_year(c), 0
    if c.anchor is None and not (anaphoric and c.reference):
        return _unanchored(r, None)
    if code == "WE" and (not rel_atoms or (rel in (-1, 0) and not anaphoric) or c.anchor.isoweekday() >= 6):
        return _timex("DATE", _weekend(c, rel if rel_atoms else None), r.mod)
    if code in ("DE", "C", "L") and rel in (-1, 1) and not anaphoric:
        # "the past decade" is the ten years up to publication, not the 2000s
        ends = sorted([c.anchor, timex.shift(c.anchor, rel, code)])
        return _timex("DURATION", _duration_value(1, code), r.mod, True,
                      (timex.day_value(ends[0]), timex.day_value(ends[1])))
    if anaphoric and c.reference and (parsed := timex.parse(c.reference)) is not None \
            and timex.coarser(parsed[0].replace("WD", "D"), code) == code:
        if code == "D":
            return _timex("DATE", timex.day_value(parsed[1] + dt.timedelta(days=rel)), r.mod, anaphoric=True)
        return _timex("DATE", timex.render(timex.shift(parsed[1], rel, code), code), r.mod, anaphoric=True)
    if c.anchor is None:
        return _unanchored(r, None)
    if code == "D":
        return _timex("DATE", timex.day_value(c.anchor + dt.timedelta(days=rel)), r.mod)
    return _timex("DATE", timex.unit_value(c.anchor, code, rel), r.mod)


def _this_year(c: Context) -> bool:
    """Whether the story's last date falls in the publication year (or there is no publication date)."""
    parsed = timex.parse(c.reference) if c.reference else None
    return parsed is not None and (c.anchor is None or parsed[1].year == c.anchor.year)


def _weekend(c: Context, rel: int | None = None) -> str:
    """The weekend of "the weekend" (`rel` None), "this weekend" (0), "last weekend" (-1), "next weekend" (1).

    On a Saturday or Sunday "this weekend" and "the weekend" are that one, "last" and "next" the ones
    around it. On a weekday, "the weekend" is the one just past in a past-tense clause (or early in
    the week, when the tense says nothing) and "this weekend" the one just past in a past-tense
    clause, else the coming one, as a bare weekday is; "last weekend" is the one just past and
    "next weekend" the one after the coming one (weeks counted from Sunday, see `timex.unit_value`).
    """
    weekday = c.anchor.isoweekday()
    monday = c.anchor - dt.timedelta(days=weekday - 1)  # of the ISO week whose weekend is the nearest
    if weekday >= 6:
        weeks = 0 if rel is None else rel
    elif rel is None:
        weeks = -1 if (c.tense < 0 if c.tense else weekday <= 3) else 0
    elif rel == 0:
        weeks = -1 if c.tense is not None and c.tense < 0 else 0
    else:
        weeks = -1 if rel < 0 else 1
    return timex.week_value(monday + dt.timedelta(weeks=weeks)) + "-WE"


def _year(r: Reading, c: Context) -> Timex | None:
    year = _explicit_year(r, c)
    if year is None:
        return None
    return _timex("DATE", f"{year:04d}", r.mod)
