"""Entity mentions and the canonical entities they belong to.

`resolve(doc)` finds the people, organisations, places and other named things of a parsed Doc
and groups every mention of one thing into one canonical entity of the article:

- `Mention` records: each named mention (spaCy's entities, repaired), each pronoun and each
  nominal ("the spokesman", "the ministry") that refers to an entity, with the key of that
  entity and, for names, the title split off ("Gen.", "US Defense Secretary");
- `Entity` records: one per canonical entity, named by its fullest proper name.

`entity_at(doc, start, end)` answers which entity a span of an analysed Doc (a quote's speaker,
say) refers to. `link_entities` gives the entities of a whole corpus ids that hold across
articles. The `toolkit_entities` component stores the records on `doc._`.

Notes:
    Named mentions are spaCy's entities, split at line breaks and before "(ACRONYM)", trimmed
    of determiners, possessive 's, prefixed adjectives ("pro-Beijing") and edge punctuation,
    with titles and honorifics split off (nameparser's title words plus `data/titles.tsv`).
    Added: country names nested in organisation names ("the Armed Forces of the Russian
    Federation"), names defined with their acronym ("Movimento 5 Stelle (M5S)", Schwartz &
    Hearst 2003; or after it: "CEI (Italian Episcopal Conference)"), and capitalised
    occurrences of a known name or a known person's surname that spaCy left out.

    Names are grouped by a multi-pass sieve in the order of Lee et al. (2013), most precise
    first: the same folded string; the same country (pycountry and Babel's CLDR names: US, USA,
    America and the United States of America are one); the same party (`data/parties.tsv`, or
    "X Party" with X and Xs in its article) and the same people ("Syrian", "Syrians"); an
    acronym and the long form it abbreviates (initials: UN / United Nations, derived, never
    listed); then, cluster by cluster, a person's surname or first name and the full name (in
    the spirit of the Gender Gap Tracker's `can_merge_nes`, Asr et al. 2021), and a shorter
    organisation name that keeps the head of a longer one (Lee et al.'s strict head match) or a
    place name and a qualified form of it ("Washington D.C.", "the State of Texas"). A short
    name that fits several entities goes to a person before anything else, to a person named by
    a first name or title before an epithet ("Demon Smith"), then to the most mentioned, then
    the nearest before (salience); a one-word description ("the House") joins no longer name.

    Labels are then repaired by a vote over the entity's full names (short forms vote as their
    full name does, so "Mattis" is PERSON because "James Mattis" is; titles and known first
    names count for PERSON), and by what the words of the text say of the thing, most explicit
    first: a class noun tied to the name ("the localist group Civic Passion"); countries are
    GPE; no person or place has a digit in its name, and an organisation's name ending in a
    version number is a product ("Internet Explorer 9"); the head noun of the name, by the
    classes of `data/nouns.tsv` ("Google Science Fair" EVENT, "Space Shuttle Atlantis"
    PRODUCT, "Space Shuttle Program" MISC) unless a title or first name shows a person; a
    facility head word such as "Center" gives FAC; a year in parentheses after the name cites a
    work ("Match Point (2005)"). Each entity records how sure its article is of the label
    (`Entity.label_sure`: the text, not only the tagger, says it), which the corpus vote of
    `link_entities` weighs, and a person's gender with its evidence (`_gender`). The person a
    headline names as interviewee or speaker is who "I" outside quotations stands for
    (`_voice`). Pronouns and nominals are linked by
    `toolkit.extract.coref` (a class noun in apposition relabels a name taken for a person's:
    "Instituto Gonzaga, a school"). Last, a name needs evidence: a word capitalised only by
    its place (tagged as no proper noun wherever it opens a sentence or line) is no name, and
    a one-word PERSON with no title, known first name, linked pronoun or role noun, or verb of
    saying is no name when the word is also written in lower case in the article ("Iodine"),
    an ORG as the object of "on"/"via" ("on Twitter"), a place in apposition to a place.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from typing import Iterable, Iterator, NamedTuple

import numpy
import pandas as pd
from spacy.language import Language
from spacy.attrs import IS_LOWER, IS_TITLE, LEMMA, ORTH, POS, SENT_START
from spacy.symbols import AUX, VERB
from spacy.tokens import Doc, Span, Token

from . import coref, extensions  # noqa: F401  (extensions registers Doc._ attributes)
from ..text import names
from ..text.lexicons import CueLexicon, speech_cues

# Named-entity labels that denote entities (dates, numbers and amounts are other layers).
ENTITY_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "PRODUCT",
                           "LAW", "LANGUAGE", "WORK_OF_ART"})
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
# Labels a person's surname is often mistaken for by the small model ("Ryder" ORG, "Mattis" NORP).
SURNAME_MISLABELS = frozenset({"PERSON", "ORG", "NORP", "PRODUCT", "WORK_OF_ART", "GPE", "LOC", "FAC", "EVENT"})
DETERMINERS = frozenset({"the", "a", "an"})
LOCATIVE = frozenset({"in", "at", "from", "to", "near", "into", "across", "throughout"})
# Bound prefixes of adjectival compounds: "pro-Beijing", "anti-American", "Pan-democrat" modify a
# noun; neither the compound nor the name inside it is a mention.
BOUND_PREFIXES = frozenset({"pro", "anti", "pan", "non", "neo", "ex", "post", "pre", "counter"})
# The longest title looked for before a name, in tokens ("Office of Science and Technology Policy
# Acting Director" is 8).
TITLE_TOKENS = 12
ABBREVIATION = re.compile(r"^(?:[A-Za-z]\.)+[A-Za-z]$|^(?:Inc|Corp|Co|Ltd|Jr|Sr|St|Mt)$")


class Mention(NamedTuple):
    """One mention of an entity in an article."""

    article_id: str | None
    start: int
    end: int
    text: str
    label: str
    kind: str  # name / pronoun / nominal
    entity_key: str  # the canonical entity within the article (see `Entity.key`)
    title: str | None
    sentence: int


class Entity(NamedTuple):
    """One canonical entity of an article."""

    article_id: str | None
    key: str
    name: str
    label: str
    aliases: tuple[str, ...]
    n_mentions: int  # mentions of it in this article
    gender: str | None = None  # a person's: "female", "male", or None (the article does not say)
    gender_evidence: str | None = None  # what says so: "pronoun", "title" or "first_name"
    label_votes: float = 0.0  # how many of its names back the label (the vote of `_label`)
    label_sure: bool = False  # the text itself says what it is (a title, a class noun, a linked pronoun, ...)


class Resolution(NamedTuple):
    """The mentions and entities of one Doc."""

    mentions: list[Mention]
    entities: list[Entity]


@dataclass
class _Name:
    """A named mention being resolved (token offsets)."""

    start: int
    end: int
    label: str
    text: str
    title: str | None = None
    title_start: int | None = None  # token where the title begins
    words: list[str] = field(default_factory=list)
    kind_of: str | None = None  # the label a class noun before it gives ("the group Civic Passion")
    definite: bool = False  # written after "the": a description used as a name ("the House", "the State")
    dated: bool = False  # followed by a year in parentheses, as a work is cited: "Match Point (2005)"
    agent: bool = False  # the text shows a person: "Pachomius died", "Byron's memoirs", "Theodorus (c. 314 – 368)"
    placed: bool = False  # the object of "in", "at", "near" ...: a place ("born in Exeter")
    gone: bool = False  # the object of "in", "to", "into" (not "at", which universities take: "at Harvard")
    adjective: bool = False  # written as an adjective modifying a noun ("the Biblical sense", "Euro-Atlantic ties")

    def __post_init__(self) -> None:
        self.words = names.words(self.text)


# ---------------------------------------------------------------- named mentions
def named_spans(doc: Doc, *, nested_countries: bool = True) -> list[_Name]:
    """spaCy's named entities of the entity labels, repaired, in text order.

    Split at line breaks and before a parenthesised acronym, trimmed of determiners,
    possessives and edge punctuation (keeping the period of "U.S."), titles split off, and
    country names nested in organisation names added (`nested_countries`).
    """
    found: list[_Name] = []
    verbs = _VerbWords(doc)
    for ent in doc.ents:
        if ent.label_ not in ENTITY_LABELS:
            continue
        for piece in (p for whole in _pieces(ent) for p in _without_verbs(whole, verbs)):
            span = _trim(piece)
            if span is None:
                continue
            span, title = _split_title(span)
            title = title or _title_before(span)
            found.append(_Name(span.start, span.end, span.label_, span.text, title.text if title else None,
                               title.start if title else None, kind_of=None if title else _class_before(span),
                               definite=span.start > 0 and doc[span.start - 1].lower_ in DEFINITE_BEFORE,
                               dated=_dated(doc, span)))
            if title:  # "Defense" in "US Defense Secretary" is part of a title, "US" names a country
                found[:] = [n for n in found if not _title_fragment(n, title.start, title.end)]
            if nested_countries and span.label_ not in PLACE_LABELS:
                found.extend(_nested_countries(span))
    found = _addresses(doc, _person_extents(doc, _defined_acronyms(doc, _agencies(doc, found)), verbs))
    found = _campuses_and_branches(doc, found)
    return sorted(found, key=lambda n: (n.start, -n.end))


# The form of address of whoever presides over a chamber or a hearing, used as their name:
# "Madam Speaker", "Mr. Chairman" ("Mr. President" is a description of an office, as "the President").
ADDRESS_HONORIFICS = frozenset({"madam", "madame", "mr", "mr.", "mister"})
ADDRESSED_OFFICES = frozenset({"speaker", "chair", "chairman", "chairwoman", "chairperson"})


def _addresses(doc: Doc, found: list[_Name]) -> list[_Name]:
    """`found` with the forms of address the tagger left out or cut as the names of a person
    ("Thank you, Madam Speaker"): an honorific and a capitalised office (`ADDRESSED_OFFICES`)
    outside any other name; the office alone taken for a name with the honorific as its title
    ("Mr." + "Chair") is replaced by the whole form."""
    offices = [doc.vocab.strings.add(w) for w in ADDRESSED_OFFICES]
    hits = numpy.flatnonzero(numpy.isin(doc.to_array("LOWER"), offices)).tolist()  # few tokens, not every one
    if not hits:
        return found
    cut = {n.start for n in found if n.label == "PERSON" and n.end - n.start == 1 and n.title_start == n.start - 1}
    found = [n for n in found if not (n.start in cut and n.start in hits)]
    taken = {k for n in found for k in range(n.start, n.end)}
    out = list(found)
    for k in hits:
        if k == 0:
            continue
        tok, nxt = doc[k - 1], doc[k]
        if tok.lower_ in ADDRESS_HONORIFICS and tok.is_title and nxt.is_title and nxt.lower_ in ADDRESSED_OFFICES \
                and not {tok.i, nxt.i} & taken and not (tok.i + 2 < len(doc) and doc[tok.i + 2].is_title):
            out.append(_Name(tok.i, tok.i + 2, "PERSON", doc[tok.i:tok.i + 2].text))
    return out


CONTINENTS = frozenset({"africa", "asia", "europe", "america", "oceania", "antarctica", "australasia"})


def _campuses_and_branches(doc: Doc, found: list[_Name]) -> list[_Name]:
    """An organisation and the place after it, which the tagger joins into one name: a campus
    ("University of California, Berkeley", "University of California at Berkeley": an
    institution's name, a comma or "at", a place of one or two words) and a branch named by its
    region where the article also names the organisation alone ("School of Open Africa" beside
    "School of Open"). Returns the names with those split in two, the place a GPE or LOC."""
    alone = {" ".join(n.words) for n in found}
    out = []
    for n in found:
        span = doc[n.start:n.end]
        cut = None
        if n.label == "ORG" and len(span) >= 4:
            k = next((t.i for t in span[2:-1] if t.text == "," or t.lower_ == "at"), None)
            head = names.noun_of_word(names.head_word(names.words(doc[n.start:k].text)) or "") if k else None
            if k is not None and head is not None and head.cls == "org" and n.end - k - 1 <= 2 \
                    and all(t.is_title for t in doc[k + 1:n.end]):
                cut = (k, k + 1)
            last = doc[n.end - 1]
            if cut is None and (last.lower_ in CONTINENTS or names.country(last.text)) and \
                    " ".join(names.words(doc[n.start:n.end - 1].text.rstrip(" –-"))) in alone:
                k = n.end - 1 - (doc[n.end - 2].text in ("–", "-"))
                cut = (k, n.end - 1)
        if cut is None:
            out.append(n)
            continue
        org, place = doc[n.start:cut[0]], doc[cut[1]:n.end]
        out.append(replace(n, end=cut[0], text=org.text))
        out.append(_Name(place.start, place.end, "LOC" if place.text.lower() in CONTINENTS else "GPE", place.text))
    return out


# Words before a country's name that make a place of it, not an agency named after it ("North Korea").
PLACE_MODIFIERS = frozenset({"north", "south", "east", "west", "northern", "southern", "eastern", "western",
                             "central", "upper", "lower", "greater", "mainland", "new", "old", "great"})


def _agencies(doc: Doc, found: list[_Name]) -> list[_Name]:
    """Agencies and companies named by a common noun before a country ("Environment Canada",
    "Sport England", "Air Canada"), which the tagger reads as the country alone: a capitalised
    common word of no name, tied to the country's name by the parse, makes one organisation."""
    taken = {k for n in found for k in range(n.start, n.end)}
    out = []
    for n in found:
        prev = doc[n.start - 1] if n.start > 0 else None
        if n.label in ("GPE", "LOC") and prev is not None and prev.i not in taken and prev.tag_ == "NNP" \
                and prev.is_title and prev.head.i in range(n.start, n.end) and prev.dep_ == "compound" \
                and prev.lower_ not in PLACE_MODIFIERS and names.title(prev.text) is None \
                and not prev.ent_type_ and "\n" not in prev.whitespace_ and names.country(n.text) is not None:
            out.append(replace(n, start=prev.i, label="ORG", text=doc[prev.i:n.end].text, title=None, title_start=None,
                               kind_of=None, definite=prev.i > 0 and doc[prev.i - 1].lower_ in DEFINITE_BEFORE))
        else:
            out.append(n)
    return out


ROMAN = re.compile(r"^(?:X{0,3})(?:IX|IV|V?I{0,3})$")


def _person_extents(doc: Doc, found: list[_Name], verbs: _VerbWords | None = None) -> list[_Name]:
    """People's names made whole where the tagger cut them: the given names it left out or tagged
    as a name of their own ("Jens [Otto] Harry Jespersen", "Teddie Eleanor" + "Rose Goode": a
    capitalised proper noun of the same line that the parse hangs on the name, or the name on it),
    a regnal number ("Aleksei I", "Johann II"); without an adverb that opens the sentence
    ("Together Bernoulli") or post-nominal letters ("Daniel Bernoulli FRS"), and never over a
    capitalised verb (`_verb_word`)."""
    taken = {k for n in found if n.label != "PERSON" for k in range(n.start, n.end)}

    def part(k: int) -> bool:
        tok = doc[k]
        return (tok.tag_ == "NNP" and tok.is_title and k not in taken and names.title(tok.text) is None
                and tok.ent_type_ in ("", "PERSON") and tok.lower_ not in CAPTION_WORDS  # not "Tuesday"
                and "\n" not in tok.whitespace_ and not tok.is_sent_start
                and not (verbs is not None and verbs.used_as_verb(tok)))  # not "Doe Attacks John Roe"

    out = []
    for n in found:
        if n.label != "PERSON":
            out.append(n)
            continue
        start, end = n.start, n.end
        while not n.title and start > 0 and part(start - 1) and start <= doc[start - 1].head.i < end \
                and "\n" not in doc[start - 1].whitespace_ and not doc[start].is_sent_start:
            start -= 1
        last = doc[end - 1]
        if last.dep_ == "compound" and end <= last.head.i < end + 3 and all(part(k) for k in range(end, last.head.i + 1)) \
                and "\n" not in last.whitespace_:
            end = last.head.i + 1
        if end < len(doc) and doc[end].tag_ == "NNP" and ROMAN.match(doc[end].text) and doc[end].text \
                and "\n" not in doc[end - 1].whitespace_:
            end += 1
        if end - start == 2 and doc[start].tag_ == "RB" and doc[start].is_sent_start:
            start += 1  # "Together Bernoulli and Euler tried ..."
        while end - start > 1 and doc[end - 1].text in names.POST_NOMINALS:
            end -= 1
        out.append(n if (start, end) == (n.start, n.end) else
                   replace(n, start=start, end=end, text=doc[start:end].text))
    merged: list[_Name] = []
    for n in sorted(out, key=lambda n: (n.start, -n.end)):
        prev = merged[-1] if merged else None
        if prev is not None and prev.label == n.label == "PERSON" and n.start <= prev.end and not prev.title:
            if n.end > prev.end:  # "Teddie Eleanor" reached into "Rose Goode": one name
                merged[-1] = replace(prev, end=n.end, text=doc[prev.start:n.end].text)
            continue
        merged.append(n)
    return merged


def _defined_acronyms(doc: Doc, found: list[_Name]) -> list[_Name]:
    """Names defined with their acronym, "Movimento 5 Stelle (M5S)", found whatever spaCy tagged.

    The long form is the shortest run of words before the parenthesis whose initials give the
    acronym (Schwartz & Hearst 2003); names that lie inside it are replaced by it, keeping the
    label of one that spans most of it (ORG otherwise), and the acronym becomes a name too.
    """
    orth = doc.to_array("ORTH")  # an array scan: iterating Tokens costs more than the rule
    opening, closing = doc.vocab.strings["("], doc.vocab.strings[")"]
    starts = [int(i) for i in numpy.flatnonzero(orth[:-2] == opening) if orth[i + 2] == closing]
    for i in starts:
        short = doc[i + 1]
        if names.acronym_letters(short.text) is None or names.country(short.text) is not None:
            continue
        sent_start = _sentence_start(doc, i + 1, len(short.text) + 4)
        for n_words in range(2, len(short.text) + 4):
            start = i - n_words
            if start < sent_start or not doc[start].text[:1].isupper():
                continue
            long = doc[start:i]
            if names.is_acronym(short.text, long.text):
                break
        else:
            continue
        inside = [n for n in found if long.start <= n.start and n.end <= long.end]
        if any(n.start < long.start < n.end or n.start < long.end < n.end for n in found):
            continue  # crosses another name
        label = next((n.label for n in inside if n.end - n.start > len(long) / 2), "ORG")
        found = [n for n in found if n not in inside and not (n.start == i + 1)]
        found.append(_Name(long.start, long.end, label, long.text))
        found.append(_Name(i + 1, i + 2, label, short.text))
    return _acronyms_defined_after(doc, found, orth, opening, closing)


def _acronyms_defined_after(doc: Doc, found: list[_Name], orth, opening: int, closing: int) -> list[_Name]:
    """The other order of Schwartz & Hearst (2003): an acronym with its long form in parentheses
    after it ("CEI (Italian Episcopal Conference)", "the FIRST Global competition (For
    Inspiration and Recognition of Science and Technology)"): the acronym, up to three words
    before the parenthesis, and the long form are names, the label the long form's or ORG."""
    for i in numpy.flatnonzero(orth == opening).tolist():
        end = next((k for k in range(i + 2, min(len(doc), i + 14)) if orth[k] == closing), None)
        if end is None or end - i < 3 or not doc[i + 1].text[:1].isupper():
            continue
        long = doc[i + 1:end]
        short = next((doc[k] for k in range(i - 1, max(-1, i - 4), -1)
                      if names.acronym_letters(doc[k].text) and names.is_acronym(doc[k].text, long.text)), None)
        if short is None or names.country(short.text) is not None \
                or any(n.start <= short.i < n.end and n.end - n.start > 1 for n in found):
            continue
        if any(n.start < long.start < n.end or n.start < long.end < n.end for n in found):
            continue  # crosses another name
        inside = [n for n in found if long.start <= n.start and n.end <= long.end]
        label = next((n.label for n in inside if n.end - n.start > len(long) / 2), "ORG")
        found = [n for n in found if n not in inside and n.start != short.i]
        found.append(_Name(long.start, long.end, label, long.text))
        found.append(_Name(short.i, short.i + 1, label, short.text))
    return found


YEAR = re.compile(r"^(1[5-9]|20)\d\d$")
DATED_WEIGHT = 2.5  # a citation with a year, against the tagger's vote of one per mention


def _dated(doc: Doc, span: Span) -> bool:
    """Whether a name is cited with a year in parentheses ("Match Point (2005)", "Hydrodynamica
    (1738)"), as works are (`_label` leaves places alone: "in Paris (1927)")."""
    end = span.end
    return end + 2 < len(doc) and doc[end].text == "(" and bool(YEAR.match(doc[end + 1].text)) \
        and doc[end + 2].text == ")"


def _sentence_start(doc: Doc, i: int, limit: int) -> int:
    """The start of the sentence of token `i`, looked for at most `limit` tokens back (`Span.sent`
    walks the whole sentence, which costs a text of one endless sentence its length per name)."""
    stop = max(0, i - limit)
    if not doc.has_annotation("SENT_START"):
        return stop
    while i > stop and not doc[i].is_sent_start:
        i -= 1
    return i


# Words before a name that make it a definite description ("the House", "this House").
DEFINITE_BEFORE = frozenset({"the", "this", "that"})
# Words that open a caption's credit ("Image: Reuters"), glued to the name before them by the tagger.
CAPTION_WORDS = frozenset({"image", "photo", "picture", "video", "file", "credit", "source", "map"})
VERB_TAGS = frozenset({"VBD", "VBZ", "VBP", "VB", "VBN", "VBG", "MD"})


def _pieces(ent: Span) -> Iterator[Span]:
    """The parts of an entity between line breaks and parentheses ("World Health Organisation (WHO"),
    and around a verb written in lower case that the tagger swept in ("Byron composed Thyrza"):
    a title may hold one ("Gone with the Wind"), a name does not."""
    doc, start = ent.doc, ent.start
    verbs = ent.label_ != "WORK_OF_ART"
    for tok in ent:
        if "\n" in tok.text or tok.text in "()[]" or (tok.is_space and tok.i > start) or (
                verbs and tok.tag_ in VERB_TAGS and tok.is_lower and start < tok.i < ent.end - 1):
            if tok.i > start:
                yield Span(doc, start, tok.i, label=ent.label)
            start = tok.i + 1
    if ent.end > start:
        yield Span(doc, start, ent.end, label=ent.label)


class _VerbWords:
    """What a Doc uses as verbs, read once and only when a name holds a word that may be one:
    the lemmas of its lower-case verbs and how often each word is written."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self._lemmas: set[int] | None = None
        self._orths: dict[int, int] | None = None

    def used_as_verb(self, tok: Token) -> bool:
        """`tok` (capitalised) is a form of a verb the text writes in lower case ("blasted" for
        "Blasts"), and the text writes it capitalised nowhere else but at a sentence start."""
        if self._lemmas is None:  # from the token arrays: no Python object per token
            doc = self.doc
            arr = doc.to_array([POS, IS_LOWER, LEMMA, ORTH, SENT_START, IS_TITLE])
            verbs = numpy.isin(arr[:, 0], [VERB, AUX]) & (arr[:, 1] == 1)
            self._lemmas = set(arr[verbs, 2].tolist())
            titled = arr[(arr[:, 4] != 1) & (arr[:, 5] == 1), 3]
            orths, counts = numpy.unique(titled, return_counts=True)
            self._orths = dict(zip(orths.tolist(), counts.tolist()))
        strings = self.doc.vocab.strings
        return self._orths.get(tok.orth, 0) <= 1 and any(strings[b] in self._lemmas for b in names.verb_bases(tok.text))


def _verb_word(tok: Token, span: Span, verbs: _VerbWords) -> bool:
    """A capitalised verb the tagger took into a person's name: a participle opening the sentence
    ("Hammering Jane Doe on trade, ..."), or a verb of a headline written in title case ("Doe
    Attacks John Roe") that the text uses as a verb. A first name or a title is none."""
    if not tok.is_title:
        return False
    verb = (tok.i == span.start and span.end - tok.i >= 3 and (tok.tag_ in ("VBG", "VBN", "VBD") or (
        tok.is_sent_start and tok.lower_.endswith("ing")))) or verbs.used_as_verb(tok)
    return verb and not names.is_first_name(tok.text) and names.title(tok.text) is None


def _without_verbs(span: Span, verbs: _VerbWords) -> Iterator[Span]:
    """A person's span cut at the capitalised verbs in it (`_verb_word`): "Hammering Jane Doe" is
    "Jane Doe", "Doe Attacks John Roe" is "Doe" and "John Roe". Other labels pass whole."""
    if span.label_ != "PERSON" or len(span) < 2:
        yield span
        return
    start = span.start
    for tok in span:
        if _verb_word(tok, span, verbs):
            if tok.i > start:
                yield Span(span.doc, start, tok.i, label=span.label)
            start = tok.i + 1
    if span.end > start:
        yield Span(span.doc, start, span.end, label=span.label)


def _trim(span: Span) -> Span | None:
    """The span without leading determiners, punctuation or a prefixed adjective ("pro-Beijing"),
    trailing possessive or punctuation; None when no name is left.

    A period right after an abbreviation ("U.S", "D.C") is kept or added (spaCy splits it off at
    a sentence end); a hyphenated word cut by the entity's end ("Wong Yeung" + "-tat") is made
    whole; a name inside a prefixed compound ("pro-Beijing") is dropped.
    """
    doc = span.doc
    start, end = span.start, span.end
    if start >= 2 and doc[start - 1].text == "-" and doc[start - 2].lower_ in BOUND_PREFIXES \
            and not doc[start - 2].whitespace_ and not doc[start - 1].whitespace_:
        return None
    while True:
        if start < end and (doc[start].lower_ in DETERMINERS or doc[start].is_punct or doc[start].is_space
                            or doc[start].tag_ == "POS"):
            start += 1
        elif end - start >= 3 and doc[start].lower_ in BOUND_PREFIXES and doc[start + 1].text == "-" \
                and not doc[start].whitespace_ and not doc[start + 1].whitespace_:
            start += 3
        elif start < end and doc[start].is_lower and doc[start].is_alpha and not names.is_particle(doc[start].text):
            start += 1  # "nonpartisan", "localist group" before a name
        else:
            break
    while end > start and (doc[end - 1].tag_ == "POS" or doc[end - 1].is_punct or doc[end - 1].is_space
                           or doc[end - 1].text in ("'", "’")):
        end -= 1
    if span.label_ == "PERSON":  # "Nonpartisan Paul Tse": an adjective is no part of a name
        while end - start > 2 and doc[start].tag_ in ("JJ", "VBN", "RB"):
            start += 1
    while end - start > 1 and doc[end - 1].lower_ in CAPTION_WORDS and end < len(doc) and doc[end].text == ":":
        end -= 1  # a caption's "Ahmed Mohamed Image: Twitter", whatever the word's tag
    if span.label_ in ("PERSON", "GPE", "LOC", "FAC", "NORP"):  # a caption's "Washington D.C. Image:"
        while end - start > 1 and doc[end - 1].tag_ in ("NN", "NNS") and doc[end - 2].tag_ != "HYPH":
            end -= 1
    if end <= start:
        return None
    last = doc[end - 1]
    if end < len(doc) and doc[end].text == "." and not last.whitespace_ and ABBREVIATION.match(last.text):
        end += 1
    while end + 1 < len(doc) and doc[end].text == "-" and not doc[end - 1].whitespace_ \
            and not doc[end].whitespace_ and doc[end + 1].is_alpha:
        end += 2
    return Span(doc, start, end, label=span.label)


def _is_title(tok: Token) -> bool:
    return tok.tag_ in ("NNP", "NN", "NNS", "NNPS") and names.title(tok.text) is not None


def _split_title(span: Span) -> tuple[Span, Span | None]:
    """Leading title words inside a person's span ("President Trump") split off as its title.

    A word that is also a first name ("Dean Kamen") stays part of the name.
    """
    doc, start = span.doc, span.start
    if span.label_ != "PERSON":
        return span, None
    head = names.noun_of_word(doc[span.end - 1].text)
    if head is not None and head.cls not in ("person", "agent"):
        return span, None  # "General Assembly" is no general's
    while start < span.end - 1 and _is_title(doc[start]) and not names.is_first_name(doc[start].text):
        start += 1
        if doc[start].text == "." and start < span.end - 1:  # "Col" "." split by the tokenizer
            start += 1
    if start == span.start:
        return span, None
    if not doc[start].is_title and not doc[start].is_upper:
        return span, None
    return Span(doc, start, span.end, label=span.label), doc[span.start:start]


def _title_before(span: Span) -> Span | None:
    """The title written just before a name: "Gen." Valery Gerasimov, "US Defense Secretary"
    James Mattis, "Afghan Ambassador to the United States" Hamdullah Mohib.

    Walks left over title words, capitalised nouns and the function words between them within
    the sentence; the run counts as a title if it holds a title word.
    """
    doc = span.doc
    sent_start = _sentence_start(doc, span.start, TITLE_TOKENS)  # a bound: titles are short, sentences need not be
    i = span.start - 1
    start = span.start
    has_title = False
    while i >= sent_start:
        tok = doc[i]
        if tok.is_space or "\n" in tok.whitespace_:
            break
        if tok.text == "." and i > sent_start and not doc[i - 1].whitespace_ and _is_title(doc[i - 1]):
            i -= 1  # "Col" "." as the tokenizer splits "Col." before a name
            continue
        if _is_title(tok):
            has_title = True
        elif not (tok.lower_ in ("of", "to", "for", "the") and start < span.start) and not _title_part(tok):
            break
        start = i
        i -= 1
    while start < span.start and doc[start].lower_ in ("of", "to", "for", "the"):
        start += 1
    if not has_title or start >= span.start:
        return None
    # a title ends in its head ("US Defense Secretary") or has one before a prepositional
    # phrase ("Ambassador to the United States")
    run = doc[start:span.start]
    last = run[-1] if run[-1].text != "." or len(run) == 1 else run[-2]
    if not _is_title(last) and not any(_is_title(t) and t.nbor(1).lower_ in ("to", "of", "for") for t in run[:-1]):
        return None
    return run


def _class_before(span: Span) -> str | None:
    """The label a class noun tied to a name gives it, most explicit first: a noun right before it
    ("the localist group Civic Passion", "the browser Firefox", "the TV series Supernatural"), a
    noun in apposition ("Thyrza, a series of elegies"; "the WB series, Supernatural"), a predicate
    nominative ("Internet Explorer is the #2 browser") or a noun the name is called by ("a project
    called FrameNet"). The noun must be a common noun tied to the name in the parse, so that "told
    the court Smith lied" gives nothing, and the name must have no class head of its own ("the
    party Department of ..." is no classifier)."""
    doc = span.doc
    root = span.root
    nouns = []
    if span.start > 0:
        before = doc[span.start - 1]
        if before.head.i == root.i or root.head.i == before.i:
            nouns.append(before)
    if root.dep_ == "appos":
        nouns.append(root.head)
    nouns.extend(c for c in root.children if c.dep_ == "appos" and c.i > root.i)
    if root.dep_ in SUBJECTS and root.head.lemma_ == "be":
        nouns.extend(c for c in root.head.children if c.dep_ == "attr")
    if root.dep_ in ("oprd", "xcomp", "dobj", "attr") and root.head.lemma_ in NAMING_VERBS \
            and root.head.dep_ in ("acl", "relcl"):
        nouns.append(root.head.head)
    for noun in nouns:
        if noun.tag_ in ("NN", "NNS") and noun.is_lower and not (span.start <= noun.i < span.end):
            label = names.class_label(noun.lemma_)
            if label is not None:
                head = names.head_word(names.words(span.text))  # a class head of its own says more
                if head is None or names.noun_of_word(head) is not None or head in names.facility_words():
                    return None
                return label
    return None


# Verbs that give a thing its name: "a project called FrameNet", "a story titled ...".
NAMING_VERBS = frozenset({"call", "name", "title", "entitle", "dub"})
SUBJECTS = frozenset({"nsubj", "nsubjpass"})


def _title_fragment(n: _Name, start: int, end: int) -> bool:
    """A capitalised word of a title taken for a name: inside the title, and no country or acronym."""
    return (start <= n.start and n.end <= end and names.country(n.text) is None
            and names.acronym_letters(n.text) is None)


def _title_part(tok: Token) -> bool:
    """A word that can be part of a title: a proper noun that names no date or person ("US",
    "Defense"), a noun compound ("team" member), a capitalised adjective ("Afghan")."""
    if tok.tag_ in ("NNP", "NNPS"):
        return tok.ent_type_ not in ("DATE", "TIME", "PERSON", "CARDINAL")
    return (tok.tag_ == "NN" and tok.dep_ == "compound") or (tok.tag_ == "JJ" and tok.is_title)


def _nested_countries(span: Span) -> Iterator[_Name]:
    """Countries named inside an organisation's name: "Armed Forces of the Russian Federation",
    "United States Navy"."""
    doc = span.doc
    toks = list(span)
    for k, tok in enumerate(toks[:-1]):  # after "of" ("of the Russian Federation")
        if tok.lower_ == "of":
            start = k + 1 + (toks[k + 1].lower_ == "the" if k + 1 < len(toks) else 0)
            if start < len(toks):
                sub = doc[span.start + start:span.end]
                if names.country(sub.text):
                    yield _Name(sub.start, sub.end, "GPE", sub.text)
                    return
    for n in (3, 2, 1):  # a leading country ("United States Navy")
        if n < len(toks) and toks[n - 1].is_alpha:
            sub = doc[span.start:span.start + n]
            if names.country(sub.text) and sub[-1].tag_ in ("NNP", "NNPS"):
                yield _Name(sub.start, sub.end, "GPE", sub.text)
                return


# ---------------------------------------------------------------- grouping names
class _Groups:
    """Union-find over the named mentions of an article."""

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, i: int, j: int) -> None:
        a, b = self.find(i), self.find(j)
        if a != b:
            self.parent[max(a, b)] = min(a, b)

    def members(self) -> dict[int, list[int]]:
        out: dict[int, list[int]] = defaultdict(list)
        for i in range(len(self.parent)):
            out[self.find(i)].append(i)
        return out


def group_names(found: list[_Name], doc: Doc | None = None) -> list[list[int]]:
    """Indices of `found` grouped into entities by the sieve described in the module notes."""
    _saints(found)
    groups = _Groups(len(found))
    _union_by(groups, found, lambda n: " ".join(n.words))  # pass 1: the same name
    _union_by(groups, found, _country_code)  # pass 2: the same country
    parties = dict(zip(map(id, found), _parties(found)))
    _union_by(groups, found, lambda n: parties[id(n)])  # the same party: GOP, Republicans, Republican
    _union_by(groups, found, lambda n: names.demonym(n.text) if n.label == "NORP" and parties[id(n)] is None
              else None)  # the same people: Syrian, Syrians
    _union_by(groups, found, lambda n: frozenset(n.words) if n.label == "PERSON" and len(set(n.words)) == 2
              and len(n.words) == 2 else None)  # the same person, family name first: "Sato Aiko", "Aiko Sato"
    by_initials: dict[str, list[int]] = defaultdict(list)
    for j, n in enumerate(found):
        if len(n.words) > 1 and n.label != "NORP":
            for form in names.initials(n.text):
                by_initials[form].append(j)
    for i, n in enumerate(found):  # pass 3: an acronym and its long form
        letters = names.acronym_letters(n.text)
        if letters and _country_code(n) is None:
            fits = by_initials.get(letters.upper(), [])
            if fits:
                before = [j for j in fits if found[j].start < n.start]
                groups.union(i, max(before, key=lambda j: found[j].start) if before else fits[0])
    _join_short_names(groups, found, doc)  # passes 4 and 5: parts of longer names
    _join_schools_by_place(groups, found, doc)
    _join_the_nation(groups, found)
    return sorted(groups.members().values())


SCHOOL_HEADS = frozenset({"university", "college"})


def _join_schools_by_place(groups: _Groups, found: list[_Name], doc: Doc | None) -> None:
    """A place's name written only after "at" where the article names the one university or college
    called after it ("Suffolk University" ... "at Suffolk", "University of Cambridge" ... "while
    at Cambridge") is that school: people study and teach at a university, not at a town."""
    if doc is None:
        return
    schools: dict[str, set[int]] = defaultdict(set)
    for i, n in enumerate(found):
        w = n.words
        if n.label == "ORG" and len(w) == 2 and w[1] in SCHOOL_HEADS:
            schools[w[0]].add(groups.find(i))
        elif n.label == "ORG" and len(w) == 3 and w[0] in SCHOOL_HEADS and w[1] == "of":
            schools[w[2]].add(groups.find(i))
    if not schools:
        return
    members = groups.members()
    for rep, group in members.items():
        ns = [found[i] for i in group]
        fits = schools.get(ns[0].words[0]) if all(len(n.words) == 1 and n.label in PLACE_LABELS for n in ns) else None
        if fits and len(fits) == 1 and all(n.start > 0 and doc[n.start - 1].lower_ == "at" for n in ns):
            groups.union(next(iter(fits)), rep)  # every mention "at Suffolk": the town itself is not named


def _join_the_nation(groups: _Groups, found: list[_Name]) -> None:
    """"The Nation", "our Country" written as a name stand for the country the article names
    most (a speech's own): a group of such one-word names joins that country's group."""
    countries = Counter(groups.find(i) for i, n in enumerate(found) if _country_code(n) is not None)
    if not countries:
        return
    home = countries.most_common(1)[0][0]
    for i, n in enumerate(found):
        if len(n.words) == 1 and _country_code(n) is None and (k := names.noun_of_word(n.words[0])) is not None \
                and k.cls == "country":
            groups.union(home, i)


SAINT_WORDS = frozenset({"saint", "st"})


def _saints(found: list[_Name]) -> None:
    """A "place" named "Saint X" or "St. X" where X is a person the article names alone ("Jerome
    ... known as Saint Jerome") is that person, the saint, not a town (relabelled in place)."""
    people = {n.words[0] for n in found if n.label == "PERSON" and len(n.words) == 1}
    for i, n in enumerate(found):
        if n.label in PLACE_LABELS and len(n.words) == 2 and n.words[0] in SAINT_WORDS and n.words[1] in people:
            found[i] = replace(n, label="PERSON")


def _parties(found: list[_Name]) -> list[str | None]:
    """The party each name stands for (its canonical name), by `data/parties.tsv` or, in an
    article that writes "X Party", as one of that party's forms (X, Xs: `names.party_forms`);
    None for other names. Only organisations and groups of people (ORG, NORP) count."""
    written = {form: n.text for n in found if n.label == "ORG" for form in names.party_forms(n.text)}
    out: list[str | None] = []
    for n in found:
        party = None
        if n.label in ("ORG", "NORP"):
            party = names.party(n.text) or (names.fold(n.text) if names.party_forms(n.text) else None) \
                or (names.fold(written[" ".join(n.words)]) if " ".join(n.words) in written else None)
        out.append(party)
    return out


def _union_by(groups: _Groups, found: list[_Name], key) -> None:
    first: dict = {}
    for i, n in enumerate(found):
        k = key(n)
        if k is not None:
            groups.union(first.setdefault(k, i), i)


def _country_code(n: _Name) -> str | None:
    c = names.country(n.text) if n.label in ("GPE", "LOC") else None
    return c.code if c else None


class _Group(NamedTuple):
    """What the short-name passes need to know of a group of names."""

    members: list[int]
    fullest: _Name
    person: bool  # PERSON by the vote of its names
    first: int  # token index of its first mention


def _join_short_names(groups: _Groups, found: list[_Name], doc: Doc | None) -> None:
    """Join each group whose fullest name is a part of a longer name to that name's group.

    Cluster-level, as in Lee et al. (2013): all "Mohamed" mentions go to one entity. A person's
    surname or first name joins a person ("Ryder", whatever its label, to "Patrick Ryder"; a
    first name that is also a place, "Georgia" to "Georgia Mills", unless written as a place);
    other names join a name of their class that keeps their head (`_part_of`). Of several fitting
    groups a person goes before anything else (a surname is its bearer's before it is an
    epithet's: "Smith" is John Smith's, not "Demon Smith"'s), a person named by a first name or a
    title, or the first person the article names (a profile's subject), before one that is not, then the most mentioned, then the nearest before (salience,
    after Haghighi & Klein 2009). A person's name never joins an organisation by the surname in
    it, and a one-word description used as a name ("the House", "this House", "the State") never
    joins a longer name by that word alone ("White House"), only the one "X of Y" the article
    names with it as head ("House of Representatives").
    """
    info = {rep: _group_info(found, members) for rep, members in groups.members().items()}
    by_word: dict[str, set[int]] = defaultdict(set)
    for rep, g in info.items():
        for w in _index_words(g.fullest.words):
            by_word[w].add(rep)
    # the person the article names first: a profile's subject, whose surname it uses most
    subject = min((g.first for g in info.values() if g.person), default=None)
    for rep in sorted(info, key=lambda r: (len(info[r].fullest.words), info[r].first)):
        if rep not in info:  # absorbed into a group that now has another representative
            continue
        g = info[rep]
        short = g.fullest.words
        if len(short) == 1 and all(found[i].definite for i in g.members):
            # "the House", "the State": a common word, not a short form of "White House"; but the
            # head of one "X of Y" named in the article ("the House" of "House of Representatives")
            heads = [r for r in by_word.get(short[0], ()) if r != rep and r in info
                     and info[r].fullest.words[:2] == [short[0], "of"] and not info[r].person]
            if len(heads) == 1:
                _absorb(groups, info, by_word, heads[0], rep)
            continue
        fits = []
        sharing = set().union(*(by_word.get(w, ()) for w in short))  # a fit shares a word: look only there
        for other_rep, h in info.items():
            if other_rep not in sharing or other_rep == rep or len(h.fullest.words) <= len(short):
                continue
            if h.person and names.part_of_person_name(short, h.fullest.words) and (
                    _may_be_person_part(g, found, doc) or _first_name_of(g, h, found, doc)):
                if g.person or names.same_word(short[-1], h.fullest.words[-1]) or (
                        short == h.fullest.words[:1] and names.is_first_name(short[0])):
                    fits.append(other_rep)
            elif not h.person and (not g.person or not _strong_person(g, found)) \
                    and (_same_class(g.fullest.label, h.fullest.label) or g.person) \
                    and not (g.person and _epithet(h, g, found, doc)) and _part_of(g.fullest, h.fullest):
                fits.append(other_rep)  # "Chrome" tagged PERSON is the "Google Chrome" of the article
        if not fits:
            continue
        best = max(fits, key=lambda r: (info[r].person, info[r].person and (
                                            _named_person(info[r], found) or info[r].first == subject),
                                        len(info[r].members), _nearness(info[r], g, found)))
        _absorb(groups, info, by_word, best, rep)


def _absorb(groups: _Groups, info: dict, by_word: dict[str, set[int]], best: int, rep: int) -> None:
    """Join group `rep` to the longer name's group `best`, keeping the lookups of
    `_join_short_names` true."""
    h, g = info.pop(best), info.pop(rep)
    groups.union(best, rep)
    info[groups.find(rep)] = h._replace(members=h.members + g.members, first=min(h.first, g.first))
    for w in _index_words(h.fullest.words):
        by_word[w].add(groups.find(rep))


def _index_words(words: list[str]) -> set[str]:
    """The words a group is found by in `_join_short_names`: its fullest name's, and the part after
    a particle's hyphen ("assad" of "al-assad", as `names.same_word` matches it)."""
    return set(words) | {w.partition("-")[2] for w in words if "-" in w}


def _epithet(h: "_Group", g: "_Group", found: list[_Name], doc: Doc | None) -> bool:
    """Whether a longer name that is no person's is an epithet built on a person's surname:
    "Demon Smith" where "Smith" speaks ("Smith said"). A surname that says things is a person's,
    and the mocking name does not take that person's mentions and quotes."""
    if doc is None or h.fullest.label != "ORG" or len(h.fullest.words) != 2 \
            or h.fullest.words[-1] != g.fullest.words[-1]:
        return False
    cues = speech_cues()
    return any(_speaks(doc[found[i].start:found[i].end].root, cues) for i in g.members)


def _named_person(h: "_Group", found: list[_Name]) -> bool:
    """Whether a person's group has a title or a full name opening with a first name that
    gender-guesser knows: a person, not an epithet ("Demon Smith")."""
    return any(found[i].title for i in h.members) or names.is_first_name(h.fullest.text.split()[0])


def _first_name_of(g: "_Group", h: "_Group", found: list[_Name], doc: Doc | None) -> bool:
    """Whether a one-word group is the first name of a person's full name, though the tagger
    saw a place ("Georgia" of "Georgia Mills"): no mention of it follows "in", "at", "from" ..."""
    if len(g.fullest.words) != 1 or g.fullest.words != h.fullest.words[:1] or doc is None:
        return False
    return not any(_placed(doc, found[i]) for i in g.members)


def _part_of(short: _Name, full: _Name) -> bool:
    """Whether a non-person name is a short form of a longer one: a head-keeping part of an
    organisation's or facility's name; for a town or country only a qualified form of it
    ("Washington D.C.", "the State of Texas"), as "Australia" is no short form of "South
    Australia" nor "Sudan" of "South Sudan"."""
    if short.label in ("GPE", "LOC") or full.label in ("GPE", "LOC"):
        return names.part_of_place_name(short.text, full.text)
    return names.part_of_name(short.words, full.words)


def _strong_person(g: _Group, found: list[_Name]) -> bool:
    """Evidence beyond the tagger's label that a group names a person: a title, a first name
    gender-guesser knows, or a full name of several words."""
    return any(found[i].title or len(found[i].words) > 1 or names.is_first_name(found[i].text)
               for i in g.members)


def _nearness(h: _Group, g: _Group, found: list[_Name]) -> int:
    """How near the group's last mention before `g` starts is (larger is nearer; after is farthest)."""
    before = [found[i].start for i in h.members if found[i].start < g.first]
    return max(before) if before else -len(found) - 1


def _group_info(found: list[_Name], members: list[int]) -> _Group:
    names_ = [found[i] for i in members]
    votes: Counter = Counter()
    for n in names_:
        votes.update(_label_votes(n))
    fullest = max(names_, key=lambda n: (len(n.words), -n.start))
    return _Group(list(members), fullest, max(votes, key=lambda lab: (votes[lab], lab == fullest.label)) == "PERSON",
                  min(n.start for n in names_))


def _may_be_person_part(g: _Group, found: list[_Name], doc: Doc | None) -> bool:
    """Whether a group's names can be a person's: labels a surname is mistaken for, and no
    country or place name after "in", "at", "from" ... ("in Washington")."""
    names_ = [found[i] for i in g.members]
    if any(n.label not in SURNAME_MISLABELS for n in names_):
        return False
    if not any(n.label in PLACE_LABELS for n in names_):
        return True
    if any(names.country(n.text) for n in names_) or doc is None:
        return False
    return not any(_placed(doc, n) for n in names_)


def _placed(doc: Doc, n: _Name) -> bool:
    """A name written as a place is: after "in", "at", "from" ..., and not as the possessor of
    what follows ("in Sato's poems", "in Rice's view")."""
    return n.start > 0 and doc[n.start - 1].lower_ in LOCATIVE and not (n.end < len(doc) and doc[n.end].tag_ == "POS")


def _same_class(a: str, b: str) -> bool:
    return a == b or (a in PLACE_LABELS and b in PLACE_LABELS)


def _label_votes(n: _Name) -> Counter:
    """What one named mention says about its entity's label: its own label; a title counts for
    PERSON, and so does a first name that gender-guesser knows at the start of a two- or
    three-word name without an organisation's or a facility's head word ("Nikki Haley" tagged
    ORG, but not "Georgia State University")."""
    votes = Counter({n.label: 1.0})
    if n.title:
        votes["PERSON"] += 2.0
    if (n.label in ("ORG", "NORP", "PRODUCT", "WORK_OF_ART", "FAC", "EVENT", "GPE", "LOC") and 2 <= len(n.words) <= 3
            and n.text[:1].isupper() and "of" not in n.words and not _thing_word(n.words)
            and names.country(n.text) is None and names.first_name_gender(n.text.split()[0]) is not None):
        votes["PERSON"] += 1.5
    return votes


def _thing_word(words: list[str]) -> bool:
    """Whether a name has a word that makes it an organisation, a place or a facility."""
    return any(w in names.facility_words() or w in names.ORG_SUFFIXES
               or ((k := names.noun_of_word(w)) is not None and k.cls not in ("person", "agent")) for w in words)


def _is_party(members: list[_Name]) -> bool:
    """Whether a group of names is a political party: one of `data/parties.tsv`, or "X Party"."""
    return any(n.label in ("ORG", "NORP") and names.party(n.text) for n in members) or \
        any(n.label == "ORG" and names.party_forms(n.text) for n in members)


class _Labelled(NamedTuple):
    """An entity's label and how sure the article is of it."""

    label: str
    votes: float  # the vote its names gave the label
    sure: bool  # said by the text, not only by the tagger


def _label(members: list[_Name]) -> _Labelled:
    """The label of an entity: a vote over its mentions (countries are GPE, facilities FAC).

    A short form of a name votes as the full name does: "Mattis" tagged NORP counts for the
    PERSON of "James Mattis", "Chrome" tagged PERSON for the PRODUCT of "Google Chrome" (a
    mention's label has to agree with its entity's). The label is `sure` where the words of
    the text give it rather than the tagger alone: a title or a known first name, a class noun,
    a country's name, a digit, a head noun (the corpus vote of `link_entities` leaves it alone).
    """
    fullest = max(members, key=lambda n: (len(n.words), -n.start))
    if _is_party(members):
        return _Labelled("ORG", float(len(members)), True)
    if names.faithful(fullest.words):  # "a Roman Catholic", "the Jesuits": a faith's people, not a person
        return _Labelled("NORP", float(len(members)), True)
    votes: Counter = Counter()
    for n in members:
        if n.words != fullest.words and (names.part_of_person_name(n.words, fullest.words)
                                         or names.part_of_name(n.words, fullest.words)):
            continue
        votes.update(_label_votes(n))
    label = max(votes, key=lambda lab: (votes[lab], lab == fullest.label))
    by_context = _context_label(members, label, fullest)
    if by_context is not None:
        return _Labelled(by_context, votes[label], True)
    if label in HEAD_RULED and all(n.adjective for n in members) and not any(names.country(n.text) for n in members):
        return _Labelled("NORP", votes[label], True)  # an adjective names no person, body or place
    person = label == "PERSON" and _person_named(members)

    def said(lab: str) -> _Labelled:
        return _Labelled(lab, votes[label], True)

    kinds = {n.kind_of for n in members if n.kind_of}
    dated = sum(n.dated for n in members)  # cited with its year, as a work is: "Chasing Liberty (2004)"
    if dated and not person and label not in ("GPE", "LOC") and not any(names.country(n.text) for n in members) \
            and DATED_WEIGHT * dated > votes[label]:
        return said("WORK_OF_ART")
    if len(kinds) == 1 and not any(n.title for n in members):  # said outright, over a first-name guess
        label = kinds.pop()  # the text says what it is: "the group Civic Passion"
        return said(label)
    if label != "PERSON" and any(n.label in ("GPE", "LOC") and names.country(n.text) for n in members) \
            or label == "ORG" and names.country(fullest.text):
        return said("GPE")  # a country is a GPE, also where it acts ("the Maldives agreed"), as OntoNotes has it
    if label in ("PERSON", "GPE", "LOC", "NORP") and any(c.isdigit() for c in fullest.text):
        return said("PRODUCT")  # no person or place is called "IE6" or "STS-1"
    if label == "ORG" and _versioned(fullest.words):
        return said("PRODUCT")
    by_head = _head_noun_label(fullest, label) if label in HEAD_RULED else None
    if by_head is not None and not person:
        return said(by_head)
    # a building takes "of" ("Museum of Flight"); "Centre for Control of ..." is an institution
    if label not in PLACE_LABELS and names.head_word(fullest.words, ("of",)) in names.facility_words() \
            and len(fullest.words) > 1:
        return said("FAC")
    return _Labelled(label, votes[label], person)


def _context_label(members: list[_Name], label: str, fullest: _Name) -> str | None:
    """The label the words around an entity's names give it against the tagger's: a person where
    more of them show a person than a place ("Theodorus was born ...", "Pachomius died" tagged a
    place or a work), a place where a one-word "person" with no title or first name, or a people,
    only ever stands after "in", "at" ... ("born in Exeter", "at Tabennese"), or a one-word
    "organisation" only ever after "in", "to", "into" ("returned to Trier"). None otherwise."""
    agents = sum(n.agent for n in members)
    placed = sum(n.placed for n in members)
    if label != "PERSON" and agents > placed and label not in ("NORP",) \
            and not any(names.country(n.text) for n in members) and not _thing_word(fullest.words) \
            and not _is_party(members) and not any(c.isdigit() for c in fullest.text):
        return "PERSON"
    if label in ("PERSON", "NORP") and placed > (agents if label == "NORP" else 0) and not (label == "PERSON" and agents) \
            and len(fullest.words) == 1 \
            and not _person_named(members) and not any(n.title for n in members) \
            and (label == "PERSON" or (2 * placed > len(members) and not names.language(fullest.text))):
        return "GPE"
    if label == "ORG" and all(n.gone for n in members) and not agents and len(fullest.words) == 1 \
            and not fullest.text.isupper() and not any(n.definite for n in members) and not _thing_word(fullest.words):
        return "GPE"  # "settled in Trier", "returned to Copenhagen": a town the tagger took for a company
    return None


# Classes of nouns.tsv that give the label of a name they are the head of, and the labels that
# a head noun overrules (a title such as "The Hunger Games" keeps WORK_OF_ART).
HEAD_CLASS_LABELS = {"event": "EVENT", "product": "PRODUCT", "activity": "MISC", "work": "WORK_OF_ART",
                     "award": "MISC", "field": "MISC"}
HEAD_RULED = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP"})


def _head_noun_label(name: _Name, label: str) -> str | None:
    """The label a name's head noun gives it: "Google Science Fair" is an EVENT, "Space
    Shuttle" a PRODUCT, "Space Shuttle Program" a programme (MISC); a vehicle or storm noun before
    the name does too ("Space Shuttle Atlantis", "Cyclone Phailin"), unless the tagger saw an
    organisation, as companies are named after what they make."""
    if len(name.words) < 2:  # a name that is a class noun itself: "the Paralympics", "Linguistics"
        known = names.noun_of_word(name.words[0]) if name.words else None
        if known is not None and known.cls in ("country", "polity"):
            return "GPE"  # "the Nation", "this State": the country or state the text is in
        return HEAD_CLASS_LABELS.get(known.cls) if known is not None else None
    head = names.noun_of_word(names.head_word(name.words) or "")
    if head is not None:
        return HEAD_CLASS_LABELS.get(head.cls)
    if label in ("PERSON", "GPE", "LOC", "NORP") and "of" not in name.words:
        classes = {n.cls for w in name.words[:-1] if (n := names.noun_of_word(w)) is not None}
        if "product" in classes:
            return "PRODUCT"
        if "event" in classes:  # "Cyclone Phailin", "Hurricane Katrina" taken for a person
            return "EVENT"
    return None


VERSION = re.compile(r"^(?P<stem>[A-Za-z][\w .'-]*?)\s*(?P<version>\d+(?:\.\d+)*)$")


def _product_lines(found: list[_Name], groups: list[list[int]], labelled: list[_Labelled]) -> list[_Labelled]:
    """A product's name without its version is the product line, a product too: "Internet
    Explorer" and "IE" where "Internet Explorer 9" and "IE6" are products, and a short form of
    the line that keeps its head ("Explorer"); unless the text says otherwise of it. A line of one
    word is left alone, as a maker names its products after itself ("Boeing 747")."""
    stems = set()
    for g, lab in zip(groups, labelled):
        if lab.label == "PRODUCT":
            for i in g:
                m = VERSION.match(found[i].text.strip())
                # a line of several words or initials: "Boeing" of "Boeing 747" is the company
                if m and (len(names.words(m["stem"])) > 1 or names.acronym_letters(m["stem"])):
                    stems.add(tuple(names.words(m["stem"])))
    if not stems:
        return labelled
    out = []
    for g, lab in zip(groups, labelled):
        words = max((found[i].words for i in g), key=len)
        if lab.label in ("ORG", "PERSON", "GPE", "LOC", "NORP") and not lab.sure and any(
                tuple(words) == stem or names.part_of_name(words, list(stem)) for stem in stems):
            lab = _Labelled("PRODUCT", lab.votes, True)
        out.append(lab)
    return out


def _versioned(words: list[str]) -> bool:
    """Whether a name ends in a version number ("Internet Explorer 9", "Windows 10"): a number
    after a word that is no class noun nor facility ("Intermediate School 285", "Channel 4" are
    organisations)."""
    if len(words) < 2 or not words[-1].isdigit() or "of" in words:
        return False
    head = words[-2]
    return names.noun_of_word(head) is None and head not in names.facility_words()


def _person_named(members: list[_Name]) -> bool:
    """Whether a person is named: a title, or a first name gender-guesser knows opening a name
    of several words ("Kathryn Battle" is no battle)."""
    return any(n.title or (len(n.words) > 1 and names.is_first_name(n.text.split()[0])) for n in members)


# ---------------------------------------------------------------- canonical names and keys
def canonical_name(label: str, texts: Iterable[str]) -> str:
    """The fullest proper name among `texts`: a country's short name ("United States"), else the
    name with the most words, not an acronym, first written."""
    texts = list(texts)
    for t in texts:
        c = names.country(t) if label in ("GPE", "LOC") else None
        if c is not None:
            return c.name
    parties = [names.party(t) for t in texts if label == "ORG" and names.party(t)]
    if parties:
        return parties[0]  # "Republicans", "GOP" -> Republican Party
    if label == "NORP":  # the people's adjective: "Syrian" of "Syrians"
        return next((t for t in texts if names.fold(t) == names.demonym(t)), texts[0])
    best = max(texts, key=lambda t: (len(names.words(t)), names.acronym_letters(t) is None, -texts.index(t)))
    return re.sub(r"\s+", " ", best).strip()


def key_class(label: str) -> str:
    """The part of an entity key that stands for its label: places share one."""
    return "PLACE" if label in PLACE_LABELS else label


def entity_key(label: str, name: str) -> str:
    """The key of an entity: its label class and folded canonical name ("PERSON:james mattis")."""
    return f"{key_class(label)}:{names.demonym(name) if label == 'NORP' else names.fold(name)}"


# ---------------------------------------------------------------- recovering misses
def _recover(doc: Doc, found: list[_Name], groups: list[list[int]], labels: list[str]) -> None:
    """Add capitalised occurrences of known names (and of known persons' surnames) that spaCy missed."""
    covered = [False] * len(doc)
    for n in found:
        for k in range(n.start, n.end):
            covered[k] = True
    aliases: dict[tuple[str, ...], int] = {}
    ambiguous: set[tuple[str, ...]] = set()

    def add(seq: tuple[str, ...], g: int) -> None:
        if aliases.get(seq, g) != g:
            ambiguous.add(seq)
        aliases[seq] = g

    for g, members in enumerate(groups):
        for i in members:
            n = found[i]
            add(tuple(t.text for t in doc[n.start:n.end]), g)
        if labels[g] == "PERSON":
            fullest = max((found[i] for i in members), key=lambda n: len(n.words))
            last = doc[fullest.end - 1]
            if fullest.end - fullest.start > 1 and last.is_title and len(last.text) > 2:
                add((last.text,), g)
    for seq in ambiguous:
        aliases.pop(seq, None)
    if not aliases:
        return
    firsts = [doc.vocab.strings.add(seq[0]) for seq in aliases]
    for i in numpy.flatnonzero(numpy.isin(doc.to_array("ORTH"), firsts)).tolist():
        tok = doc[i]
        if covered[i] or not (tok.is_title or tok.is_upper):
            continue
        for seq, g in aliases.items():
            end = tok.i + len(seq)
            if seq[0] != tok.text or end > len(doc) or any(covered[k] for k in range(tok.i, end)):
                continue
            if tuple(t.text for t in doc[tok.i:end]) != seq or not _standalone(doc, tok.i, end):
                continue
            span = Span(doc, tok.i, end)
            title = _title_before(span)
            found.append(_Name(tok.i, end, labels[g], span.text, title.text if title else None,
                               title.start if title else None))
            groups[g].append(len(found) - 1)
            for k in range(tok.i, end):
                covered[k] = True
            break


def _standalone(doc: Doc, start: int, end: int) -> bool:
    """Whether a run of tokens is a whole proper name: no capitalised proper noun next to it,
    and a sentence-initial single word only if tagged as a proper noun."""
    def proper(k: int) -> bool:
        return 0 <= k < len(doc) and doc[k].tag_ in ("NNP", "NNPS") and doc[k].is_title
    if proper(start - 1) and not names.title(doc[start - 1].text) or proper(end):
        return False
    return not (doc[start].is_sent_start and end - start == 1 and doc[start].tag_ not in ("NNP", "NNPS"))


# ---------------------------------------------------------------- resolution
def resolve(doc: Doc, *, nested_countries: bool = True, recover: bool = True, pronouns: bool = True,
            nominals: bool = True, pronoun_window: int = 2, nominal_window: int = 4,
            neuter_pronouns: bool = False, cues: CueLexicon | None = None) -> Resolution:
    """The mentions and canonical entities of a parsed Doc (see the module notes for the method).

    Args:
        doc: a Doc parsed by a pipeline with `ner` and `parser`.
        nested_countries: add country names nested in organisation names.
        recover: add missed occurrences of known names.
        pronouns, nominals: link pronouns, and nominals, to the entities (`toolkit.extract.coref`).
        pronoun_window, nominal_window: sentences before the current one to search for antecedents.
        neuter_pronouns: also link "it" and "its".
        cues: the cue lexicon whose verbs of saying show a speaker (evidence of a person); the
            bundled one when None.

    Returns:
        `Resolution(mentions, entities)`; mentions in text order, each with the key of its entity.
    """
    found = named_spans(doc, nested_countries=nested_countries)
    found.extend(_headline_person(doc, found))
    for n in found:
        n.agent, n.placed, n.gone = _context(doc, n)
        last = doc[n.end - 1]
        n.adjective = last.tag_ == "JJ" and last.dep_ == "amod" and last.head.i >= n.end
    groups = [[i for i in g] for g in group_names(found, doc)]
    labelled = _product_lines(found, groups, [_label([found[i] for i in g]) for g in groups])
    labels = [lab.label for lab in labelled]
    if recover:
        known = len(found)
        _recover(doc, found, groups, labels)
        for n in found[known:]:
            n.agent, n.placed, n.gone = _context(doc, n)
            n.kind_of = None if n.title else _class_before(doc[n.start:n.end])
        for g, members in enumerate(groups):  # what the recovered mentions say ("Pachomius died")
            if any(i >= known for i in members):
                ns = [found[i] for i in members]
                kinds = {n.kind_of for n in ns if n.kind_of}
                again = _context_label(ns, labels[g], max(ns, key=lambda n: (len(n.words), -n.start)))
                if len(kinds) == 1 and not labelled[g].sure and not any(n.title for n in ns):
                    again = kinds.pop()  # "the TV series Supernatural", where the tagger saw no name
                if again is not None and again != labels[g]:
                    labels[g] = again
                    labelled[g] = _Labelled(again, labelled[g].votes, True)
    referents = [_referent(doc, [found[i] for i in g], lab) for g, lab in zip(groups, labels)]
    _affiliations(found, groups, referents)
    spans = sorted((found[i].start, found[i].end, g) for g, members in enumerate(groups) for i in members)
    sent_of = coref.sentence_index(doc)  # one pass over the sentences, shared with coreference
    refs: list[coref.Reference] = []
    if pronouns or nominals:
        voice, kind = _voice(doc, found, groups, labels, sent_of)
        if voice is not None:
            referents[voice].label = "PERSON"  # an interviewee the tagger took for a work is a person
        refs = [r for r in coref.references(doc, spans, referents, pronoun_window=pronoun_window,
                                            nominal_window=nominal_window, neuter=neuter_pronouns, sent_of=sent_of,
                                            voice=voice, addressee=voice if kind == "interview" else None)
                if (r.kind == "pronoun" and pronouns) or (r.kind == "nominal" and nominals)]
        labels = [r.label for r in referents]  # an apposition may have shown a name to be a person's
    cues = cues or speech_cues()
    _check_evidence(doc, found, groups, labels, {r.referent for r in refs}, cues)
    linked: dict[int, list[coref.Reference]] = defaultdict(list)
    for r in refs:
        linked[r.referent].append(r)
    genders = [_gender(doc, [found[i] for i in g], linked[k], lab) for k, (g, lab) in enumerate(zip(groups, labels))]
    evidence = []
    for k, (label, was) in enumerate(zip(labels, labelled)):
        # the text shows a person: a gendered pronoun linked to it, or a verb of saying it is the subject of
        person = label == "PERSON" and (genders[k][1] == "pronoun" or any(
            _speaks(doc[found[i].start:found[i].end].root, cues) for i in groups[k]))
        evidence.append(_Labelled(label, was.votes, was.sure or label != was.label or person))
    return _records(doc, found, groups, evidence, refs, sent_of, genders)


# Pronouns by the gender they carry.
GENDERED_PRONOUNS = {"Masc": "male", "Fem": "female"}
GENDERS = {"m": "male", "f": "female"}


def _gender(doc: Doc, members: list[_Name], refs: list[coref.Reference], label: str | None
            ) -> tuple[str | None, str | None]:
    """A person's gender as the article gives it, and what gives it (after the Gender Gap
    Tracker, Asr et al. 2021): the pronouns linked to the person ("he", "her"), a clear majority
    of them; else an honorific or title that carries gender ("Mrs.", "Sir", "Congresswoman"; not
    "Sen." or "Dr."); else the first name of the fullest name, where gender-guesser knows it as
    a (mostly) male or female name. (None, None) when the article says nothing, or for no person."""
    if label != "PERSON":
        return None, None
    said = Counter(GENDERED_PRONOUNS.get(doc[r.start].morph.get("Gender", ["-"])[0])
                   for r in refs if r.kind == "pronoun")
    said.pop(None, None)
    if said:
        (top, n), *rest = said.most_common()
        if not rest or n >= 3 * rest[0][1]:
            return top, "pronoun"
        return None, None  # the pronouns disagree: the article does not say
    titled = {GENDERS.get(t.gender) for n in members for w in (n.title or "").replace(".", " ").split()
              if (t := names.title(w)) is not None and t.gender}
    fullest = max(members, key=lambda n: len(n.words))
    first = fullest.text.split()[0] if len(fullest.words) > 1 else None
    if len(titled) == 1:
        strict = GENDERS.get(names.first_name_gender(first, mostly=False)) if first else None
        if strict in (None, *titled):  # "Mr." before "Jenna": the title is another's, the text says nothing
            return titled.pop(), "title"
        return None, None
    if first and not titled:
        guess = GENDERS.get(names.first_name_gender(first))
        if guess:
            return guess, "first_name"
    return None, None


VOICE_BEFORE = frozenset({"tells", "talks", "speaks"})


def _voice(doc: Doc, found: list[_Name], groups: list[list[int]], labels: list[str | None], sent_of
           ) -> tuple[int | None, str | None]:
    """The person whose voice the text is, as its headline (the first line) says: the person
    named after "interview(s) (with)", "speech by", "remarks by", "address by" ..., or before
    "tells", "talks", "interviewed by" (`data/voice.txt`). A name there that the tagger took for
    a work or a product is a person's ("Wikinews interviews Marymegan Daly"). A headline that
    names the interview but not the person ("Wikinews interviews the President of ...") leaves
    it to the first person the next lines name. Returns the group and the kind of text
    (`interview` or `speech`); (None, None) when the headline names no interview or speech.
    """
    end = _headline_line(doc)
    group_of = {i: g for g, members in enumerate(groups) for i in members}
    # a speech's cue is a noun ("Remarks by ..."): "to address the Assembly" opening a speech says nothing
    cue = next((t for t in doc[:end] if t.lower_ in names.voice_words()
                and (names.voice_words()[t.lower_] == "interview" or t.pos_ != "VERB")), None)
    if cue is None:
        return _interviewed(doc, found, groups, labels, group_of, sent_of)
    kind = names.voice_words()[cue.lower_]
    named = sorted((n.start, group_of[i]) for i, n in enumerate(found) if n.end <= end and labels[group_of[i]]
                   in VOICE_LABELS)
    before = cue.lower_ in VOICE_BEFORE or (cue.i + 1 < end and doc[cue.i + 1].lower_ == "by"
                                            and cue.lower_ == "interviewed")
    # the person is the object of the cue ("interviews academic Simon Ličen"), not of a preposition
    # after it ("... interviews experts on Cyclone Phalin")
    stop = _cue_object_end(doc, cue, end)
    named = [(start, g) for start, g in named if (labels[g] == "PERSON" or not _thing_word(found[groups[g][0]].words))
             and not any(cue.i in range(found[i].start, found[i].end) for i in groups[g])]  # not "Floor Speech"
    after = [g for start, g in named if cue.i < start < stop]
    earlier = [g for start, g in named if start < cue.i]
    # a person named before a colon is the one the headline is about: "Jane Doe: An interview with the ..."
    labelled = [g for g in earlier if labels[g] == "PERSON" and any(
        found[i].end < cue.i and doc[found[i].end].text == ":" for i in groups[g])]
    if labelled:
        return labelled[-1], kind
    g = (earlier[-1] if earlier else None) if before else (after[0] if after else (earlier[-1] if earlier else None))
    if g is None:  # the next lines name the person: "... spoke with William Evans, president of ..."
        body = [(found[i].start, group_of[i]) for i in range(len(found)) if found[i].start >= end
                and sent_of(found[i].start) <= sent_of(end - 1) + 3 and labels[group_of[i]] == "PERSON"
                and found[i].text.lower() not in CAPTION_WORDS]
        return (min(body)[1], kind) if body else (None, None)
    return g, kind


def _cue_object_end(doc: Doc, cue: Token, end: int) -> int:
    """Where the object of a headline's voice cue ends: at the first preposition after it other
    than "with" or "by" ("interviews experts on Cyclone Phalin"), else at the headline's end."""
    return next((t.i for t in doc[cue.i + 1:end] if t.pos_ == "ADP" and t.lower_ not in ("with", "by")), end)


def _headline_line(doc: Doc) -> int:
    """The token index where the first line (the headline) ends, looked for in 60 tokens."""
    return next((t.i + 1 for t in doc[:60] if "\n" in t.whitespace_ or (t.is_space and "\n" in t.text)),
                min(len(doc), 60))


def _headline_person(doc: Doc, found: list[_Name]) -> list[_Name]:
    """The interviewee's name where the headline says "interviews" but the tagger found no name
    in the cue's object: the last run of two or more capitalised proper nouns there ("Wikinews
    interviews Israeli mathematician and writer Aner Shalev"), a PERSON. Its later mentions are
    recovered as those of any known name."""
    end = _headline_line(doc)
    cue = next((t for t in doc[:end] if t.lower_ in names.voice_words()), None)
    if cue is None or names.voice_words()[cue.lower_] != "interview" or cue.lower_ in VOICE_BEFORE:
        return []
    stop = _cue_object_end(doc, cue, end)
    if any(cue.i < n.start < stop and n.label in VOICE_LABELS for n in found):
        return []
    runs, run = [], []
    for tok in doc[cue.i + 1:stop]:
        if tok.tag_ == "NNP" and tok.is_title and not tok.ent_type_ and names.title(tok.text) is None:
            run.append(tok.i)
        else:
            runs.append(run)
            run = []
    runs = [r for r in runs + [run] if len(r) >= 2]
    if not runs:
        return []
    span = doc[runs[-1][0]:runs[-1][-1] + 1]
    return [_Name(span.start, span.end, "PERSON", span.text)]


def _interviewed(doc: Doc, found: list[_Name], groups: list[list[int]], labels: list[str | None], group_of,
                 sent_of, sentences: int = 6) -> tuple[int | None, str | None]:
    """The interviewee where the headline does not say it but the first lines do: the person who
    is the object of "interviewed" there ("On Saturday, Wikinews interviewed Tina McKenzie, ..."),
    or, for a pronoun object ("Wikinews interviewed him"), the last person named before it."""
    starts = {n.start: group_of[i] for i, n in enumerate(found) if labels[group_of[i]] == "PERSON"}
    for tok in doc:
        if sent_of(tok.i) >= sentences:
            break
        if tok.lemma_ != "interview" or tok.pos_ != "VERB":
            continue
        obj = next((c for c in tok.children if c.dep_ == "dobj"), None)
        if obj is None:
            continue
        hit = next((g for i, g in starts.items() if i <= obj.i < found[groups[g][0]].end or
                    any(found[j].start <= obj.i < found[j].end for j in groups[g])), None)
        if hit is None and obj.tag_ == "PRP" and obj.lower_ in ("him", "her"):
            before = [i for i in starts if i < obj.i]
            hit = starts[max(before)] if before else None
        if hit is not None:
            return hit, "interview"
    return None, None


# Headline words after which the voice of the text is named before them ("Jane Doe tells Wikinews"),
# and the labels a name there may have been given (the tagger takes many names for works).
VOICE_LABELS = frozenset({"PERSON", "WORK_OF_ART", "PRODUCT", "EVENT", "FAC", "LAW"})


# Prepositions whose object is a medium rather than a person: "on Twitter", "via Skype".
MEDIUM_PREPOSITIONS = frozenset({"on", "via"})


def _check_evidence(doc: Doc, found: list[_Name], groups: list[list[int]], labels: list[str | None],
                    linked: set[int], cues: CueLexicon) -> None:
    """Relabel, in place, the entities whose names are doubtful (label None: no name at all).

    - A word capitalised only by its place: every mention a single word opening a sentence or
      a line, tagged as no proper noun ("Localist group ...", "Turnout makes a difference").
      Nationalities are adjectives by right ("Italian secularists").
    - A one-word PERSON with nothing that shows a person (no title, no first name
      gender-guesser knows, no pronoun or role noun linked to it, no verb of saying it is the
      subject of) is no name when the word is
      also written in lower case in the article (a common noun opening a sentence or a
      headline: "Iodine", "Election"), and an organisation when it is the object of "on" or
      "via" (a medium: "on Twitter"), and a place in apposition to a place ("Livorno,
      Tuscany"). Otherwise it stays PERSON.
    """
    lower: set[int] | None = None

    def written_lower(word: str) -> bool:
        """Whether the article writes `word` in lower case (its lower-case words built once, when asked)."""
        nonlocal lower
        if lower is None:
            arr = doc.to_array(["LOWER", "IS_LOWER"])
            lower = set(arr[arr[:, 1] == 1, 0].tolist())
        return doc.vocab.strings[word.lower()] in lower

    for g, members in enumerate(groups):
        ns = [found[i] for i in members]
        if labels[g] != "NORP" and all(n.end - n.start == 1 and _opens_line(doc[n.start])
                                       and doc[n.start].tag_ not in ("NNP", "NNPS") for n in ns):
            labels[g] = None
            continue
        if all(len(n.words) == 1 and n.text.lower() in CAPTION_WORDS and _opens_line(doc[n.start]) for n in ns):
            labels[g] = None  # "File photo of ...", "Image: ..."
            continue
        if labels[g] in ("ORG", "GPE", "LOC") and g not in linked and _common_word(doc, ns):
            if written_lower(ns[0].text):
                labels[g] = None  # "Interview" heading a section, "Frames" of a theory of frames
                continue
        if labels[g] not in ("PERSON", "NORP") and all(len(n.words) == 1 and n.definite for n in ns) \
                and names.noun_of_word(ns[0].text) is None and _title_word(ns[0].text):
            labels[g] = "PERSON"  # "the Tsar", "the Emperor": a title standing for its one bearer
            continue
        if labels[g] == "GPE" and all(len(n.words) == 1 and doc[n.start].tag_ == "NNPS" for n in ns) \
                and not any(names.country(n.text) for n in ns):
            labels[g] = "ORG"  # "the Pirates", "the Mets": a plural is a team or a group, not a town
            continue
        if labels[g] == "PERSON" and g not in linked and all(len(n.words) == 1 and not n.title for n in ns) \
                and any(_appositive_to_place(doc[n.start:n.end].root, found, groups, labels) for n in ns):
            labels[g] = "GPE"  # "Exeter, Devon": a place in apposition to a place, whatever the first-name list says
            continue
        if labels[g] != "PERSON" or g in linked or any(n.title or len(n.words) != 1 for n in ns) \
                or names.is_first_name(ns[0].text):
            continue
        if any(_speaks(doc[n.start:n.end].root, cues) for n in ns):
            continue
        if written_lower(ns[0].text):
            labels[g] = None
        elif any(_object_of(doc[n.start:n.end].root, MEDIUM_PREPOSITIONS) for n in ns):
            labels[g] = "ORG"
        elif any(_appositive_to_place(doc[n.start:n.end].root, found, groups, labels) for n in ns):
            labels[g] = "GPE"


def _title_word(word: str) -> bool:
    """Whether a word is a title of rank that a text may use for its one bearer ("the Tsar")."""
    t = names.title(word)
    return t is not None and t.role is not None and not names.is_first_name(word)


def _common_word(doc: Doc, ns: list[_Name]) -> bool:
    """Whether an entity's names are one capitalised word with nothing that makes a name of it:
    no acronym, country or class noun ("the Court"), no place it is in or at, and every one
    written where a capital is the rule anyway (opening a sentence or a line)."""
    if any(len(n.words) != 1 or n.placed or n.agent or n.title for n in ns):
        return False
    word = ns[0].text
    if not word[:1].isupper() or word.isupper() or names.acronym_letters(word) or names.country(word) \
            or names.noun_of_word(word) is not None:  # "the Court", "the Church" name an institution
        return False
    return all(_opens_line(doc[n.start]) for n in ns)


def _opens_line(tok: Token) -> bool:
    """Whether a token opens a sentence or a line (after an opening quotation mark too)."""
    i = tok.i
    while i > 0 and _glued_quote(tok.doc[i - 1]):
        i -= 1
    prev = tok.doc[i - 1] if i > 0 else None
    return prev is None or tok.doc[i].is_sent_start or prev.is_space or "\n" in prev.whitespace_


def _glued_quote(tok: Token) -> bool:
    """An opening quotation mark written against the next word."""
    return tok.is_quote and not tok.whitespace_


def _speaks(tok: Token, cues: CueLexicon) -> bool:
    """Whether a word is the subject of a verb of saying ("Rice said"): evidence of a person."""
    return tok.dep_ == "nsubj" and tok.head.lemma_ in cues.verbs


def _appositive_to_place(tok: Token, found: list[_Name], groups: list[list[int]], labels: list[str | None]) -> bool:
    """Whether a word stands in apposition to a place name, as a region after a town does
    ("in Livorno, Tuscany,")."""
    if tok.dep_ != "appos" or tok.head.i >= tok.i:
        return False
    return any(labels[g] in ("GPE", "LOC") and found[i].start <= tok.head.i < found[i].end
               for g, members in enumerate(groups) for i in members)


def _object_of(tok: Token, prepositions: frozenset[str]) -> bool:
    return tok.dep_ == "pobj" and tok.head.lower_ in prepositions


def _referent(doc: Doc, members: list[_Name], label: str) -> coref.Referent:
    """What the pronoun resolver needs to know of an entity: label, gender, roles, words."""
    ref = coref.Referent(label)
    ref.country = label == "GPE" and any(names.country(n.text) for n in members)
    ref.placed = any(_placed(doc, n) for n in members)
    ref.longest = max((n.words for n in members), key=len)
    for n in members:
        ref.words.update(n.words)
        ref.heads.add(names.head_word(n.words))
        ref.words.update(names.words(n.title or ""))
        for word in (n.title or "").replace(".", " ").split():
            t = names.title(word)
            if t is not None:
                ref.roles.add(t.role or word.lower())
                ref.gender = ref.gender or t.gender
    fullest = max(members, key=lambda n: len(n.words))
    if label == "PERSON" and len(fullest.words) > 1:  # a name of either gender ("Robin") leaves the pronouns to say
        named = names.first_name_gender(fullest.text.split()[0], mostly=False)
        if ref.gender is not None and named is not None and named != ref.gender:
            ref.gender = None  # "Mr." said of "Jenna Marbles": one of them is not hers; the pronouns will say
        elif ref.gender is None:
            ref.gender = named
    return ref


def _affiliations(found: list[_Name], groups: list[list[int]], referents: list[coref.Referent]) -> None:
    """A person's organisation, from an organisation named in their title ("NASA Administrator
    Charles Bolden"): who "we" stands for when that person speaks."""
    group_of = {i: g for g, members in enumerate(groups) for i in members}
    for g, members in enumerate(groups):
        if referents[g].label != "PERSON":
            continue
        orgs = Counter(group_of[j] for i in members if found[i].title_start is not None
                       for j, n in enumerate(found)
                       if found[i].title_start <= n.start and n.end <= found[i].start
                       and referents[group_of[j]].label == "ORG")
        if orgs:
            referents[g].affiliation = orgs.most_common(1)[0][0]


def _records(doc: Doc, found: list[_Name], groups: list[list[int]], evidence: list[_Labelled],
             refs: list[coref.Reference], sentence_of, genders: list[tuple[str | None, str | None]]) -> Resolution:
    article = doc._.article_id
    keys, entities = [], []
    labels = [e.label for e in evidence]
    counts = Counter(r.referent for r in refs)
    for g, (members, label) in enumerate(zip(groups, labels)):
        if label is None:  # no name after all
            keys.append(None)
            continue
        texts = [found[i].text for i in sorted(members, key=lambda i: found[i].start)]
        name = canonical_name(label, texts)
        keys.append(entity_key(label, name))
        entities.append(Entity(article, keys[-1], name, label, tuple(dict.fromkeys(texts)),
                               len(members) + counts[g], *genders[g], float(evidence[g].votes),
                               bool(evidence[g].sure)))
    entities = _merge_same_keys(entities)
    mentions = []
    for g, members in enumerate(groups):
        party = labels[g] == "ORG" and _is_party([found[i] for i in members])
        for i in members if keys[g] is not None else ():
            n = found[i]
            span = doc[n.start:n.end]
            # a party's members and adjective are written as a people is: "Republicans" NORP, as OntoNotes has it
            label = "NORP" if party and names.party_member_form(n.text) else labels[g]
            mentions.append(Mention(article, span.start_char, span.end_char, span.text, label, "name",
                                    keys[g], n.title, sentence_of(n.start)))
    for r in refs:
        if keys[r.referent] is None:
            continue
        span = doc[r.start:r.end]
        mentions.append(Mention(article, span.start_char, span.end_char, span.text, labels[r.referent], r.kind,
                                keys[r.referent], None, sentence_of(r.start)))
    mentions.sort(key=lambda m: (m.start, -m.end))
    return Resolution(mentions, entities)


# Prepositions whose object is a place: "born in Exeter", "at Tabennese" ("to", "from" take people too).
PLACE_PREPOSITIONS = frozenset({"in", "at", "near", "throughout", "across", "into"})
GONE_PREPOSITIONS = frozenset({"in", "to", "into", "near"})


def _context(doc: Doc, n: _Name) -> tuple[bool, bool, bool]:
    """What the words around a name say of it: whether they show a person (the subject of a verb
    only people do, "Pachomius died", `names.person_verbs`; the owner of what people have, "Byron's
    memoirs", `names.person_nouns`; life dates after it, "Theodorus (c. 314 – 368)") and whether
    it is the object of a preposition of place ("in Exeter")."""
    root = doc[n.start:n.end].root
    agent = (root.dep_ in SUBJECTS and root.head.lemma_ in names.person_verbs()) or (
        root.dep_ == "poss" and root.head.lemma_ in names.person_nouns()) or _life_dates(doc, n.end)
    before = doc[n.start - 1].lower_ if n.start > 0 else ""
    # a people is seldom gone to or come from ("returned to Tabennese" names a place), a person often is
    placed = root.dep_ == "pobj" and (before in PLACE_PREPOSITIONS or (n.label == "NORP" and before in ("to", "from")))
    gone = root.dep_ == "pobj" and before in GONE_PREPOSITIONS and not (n.end < len(doc) and doc[n.end].tag_ == "POS")
    return agent, placed, gone


def _life_dates(doc: Doc, end: int) -> bool:
    """Whether a name is followed by the dates of a life in parentheses: "(c. 314 – 368)",
    "(8 February 1700 – 17 March 1782)", "(born July 19, 1982)"."""
    if end >= len(doc) or doc[end].text != "(":
        return False
    inside = []
    for tok in doc[end + 1:end + 16]:
        if tok.text == ")":
            break
        inside.append(tok)
    else:
        return False
    words = {t.lower_ for t in inside}
    years = [t for t in inside if t.like_num and len(t.text) in (3, 4) and t.text.isdigit()]
    return bool(years) and (len(years) >= 2 and bool(words & {"–", "-", "—"}) or bool(words & {"born", "b."}))


# Gender evidence, strongest first: what the article says of the person before what a name suggests.
_GENDER_RANK = {"pronoun": 0, "title": 1, "first_name": 2, None: 3}


def _merge_same_keys(entities: list[Entity]) -> list[Entity]:
    """One entity per key (two groups can end with the same canonical name)."""
    out: dict[str, Entity] = {}
    for e in entities:
        if e.key in out:
            o = out[e.key]
            gender = (o.gender, o.gender_evidence) if _GENDER_RANK[o.gender_evidence] <= \
                _GENDER_RANK[e.gender_evidence] else (e.gender, e.gender_evidence)
            out[e.key] = o._replace(aliases=tuple(dict.fromkeys(o.aliases + e.aliases)),
                                    n_mentions=o.n_mentions + e.n_mentions, gender=gender[0],
                                    gender_evidence=gender[1], label_votes=o.label_votes + e.label_votes,
                                    label_sure=o.label_sure or e.label_sure)
        else:
            out[e.key] = e
    return list(out.values())


def entity_mentions(doc: Doc) -> Iterator[Mention]:
    """Yield the entity mentions of `doc` (names, pronouns, nominals) in text order."""
    yield from resolve(doc).mentions


def entity_clusters(doc: Doc, mentions: Iterable[Mention] | None = None) -> Iterator[Entity]:
    """Yield the canonical entities of `doc`, from its `mentions` if given."""
    if mentions is None:
        yield from resolve(doc).entities
        return
    groups: dict[str, list[Mention]] = defaultdict(list)
    for m in mentions:
        groups[m.entity_key].append(m)
    for key, ms in groups.items():
        texts = [m.text for m in ms if m.kind == "name"] or [ms[0].text]
        yield Entity(doc._.article_id, key, canonical_name(ms[0].label, texts), ms[0].label,
                     tuple(dict.fromkeys(texts)), len(ms))


def entity_at(doc: Doc, start: int, end: int) -> Entity | None:
    """The canonical entity that the text at character offsets `start:end` refers to.

    For a speaker of a quote, say: "Ryder", "Gen. Gerasimov", "President Trump", "he", "a
    spokesman for Dunford" (the person the apposition names) or "the ministry". The mention
    that holds the syntactic head of the span decides ("spokesman", not "Dunford"); a span
    that is no parsed phrase falls back to the mention it overlaps most. Needs a Doc that went
    through the `toolkit_entities` component.

    Returns:
        The `Entity` (its `name` is the fullest proper name, its `key` the article-level key
        that `link_entities` maps to a corpus id), or None if the span refers to no entity.
    """
    # rows are plain tuples (start, end at 1, 2): build records only for the overlapping ones
    hits = [Mention(*m) for m in doc._.entity_mentions or () if m[1] < end and start < m[2]]
    if not hits:
        return None
    span = doc.char_span(start, end, alignment_mode="expand")
    best = None
    if span is not None and len(span) and doc.has_annotation("DEP"):
        head = span.root.idx
        holding = [m for m in hits if m.start <= head < m.end]
        if not holding:
            return None
        best = min(holding, key=lambda m: m.end - m.start)
    if best is None:
        best = max(hits, key=lambda m: (min(m.end, end) - max(m.start, start), m.end == end))
    for row in doc._.entity_clusters or ():
        entity = Entity(*row)
        if entity.key == best.entity_key:
            return entity
    return None


# ---------------------------------------------------------------- corpus level
class EntityIds(dict):
    """`{(article_id, key): entity_id}`, the mapping that mentions and quote speakers follow, with
    `labels`: `{(article_id, key): label}`, the label the corpus gives an article's entity where
    it is not the article's own (its mentions take it)."""

    labels: dict[tuple[str, str], str]

    def __init__(self, ids: dict[tuple[str, str], str], labels: dict[tuple[str, str], str]) -> None:
        super().__init__(ids)
        self.labels = labels


# How much more a label the text itself says counts in the corpus vote than the tagger's alone.
SURE_WEIGHT = 2.0


def link_entities(clusters: pd.DataFrame) -> tuple[pd.DataFrame, EntityIds]:
    """Give every article's canonical entities an id that is stable over the corpus.

    An article's entity key is already its label class and folded canonical name
    ("PERSON:james mattis"), so the same entity gets the same id in every article, whatever else
    the corpus holds. First, a name that articles label differently gets the label the corpus
    gives it: a vote of the articles, one each, where an article whose text itself says what the
    thing is (`Entity.label_sure`: a title, a class noun, a linked "he", a verb of saying) counts
    `SURE_WEIGHT` times the tagger's word alone, ties going to the label more names back
    (`Entity.label_votes`); an article keeps its own label only on such evidence of its own
    ("Paris Hilton said" in a corpus of Paris the city). Then a name that is only a
    short form in its article ("Mattis", "UN") is linked to the one corpus entity it is a part,
    surname or acronym of ("PERSON:james mattis", "ORG:united nations"); when two fit ("Mattis"
    with "James Mattis" and "Anne Mattis") it keeps its own id. A person's gender is the
    articles' strongest evidence (pronouns before titles before first names), where it agrees.

    Args:
        clusters: `Entity` rows of every article (only these are needed, not the mentions,
            so that linking stays cheap on large corpora: one pass of group statistics).

    Returns:
        The `entities` frame (one row per corpus entity, columns of `SCHEMA["entities"]`) and
        the `EntityIds` mapping `{(article_id, key): entity_id}` that mentions and quote
        speakers follow, with the label of each article's entity in the corpus.
    """
    columns = ["entity_id", "name", "label", "aliases", "n_mentions", "n_articles", "gender", "gender_evidence"]
    if clusters.empty:
        return pd.DataFrame(columns=columns), EntityIds({}, {})
    clusters = clusters.reset_index(drop=True)
    pairs = list(zip(clusters["article_id"], clusters["key"]))
    relabelled = _corpus_labels(clusters)
    target = _link_short_names(relabelled)
    linked = relabelled.assign(entity_id=[target.get(k, k) for k in relabelled["key"]])
    # only the labels the corpus changed: a mention keeps its own ("Republicans" NORP of its party) otherwise
    changed = (linked["label"] != clusters["label"]).to_numpy()
    ids = EntityIds(dict(zip(pairs, linked["entity_id"])),
                    {pair: lab for pair, lab, c in zip(pairs, linked["label"], changed) if c})
    # Vectorised group statistics: a per-group Python lambda costs seconds on large corpora.
    own = linked[linked["key"] == linked["entity_id"]]
    ordered = pd.unique(linked["entity_id"])
    longest = _first_by(linked.assign(_len=-linked["name"].str.len()), "_len", "name")
    common_name = _most_common(own, "name")
    aliases = (linked[["entity_id", "aliases"]].explode("aliases").dropna()
               .drop_duplicates().groupby("entity_id", sort=False)["aliases"].agg(list))
    totals = linked.groupby("entity_id", sort=False).agg(n_mentions=("n_mentions", "sum"),
                                                          n_articles=("article_id", "nunique"))
    labels = _most_common(linked, "label")
    gender = _corpus_gender(linked)
    entities = pd.DataFrame({
        "entity_id": ordered,
        "name": [common_name.get(i, longest[i]) for i in ordered],
        "label": [labels[i] for i in ordered],
        "aliases": [aliases.get(i, []) for i in ordered],
    }).join(totals, on="entity_id")
    entities["gender"] = [gender.get(i, (None, None))[0] if labels[i] == "PERSON" else None for i in ordered]
    entities["gender_evidence"] = [gender.get(i, (None, None))[1] if labels[i] == "PERSON" else None
                                   for i in ordered]
    entities.loc[entities["label"] == "PERSON", "gender"] = entities["gender"].fillna("unknown")
    return entities[columns], ids


def _corpus_labels(clusters: pd.DataFrame) -> pd.DataFrame:
    """The clusters with the label the corpus gives each name (see `link_entities`): `label` and
    `key` replaced where an article's label was the tagger's alone and the corpus says otherwise."""
    sure = clusters["label_sure"].fillna(False).astype(bool) if "label_sure" in clusters \
        else pd.Series(False, index=clusters.index)
    base = clusters["name"].map(names.fold)
    classes = clusters["label"].map(key_class)
    disputed = classes.groupby(base).transform("nunique") > 1
    if not disputed.any():
        return clusters
    weight = sure.map({True: SURE_WEIGHT, False: 1.0})  # one vote an article: mentions are not articles
    names_behind = clusters["label_votes"] if "label_votes" in clusters else pd.Series(0.0, index=clusters.index)
    tally = (pd.DataFrame({"base": base, "label": clusters["label"], "w": weight, "votes": names_behind,
                           "pos": range(len(clusters))})[disputed]
             .groupby(["base", "label"], sort=False).agg(w=("w", "sum"), votes=("votes", "sum"), first=("pos", "min"))
             .reset_index())
    # ties: the label more names back, then the first seen
    tally = tally.sort_values(["w", "votes", "first"], ascending=[False, False, True], kind="stable") \
        .drop_duplicates("base")
    winner = dict(zip(tally["base"], tally["label"]))
    change = disputed & ~sure & (clusters["label"] != base.map(winner))
    if not change.any():
        return clusters
    out = clusters.copy()
    out.loc[change, "label"] = base[change].map(winner)
    out.loc[change, "key"] = [entity_key(lab, n) for lab, n in zip(out.loc[change, "label"], out.loc[change, "name"])]
    return out


def _corpus_gender(linked: pd.DataFrame) -> dict[str, tuple[str | None, str | None]]:
    """Per entity id, the gender its articles' strongest evidence gives, where that evidence agrees
    (3 to 1 at least), and the kind of that evidence."""
    if "gender" not in linked:
        return {}
    said = linked.loc[linked["gender"].notna(), ["entity_id", "gender", "gender_evidence"]]
    if said.empty:
        return {}
    said = said.assign(rank=said["gender_evidence"].map(_GENDER_RANK).fillna(3))
    said = said[said["rank"] == said.groupby("entity_id")["rank"].transform("min")]
    counts = said.groupby(["entity_id", "gender", "gender_evidence"], sort=False).size().rename("n").reset_index()
    counts = counts.sort_values("n", ascending=False, kind="stable")
    first = counts.drop_duplicates("entity_id")
    runner_up = counts[counts.duplicated("entity_id")].drop_duplicates("entity_id").set_index("entity_id")["n"]
    clear = first["n"].to_numpy() >= 3 * first["entity_id"].map(runner_up).fillna(0).to_numpy()
    return {eid: (g, e) if ok else (None, None)
            for eid, g, e, ok in zip(first["entity_id"], first["gender"], first["gender_evidence"], clear)}


def _most_common(frame: pd.DataFrame, column: str) -> dict[str, str]:
    """Per entity id, the most frequent value of `column` (ties: the first seen)."""
    counts = (frame.assign(_pos=range(len(frame))).groupby(["entity_id", column], sort=False)
              .agg(_n=("_pos", "size"), _first=("_pos", "min")).reset_index())
    counts = counts.assign(_n=-counts["_n"])
    return _first_by(counts, ["_n", "_first"], column)


def _first_by(frame: pd.DataFrame, order: str | list[str], column: str) -> dict[str, str]:
    """Per entity id, the value of `column` in the row that sorts first by `order` (stable)."""
    first = frame.sort_values(order, kind="stable").drop_duplicates("entity_id")
    return dict(zip(first["entity_id"], first[column]))


def _link_short_names(clusters: pd.DataFrame) -> dict[str, str]:
    """Keys of short-form entities -> the key of the one fuller corpus entity they name."""
    keys = clusters.drop_duplicates("key")[["key", "name", "label", "aliases"]]
    info = {k: (n, lab, names.words(n)) for k, n, lab in zip(keys["key"], keys["name"], keys["label"])}
    by_alias: dict[tuple[str, str], set[str]] = defaultdict(set)
    by_surname: dict[str, set[str]] = defaultdict(set)
    for k, n, lab, aliases in keys.itertuples(index=False):
        cls = key_class(lab)
        for a in aliases:
            if names.fold(a) != names.fold(n):
                by_alias[(cls, names.fold(a))].add(k)
        w = names.person_words(n)
        if cls == "PERSON" and len(w) > 1:
            by_surname[w[-1]].add(k)
    target: dict[str, str] = {}
    for k, (n, lab, w) in info.items():
        cls = key_class(lab)
        fits = set(by_alias.get((cls, names.fold(n)), ()))
        if cls == "PERSON":
            fits |= {f for f in by_surname.get(w[-1] if w else "", ()) if names.part_of_person_name(w, info[f][2])}
        fits.discard(k)
        fits = {f for f in fits if len(info[f][2]) > len(w)}
        if len(fits) == 1:
            target[k] = fits.pop()
    for k in list(target):  # follow chains: "Trump" -> "Donald Trump" -> "Donald J. Trump"
        seen = {k}
        while target[k] in target and target[k] not in seen:
            seen.add(target[k])
            target[k] = target[target[k]]
    return target


# ---------------------------------------------------------------- component
@Language.factory("toolkit_entities", assigns=["doc._.entity_mentions", "doc._.entity_clusters"],
                  default_config={"nested_countries": True, "recover": True, "pronouns": True, "nominals": True,
                                  "pronoun_window": 2, "nominal_window": 4, "neuter_pronouns": False,
                                  "cues": None})
def make_entities_component(nlp: Language, name: str, nested_countries: bool, recover: bool, pronouns: bool,
                            nominals: bool, pronoun_window: int, nominal_window: int,
                            neuter_pronouns: bool, cues: str | None) -> "EntitiesComponent":
    return EntitiesComponent(name, nested_countries=nested_countries, recover=recover, pronouns=pronouns,
                             nominals=nominals, pronoun_window=pronoun_window, nominal_window=nominal_window,
                             neuter_pronouns=neuter_pronouns, cues=cues)


class EntitiesComponent:
    """Store the Doc's entity mentions and canonical entities on `doc._` as plain tuples.

    Args:
        cues: path of the cue lexicon (`toolkit/data/speech_cues.tsv` when None) whose verbs of
            saying count as evidence of a person; the same file the quotes component reads.
        options: the keyword arguments of `resolve`.
    """

    def __init__(self, name: str = "toolkit_entities", *, cues: str | None = None, **options) -> None:
        self.name = name
        self.options = {**options, "cues": speech_cues(cues)}

    def __call__(self, doc: Doc) -> Doc:
        result = resolve(doc, **self.options)
        doc._.entity_mentions = [tuple(m) for m in result.mentions]
        doc._.entity_clusters = [tuple(e) for e in result.entities]
        return doc
