"""Quotes and their speakers: who said what.

`quotes(doc)` yields a `Quote` for each quotation in a Doc: the quoted content (quotation
marks outside the span), its kind, the cue that introduces it, the speaker as mentioned
there and the canonical entity that mention refers to.

First version: direct quotes between paired quotation marks, attributed to the nearest verb
of saying in the same or the neighbouring sentence and that verb's nominal subject.
"""
from __future__ import annotations

from typing import Iterator, NamedTuple

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from . import extensions  # noqa: F401  (registers Doc._ attributes)
from .entities import entity_at

SPEECH_VERBS = frozenset({
    "say", "tell", "add", "warn", "claim", "state", "note", "explain", "insist", "argue", "ask",
    "reply", "respond", "declare", "announce", "write", "report", "accuse", "threaten", "deny",
    "admit", "acknowledge", "suggest", "stress", "emphasize", "urge", "testify", "comment",
})
OPENING = {'"': '"', "“": "”", "«": "»", "„": "“"}


class Quote(NamedTuple):
    """One quotation: what was said, how, and by whom."""

    article_id: str | None
    start: int
    end: int
    text: str
    kind: str  # direct / indirect / mixed
    cue: str | None
    cue_start: int | None
    cue_end: int | None
    speaker: str | None
    speaker_entity_id: str | None  # the speaker's entity key in this article
    speaker_start: int | None
    speaker_end: int | None


def quote_spans(text: str) -> Iterator[tuple[int, int]]:
    """Character spans of text between paired double quotation marks, marks excluded."""
    i = 0
    while i < len(text):
        closing = OPENING.get(text[i])
        if closing is None:
            i += 1
            continue
        j = text.find(closing, i + 1)
        if j < 0:
            return
        if text[i + 1:j].strip():
            yield i + 1, j
        i = j + 1


def quotes(doc: Doc) -> Iterator[Quote]:
    """Yield the direct quotes of `doc`, each with its cue and speaker where one is found."""
    for start, end in quote_spans(doc.text):
        content = doc.char_span(start, end, alignment_mode="expand")
        if content is None:
            continue
        cue = _nearest_cue(doc, content)
        speaker = _subject(cue) if cue is not None else None
        entity = entity_at(doc, speaker.start_char, speaker.end_char) if speaker is not None else None
        yield Quote(
            doc._.article_id, start, end, doc.text[start:end], "direct",
            cue.text if cue is not None else None,
            cue.idx if cue is not None else None,
            cue.idx + len(cue) if cue is not None else None,
            entity.name if entity is not None else (speaker.text if speaker is not None else None),
            entity.key if entity is not None else None,
            speaker.start_char if speaker is not None else None,
            speaker.end_char if speaker is not None else None,
        )


def _nearest_cue(doc: Doc, content: Span) -> Token | None:
    """The verb of saying outside the quote closest to it, in its sentences or the next one."""
    first, last = content[0].sent, content[-1].sent
    lo = first.start
    hi = min(len(doc), last.end + (len(list(doc[last.end:].sents)[0]) if last.end < len(doc) else 0))
    candidates = [t for t in doc[lo:hi]
                  if t.lemma_ in SPEECH_VERBS and t.pos_ in ("VERB", "AUX")
                  and not (content.start <= t.i < content.end)]
    if not candidates:
        return None
    return min(candidates, key=lambda t: min(abs(t.i - content.start), abs(t.i - content.end)))


def _subject(verb: Token) -> Span | None:
    """The nominal subject of `verb`, as the span of its noun phrase head with compounds."""
    for child in verb.children:
        if child.dep_ in ("nsubj", "nsubjpass"):
            left = min((t.i for t in child.lefts if t.dep_ in ("compound", "amod", "det")), default=child.i)
            return verb.doc[left:child.i + 1]
    return None


# ---------------------------------------------------------------- component
@Language.factory("toolkit_quotes", assigns=["doc._.quotes"], requires=["doc._.entity_mentions"])
def make_quotes_component(nlp: Language, name: str) -> "QuotesComponent":
    return QuotesComponent(name)


class QuotesComponent:
    """Store the Doc's quotes on `doc._.quotes` as plain tuples."""

    def __init__(self, name: str = "toolkit_quotes") -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        doc._.quotes = [tuple(q) for q in quotes(doc)]
        return doc
