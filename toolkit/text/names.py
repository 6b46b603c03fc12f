"""Names as strings: folding for comparison, titles, countries, acronyms and person names.

Plain functions over strings, shared by `toolkit.extract.entities` (which groups the named mentions of
an article into canonical entities) and `toolkit.extract.coref` (which links pronouns and role nouns to
them). The language data lives in `toolkit/data/`; the lists of titles, countries and first
names come from well-kept libraries: nameparser, pycountry with Babel's CLDR English names,
and gender-guesser.
"""
from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from functools import cache, lru_cache
from typing import Iterable, NamedTuple

from . import lexicons

# Words skipped when initials are formed ("United Nations" -> UN, "Bank of America" -> BOA / BA)
# and when a name's head is found.
FUNCTION_WORDS = frozenset({"of", "the", "and", "for", "&", "de", "du", "des", "la", "le", "el", "in",
                            "on", "at", "to", "a", "an", "y", "del", "da", "di", "van", "von", "der"})
# Name suffixes that are no part of what a person is called by ("Jr.", "III").
PERSON_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv", "phd", "md"})
# Post-nominal letters after a person's name ("Daniel Bernoulli FRS", "Zaha Hadid DBE RA"): no part of it.
POST_NOMINALS = frozenset({"FRS", "FRSE", "FBA", "FRSA", "DBE", "CBE", "OBE", "MBE", "KBE", "GBE", "RA", "QC",
                           "KC", "KCB", "KG", "OM", "PC", "VC", "MP"})
# Legal-form words at the end of an organisation's name ("Microsoft Corp." is "Microsoft").
ORG_SUFFIXES = frozenset({"inc", "corp", "corporation", "co", "ltd", "llc", "plc", "ag", "sa", "gmbh",
                          "limited", "incorporated", "company", "group", "holdings"})


# ---------------------------------------------------------------- folding
@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """A name folded for comparison.

    Accents, case, the periods of abbreviations, a leading "the", possessive 's and the spaces
    around hyphens are removed: "the U.S." -> "us", "Assad’s" -> "assad",
    "American - Islamic" -> "american-islamic".
    """
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("’", "'").replace("‘", "'").lower()
    text = re.sub(r"'s\b|(?<=s)'(?=\s|$)", "", text)
    text = text.replace(".", "")
    text = re.sub(r"\s*-\s*", "-", text)
    text = re.sub(r"[^\w\s'&-]", " ", text)
    text = re.sub(r"\s+", " ", text).strip()
    return text[4:] if text.startswith("the ") else text


def words(text: str) -> list[str]:
    """The folded words of a name."""
    return fold(text).split()


# Prepositions after the head of a name: "Ministry of Defense", "Center for Security Studies".
HEAD_PREPOSITIONS = frozenset({"of", "for", "on", "in", "at"})


def head_word(name_words: list[str], prepositions: Iterable[str] = HEAD_PREPOSITIONS) -> str | None:
    """The word a name is about: the one before its first preposition ("ministry" in "Ministry
    of Defense", "center" in "Center for Security Studies"), else the last word that is no
    legal form ("microsoft" in "Microsoft Corp")."""
    for k, w in enumerate(name_words[1:], 1):
        if w in prepositions:
            return name_words[k - 1]
    content = [w for w in name_words if w not in ORG_SUFFIXES]
    return (content or name_words or [None])[-1]


# ---------------------------------------------------------------- titles and role nouns
class Title(NamedTuple):
    """What a title word says about its bearer."""

    role: str | None  # the role noun it stands for: "Gen." -> "general"; None for Mr, Mrs, ...
    gender: str | None  # "m", "f" or None


class Noun(NamedTuple):
    """A common noun that can refer back to a named entity."""

    cls: str  # person, country, city or org
    gender: str | None


@cache
def _titles() -> dict[str, Title]:
    return {w: Title(None if role == "-" else role, None if g == "-" else g) for w, role, g in lexicons.rows("titles.tsv")}


@cache
def _nouns() -> dict[str, Noun]:
    return {w: Noun(cls, None if g == "-" else g) for w, cls, g in lexicons.rows("nouns.tsv")}


