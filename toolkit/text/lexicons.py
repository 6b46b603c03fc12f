"""Every reader of `toolkit/data/`: the lexicons the extractors use, loaded in one place.

The components take a lexicon from here (the bundled file, or one the user names in the
component's config) and hand it to every stage they drive, so a custom file reaches all of
them. Nothing here needs spaCy.

- `speech_cues(path)` — verbs, nouns and phrases of reported speech (`speech_cues.tsv`);
- `timex(name)` — the TIMEX3 lexicon and span patterns (`timex_en.json`);
- `quote_words()` — words the quote extractor reads as partitives, labels, messages and things
  (`quote_words.tsv`);
- `rows(name)` — the tab-separated rows of a word list (`titles.tsv`, `nouns.tsv`, ...);
- `time_names(name)` — names that hold a time word but are no date (`time_names.txt`).
"""
from __future__ import annotations

import csv
import json
from functools import lru_cache
from importlib import resources
from importlib.abc import Traversable
from pathlib import Path
from typing import Any, Iterable, Iterator, NamedTuple

CUES_FILE = "speech_cues.tsv"
TIMEX_FILE = "timex_en.json"
QUOTE_WORDS_FILE = "quote_words.tsv"
TIME_NAMES_FILE = "time_names.txt"


def bundled(name: str) -> Traversable:
    """A data file shipped with the toolkit (`toolkit/data/<name>`)."""
    return resources.files("toolkit") / "data" / name


def _source(name_or_path: str | Path) -> Traversable | Path:
    """A path the user gave, or else the bundled file of that name."""
    path = Path(name_or_path)
    return path if path.is_file() else bundled(str(name_or_path))


def rows(name: str) -> Iterator[list[str]]:
    """The tab-separated rows of a bundled word list, comments and blank lines skipped."""
    for line in bundled(name).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            yield line.split("\t")


def lines(name: str) -> Iterator[str]:
    """The lines of a bundled word list, stripped, comments and blank lines skipped."""
    for line in bundled(name).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            yield line.strip()


# ---------------------------------------------------------------- TIMEX3
@lru_cache(maxsize=8)
def timex(name: str = TIMEX_FILE) -> dict[str, Any]:
    """The TIMEX3 lexicon: a bundled file's name or a path to a file of the same form (see its `_about`)."""
    source = _source(name)
    try:
        return json.loads(source.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ValueError(f"{source}: not a readable TIMEX3 lexicon ({exc})") from None


@lru_cache(maxsize=8)
def time_names(name: str = TIME_NAMES_FILE) -> tuple[str, ...]:
    """Outlets, programmes, titles and brands whose names hold a time word ("USA Today", "Morning
    Edition"): a bundled file's name or a path to a file of one name a line (`#` comments)."""
    source = _source(name)
    try:
        text = source.read_text(encoding="utf-8")
    except OSError as exc:
        raise ValueError(f"{source}: not a readable list of names ({exc})") from None
    return tuple(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))


# ---------------------------------------------------------------- speech cues
class CueLexicon(NamedTuple):
    """Cues of reported speech, by lemma (see `toolkit/data/speech_cues.tsv`)."""

    verbs: dict[str, tuple[tuple[str, ...], ...]]  # lemma or "lemma particle" -> content frames
    nouns: dict[str, tuple[tuple[str, ...], ...]]
    phrases: tuple[tuple[str, ...], ...]  # lower-cased token sequences: ("according", "to")
    governors: frozenset[str]  # "quote" in "was quoted as saying"
    blockers: frozenset[str]  # "decline" in "declined to say"
    triggers: frozenset[str] = frozenset()  # the lemmas and words that can start a cue
    source: str = ""  # the file it was read from
    asides: dict[str, tuple[tuple[str, ...], ...]] = {}  # "refer": a cue only as a participle after a verb of saying


