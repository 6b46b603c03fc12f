"""Article text as escaped HTML, with its quotes, entity mentions and dates highlighted.

Shared by the article viewer widget and the HTML report. Article text is untrusted: every
character of it goes through `html.escape`; highlighting only wraps escaped text in `<span>`
elements whose classes and inline styles come from this module, never from the text.

    spans = highlight.spans(quotes, mentions, dates, names=entity_names)
    html = highlight.to_html(text, spans) + highlight.legend(spans)
"""
from __future__ import annotations

import html
import re
from collections import Counter, defaultdict
from typing import Iterable, Mapping, NamedTuple

import pandas as pd

from .style import ATTRIBUTION_COLOR, DATE_COLOR, KINDS, QUOTE_COLORS, _missing, label_color

LAYERS = ("quotes", "entities", "dates")
# what each kind of quote is called in tooltips and the legend: reported speech is not a quotation
KIND_NAMES = {"direct": "direct quote", "indirect": "reported speech", "mixed": "reported speech, partly quoted"}


class Span(NamedTuple):
    """One highlighted stretch of an article: `text[start:end]`."""

    start: int
    end: int
    layer: str  # one of LAYERS
    kind: str   # quotes: the quote's kind (direct, indirect, mixed) or "attribution"; entities: the NE
    #             label; dates: the TIMEX3 type
    tip: str    # tooltip (plain text; escaped when rendered)


def _int(value) -> int | None:
    return None if _missing(value) else int(value)


def _str(value, default: str = "") -> str:
    return default if _missing(value) else str(value)


def spans(quotes: pd.DataFrame | None = None, mentions: pd.DataFrame | None = None,
          dates: pd.DataFrame | None = None, *, names: Mapping[str, str] | None = None,
          layers: Iterable[str] = LAYERS) -> list[Span]:
    """The spans of one article's quotes, mentions and dates (frames already filtered to it).

    Args:
        quotes, mentions, dates: rows of the `quotes`, `mentions` and `dates` tables.
        names: entity id -> canonical name, for the mentions' tooltips.
        layers: which of `LAYERS` to include.
    """
    layers = set(layers)
    unknown = layers - set(LAYERS)
    if unknown:
        raise ValueError(f"unknown layer(s) {sorted(unknown)}; choose from {LAYERS}")
    names = names or {}
    out: list[Span] = []
    if "quotes" in layers and quotes is not None:
        cols = ["start", "end", "kind", "cue", "cue_start", "cue_end", "speaker", "speaker_start", "speaker_end"]
        for start, end, kind, cue, cs, ce, speaker, ss, se in quotes[cols].itertuples(index=False):
            who = _str(speaker, "unknown speaker")
            kind = _str(kind, "quote")
            out.append(Span(int(start), int(end), "quotes", kind,
                            f"{KIND_NAMES.get(kind, 'quote of unknown kind')} · {who}" + (f" · {cue}" if _str(cue) else "")))
            if _int(cs) is not None and _int(ce) is not None:
                out.append(Span(int(cs), int(ce), "quotes", "attribution", f"cue: {_str(cue)}"))
            if _int(ss) is not None and _int(se) is not None:
                out.append(Span(int(ss), int(se), "quotes", "attribution", f"speaker: {who}"))
    if "entities" in layers and mentions is not None:
        for start, end, label, kind, eid in mentions[["start", "end", "label", "kind", "entity_id"]].itertuples(
                index=False):
            label = _str(label, "ENTITY")
            name = names.get(_str(eid), _str(eid))
            out.append(Span(int(start), int(end), "entities", label,
                            f"{label} · {name}" + (f" ({kind})" if _str(kind) not in ("", "name") else "")))
    if "dates" in layers and dates is not None:
        for start, end, type_, value in dates[["start", "end", "type", "value"]].itertuples(index=False):
            out.append(Span(int(start), int(end), "dates", _str(type_, "DATE"),
                            f"{_str(type_, 'DATE')} {_str(value, '(unresolved)')}"))
    return out


def _css_name(label: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]", "_", label)