@cache
def _title_words() -> frozenset[str]:
    from nameparser.config import CONSTANTS
    persons = {w for w, n in _nouns().items() if n.cls == "person"}
    return frozenset(CONSTANTS.titles) | frozenset(_titles()) | persons


def noun(lemma: str) -> Noun | None:
    """The class and gender of a role or class noun (`spokeswoman` -> person, f), or None."""
    return _nouns().get(lemma.lower())


# The label a name has that a class noun of nouns.tsv describes ("the group Civic Passion",
# "Instituto Gonzaga, a school"). Place nouns are left out: before a name they mostly modify it
# ("the state Department of ...").
CLASS_LABELS = {"org": "ORG", "event": "EVENT", "product": "PRODUCT", "activity": "MISC", "work": "WORK_OF_ART",
                "award": "MISC", "field": "MISC"}


def class_label(lemma: str) -> str | None:
    """The label of a name that the class noun `lemma` describes, or None."""
    known = noun(lemma)
    return CLASS_LABELS.get(known.cls) if known is not None else None


def noun_of_word(word: str) -> Noun | None:
    """`noun` of a word as written in a name, singular or plural ("Championships", "Studies"):
    the small model gives proper nouns no lemma, so regular plurals are undone here."""
    w = word.lower()
    for lemma in (w, w[:-3] + "y" if w.endswith("ies") else None, w[:-2] if w.endswith(("ches", "shes", "sses"))
                  else None, w[:-1] if w.endswith("s") and not w.endswith("ss") else None):
        if lemma and lemma in _nouns():
            return _nouns()[lemma]
    return None


def title(word: str) -> Title | None:
    """A title or honorific word ("Gen.", "President", "Mrs", "spokesman"), or None.

    The set of title words is nameparser's (without its two-letter entries such as "us", which
    are no titles in news text, and the nouns that `nouns.tsv` says name no person: "group",
    "army", "state"), with this package's `titles.tsv` (abbreviations and the gender they imply)
    and the person nouns of `nouns.tsv`.
    """
    w = word.lower().rstrip(".")
    if w in _titles():
        return _titles()[w]
    if len(w) > 2 and w not in FUNCTION_WORDS and w not in ("his", "her", "their") and w in _title_words():
        known = noun(w)
        if known is not None and known.cls not in ("person", "agent"):
            return None
        return Title(w, known.gender if known else None)
    return None


@cache
def voice_words() -> dict[str, str]:
    """Headline words that say whose voice the text is, and of what kind (`interview` or
    `speech`), from `voice.txt`."""
    return {word: kind for word, kind in lexicons.rows("voice.txt")}


@cache
def _person_evidence() -> dict[str, frozenset[str]]:
    out: dict[str, set[str]] = defaultdict(set)
    for word, kind in lexicons.rows("person_evidence.tsv"):
        out[kind].add(word)
    return {kind: frozenset(ws) for kind, ws in out.items()}


def person_verbs() -> frozenset[str]:
    """Verb lemmas whose subject is a person ("died", "married", "composed"), from `person_evidence.tsv`."""
    return _person_evidence().get("verb", frozenset())


def person_nouns() -> frozenset[str]:
    """Nouns a person has ("wife", "death", "memoirs"), from `person_evidence.tsv`."""
    return _person_evidence().get("possessed", frozenset())


@cache
def faith_words() -> frozenset[str]:
    """Words naming the followers of a faith or a religious order (`faiths.txt`): "Catholic", "Jesuits"."""
    return frozenset(row[0] for row in lexicons.rows("faiths.txt"))


# Words that qualify a faith's name without making it another thing: "Roman Catholic", "Greek Orthodox".
FAITH_QUALIFIERS = frozenset({"roman", "greek", "russian", "coptic", "eastern", "catholic", "orthodox"})


def faithful(words: list[str]) -> bool:
    """Whether a name's words name a faith's followers ("Roman Catholic", "Jesuits", "Sunni")."""
    return bool(words) and words[-1] in faith_words() and all(w in FAITH_QUALIFIERS for w in words[:-1])


@cache
def facility_words() -> frozenset[str]:
    """Last words of names that make them facilities (`facilities.txt`)."""
    return frozenset(row[0] for row in lexicons.rows("facilities.txt"))


