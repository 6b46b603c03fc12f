"""Quotation marks paired into quotations, from the text alone (no parse needed).

`quotation_spans(text)` yields a `Quotation` for each stretch of text between quotation marks:
curly, straight, guillemets, `„…“`, the doubled apostrophe and single marks.

Notes:
    Marks are paired per paragraph (one non-blank line). Whether a mark opens or closes is read
    from its shape and, for straight and doubled-apostrophe marks (and misused curly ones), from
    the characters around it, with CommonMark's left-/right-flanking delimiter rules. A quotation
    still open at the end of a paragraph runs to that end, as CoreNLP's QuoteAnnotator does with
    `extractUnclosedQuotes`; when the next paragraph re-opens a mark the quotation continues there
    (the typographic convention for quotes running over several paragraphs) and its pieces share
    `group`. Single marks inside double ones belong to the content; single-mark pairs outside
    double ones (headline style) are quotations too. Used by `toolkit.extract.speakers` (quotes) and
    `toolkit.extract.coref` ("I" inside a quotation is its speaker).
"""
from __future__ import annotations

import re
import unicodedata
from typing import Iterator, NamedTuple


class Quotation(NamedTuple):
    """Text between quotation marks (the marks outside `start:end`)."""

    start: int
    end: int
    open_start: int  # offset of the opening mark
    close_end: int  # offset just after the closing mark (`end` when the quotation was left open)
    closed: bool
    paragraph: int  # index of the paragraph (text between line breaks) it starts in
    group: int  # the pieces of a quotation running over several paragraphs share a group


DOUBLE_OPENERS = {"“": "”", "„": "“”", "«": "»", "``": "''\""}
DOUBLE_CLOSERS = frozenset({"”", "»"})
DOUBLE_EITHER = frozenset({'"', "''"})
SINGLE_OPENERS = frozenset({"‘", "‹"})
SINGLE_CLOSERS = frozenset({"’", "›"})
SINGLE_MARKS = frozenset("'‘’‹›")
QUOTE_CHARS = frozenset("\"'“”„«»‘’‹›`")
STOPS = frozenset(".,!?;")


def _is_punct(ch: str) -> bool:
    return ch in QUOTE_CHARS or unicodedata.category(ch)[0] in "PS"


def _flanking(text: str, start: int, end: int) -> tuple[bool, bool]:
    """CommonMark's (left-flanking, right-flanking) for the mark at `start:end`."""
    prev = text[start - 1] if start > 0 else " "
    nxt = text[end] if end < len(text) else " "
    left = not nxt.isspace() and (not _is_punct(nxt) or prev.isspace() or _is_punct(prev))
    right = not prev.isspace() and (not _is_punct(prev) or nxt.isspace() or _is_punct(nxt))
    return left, right


MARK = re.compile("''|``|[\"'“”„«»‘’‹›`]")


def _marks(text: str, start: int, end: int) -> Iterator[tuple[int, int, str]]:
    """Quotation marks in `text[start:end]` as (start, end, mark); `''` and ``` `` ``` are one mark."""
    for m in MARK.finditer(text, start, end):
        yield m.start(), m.end(), m.group()


def paragraphs(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each non-blank line: news text puts one paragraph on a line."""
    pos = 0
    for line in text.split("\n"):
        if line.strip():
            yield pos, pos + len(line)
        pos += len(line) + 1


def _double_quotations(text: str, start: int, end: int) -> Iterator[tuple[int, int, int, int, bool]]:
    """Pair double marks in one paragraph: (open_start, start, end, close_end, closed).

    Quotations nested in the same marks (“... calls “hell” than ...”) stay inside the outer one. When
    the paragraph ends with the outer one open and its last nested quotation closed, that closing
    mark closed both (“... say, “Hey, maybe it's us?” he tweeted.); otherwise the outer one runs to
    the end of the paragraph.
    """
    stack: list[tuple[int, int, str]] = []
    inner_close: tuple[int, int] | None = None
    for s, e, mark in _marks(text, start, end):
        if mark in SINGLE_OPENERS or mark in SINGLE_CLOSERS or mark in ("'", "`"):
            continue
        left, right = _flanking(text, s, e)
        if stack and mark in DOUBLE_CLOSERS and text[s - 1] in STOPS:
            left, right = False, True  # “... voters!”After: a closing shape after a stop closes, space or not
        if not stack:
            if (mark in DOUBLE_OPENERS and (left or not right)) or (mark in DOUBLE_EITHER and not right) \
                    or (mark in DOUBLE_CLOSERS and left and not right) or (mark in DOUBLE_EITHER and left):
                stack.append((s, e, mark))
                inner_close = None
            continue
        closer_shape = mark in DOUBLE_CLOSERS or mark in DOUBLE_EITHER or mark in DOUBLE_OPENERS.get(stack[-1][2], "")
        if (right and not left) or (closer_shape and not (left and not right)):
            opened = stack.pop()
            if not stack:
                yield opened[0], opened[1], s, e, True
            else:
                inner_close = (s, e)
        elif left and not right:
            stack.append((s, e, mark))
    if stack:
        opened = stack[0]
        if len(stack) == 1 and inner_close is not None:
            yield opened[0], opened[1], inner_close[0], inner_close[1], True
        else:
            yield opened[0], opened[1], end, end, False


def _single_quotations(text: str, start: int, end: int) -> Iterator[tuple[int, int, int, int, bool]]:
    """Pair single marks (outside double quotations) in a stretch of one paragraph."""
    opened: tuple[int, int] | None = None
    for s, e, mark in _marks(text, start, end):
        if mark not in SINGLE_OPENERS and mark not in SINGLE_CLOSERS and mark != "'":
            continue
        left, right = _flanking(text, s, e)
        nxt = text[e] if e < len(text) else " "
        if left and not right and mark != "’" and mark != "›" and not nxt.isdigit():
            opened = (s, e)  # a later opener wins: an earlier one was an apostrophe
        elif right and not left and opened is not None and mark not in SINGLE_OPENERS:
            yield opened[0], opened[1], s, e, True
            opened = None


def quotation_spans(text: str) -> list[Quotation]:
    """The quotations of `text`: double marks of every shape, then single-mark pairs outside them.

    A quotation left open runs to the end of its paragraph; if the next paragraph begins with an
    opening mark it continues there, and both pieces share `group`.
    """
    found: list[Quotation] = []
    group = -1
    continues = False
    for para, (p_start, p_end) in enumerate(paragraphs(text)):
        first_mark = p_start + len(text[p_start:p_end]) - len(text[p_start:p_end].lstrip())
        reopened = continues and text[first_mark:first_mark + 1] in "\"“„«'`"
        continues = False
        doubles = list(_double_quotations(text, p_start, p_end))
        gaps, pos = [], p_start
        for o_start, c_start, c_end, c_close, closed in doubles:
            gaps.append((pos, o_start))
            pos = c_close
            if not (reopened and o_start == first_mark):
                group += 1
            reopened = False
            found.append(_quotation(text, o_start, c_start, c_end, c_close, closed, para, group))
            continues = not closed and c_end == p_end
        gaps.append((pos, p_end))
        for g_start, g_end in gaps:
            for o_start, c_start, c_end, c_close, closed in _single_quotations(text, g_start, g_end):
                group += 1
                found.append(_quotation(text, o_start, c_start, c_end, c_close, closed, para, group))
    return sorted((q for q in found if q.end > q.start), key=lambda q: q.start)


def _quotation(text, o_start, start, end, close_end, closed, para, group) -> Quotation:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Quotation(start, end, o_start, close_end if closed else end, closed, para, group)
