"""The look every view shares: one palette and the HTML helpers of the widgets and the report.

Everything here returns HTML that reads the same in a live widget, in the static copy a
notebook keeps of it (where only inline styles survive) and in the report. Article text is
untrusted: every value goes through `esc`.

Honest display: a direct quote is drawn in quotation marks; reported speech (`indirect`) never
is, and says "reported"; a `mixed` quote is reported speech whose quoted words keep the marks
the article gives them. A speaker the text does not name at the cue says how it was found, and
one nobody found says "unknown".
"""
from __future__ import annotations

import html

import pandas as pd

from ..text.plurals import plural

__all__ = ["ATTRIBUTION_COLOR", "DATE_COLOR", "EXPLICIT_ATTRIBUTIONS", "INFERRED_ATTRIBUTIONS", "KINDS",
           "KIND_COLORS", "LABEL_COLORS", "MUTED", "OTHER_COLOR", "QUOTE_COLORS", "RELATIONS", "RELATION_COLORS",
           "day", "empty", "esc", "found", "label_color", "more", "plural", "quote", "speaker", "speaker_status", "table"]

# Entity label -> colour, so a label looks the same in every chart and text (Tableau 10).
LABEL_COLORS: dict[str, str] = {
    "PERSON": "#4e79a7", "ORG": "#f28e2b", "GPE": "#59a14f", "LOC": "#76b7b2", "NORP": "#b07aa1",
    "FAC": "#9c755f", "PRODUCT": "#e15759", "EVENT": "#edc948", "WORK_OF_ART": "#ff9da7", "LAW": "#bab0ac",
}
OTHER_COLOR = "#8c8c8c"
KINDS = ("direct", "indirect", "mixed")
KIND_COLORS = {"direct": "#d1a000", "indirect": "#5b8fd6", "mixed": "#9467bd"}
# background of a quote's content in a text, by kind: a paraphrase must not look like a quotation
QUOTE_COLORS = {"direct": "#fff1b8", "indirect": "#e4edfa", "mixed": "#efe6f7"}
ATTRIBUTION_COLOR = "#ffd166"  # background of the cue and the speaker mention
DATE_COLOR = "#3867d6"         # box around time expressions
RELATIONS = ("before publication", "around publication", "after publication")
RELATION_COLORS = ("#4e79a7", "#59a14f", "#e15759")
MUTED = "#6b6b6b"

# How a speaker was found (`quotes.attribution`): named at the cue, or inferred from elsewhere.
EXPLICIT_ATTRIBUTIONS = ("subject", "according_to", "colon", "dash")
INFERRED_ATTRIBUTIONS = {
    "nearby_name": "a name near the cue",
    "introduced": "introduced in the sentence before",
    "previous_quote": "the speaker of the quote before",
    "pronoun": "a pronoun",
    "role_noun": "a role noun",
}

_CELL = "text-align:left;vertical-align:top;padding:3px 8px;border-bottom:1px solid #eee"
_TAG = f"white-space:nowrap;font-size:80%;font-variant:small-caps;color:{MUTED};border:1px solid #ccc;border-radius:3px;padding:0 3px"


def esc(value, default: str = "") -> str:
    """`value` as escaped HTML text; `default` (escaped) when it is missing (None, NA, NaN)."""
    return html.escape(default if _missing(value) else str(value))


def _missing(value) -> bool:
    return value is None or (not isinstance(value, str) and not hasattr(value, "__len__") and pd.isna(value))


def day(value) -> str:
    """A date as `YYYY-MM-DD`, or "" when missing."""
    return "" if _missing(value) else f"{pd.Timestamp(value):%Y-%m-%d}"


def label_color(label: str) -> str:
    """The colour of an entity label (grey for labels without one)."""
    return LABEL_COLORS.get(label, OTHER_COLOR)


def empty(text: str) -> str:
    """A muted line saying there is nothing to show (`text` is plain, escaped here)."""
    return f'<p class="ntk-empty" style="color:{MUTED}">{html.escape(text)}</p>'