# ---------------------------------------------------------------- first names
@cache
def _gender_detector():
    import gender_guesser.detector

    return gender_guesser.detector.Detector(case_sensitive=False)


@lru_cache(maxsize=8192)
def first_name_gender(name: str, *, mostly: bool = True) -> str | None:
    """"m" or "f" when gender-guesser knows `name` as a male or female first name, or (with
    `mostly`) a mostly male or mostly female one ("Robin")."""
    guess = _gender_detector().get_gender(name)
    genders = {"male": "m", "female": "f"}
    if mostly:
        genders.update(mostly_male="m", mostly_female="f")
    return genders.get(guess)


def is_first_name(name: str) -> bool:
    """Whether gender-guesser knows `name` as a first name (of any gender)."""
    return _gender_detector().get_gender(name) != "unknown"


def verb_bases(word: str) -> set[str]:
    """The base forms an inflected English verb form may have: "Blasts" -> {"blasts", "blast"},
    "hammering" -> {"hammer", "hammere", ...}, "slamming" -> {"slam", ...}, "praised" -> {"praise", ...}.
    A superset (some are no words): it is only compared with the lemmas a parse gave."""
    w = word.lower()
    out = {w}
    for suffix in ("ing", "ed", "es", "s"):
        if w.endswith(suffix) and len(w) > len(suffix) + 2:
            stem = w[: -len(suffix)]
            out |= {stem, stem + "e"}
            if len(stem) > 2 and stem[-1] == stem[-2]:  # "slamming", "planned"
                out.add(stem[:-1])
            if suffix == "ed" and stem.endswith("i"):  # "tried"
                out.add(stem[:-1] + "y")
    return out


# ---------------------------------------------------------------- person names
def same_word(short: str, long: str) -> bool:
    """A word of a short name matches one of a long name, also without a particle: "assad" ~ "al-assad"."""
    if short == long:
        return True
    head, _, rest = long.partition("-")
    return bool(rest) and rest == short and len(head) <= 3


@cache
def _particles() -> frozenset[str]:
    from nameparser.config import CONSTANTS
    return frozenset(p.rstrip("-") for p in CONSTANTS.prefixes)


def is_particle(word: str) -> bool:
    """Whether a lower-case word belongs to a name ("al" in "al-Assad", "van", "de"), per nameparser."""
    return word.lower().rstrip("-") in _particles()


def person_words(name: str) -> list[str]:
    """The folded words of a person's name without suffixes ("Martin Luther King Jr." -> martin luther king)."""
    return [w for w in words(name) if w not in PERSON_SUFFIXES] or words(name)


def part_of_person_name(short: list[str], full: list[str]) -> bool:
    """Whether the short name can name the same person as the full one.

    In the spirit of the Gender Gap Tracker's `can_merge_nes` (Asr et al. 2021): the short name's
    words appear in order in the full name and it keeps the surname ("Ryder", "Patrick Ryder",
    "Assad" for "Bashar al-Assad"), or it is the first name alone ("Nikki" for "Nikki Haley").
    """
    if not short or len(short) >= len(full):
        return False
    if len(short) == 1 and short[0] == full[0]:
        return True
    if not same_word(short[-1], full[-1]):
        return False
    i = 0
    for w in short[:-1]:
        while i < len(full) - 1 and not same_word(w, full[i]):
            i += 1
        if i == len(full) - 1:
            return False
        i += 1
    return True


def part_of_name(short: list[str], full: list[str]) -> bool:
    """Whether a shorter organisation or place name can name the same thing as a longer one.

    The strict head match of Lee et al. (2013): the short name is a run of the long name's
    words and keeps its head ("Museum of Flight" in "Seattle Museum of Flight", "Microsoft" in
    "Microsoft Corp"), but "Kowloon" is no short form of "Kowloon East".
    """
    n = len(short)
    if not short or n >= len(full):
        return False
    runs = (full[i:i + n] for i in range(len(full) - n + 1))
    return short in runs and head_word(short) == head_word(full)