def speech_cues(path: str | Path | None = None) -> CueLexicon:
    """Read a cue lexicon: the bundled one when `path` is None, else the file at `path`.

    Raises:
        ValueError: a row has an unknown kind or lacks the frames its kind needs, naming the file
            and line.
        OSError: the file cannot be read.
    """
    if path is None:
        return _bundled_cues()
    with open(path, encoding="utf-8") as fh:
        return _parse_cues(fh, str(path))


@lru_cache(maxsize=1)
def _bundled_cues() -> CueLexicon:
    source = bundled(CUES_FILE)
    with source.open(encoding="utf-8") as fh:
        return _parse_cues(fh, str(source))


def _parse_cues(lines_: Iterable[str], name: str) -> CueLexicon:
    verbs: dict = {}
    nouns: dict = {}
    asides: dict = {}
    phrases, governors, blockers = [], set(), set()
    for lineno, row in enumerate(csv.reader(lines_, delimiter="\t"), 1):
        if not row or row[0].startswith("#") or row[0] == "lemma":
            continue
        lemma, kind = row[0].strip(), (row[1].strip() if len(row) > 1 else "")
        frames = tuple(tuple(f.split("+")) for f in (row[2].split() if len(row) > 2 else ()))
        if kind in ("verb", "noun", "aside"):
            if not frames:
                raise ValueError(f"{name}, line {lineno}: {kind} {lemma!r} has no content frames")
            {"verb": verbs, "noun": nouns, "aside": asides}[kind][lemma] = frames
            if kind == "verb" and lemma.endswith(("ize", "yze")):
                verbs.setdefault(lemma[:-2] + "se", frames)  # British spelling: "criticise", "analyse"
        elif kind == "phrase":
            phrases.append(tuple(lemma.lower().split()))
        elif kind == "governor":
            governors.add(lemma)
        elif kind == "blocker":
            blockers.add(lemma)
        else:
            raise ValueError(f"{name}, line {lineno}: unknown kind {kind!r} (verb, noun, aside, phrase, governor, blocker)")
    triggers = frozenset({w.split()[0] for w in (*verbs, *nouns, *asides)} | {p[0] for p in phrases})
    return CueLexicon(verbs, nouns, tuple(phrases), frozenset(governors), frozenset(blockers), triggers, name,
                      asides)


# ---------------------------------------------------------------- quote words
class QuoteWords(NamedTuple):
    """Words the quote extractor reads for what they are (see `toolkit/data/quote_words.tsv`)."""

    partitive: frozenset[str]  # "a wave of protesters": the speaker is the group after "of"
    label: frozenset[str]  # "Twitter:" labels what follows; it is no speaker
    message: frozenset[str]  # "denied the claims": names a message without giving it
    thing: frozenset[str]  # "announced a fine": names a thing or an event, not a message
    document: frozenset[str]  # "a statement saying ...": a text someone issues; whoever issued it speaks
    issue: frozenset[str]  # "issued", "sent", "released": verbs by which someone issues a document
    occasion: frozenset[str]  # "at a rally blasting ...": an occasion of speech; whoever spoke at it speaks
    adjunct: frozenset[str]  # "during", "on": a preposition of time or place after an object is no content
    naming: frozenset[str]  # "called", "titled": a participle naming a thing ("a show called “Brokers”")
    frame: frozenset[str]  # "in a statement", "in an interview": closing what was said, the occasion of it


@lru_cache(maxsize=1)
def quote_words() -> QuoteWords:
    """The bundled `quote_words.tsv`, by kind.

    Raises:
        ValueError: a row has an unknown kind, naming the file and the word.
    """
    kinds: dict[str, set[str]] = {k: set() for k in QuoteWords._fields}
    for row in rows(QUOTE_WORDS_FILE):
        word, kind = row[0].strip().lower(), (row[1].strip() if len(row) > 1 else "")
        if word == "word":
            continue
        if kind not in kinds:
            raise ValueError(f"{QUOTE_WORDS_FILE}: unknown kind {kind!r} for {word!r} ({', '.join(kinds)})")
        kinds[kind].add(word)
    return QuoteWords(**{k: frozenset(v) for k, v in kinds.items()})
