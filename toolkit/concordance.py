"""Keyword in context: each occurrence of a term, or each mention of an entity, with the text either side.

    toolkit.keyword_in_context(analysis, "ceasefire", width=60)
    toolkit.concordance.mentions_in_context(analysis, "Gerasimov")

Both return one row per occurrence (`article_id`, `start`, `end`, `left`, `match`, `right`), in
article order, the offsets pointing into the article's text as every table's do. This is the
concordance of corpus linguistics, as textacy's `extract.keyword_in_context` gives it for one
Doc, over the tables of a whole corpus; the entity explorer shows `mentions_in_context`.
"""
from __future__ import annotations

import re
from typing import Mapping

import pandas as pd

from .analysis import Analysis

COLUMNS = ["article_id", "start", "end", "left", "match", "right"]


def contexts(texts: Mapping[str, str], spans: pd.DataFrame, *, width: int = 50) -> pd.DataFrame:
    """`spans` (rows with `article_id`, `start`, `end`) with the `width` characters either side.

    `left` and `right` have their runs of whitespace (line breaks too) made one space, so a
    context reads as one line; `match` is the text exactly as written. Other columns of
    `spans` are kept after these.
    """
    _check_width(width)
    left, match, right = [], [], []
    for art, start, end in zip(spans["article_id"], spans["start"], spans["end"]):
        text = texts.get(str(art), "")
        left.append(" ".join(text[max(0, int(start) - width):int(start)].split()))
        match.append(text[int(start):int(end)])
        right.append(" ".join(text[int(end):int(end) + width].split()))
    out = pd.DataFrame({"article_id": spans["article_id"].astype(object).to_numpy(),
                        "start": spans["start"].astype("int64").to_numpy(), "end": spans["end"].astype("int64").to_numpy(),
                        "left": left, "match": match, "right": right})
    extra = spans.drop(columns=[c for c in COLUMNS if c in spans.columns]).reset_index(drop=True)
    return pd.concat([out, extra], axis=1)


def keyword_in_context(analysis: Analysis, term: str | re.Pattern, *, width: int = 50, ignore_case: bool = True,
                       whole_words: bool = True, limit: int | None = None) -> pd.DataFrame:
    """Every occurrence of `term` in the articles' texts, with `width` characters either side.

    Args:
        analysis: the tables; the articles' texts are searched.
        term: a word or phrase, matched as written (no pattern syntax), or a compiled regular
            expression.
        width: characters of context on each side.
        ignore_case: match regardless of case (for a string `term`).
        whole_words: a string `term` matches whole words only ("Ruiz" not in "Ruizes").
        limit: stop after this many occurrences.

    Returns:
        `article_id`, `start`, `end`, `left`, `match`, `right`, one row per occurrence.
    """
    pattern = _pattern(term, ignore_case=ignore_case, whole_words=whole_words)
    rows, texts = [], {}
    for art, text in zip(analysis.articles["id"], analysis.articles["text"]):
        if not isinstance(text, str):
            continue
        texts[str(art)] = text
        for hit in pattern.finditer(text):
            if hit.end() > hit.start():
                rows.append((str(art), hit.start(), hit.end()))
            if limit is not None and len(rows) >= limit:
                break
        if limit is not None and len(rows) >= limit:
            break
    spans = pd.DataFrame(rows, columns=["article_id", "start", "end"])
    return contexts(texts, spans, width=width)


def mentions_in_context(analysis: Analysis, entity: str, *, width: int = 50, limit: int | None = None) -> pd.DataFrame:
    """Every mention of `entity` (an id, name or alias: see `Analysis.entity_id`), pronouns and
    descriptions included, with `width` characters either side; the mention's `kind` follows."""
    entity_id = analysis.entity_id(entity)
    mentions = analysis.mentions[analysis.mentions["entity_id"] == entity_id]
    mentions = mentions if limit is None else mentions.head(limit)
    texts = dict(zip(analysis.articles["id"].astype(str), analysis.articles["text"]))
    return contexts(texts, mentions[["article_id", "start", "end", "kind"]], width=width)


def _pattern(term: str | re.Pattern, *, ignore_case: bool, whole_words: bool) -> re.Pattern:
    if isinstance(term, re.Pattern):
        return term
    if not isinstance(term, str) or not term.strip():
        raise ValueError(f"term must be a non-empty string or a compiled pattern, not {term!r}")
    body = re.escape(term.strip())
    if whole_words:  # \b only where the term starts or ends with a word character
        body = (r"\b" if re.match(r"\w", term.strip()) else "") + body + (r"\b" if re.search(r"\w$", term.strip()) else "")
    return re.compile(body, re.IGNORECASE if ignore_case else 0)


def _check_width(width: int) -> None:
    if not isinstance(width, int) or width < 0:
        raise ValueError(f"width must be a whole number of characters, 0 or more, not {width!r}")