def part_of_place_name(short: str, full: str) -> bool:
    """Whether a place name is the short form of a longer one that only qualifies it:
    "Washington" of "Washington D.C.", "Texas" of "the State of Texas" (a polity word of
    nouns.tsv before "of")."""
    s, f = words(short), words(full)
    if not s or len(s) >= len(f):
        return False
    rest = full.strip()[len(short.strip()):].strip(" ,") if full.strip().startswith(short.strip()) else ""
    if f[:len(s)] == s and rest and all(acronym_letters(w) for w in rest.split()):
        return True
    polity = noun(f[0])
    return len(f) == len(s) + 2 and f[1] == "of" and f[2:] == s and polity is not None and polity.cls == "polity"


# ---------------------------------------------------------------- parties and peoples
@cache
def _parties() -> dict[str, str]:
    table = {}
    for canonical, *others in lexicons.rows("parties.tsv"):
        for form in [canonical, *(others[0].split("|") if others else [])]:
            table[fold(form)] = canonical
    return table


def party(text: str) -> str | None:
    """The canonical name of the political party a name stands for, by `data/parties.tsv`:
    "GOP", "Republicans", "Republican" -> "Republican Party"; None for other names."""
    return _parties().get(fold(text))


def party_forms(name: str) -> frozenset[str]:
    """The folded names a party written "X Party" goes by in its article: X, its plural, and for
    an adjective in -ic the noun of its members ("Democratic Party": democratic, democrat,
    democrats)."""
    w = words(name)
    if len(w) < 2 or w[-1] != "party":
        return frozenset()
    x = " ".join(w[:-1])
    forms = {x, x + "s"}
    if x.endswith("ic"):
        forms |= {x[:-2], x[:-2] + "s"}
    return frozenset(forms)


def party_member_form(text: str) -> bool:
    """Whether a name of a party names its members or is its adjective, as OntoNotes labels them
    NORP ("Republicans", "Republican", "Democratic", "Democrat", "Tories"), rather than the party
    itself (ORG: "Republican Party", "GOP", "Labour")."""
    w = words(text)
    if len(w) != 1 or acronym_letters(text) is not None:
        return False
    word = w[0]
    return (word.endswith("s") and len(word) > 3) or word.endswith(("an", "ic", "ive", "at", "ist", "ory"))


def demonym(text: str) -> str:
    """A nationality or other people's name without its plural, for grouping: "Syrians" and
    "Syrian" -> "syrian", "Kurds" -> "kurd"; "Swiss" and "Chinese" stay as they are."""
    w = words(text)
    if w and len(w[-1]) > 3 and w[-1].endswith("s") and not w[-1].endswith(("ss", "ese")):
        w[-1] = w[-1][:-1]
    return " ".join(w)


# ---------------------------------------------------------------- acronyms
def acronym_letters(text: str) -> str | None:
    """The letters of a name written as an acronym ("UN", "U.N.", "M5S"), or None."""
    letters = re.sub(r"[.\s&]", "", text)
    if 2 <= len(letters) <= 8 and letters.isalnum() and letters.upper() == letters and letters[0].isalpha():
        return letters
    return None


@lru_cache(maxsize=8192)
def initials(name: str) -> frozenset[str]:
    """The acronyms a long name can have: initials of all its words, of its content words,
    and of its capitalised words ("For Inspiration and Recognition of Science and Technology"
    -> FIRST)."""
    parts = [w for w in re.split(r"[\s\-/]+", re.sub(r"[^\w\s\-/&]", "", name)) if w]
    if len(parts) < 2:
        return frozenset()
    forms = ("".join(w[0] for w in parts),
             "".join(w[0] for w in parts if w.lower() not in FUNCTION_WORDS),
             "".join(w[0] for w in parts if w[0].isupper() or w[0].isdigit()))
    return frozenset(f.upper() for f in forms if len(f) >= 2)


def is_acronym(short: str, long: str) -> bool:
    """Whether `short` is written as an acronym of `long` ("WHO", "World Health Organisation").

    Initials only, as the first test of Schwartz & Hearst (2003); no letters from inside words.
    """
    letters = acronym_letters(short)
    return letters is not None and letters.upper() in initials(long)


@cache
def _languages() -> frozenset[str]:
    from babel import Locale
    return frozenset(fold(n) for n in Locale("en").languages.values())