def _style(active: list[Span]) -> tuple[str, str]:
    """CSS classes and inline style of a stretch covered by `active` spans (innermost last)."""
    classes, style = [], {}
    for span in active:
        if span.layer == "quotes":
            if span.kind == "attribution":
                classes.append("ntk-a")
                style["background"], style["font-weight"] = ATTRIBUTION_COLOR, "600"
            else:
                kind = span.kind if span.kind in KINDS else "unknown"
                classes += ["ntk-q", f"ntk-q-{kind}"]
                style.setdefault("background", QUOTE_COLORS.get(kind, QUOTE_COLORS["indirect"]))
                if kind != "direct":  # a dotted rule too, so a paraphrase differs from a quotation without colour
                    style.setdefault("border-bottom", "1px dotted #5b7fb0")
        elif span.layer == "entities":
            classes += ["ntk-e", f"ntk-e-{_css_name(span.kind)}"]
            style["border-bottom"] = f"2px solid {label_color(span.kind)}"
        else:
            classes.append("ntk-d")
            style["box-shadow"] = f"inset 0 0 0 1.5px {DATE_COLOR}"
            style["border-radius"] = "3px"
    return " ".join(dict.fromkeys(classes)), ";".join(f"{k}:{v}" for k, v in style.items())


def to_html(text: str, spans: Iterable[Span]) -> str:
    """`text`, escaped, with each span wrapped in a styled `<span>` carrying a tooltip.

    Overlapping and nested spans are drawn by cutting the text at every span boundary and
    styling each piece by all the spans that cover it, so no tag is ever left unbalanced.
    Spans outside the text are ignored.
    """
    n = len(text)
    opening, closing = defaultdict(list), defaultdict(list)
    for span in spans:
        start, end = max(0, span.start), min(n, span.end)
        if start < end:
            opening[start].append(span)
            closing[end].append(span)
    cuts = sorted({0, n, *opening, *closing})
    active: list[Span] = []
    parts = []
    for a, b in zip(cuts, cuts[1:]):
        active = [s for s in active if s not in closing[a]] + opening[a]
        piece = html.escape(text[a:b])
        if active:
            # widest first so the innermost span's style wins
            ordered = sorted(active, key=lambda s: (s.start - s.end, s.start))
            classes, style = _style(ordered)
            tip = html.escape(" | ".join(dict.fromkeys(s.tip for s in ordered)), quote=True)
            parts.append(f'<span class="{classes}" style="{style}" title="{tip}">{piece}</span>')
        else:
            parts.append(piece)
    return ('<div class="ntk-text" style="white-space:pre-wrap;line-height:1.7;font-family:Georgia,serif">'
            + "".join(parts) + "</div>")


def legend(spans: Iterable[Span]) -> str:
    """A one-line legend of what the colours mean, with how many spans of each there are."""
    counts = Counter((s.layer, s.kind) for s in spans)
    chips = []

    def chip(style: str, name: str, n: int) -> None:
        chips.append(f'<span style="margin-right:12px;white-space:nowrap"><span style="{style};padding:0 6px">'
                     f'&nbsp;</span> {html.escape(name)} ({n})</span>')

    for kind in (*KINDS, "quote"):
        if counts[("quotes", kind)]:
            rule = "" if kind == "direct" else ";border-bottom:1px dotted #5b7fb0"
            chip(f"background:{QUOTE_COLORS.get(kind, QUOTE_COLORS['indirect'])}{rule}",
                 KIND_NAMES.get(kind, "quote of unknown kind"), counts[("quotes", kind)])
    if counts[("quotes", "attribution")]:
        chip(f"background:{ATTRIBUTION_COLOR}", "cue / speaker", counts[("quotes", "attribution")])
    labels = Counter()
    for (layer, kind), n in counts.items():
        if layer == "entities":
            labels[kind] += n
    for label, n in labels.most_common():
        chip(f"border-bottom:3px solid {label_color(label)}", label, n)
    n_dates = sum(n for (layer, _), n in counts.items() if layer == "dates")
    if n_dates:
        chip(f"box-shadow:inset 0 0 0 1.5px {DATE_COLOR};border-radius:3px", "date", n_dates)
    if not chips:
        return '<div class="ntk-legend" style="font-size:90%">nothing highlighted</div>'
    return '<div class="ntk-legend" style="font-size:90%;margin:4px 0">' + "".join(chips) + "</div>"