def more(n: int, noun: str = "more") -> str:
    """The "… and N more" line under a list cut short; nothing when `n` is not positive."""
    return f'<p class="ntk-more" style="color:{MUTED}">… and {n:,} {noun}</p>' if n > 0 else ""


def table(header: list[str], rows: list[list[str]], *, hidden: int = 0, cls: str = "") -> str:
    """An HTML table: `header` is plain text (escaped here), `rows` hold cells already escaped.

    Args:
        header: column titles.
        rows: one list of HTML cells per row.
        hidden: rows left out, announced under the table ("… and 12 more").
        cls: extra CSS classes (the report styles its article list by one).
    """
    if not rows:
        return empty("nothing to show")
    head = "".join(f'<th style="{_CELL};border-bottom:1px solid #ccc">{html.escape(h)}</th>' for h in header)
    body = "".join("<tr>" + "".join(f'<td style="{_CELL}">{c}</td>' for c in row) + "</tr>" for row in rows)
    classes = " ".join(["ntk-table", *cls.split()])
    return (f'<table class="{classes}" style="border-collapse:collapse;font-size:92%">'
            f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>" + more(hidden))


def quote(text, kind) -> str:
    """A quote's content as HTML: in quotation marks only when `kind` is `direct`.

    Reported speech (`indirect`) is plain text marked "reported"; a `mixed` quote is reported
    speech holding quoted words, shown as written (so only those words are in marks) and
    marked "reported, partly quoted". A quote of unknown kind is never given marks.
    """
    body = esc(text)
    if kind == "direct":
        return f'<span class="ntk-quote ntk-direct">“{body}”</span>'
    tag = {"indirect": "reported", "mixed": "reported, partly quoted"}.get(kind, "quote of unknown kind")
    css = kind if kind in KINDS else "unknown"
    return (f'<span class="ntk-quote ntk-{css}"><span class="ntk-reported" style="{_TAG}">{tag}</span> '
            f"{body}</span>")


def speaker_status(speaker, entity_id, attribution) -> str:
    """How much a quote's speaker can be trusted, for display.

    Returns:
        `unknown` (no speaker found), `unresolved` (words of the text, tied to no entity),
        `inferred` (an entity found away from the cue: a pronoun, a role noun, the quote
        before, ...) or `named` (the text names it at the cue).
    """
    if _missing(speaker):
        return "unknown"
    if _missing(entity_id):
        return "unresolved"
    return "named" if _missing(attribution) or attribution in EXPLICIT_ATTRIBUTIONS or attribution == "none" \
        else "inferred"


def speaker(name, entity_id=None, attribution=None) -> str:
    """A quote's speaker as HTML, saying so when it is unknown, unresolved or inferred."""
    status = speaker_status(name, entity_id, attribution)
    if status == "unknown":
        return f'<span class="ntk-speaker ntk-unknown" style="color:{MUTED};font-style:italic">unknown</span>'
    tags = found(entity_id, attribution, named="")
    return f'<span class="ntk-speaker ntk-{status}">{esc(name)}</span>' + (f" {tags}" if tags else "")


def found(entity_id, attribution, *, named: str = "named at the cue") -> str:
    """How a known speaker was found, as HTML tags: inferred (and how), not linked to an entity,
    or `named` when the text names an entity at the cue."""
    tags = []
    how = None if _missing(attribution) else INFERRED_ATTRIBUTIONS.get(str(attribution))
    if how:
        tags.append(("ntk-inferred", f"inferred: {str(attribution).replace('_', ' ')}",
                     f"found through {how}, not named at the cue"))
    if _missing(entity_id):
        tags.append(("ntk-unresolved", "not linked to an entity",
                     "the words of the text, not resolved to a person or group"))
    if not tags:
        return html.escape(named)
    return " ".join(f'<span class="{cls}" style="{_TAG}" title="{html.escape(tip, quote=True)}">{html.escape(text)}'
                    f"</span>" for cls, text, tip in tags)