def language(text: str) -> bool:
    """Whether a name is a language's (CLDR's English names through Babel: "Latin", "Danish")."""
    return fold(text) in _languages()


# ---------------------------------------------------------------- countries
class Country(NamedTuple):
    """A country of ISO 3166-1 and the short English name it goes by."""

    code: str  # alpha-2
    name: str


@cache
def _country_index() -> tuple[dict[str, str], dict[str, str], dict[str, str], dict[str, str]]:
    """Folded names, codes, acronyms and unique name words -> alpha-2, and alpha-2 -> short name.

    Names are pycountry's (name, common and official name) and CLDR's English name through
    Babel; "Korea, Republic of" also gives "Republic of Korea", "Myanmar (Burma)" gives both.
    Acronyms are the initials of those names (UK, USA, UAE, DRC). The words after the last
    "of" of an official name that belong to one country only give it too ("America",
    "Britain"). A name or acronym shared by two countries names neither.
    """
    import pycountry
    from babel import Locale

    cldr = Locale("en").territories
    names: dict[str, set[str]] = defaultdict(set)
    acronyms: dict[str, set[str]] = defaultdict(set)
    tails: dict[str, set[str]] = defaultdict(set)
    last_words: dict[str, set[str]] = defaultdict(set)
    name_words: dict[str, set[str]] = defaultdict(set)
    codes: dict[str, str] = {}
    display: dict[str, str] = {}
    for c in pycountry.countries:
        code = c.alpha_2
        given = [n for n in (getattr(c, "common_name", None), c.name, cldr.get(code),
                             getattr(c, "official_name", None)) if n]
        whole = set(given)
        for n in given:
            if ", " in n:  # "Korea, Republic of" -> "Republic of Korea"
                head, _, rest = n.partition(", ")
                whole.add(f"{rest} {head}")
        forms = set(whole)
        for n in whole:
            paren = re.fullmatch(r"(.+?) \((.+)\)", n)
            if paren:  # "Myanmar (Burma)"
                forms.update(paren.groups())
            elif "(" in n:  # "Cocos (Keeling) Islands"
                forms.add(re.sub(r"\s*\(.*?\)", "", n))
        for form in forms:
            names[fold(form)].add(code)
            for acr in initials(form):
                acronyms[acr].add(code)
            if " of " in form:  # "United States of America" -> America, "... of Great Britain and ..."
                tail = form.rsplit(" of ", 1)[1].split(" and ")[0]
                if not tail.islower() and len(tail) >= 4:
                    tails[fold(tail)].add(code)
                    if len(tail.split()) > 1:
                        last_words[fold(tail.split()[-1])].add(code)
            for w in fold(form).split():
                name_words[w].add(code)
        codes[c.alpha_3] = code  # alpha-2 codes ("IN", "AS") are words too often; "US", "UK" are initials
        clean = [re.sub(r"^the ", "", n, flags=re.I) for n in whole
                 if not re.search(r"[,()]|\s[-–]\s|\bSAR\b", n)]
        display[code] = min(clean or given, key=len)
    unique = lambda table: {k: next(iter(v)) for k, v in table.items() if len(v) == 1}  # noqa: E731
    names_u, acr_u = unique(names), unique(acronyms)
    regions = {w for code, n in cldr.items() if code.isdigit() for w in fold(n).split()}
    words_u = {w: c for w, c in unique(last_words).items()
               if len(w) >= 5 and len(name_words[w]) == 1 and w not in regions}
    tails_u = {k: v for k, v in {**words_u, **unique(tails)}.items() if k not in names}
    return names_u, {**acr_u, **codes}, tails_u, display


@lru_cache(maxsize=4096)
def country(text: str) -> Country | None:
    """The country a place name names ("the United States of America", "U.S.", "UK", "Britain",
    "the Russian Federation" -> Russia), or None.

    Codes and acronyms count only when written in capitals; the short name is the shortest clean
    one of pycountry's and CLDR's ("Russia", "United States", "South Korea").
    """
    names, codes, tails, display = _country_index()
    key = fold(text)
    code = names.get(key)
    if code is None:
        letters = acronym_letters(text)
        code = codes.get(letters) if letters else tails.get(key)
    return Country(code, display[code]) if code else None
