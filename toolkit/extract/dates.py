"""Time expressions and their TIMEX3 values, resolved against the publication date.

`date_mentions(doc)` yields a `DateMention` for each time expression of a Doc: its span, its
TIMEX3 type (DATE, TIME, DURATION, SET), value and modifier, and the days the value covers
(`range_start`, `range_end`) so that a timeline can place it. Relative expressions ("Tuesday",
"last year", "two weeks ago") are resolved against `doc._.published`; without one they stay
unanchored (`anchored=False`) and their value is left empty or underspecified (`XXXX-WXX-2`),
never guessed.

Notes:
    Spans come from two sources, as in HeidelTime (Strötgen & Gertz 2013) and SUTime (Chang &
    Manning 2012, token patterns over a rule cascade): span patterns over tokens (spaCy `Matcher`,
    written in `toolkit/data/timex_en.json`) and spaCy's own DATE and TIME entities for what the
    patterns miss. Patterns win where both find something, because they keep the TimeML span
    conventions (TIMEX3 guidelines, TimeML 1.2.1): prepositions out ("on Monday" -> "Monday"),
    modifiers and determiners in ("early December", "the past two years"), lists split ("1994,
    1995 and 1997"). Patterns that also match non-temporal text (a bare "1990", "the year") count
    only inside a spaCy DATE or TIME entity. Values come from `toolkit.extract.date_values`; the tense of
    the governing clause (from the dependency parse) decides whether a bare "Monday" or "March" is
    the last or the next one, as HeidelTime does with part-of-speech tense.

    A range gives both its ends ("1990–1995", "Nov. 3–5"), as TimeML annotates them. Time words
    inside names are no dates: a named mention of the entity layer (`doc._.entity_mentions`; the
    component runs after `toolkit_entities`) that goes on after the time word, or a name of
    `toolkit/data/time_names.txt` ("USA Today", "Morning Edition"); nor are periods of a game
    ("the 69th minute", "the second half" of a match).

    To stay cheap inside the spaCy pass, the Matcher only runs over windows around trigger words
    (month names, units, years ...), found with one vectorised look-up over the Doc's LOWER and
    SHAPE arrays, and fixed phrases (feasts, "now", "year-end") over windows of their own.
"""
from __future__ import annotations

import datetime as dt
import itertools
import re
from typing import Any, Iterator, NamedTuple

import numpy as np
from spacy.attrs import LOWER, SHAPE
from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans
from spacy.vocab import Vocab

from . import extensions  # noqa: F401  (registers Doc._ attributes)
from ..text import timex
from ..text import lexicons
from .date_values import DATA_FILE, REJECT, Context, Timex, normalize


class DateMention(NamedTuple):
    """One time expression of an article."""

    article_id: str | None
    start: int
    end: int
    text: str
    type: str  # DATE / TIME / DURATION / SET
    value: str | None  # TIMEX3 value
    range_start: str | None  # ISO date: first day the value covers
    range_end: str | None  # last day
    anchored: bool  # False: relative, and no publication date to resolve it against
    mod: str | None = None  # TIMEX3 mod: START, MID, END, APPROX, LESS_THAN, MORE_THAN, ...


ENTITY_LABELS = ("DATE", "TIME")
# entities a time word inside of is part of a name: "the Sunday Times", CBS's "60 Minutes"
NAME_LABELS = {"PERSON", "ORG", "GPE", "LOC", "NORP", "WORK_OF_ART", "PRODUCT", "LAW", "LANGUAGE"}
WINDOW = (4, 4)  # tokens before and after a trigger word that a pattern may reach
EDGE_WORDS = {",", "-", "–", "of", "and", "or", "'s", "’s"}
YEAR_SHAPES = {"dddd", "ddddx", "'dd", "’dd", "ddx"}
_ORDINAL_SUFFIX = re.compile(r"\d+(st|nd|rd|th)")
SHAPES = {
    "year": ["dddd"],
    "digits": ["d", "dd"],
    "numeric_date": ["dd/dd/dddd", "d/dd/dddd", "dd/d/dddd", "d/d/dddd", "dd/dd/dd", "d/d/dd", "d/dd/dd", "dd/d/dd"],
    "decade": ["ddddx", "xxx-ddddx", "xxxx-ddddx", "xxxxx-ddddx"],
    "decade_short": ["ddx"],
    "clock": ["d:dd", "dd:dd"],
    "day_range": ["d–d", "d–dd", "dd–dd", "d—d", "d—dd", "dd—dd"],
    "year_range": ["dddd–dddd", "dddd–dd", "dddd—dddd", "dddd—dd"],
}


# ---------------------------------------------------------------- patterns
def token_classes(lex: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Matcher token specifications for the `@name` classes of the pattern language."""
    ordinals = list(lex["ordinals"]) + [f"{n}{_suffix(n)}" for n in range(1, 100)]
    words = {
        "month": list(lex["months"]), "weekday": list(lex["weekdays"]),
        "weekday_plural": list(lex["weekdays_plural"]), "season": list(lex["seasons"]),
        "season_plural": list(lex["seasons_plural"]), "part_of_day": list(lex["parts_of_day"]),
        "part_of_day_plural": list(lex["parts_of_day_plural"]),
        "unit": list(lex["units"]), "plural_unit": lex["plural_units"],
        "calendar_unit": [w for w, (code, _) in lex["units"].items()
                          if w not in lex["plural_units"] and code not in ("HOUR", "MIN", "SEC")],
        "period_unit": [w for w, (code, _) in lex["units"].items()
                        if w not in lex["plural_units"] and code not in ("HOUR", "MIN", "SEC", "D")],
        "duration_relative": lex["duration_relatives"],
        "deictic": list(lex["deictic_days"]), "reference": list(lex["references"]),
        "reference_noun": list(lex["reference_nouns"]), "relative": list(lex["relatives"]),
        "modifier": list(lex["modifiers"]), "approximator": list(lex["approximators"]),
        "shift": [w for w in lex["shifts"] if w not in lex["signal_shifts"]],
        "vague": list(lex["vague_quantities"]), "ordinal": ordinals, "set_word": [w for w in lex["set_words"]
                                                                               if w != "per"],
        "set_adverb": list(lex["set_adverbs"]), "frequency": list(lex["frequencies"]),
        "clock_suffix": list(lex["clock_suffixes"]), "clock_word": list(lex["clock_words"]),
        "time_zone": lex["time_zones"], "quarter_code": [f"q{n}" for n in range(1, 5)] + [f"{n}q" for n in range(1, 5)],
    }
    classes: dict[str, list[dict[str, Any]]] = {name: [{"LOWER": {"IN": w}}] for name, w in words.items()}
    for name in ("month", "weekday", "weekday_plural"):  # "may", "march", "sat." in lower case are other words
        classes[name][0]["IS_LOWER"] = False
    for name, shapes in SHAPES.items():
        classes[name] = [{"SHAPE": {"IN": shapes}}]
    classes["decade"].append({"LOWER": {"IN": list(lex["decade_words"])}})
    classes["number"] = [{"LIKE_NUM": True}]
    return classes


def _suffix(n: int) -> str:
    return "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")


def compile_pattern(tokens: list[str], classes: dict[str, list[dict[str, Any]]]) -> list[list[dict[str, Any]]]:
    """Matcher patterns for one pattern of the data file: '@class', 'a|b' (words), suffix '?', '*', '+'."""
    positions = []
    for token in tokens:
        op = token[-1] if token[-1] in "?*+" and len(token) > 1 else None
        body = token[:-1] if op else token
        specs: list[dict[str, Any]] = []
        literal: list[str] = []
        for part in body.split("|"):
            if part.startswith("@"):
                specs.extend(dict(s) for s in classes[part[1:]])
            else:
                literal.append(part.lower())
        if literal:
            specs.append({"LOWER": {"IN": literal}} if len(literal) > 1 else {"LOWER": literal[0]})
        specs = _merge_word_sets(specs)
        if op:
            specs = [{**s, "OP": op} for s in specs]
        positions.append(specs)
    return [list(p) for p in itertools.product(*positions)]


def _merge_word_sets(specs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One spec for alternatives that are all plain word lists, so patterns do not multiply."""
    plain = [s for s in specs if set(s) == {"LOWER"}]
    if len(plain) < 2:
        return specs
    merged: list[str] = []
    for s in plain:
        merged.extend(s["LOWER"]["IN"] if isinstance(s["LOWER"], dict) else [s["LOWER"]])
    return [s for s in specs if s not in plain] + [{"LOWER": {"IN": sorted(set(merged))}}]


def phrase_words(phrase: str) -> list[str]:
    """A lexicon phrase as spaCy's English tokenizer splits it: "new year's day" -> new, year, 's, day;
    "eid al-fitr" -> eid, al, -, fitr."""
    return phrase.replace("'s", " 's").replace("s' ", "s ' ").replace("-", " - ").split()


class DateFinder:
    """The span patterns of a lexicon compiled for one vocabulary, and the words that trigger them."""

    def __init__(self, vocab: Vocab, data: str = DATA_FILE, use_entities: bool = True,
                 names: str = lexicons.TIME_NAMES_FILE) -> None:
        self.data = data
        self.lex = lexicons.timex(data)
        self.use_entities = use_entities
        # outlets, programmes and titles that hold a time word: "USA Today", "Morning Edition"
        self.names = PhraseMatcher(vocab, attr="LOWER")
        self.name_forms = {tuple(phrase_words(n.lower())): phrase_words(n) for n in lexicons.time_names(names)}
        self.names.add("name", [Doc(vocab, words=list(words)) for words in self.name_forms])
        self.game_periods = set(self.lex.get("game_periods", ()))
        self.game_cues = set(self.lex.get("game_cues", ()))
        self.matcher = Matcher(vocab)
        classes = token_classes(self.lex)
        for name, alternatives in self.lex["patterns"].items():
            self.matcher.add(name, [p for alt in alternatives for p in compile_pattern(alt, classes)])
        for name, alternatives in self.lex["entity_only"].items():
            self.matcher.add("entity_only", [p for alt in alternatives for p in compile_pattern(alt, classes)])
        # fixed phrases cost a hash look-up, not a pattern each
        self.phrases = PhraseMatcher(vocab, attr="LOWER")
        fixed = self.lex.get("fixed_phrases", {})
        for name, phrases in (("reference", self.lex["reference_phrases"]), ("prefix", self.lex["prefixes"]),
                              ("holiday", self.lex["holidays"]), *fixed.items()):
            self.phrases.add(name, [Doc(vocab, words=phrase_words(p)) for p in phrases])
        trigger_words = set()
        for name in ("month", "weekday", "weekday_plural", "season", "season_plural", "part_of_day", "unit",
                     "deictic", "set_adverb", "clock_suffix", "clock_word", "quarter_code", "decade"):
            for spec in classes[name]:
                if "LOWER" in spec:
                    trigger_words.update(spec["LOWER"]["IN"])
        trigger_words.add("period")  # "the latest period", "the 1988 period"
        shapes = [s for name in ("year", "numeric_date", "decade", "decade_short", "clock", "year_range")
                  for s in SHAPES[name]]
        # one array for both columns: a word's LOWER never equals a shape string such as "dddd"
        self.triggers = np.array(sorted({vocab.strings.add(w) for w in trigger_words} |
                                        {vocab.strings.add(s) for s in shapes}), dtype=np.uint64)
        # the fixed phrases need no pattern window: a phrase's last word is its distinctive one
        # ("Christmas", "Day", "now", "future"), and the phrase ends there
        ended = [*self.lex["holidays"], *self.lex["reference_phrases"], *(p for ps in fixed.values() for p in ps)]
        phrase_ends = {phrase_words(p)[-1] for p in ended}
        self.phrase_triggers = np.array(sorted(vocab.strings.add(w) for w in phrase_ends), dtype=np.uint64)
        self.phrase_reach = max(len(phrase_words(p)) for p in ended)
        self.modifiers = set(self.lex["modifiers"])
        self.sequence_adverbs = set(self.lex.get("sequence_adverbs", ()))
        self.vague = set(self.lex["vague_quantities"])
        self.approximators = set(self.lex["approximators"])
        self.outside_approximators = set(self.lex.get("outside_approximators", ()))
        self.ambiguous_months = set(self.lex["ambiguous_months"])
        self.ambiguous_seasons = set(self.lex["ambiguous_seasons"])
        self.set_adverbs = set(self.lex["set_adverbs"])
        self.adjective_sets = set(self.lex.get("adjective_sets", ()))
        self.not_before_now = set(self.lex["not_before_now"])
        self.future_cues = set(self.lex["future_cues"])
        self.past_cues = set(self.lex["past_cues"])
        self.future_before = set(self.lex.get("future_before", ()))
        self.open_before = set(self.lex.get("open_before", ()))
        self.moved_to = set(self.lex.get("moved_to", ()))

    # ------------------------------------------------------------ spans
    def windows(self, doc: Doc, ents: list[Span]) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
        """Token ranges for the patterns (around trigger words and spaCy's DATE/TIME entities `ents`)
        and for the fixed phrases (those, and the few words before a phrase's last word), merged."""
        if not len(doc):
            return [], []
        columns = doc.to_array([LOWER, SHAPE])
        hits = np.isin(columns, self.triggers).any(axis=1)
        before, after = WINDOW
        ranges = [(max(0, i - before), min(len(doc), i + after)) for i in np.flatnonzero(hits).tolist()]
        ranges += [(max(0, e.start - before), min(len(doc), e.end + after)) for e in ents]
        ends = np.flatnonzero(np.isin(columns[:, 0], self.phrase_triggers)).tolist()
        phrase_ranges = ranges + [(max(0, i + 1 - self.phrase_reach), i + 1) for i in ends]
        return _merged(ranges), _merged(phrase_ranges)

    def spans(self, doc: Doc) -> list[Span]:
        """The time expressions of `doc`, in text order, labelled with the pattern that found them."""
        ents = [e for e in doc.ents if e.label_ in ENTITY_LABELS]
        found: list[Span] = []
        pattern_windows, phrase_windows = self.windows(doc, ents)
        for start, end in pattern_windows:
            found.extend(self.matcher(doc[start:end], as_spans=True))
        for start, end in phrase_windows:
            found.extend(self._extend_holiday(s) if s.label_ == "holiday" else s
                         for s in self.phrases(doc[start:end], as_spans=True))
        found = [s for s in found if s.label_ == "holiday" or not _inside_name(s)]
        prefixes = filter_spans([s for s in found if s.label_ == "prefix"])
        found = [s for s in found if s.label_ not in ("entity_only", "prefix")] + [
            s for s in found if s.label_ == "entity_only" and all(t.ent_type_ in ENTITY_LABELS for t in s)]
        spans = filter_spans([self._without_article(self.extend(t)) for t in (_trim(s) for s in found) if t is not None])
        spans = _join_prefixes(spans, prefixes)
        spans = _join_of(spans)
        if self.use_entities:
            spans += self.entity_spans(doc, ents, spans)
        return sorted(spans, key=lambda s: s.start)

    def extend(self, span: Span) -> Span:
        """The span with the words before it that belong to it: modifiers ("early", "mid-"), an
        approximator before a number ("about", "nearly"), its determiner ("the past two years",
        "a few weeks"; not the "the" of "the third-quarter growth", whose head is outside)."""
        doc, start, end = span.doc, span.start, span.end
        while start > 0:
            prev, first = doc[start - 1], doc[start]
            if prev.lower_ in self.modifiers and not (prev.lower_ in self.sequence_adverbs and
                                                       first.lower_ in self.lex["weekdays"]):
                start -= 1
            elif prev.text in ("-", "–") and start > 1 and doc[start - 2].lower_ in self.modifiers:
                start -= 2
            elif prev.lower_ in self.approximators and (prev.lower_ not in self.outside_approximators or
                                                         doc[end - 1].lower_ in self.lex["shifts"]) and (
                    first.like_num or first.lower_ in ("a", "an")) and span.label_ in ("duration", "clock"):
                # "nearly five months", "around 9 a.m.", "about two years ago"; not "over 2000 - 2050", nor
                # "about" and "over" before a duration, which TimeBank leaves outside ("for about two weeks")
                start -= 1
            elif prev.lower_ in ("the", "a", "an") and not (prev.lower_ != "the" and first.like_num) and (
                    (prev.dep_ == "det" and start <= prev.head.i < end) or first.lower_ in self.vague):
                start -= 1
            else:
                break
        return span if start == span.start else Span(doc, start, end, label=span.label)

    def _without_article(self, span: Span) -> Span:
        """The span without a leading article that TimeBank leaves out: before a date ("the Aug. 7,
        1998, bombings", "an Aug. 10, 1988, agreement") and "the" before a bare plural unit ("in the
        weeks before the vote"); "the past two years", "the third quarter", "the 1990s" keep it."""
        if len(span) < 2 or span[0].lower_ not in ("the", "a", "an"):
            return span
        rest = span[1:]
        dated = span.label_ == "calendar_date" and (rest[0].lower_ in self.lex["months"] or rest[0].like_num)
        if dated or (span[0].lower_ == "the" and len(rest) == 1 and rest[0].lower_ in self.lex["plural_units"]):
            return Span(span.doc, span.start + 1, span.end, label=span.label)
        return span

    def _extend_holiday(self, span: Span) -> Span:
        """ "Christmas" -> "Christmas week 1998", "last Thanksgiving": "last", "next" or "this" before
        the name, "week" or "eve" and a year after it."""
        doc, start, end = span.doc, span.start, span.end
        if start and doc[start - 1].lower_ in ("last", "next", "this"):
            start -= 1  # "last Thanksgiving"
        if end < len(doc) and doc[end].lower_ in ("week", "weekend", "eve"):
            end += 1
        if end < len(doc) and doc[end].shape_ == "dddd":
            end += 1
        return Span(doc, start, end, label=span.label)

    def entity_spans(self, doc: Doc, ents: list[Span], taken: list[Span]) -> list[Span]:
        """spaCy DATE/TIME entities that no pattern covered, prepositions and punctuation trimmed."""
        covered = np.zeros(len(doc) + 1, dtype=bool)
        for s in taken:
            covered[s.start:s.end] = True
        out = []
        for ent in ents:
            if covered[ent.start:ent.end].any():
                continue
            start, end = ent.start, ent.end
            while start < end and (doc[start].pos_ in ("ADP", "PUNCT", "SCONJ") or doc[start].lower_ in
                                   ("just", "only", "sometime")):
                start += 1
            while end > start and (doc[end - 1].is_punct or doc[end - 1].is_space or doc[end - 1].lower_ in
                                   EDGE_WORDS):
                end -= 1
            if end > start:
                out.append(Span(doc, start, end, label="entity"))
        return out

    # ------------------------------------------------------------ values
    def mentions(self, doc: Doc) -> Iterator[DateMention]:
        anchor = published_date(doc)
        reference: str | None = None
        period: str | None = None
        previous: tuple[Span, str | None] | None = None
        spans = self.spans(doc)
        names = self.name_ranges(doc) if spans else []
        for span in spans:
            if not self.plausible(span) or self.in_name(span, names) or self.game_period(span):
                continue
            prev = doc[span.start - 1] if span.start else None
            context = Context(anchor, self.tense(span), reference, prev.lower_ if prev is not None else None,
                              _word(doc, span.end + (doc[span.end].text in ("-", "–") if span.end < len(doc) else 0)),
                              rate=prev is not None and (prev.like_num or prev.pos_ in ("NOUN", "PROPN", "SYM")),
                              period=period)
            for start, end, words in range_parts(span):
                result = normalize(words, context, self.data)
                if result == REJECT or (result is None and not self.temporal(span)):
                    continue
                if result is None:
                    result = Timex("DATE", None, None, None, None, True)
                if result.anaphoric and previous is not None and result.value == previous[1] and \
                        doc[previous[0].end:span.start].text.strip() in (",", "--", "-"):
                    continue  # "on Tuesday, the same day ...": a restatement adds no time to the timeline
                if result.type in ("DATE", "TIME") and timex.parse(result.value) is not None and not result.anaphoric:
                    reference = result.value  # the story's time, for "that day" and "a year earlier"
                if result.type == "DATE" and not result.anaphoric and (parsed := timex.parse(result.value)) \
                        and parsed[0] in ("Q", "H") and (anchor is None or parsed[2] < anchor):
                    period = result.value  # the period reported on (one over), for "a year ago" and "the quarter"
                previous = (span, result.value)
                text = span.text if (start, end) == (span.start_char, span.end_char) else \
                    span.text[start - span.start_char:end - span.start_char]
                yield DateMention(doc._.article_id, start, end, text, result.type, result.value,
                                  result.range_start, result.range_end, result.anchored, result.mod)

    def plausible(self, span: Span) -> bool:
        """False for words of a pattern that are something else here: "May I", "the fall of Rome",
        "a daily paper", "for now", "today's world", "VOA Today"."""
        first = span[0]
        words = [t.lower_ for t in span if t.lower_ not in ("the", "early", "late", "mid", "-")]
        in_entity = any(t.ent_type_ in ENTITY_LABELS for t in span)
        if len(words) == 1:
            word = words[0]
            if word in self.ambiguous_months and not (in_entity or first.tag_ == "NNP"):
                return False
            if word in self.ambiguous_seasons and not in_entity:
                return False
            if word in self.lex["seasons"] and span[-1].dep_ in ("compound", "amod") and span[-1].head.pos_ == "NOUN":
                return False  # "winter wheat", "summer camp"
            if word in self.adjective_sets and (span[-1].pos_ != "ADV" or _next_pos(span) in ("NOUN", "PROPN")):
                return False  # "quarterly dividend", "annual report": a kind of thing, not how often

            if word == "now":
                prev = span.doc[span.start - 1] if span.start else None
                nxt = span.doc[span.end] if span.end < len(span.doc) else None
                if prev is not None and prev.lower_ in self.not_before_now:
                    return False
                if nxt is not None and nxt.text == "," and first.is_sent_start:
                    return False
            if word in self.lex["parts_of_day"] and span.start and span.doc[span.start - 1].lower_ == "good" and \
                    len(span) == 1:
                return False  # "Good evening from Havana": a greeting
            if word in ("today", "tonight") and span.end < len(span.doc) and span.doc[span.end].lower_ in ("'s", "’s"):
                return False  # "today's world" means nowadays, not the day
        share = [t.lower_ for t in span if t.lower_ not in self.approximators and t.lower_ not in ("-", "more", "than",
                                                                                                  "less", "just")]
        if share in (["a", "quarter"], ["an", "quarter"], ["one", "quarter"], ["three", "quarters"]) and \
                _next_word(span) == "of":
            return False  # "a quarter of citizens", "about three-quarters of its food": a share, not a period
        if [t.lower_ for t in span][:1] == ["the"] and len(span) == 2 and span[-1].lower_ in self.lex["parts_of_day"] \
                and _next_word(span) == "of" and span.end + 1 < len(span.doc) and \
                span.doc[span.end + 1].ent_type_ in ENTITY_LABELS:
            return False  # "on the night of Oct. 23": the date that follows carries the time
        if span[-1].lower_ in ("before", "after") and _next_pos(span) not in (None, "PUNCT"):
            return False  # "the day before the vote": a preposition, its object is no time
        last = span[-1]
        if last.is_title and not last.is_sent_start and span.label_ != "holiday":
            if last.lower_ in self.lex["units"] or (
                    (last.lower_ in self.lex["deictic_days"] or last.lower_ in self.lex["references"])
                    and span.start and span.doc[span.start - 1].pos_ == "PROPN"):
                return False  # a title or a name: CBS's "60 Minutes", "This Week", "VOA Today"
        return True

    def name_ranges(self, doc: Doc) -> list[tuple[int, int, bool]]:
        """Character ranges of names in `doc` that may hold a time word, each with whether it comes
        from the list of names (`time_names.txt`, where the text capitalises it as a name) rather than
        from the entity layer's named mentions (`doc._.entity_mentions`)."""
        listed = [(s.start_char, s.end_char, True) for s in self.names(doc, as_spans=True)
                  if self._capitalised(s)]
        named = [(m[1], m[2], False) for m in doc._.entity_mentions or () if m[5] == "name"]
        return listed + named

    def _capitalised(self, span: Span) -> bool:
        """Whether the text capitalises a listed name as the list does ("the Today show", "USA TODAY")."""
        form = self.name_forms[tuple(t.lower_ for t in span)]
        return all(t.is_title or t.is_upper for t, word in zip(span, form) if word[:1].isupper())

    def in_name(self, span: Span, names: list[tuple[int, int, bool]]) -> bool:
        """Whether the time words of `span` belong to a name: one of the list that overlaps it
        ("USA TODAY", "the Today show"), or a named mention that holds it and goes on after it ("the
        Sunday Times", "Good Morning America"; not "the Czech Republic Friday", a name that NER ran
        on into the date). Years and numbers stay dates inside names ("the 1996 Olympics")."""
        if span.label_ == "holiday" or any(t.like_num or t.shape_ in YEAR_SHAPES for t in span):
            return False
        start, end = span.start_char, span.end_char
        return any(s < end and start < e if listed else s <= start and end < e for s, e, listed in names)

    def game_period(self, span: Span) -> bool:
        """Whether `span` is a period of a game, not of the calendar: an ordinal before a game period
        ("the 69th minute", "the ninth inning"), or before "half" or "quarter" in a sentence about a
        game ("scored in the second half", "led in the third quarter")."""
        words = [t for t in span if t.lower_ not in ("the", "-")]
        if len(words) < 2 or words[-1].lower_.rstrip("s") not in self.game_periods | {"half", "halve", "quarter"}:
            return False
        if not any(t.lower_ in self.lex["ordinals"] or _ORDINAL_SUFFIX.fullmatch(t.lower_) for t in words[:-1]):
            return False
        if words[-1].lower_.rstrip("s") in self.game_periods:
            return True
        return any(t.lemma_.lower() in self.game_cues or t.lower_ in self.game_cues for t in span.sent)

    def temporal(self, span: Span) -> bool:
        """Whether an entity span holds a word of the time lexicon (else it is spaCy's error: "80486")."""
        lex = self.lex
        return any(t.lower_ in lex["units"] or t.lower_ in lex["months"] or t.lower_ in lex["weekdays"]
                   or t.lower_ in lex["seasons"] or t.lower_ in lex["parts_of_day"] for t in span)

    def tense(self, span: Span) -> int | None:
        """Tense of the clause that governs `span`: -1 past, 0 present, 1 future, None unknown."""
        doc = span.doc
        before = doc[span.start - 1].lower_ if span.start else None
        if before in self.past_cues:
            return -1  # "since March"
        if before in self.future_before:
            return 1  # "payable Dec. 1": a date after the announcement
        root = span.root
        if before in self.open_before or (before == "to" and doc[span.start - 1].head.lemma_.lower() in self.moved_to):
            # "extended until Nov. 20", "postponed to March 4": after the (past) event, so not placed by
            # a past tense; a future one still puts it ahead ("will double its flights by August")
            governor = _governor(root)
            return 1 if governor is not None and self.says_future(governor) else None
        if root.dep_ in ("compound", "nmod", "amod", "poss") or (
                span.end < len(doc) and doc[span.end].lower_ in ("'s", "’s")):
            return None  # "a June agreement", "Wednesday's ruling": named, not placed by the clause
        governor = _governor(root)
        return self.verb_tense(governor) if governor is not None else None

    def says_future(self, verb: Token) -> bool:
        """Whether the verb or its auxiliaries say the future outright ("will", "plans"), not by a
        to-infinitive ("the ruling to return him by Jan. 14" may be a deadline just past)."""
        auxes, words = _verb_words(verb)
        return bool(words & (_WILL | self.future_cues)) and not any(a.tag_ == "TO" for a in auxes)

    def verb_tense(self, verb: Token, depth: int = 0) -> int | None:
        """Tense from a verb and its auxiliaries; a to-infinitive takes it from the verb it completes
        ("planning to drive Monday" is future, "gathered to mark it Friday" past)."""
        auxes, words = _verb_words(verb)
        if words & _WILL:
            return 1
        if words & self.future_cues:
            if verb.tag_ == "VBD" and not auxes:
                return None  # "set Friday as the deadline", "planned to pay on Friday": planned then, for then
            if verb.dep_ == "acl" and verb.tag_ == "VBN" and depth < 3 and \
                    (governor := _governor(verb.head)) is not None and governor is not verb and \
                    self.verb_tense(governor, depth + 1) == -1:
                return None  # "a service planned for Saturday was cancelled"
            return 1  # "is scheduled for", "expected to", "plans to"
        if verb.tag_ == "MD" or any(a.tag_ == "MD" for a in auxes):
            return None  # "could", "would": the time is the context's
        if any(a.tag_ == "TO" for a in auxes):
            # after a present or future verb the infinitive's event is still to come; after a past
            # one ("subpoenaed him to testify on Feb. 10") or a noun ("her decision to meet") either
            if verb.head.pos_ in ("NOUN", "PROPN", "PRON"):
                return None
            governor = _governor(verb.head) if verb.head is not verb else None
            tense = self.verb_tense(governor, depth + 1) if governor is not None and depth < 3 else None
            return None if tense is not None and tense < 0 else 1
        if verb.tag_ == "VBD" or any(a.tag_ == "VBD" for a in auxes):
            return -1
        if verb.tag_ == "VBN":
            return 0 if auxes else -1  # "has given", "are supposed"; "the injunction issued Thursday"
        if verb.tag_ in ("VBZ", "VBP") or any(a.tag_ in ("VBZ", "VBP") for a in auxes):
            return 0
        return None


_RANGE_DASH = re.compile(r"(?<=\d)[-–—](?=\d)")
RANGE_JOINTS = {"-", "–", "—", "and", "or", "&"}  # "Nov. 3–5", "April 24 and 25"


def range_parts(span: Span) -> list[tuple[int, int, list[str]]]:
    """The expressions of `span` as (start, end, words to read): one, or two for a range or a pair
    ("Nov. 3–5, 2018" -> "Nov. 3" read as Nov. 3, 2018, and "5, 2018" read as Nov. 5, 2018;
    "1990–1995"; "9–11 a.m."; "April 24 and 25"), as TimeML annotates each end. The dash may be a
    token or inside one."""
    if span.label_ != "range":
        return [(span.start_char, span.end_char, [t.text for t in span])]
    # the text as (word, start, end) pieces, a dash inside a token ("3–5") splitting it
    pieces: list[tuple[str, int, int]] = []
    for t in span:
        at = 0
        for m in _RANGE_DASH.finditer(t.text):
            pieces += [(t.text[at:m.start()], t.idx + at, t.idx + m.start()), ("-", t.idx + m.start(), t.idx + m.end())]
            at = m.end()
        pieces.append((t.text[at:], t.idx + at, t.idx + len(t.text)))
    dash = next((i for i, p in enumerate(pieces) if p[0].lower() in RANGE_JOINTS and 0 < i < len(pieces) - 1), None)
    if dash is None:
        return [(span.start_char, span.end_char, [t.text for t in span])]
    before, after = [p[0] for p in pieces[:dash]], [p[0] for p in pieces[dash + 1:]]
    first, last = before[-1], after[0]
    if len(first) == 4 and len(last) == 2 and first.isdigit() and last.isdigit():
        last = first[:2] + last  # "2014–15"
    return [(pieces[0][1], pieces[dash - 1][2], before + after[1:]),
            (pieces[dash + 1][1], pieces[-1][2], before[:-1] + [last] + after[1:])]


def _merged(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping or touching token ranges as one."""
    merged: list[list[int]] = []
    for start, end in sorted(ranges):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(s, e) for s, e in merged]


def _governor(token: Token) -> Token | None:
    """The nearest verb (or auxiliary) at or above `token` in the parse, else the sentence root;
    None when an adjective that modifies a noun comes first ("a split payable Dec. 7")."""
    for _ in range(8):
        if token.pos_ in ("VERB", "AUX") or token.head is token:
            break
        if token.pos_ == "ADJ" and token.dep_ == "amod":
            return None
        token = token.head
    return token


_AUX_WINDOW = 8  # words before a verb that may be its auxiliaries
_WILL = frozenset({"will", "'ll", "shall", "wo"})  # the auxiliaries of the future ("wo" of "won't")


def _verb_words(verb: Token) -> tuple[list[Token], set[str]]:
    """A verb's auxiliaries, and the forms and lemmas of the verb and of them.

    Auxiliaries stand just before their verb (a few words when a subject or adverb comes
    between: "will the minister not go"), so only a window of words is read: `verb.children`
    scans the whole extent of the subtree, which made a sentence of thousands of dates quadratic."""
    doc = verb.doc
    window = doc[max(verb.i - _AUX_WINDOW, 0):min(verb.i + 3, len(doc))]
    auxes = [t for t in window if t.head.i == verb.i and t.i != verb.i and t.dep_ in ("aux", "auxpass", "cop")]
    return auxes, {verb.lemma_.lower(), verb.lower_} | {a.lower_ for a in auxes} | {a.lemma_.lower() for a in auxes}


def _next_word(span: Span) -> str | None:
    return span.doc[span.end].lower_ if span.end < len(span.doc) else None


def _next_pos(span: Span) -> str | None:
    return span.doc[span.end].pos_ if span.end < len(span.doc) else None


def _inside_name(span: Span) -> bool:
    """Whether a token of `span` is part of a longer name: "the Sunday Times", "Good Friday Agreement".
    A name's last token may be a time word that NER swallowed ("the Czech Republic Friday")."""
    doc = span.doc
    return any(t.ent_type_ in NAME_LABELS and t.i + 1 < len(doc) and doc[t.i + 1].ent_iob_ == "I" for t in span)


def _word(doc: Doc, i: int) -> str | None:
    return doc[i].lower_ if 0 <= i < len(doc) else None


def _trim(span: Span) -> Span | None:
    """The span without joining words at its edges (a pattern's optional comma, "of", "and")."""
    start, end = span.start, span.end
    doc = span.doc
    while start < end and doc[start].lower_ in EDGE_WORDS:
        start += 1
    while end > start and (doc[end - 1].lower_ in EDGE_WORDS or doc[end - 1].lower_ in ("the", "a", "an")):
        end -= 1
    if end - start > 1 and doc[start].dep_ == "det" and not start < doc[start].head.i < end:
        start += 1  # "the [third-quarter] growth": the article belongs to the noun the expression modifies
    return Span(doc, start, end, label=span.label) if end > start else None


def _join_prefixes(spans: list[Span], prefixes: list[Span]) -> list[Span]:
    """ "at least" + "the past 18 months", "the end of" + "1990": one expression."""
    by_start = {p.end: p for p in prefixes}
    out = []
    for s in spans:
        p = by_start.get(s.start)
        out.append(Span(s.doc, p.start, s.end, label=s.label) if p is not None else s)
    return out


def _join_of(spans: list[Span]) -> list[Span]:
    """ "the first half" of "1989", "the last half" of "the '80s": one expression when what follows
    "of" names a year, decade or century."""
    out: list[Span] = []
    for s in spans:
        prev = out[-1] if out else None
        if prev is not None and s.start == prev.end + 1 and s.doc[prev.end].lower_ == "of" and _names_year(s):
            out[-1] = Span(s.doc, prev.start, s.end, label=prev.label)
        else:
            out.append(s)
    return out


def _names_year(span: Span) -> bool:
    return any(t.shape_ in ("dddd", "ddddx", "ddx") for t in span) or (
        span[-1].lower_ == "year" and any(t.lower_ in ("last", "next", "this") for t in span))


# ---------------------------------------------------------------- API
def published_date(doc: Doc) -> dt.date | None:
    """The Doc's publication date, or None."""
    value = doc._.published
    return dt.date.fromisoformat(value[:10]) if value else None


_FINDERS: dict[int, tuple[Vocab, DateFinder]] = {}


def date_finder(vocab: Vocab, data: str = DATA_FILE) -> DateFinder:
    """A `DateFinder` for `vocab`, built once."""
    key = hash((id(vocab), data))
    if key not in _FINDERS:
        _FINDERS[key] = (vocab, DateFinder(vocab, data))
    return _FINDERS[key][1]


def date_mentions(doc: Doc, finder: DateFinder | None = None) -> Iterator[DateMention]:
    """Yield the time expressions of a parsed `doc` with their TIMEX3 types, values and ranges.

    Args:
        doc: a Doc that went through a tagger, parser and NER; `doc._.published` (ISO date) is
            the anchor for relative expressions and `doc._.article_id` is copied to each record.
        finder: compiled patterns; by default those of `toolkit/data/timex_en.json`.
    """
    yield from (finder or date_finder(doc.vocab)).mentions(doc)


# ---------------------------------------------------------------- component
@Language.factory("toolkit_dates", assigns=["doc._.date_mentions"],
                  default_config={"data": DATA_FILE, "use_entities": True, "names": lexicons.TIME_NAMES_FILE})
def make_dates_component(nlp: Language, name: str, data: str, use_entities: bool, names: str) -> "DatesComponent":
    return DatesComponent(nlp.vocab, name, data=data, use_entities=use_entities, names=names)


class DatesComponent:
    """Store the Doc's date mentions on `doc._.date_mentions` as plain tuples.

    Config: `data`, the language data file in `toolkit/data/`; `use_entities`, whether spaCy's
    DATE/TIME entities add the expressions the patterns miss; `names`, the list of names that hold
    a time word but are no date (`time_names.txt`, or a path to a file of one name a line).
    """

    def __init__(self, vocab: Vocab, name: str = "toolkit_dates", *, data: str = DATA_FILE,
                 use_entities: bool = True, names: str = lexicons.TIME_NAMES_FILE) -> None:
        self.name = name
        self.finder = DateFinder(vocab, data, use_entities, names)

    def __call__(self, doc: Doc) -> Doc:
        doc._.date_mentions = [tuple(d) for d in self.finder.mentions(doc)]
        return doc
