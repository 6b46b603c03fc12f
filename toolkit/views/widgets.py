"""ipywidgets explorers over an `Analysis`: articles, speakers, entities, a timeline.

Each explorer is a function returning a widget (a `VBox`) whose controls are attributes, so a
notebook shows it and code (or a test) can drive it:

    viewer = article_viewer(analysis)
    viewer.article.value = "wikinews_nasa"      # choose an article
    viewer.layers["dates"].value = False        # hide the dates layer
    viewer.html                                 # what the viewer shows now

They read the tables only; spaCy never runs again. Each builds its indexes (group positions
by article, speaker or entity) once, so an interaction touches only the rows it shows, which
keeps them responsive on a 10,000-article analysis. Article text is untrusted and is always
HTML-escaped (see `toolkit.views.highlight`).

Shown in a notebook, an explorer's output carries, beside the live widget, a static HTML copy
of its view at that moment (`static_html()`), so the notebook still shows it where no kernel
runs: JupyterLab before "Run All", GitHub, nbviewer, an HTML export. Reported speech is never
drawn in quotation marks, and a speaker found away from the cue says so (`toolkit.views.style`).
"""
from __future__ import annotations

import html
from functools import cached_property

import ipywidgets as widgets
import numpy as np
import pandas as pd

from . import charts, highlight, style
from ..analysis import Analysis
from ..concordance import contexts
from .style import day as _day
from .style import esc as _esc
from .style import plural

__all__ = ["ArticleViewer", "EntityExplorer", "SpeakerExplorer", "TimelineExplorer", "article_viewer",
           "entity_explorer", "speaker_explorer", "timeline_explorer"]


# ------------------------------------------------------------------ helpers
def _day_cell(value) -> str:
    return f'<span style="white-space:nowrap">{_day(value)}</span>'


def _positions(frame: pd.DataFrame, column: str) -> dict[str, np.ndarray]:
    """Row positions of `frame` grouped by the value of `column` (computed once, used per click)."""
    if frame.empty:
        return {}
    return {str(k): v for k, v in frame.groupby(column, observed=True, sort=False).indices.items()}


def _rows(frame: pd.DataFrame, index: dict[str, np.ndarray], keys) -> pd.DataFrame:
    parts = [index[k] for k in keys if k in index]
    return frame.iloc[np.sort(np.concatenate(parts))] if parts else frame.iloc[0:0]


def _matches(haystack: pd.Series, query: str) -> pd.Series:
    """Which rows of a lower-cased text column contain `query` (case-insensitive, no regex)."""
    query = query.strip().lower()
    return haystack.str.contains(query, regex=False) if query else pd.Series(True, index=haystack.index)


def _set_options(select: widgets.Dropdown | widgets.Select, options: list[tuple[str, str]]) -> bool:
    """Offer `options`, keeping the chosen value if it is still offered, else choosing the first.

    Returns whether the chosen value changed. Observers of `value` are silenced meanwhile (the
    caller renders once), so one keystroke in a search box renders at most once.
    """
    before = select.value
    values = [v for _, v in options]
    select._ntk_quiet = True
    try:
        select.options = options
        select.value = before if before in values else (values[0] if values else None)
    finally:
        select._ntk_quiet = False
    return select.value != before


def _on_change(widget: widgets.Widget, callback) -> None:
    """Call `callback()` when `widget.value` changes, unless `_set_options` is updating it."""
    widget.observe(lambda _: None if getattr(widget, "_ntk_quiet", False) else callback(), names="value")


class _StaticView:
    """An explorer whose notebook output also holds a static HTML copy of its current view."""

    view_title = "Explorer"

    def controls_text(self) -> str:
        """The state of the controls, in words (plain text)."""
        return ""

    def static_html(self) -> str:
        """The view as it is now, as self-contained, escaped HTML (no script, inline styles)."""
        state = self.controls_text()
        note = (f'<p style="color:{style.MUTED};font-size:85%;margin:2px 0 6px">{html.escape(self.view_title)}'
                + (f" · {html.escape(state)}" if state else "")
                + " · a static copy of the view when it was shown; run the notebook to explore</p>")
        return f'<div class="ntk-static">{note}{self._static_body()}</div>'

    def _static_body(self) -> str:
        """What the widget shows, in order: every HTML part, and a picture of every chart."""
        parts, stack = [], [self]
        while stack:
            node = stack.pop()
            if isinstance(node, widgets.HTML):
                parts.append(node.value)
            elif isinstance(node, widgets.Output):
                parts.append(self._static_chart(node))
            stack.extend(reversed(getattr(node, "children", ())))
        return "".join(parts)

    def _static_chart(self, output: widgets.Output) -> str:
        return ""

    def _repr_mimebundle_(self, **kwargs):
        bundle = super()._repr_mimebundle_(**kwargs)  # the live widget view
        bundle["text/html"] = self.static_html()
        state = self.controls_text()
        bundle["text/plain"] = f"{self.view_title}" + (f" ({state})" if state else "")
        return bundle


def _show_chart(output: widgets.Output, chart) -> None:
    """Replace what `output` shows with `chart`, when running in IPython (a no-op elsewhere).

    With `notebook.enable()` in force the chart goes in live only: its picture is drawn once,
    in the explorer's static copy, never on every click.
    """
    from IPython import get_ipython
    from IPython.display import clear_output, display

    from . import notebook

    if get_ipython() is None:
        return
    with output:
        clear_output(wait=True)
        if chart is not None:
            display(notebook.live(chart) if notebook.enabled() else chart)


class _Tables:
    """Lookups over an analysis, each built on first use and shared by an explorer's callbacks."""

    def __init__(self, analysis: Analysis):
        if not isinstance(analysis, Analysis):
            raise TypeError(f"expected a toolkit.Analysis, got {type(analysis).__name__}")
        self.analysis = analysis

    @cached_property
    def articles(self) -> pd.DataFrame:
        return self.analysis.articles.set_index("id", drop=False)

    @cached_property
    def published(self) -> dict[str, pd.Timestamp]:
        arts = self.analysis.articles
        return dict(zip(arts["id"], arts["published"]))

    @cached_property
    def texts(self) -> dict[str, str]:
        arts = self.analysis.articles
        return dict(zip(arts["id"], arts["text"]))

    @cached_property
    def titles(self) -> dict[str, str]:
        """Escaped title of each article (its id when it has none)."""
        arts = self.analysis.articles
        return {i: _esc(t) if isinstance(t, str) else _esc(i) for i, t in zip(arts["id"], arts["title"].astype(object))}

    @cached_property
    def names(self) -> dict[str, str]:
        ents = self.analysis.entities
        return dict(zip(ents["entity_id"].astype(str), ents["name"].astype(str)))

    @cached_property
    def quotes_by_article(self) -> dict[str, np.ndarray]:
        return _positions(self.analysis.quotes, "article_id")

    @cached_property
    def mentions_by_article(self) -> dict[str, np.ndarray]:
        return _positions(self.analysis.mentions, "article_id")

    @cached_property
    def dates_by_article(self) -> dict[str, np.ndarray]:
        return _positions(self.analysis.dates, "article_id")

    @cached_property
    def date_spans(self) -> dict[str, list[tuple[int, int, str, str]]]:
        """Per article, its dates as (start, end, text, value), for finding the dates inside a quote."""
        d = self.analysis.dates
        out: dict[str, list] = {}
        for art, start, end, text, value in zip(d["article_id"], d["start"], d["end"], d["text"],
                                                d["value"].astype(object)):
            out.setdefault(art, []).append((start, end, text, value))
        return out

    def title(self, article_id: str) -> str:
        return self.titles.get(article_id, _esc(article_id))

    def quotes_of(self, ids) -> pd.DataFrame:
        return _rows(self.analysis.quotes, self.quotes_by_article, ids)

    def mentions_of(self, ids) -> pd.DataFrame:
        return _rows(self.analysis.mentions, self.mentions_by_article, ids)

    def dates_of(self, ids) -> pd.DataFrame:
        return _rows(self.analysis.dates, self.dates_by_article, ids)


def _quote_rows(tables: _Tables, quotes: pd.DataFrame, *, limit: int, speaker: bool = True) -> str:
    """A table of quotes: when, where, who (and how they were found), cue, the quote, its dates.

    Direct quotes are in quotation marks; reported speech is plain text marked "reported".
    """
    rows = []
    shown = quotes.head(limit)
    for art, start, end, who, who_id, how, kind, cue, text in zip(
            shown["article_id"], shown["start"], shown["end"], shown["speaker"].astype(object),
            shown["speaker_entity_id"].astype(object), shown["attribution"].astype(object),
            shown["kind"].astype(object), shown["cue"].astype(object), shown["text"]):
        inside = [f"{_esc(t)} = {_esc(v, '?')}" for s, e, t, v in tables.date_spans.get(art, ())
                  if s >= start and e <= end]
        row = [_day_cell(tables.published.get(art)), tables.title(art)]
        row += [style.speaker(who, who_id, how) if speaker else style.found(who_id, how)]
        row += [_esc(cue), f'<div style="min-width:22em">{style.quote(text, kind)}</div>', ", ".join(inside)]
        rows.append(row)
    header = ["published", "article", "speaker" if speaker else "speaker found"] + ["cue", "quote", "dates"]
    return style.table(header, rows, hidden=len(quotes) - limit)


# ----------------------------------------------------------- article viewer
class ArticleViewer(_StaticView, widgets.VBox):
    """One article at a time, its quotes, entity mentions and dates highlighted.

    Direct quotes are shaded yellow; reported speech (indirect and mixed quotes) pale blue or
    lilac with a dotted rule, never like a quotation (the legend and tooltips say which).

    Attributes:
        search: text filtering the articles offered (title, id or outlet).
        article: dropdown choosing the article (its value is the article id).
        layers: one toggle per layer (`quotes`, `entities`, `dates`).
        legend, header, text: HTML widgets showing the legend, the article's metadata and text.
    """

    def __init__(self, analysis: Analysis, article: str | None = None, *, max_options: int = 500):
        self._t = _Tables(analysis)
        self.max_options = max_options
        arts = analysis.articles
        self._labels = pd.Series(
            [f"{_day(p) or 'undated'} · {t if isinstance(t, str) else i}" for i, t, p in
             zip(arts["id"], arts["title"].astype(object), arts["published"])], index=arts["id"].astype(str))
        self._haystack = pd.Series([f"{i} {label} {o}".lower() for i, label, o in zip(
            self._labels.index, self._labels.values, arts["outlet"].fillna("").astype(str))], index=self._labels.index)
        self.search = widgets.Text(placeholder="filter by title, id or outlet", description="Find")
        self.article = widgets.Dropdown(description="Article", layout=widgets.Layout(width="90%"))
        self.layers = {name: widgets.ToggleButton(value=True, description=name, tooltip=f"show {name}")
                       for name in highlight.LAYERS}
        for name, button in self.layers.items():
            button.add_class(f"ntk-toggle-{name}")
        self.legend = widgets.HTML()
        self.header = widgets.HTML()
        self.text = widgets.HTML()
        self.text.add_class("ntk-article")
        self._set_options(render=False)
        if article is not None:
            self.article.value = str(article)
        self._render()
        _on_change(self.search, self._set_options)
        _on_change(self.article, self._render)
        for button in self.layers.values():
            _on_change(button, self._render)
        super().__init__([widgets.HBox([self.search]), self.article, widgets.HBox(list(self.layers.values())),
                          self.legend, self.header, self.text])

    view_title = "Article viewer"

    @property
    def html(self) -> str:
        """The HTML the viewer shows now (legend, header and highlighted text)."""
        return self.legend.value + self.header.value + self.text.value

    def controls_text(self) -> str:
        off = [name for name, button in self.layers.items() if not button.value]
        return f"article {self.article.value}" + (f"; hidden: {', '.join(off)}" if off else "")

    def _set_options(self, render: bool = True) -> None:
        hits = self._labels[_matches(self._haystack, self.search.value)]
        shown = hits.head(self.max_options)
        self.article.description = "Article" if len(hits) <= self.max_options else f"({len(hits):,})"
        if _set_options(self.article, list(zip(shown.values, shown.index))) and render:
            self._render()

    def _render(self) -> None:
        article_id = self.article.value
        if article_id is None:
            self.legend.value, self.header.value = "", ""
            self.text.value = style.empty("no article matches")
            return
        t = self._t
        on = [name for name, button in self.layers.items() if button.value]
        spans = highlight.spans(t.quotes_of([article_id]), t.mentions_of([article_id]), t.dates_of([article_id]),
                                names=t.names, layers=on)
        row = t.articles.loc[article_id]
        meta = " · ".join(x for x in (_esc(row["outlet"]), _day(row["published"]), _esc(article_id)) if x)
        url = row["url"]
        link = (f' · <a href="{html.escape(url, quote=True)}" target="_blank" rel="noopener noreferrer">source</a>'
                if isinstance(url, str) and url.lower().startswith(("http://", "https://")) else "")
        self.header.value = (f"<h3 style='margin:6px 0'>{t.title(article_id)}</h3>"
                             f"<div style='color:#555'>{meta}{link}</div>")
        self.legend.value = highlight.legend(spans)
        self.text.value = highlight.to_html(row["text"], spans)


def article_viewer(analysis: Analysis, article: str | None = None, *, max_options: int = 500) -> ArticleViewer:
    """An article viewer: choose an article; its quotes, entities and dates are highlighted.

    Args:
        analysis: the tables to show.
        article: the article shown first (default: the first one).
        max_options: most articles listed in the dropdown at once; type in `search` to narrow.
    """
    return ArticleViewer(analysis, article, max_options=max_options)


# --------------------------------------------------------- speaker explorer
UNKNOWN_SPEAKER = "(no speaker found)"


class SpeakerExplorer(_StaticView, widgets.VBox):
    """Choose a speaker: their quotes, cues, the dates in them, and when they were quoted.

    Each quote says how its speaker was found: named at the cue, or inferred (from a pronoun,
    a role noun, the quote before, ...), and whether it is tied to an entity at all.

    Attributes:
        search: text filtering the speakers offered.
        speaker: dropdown of speakers, most quoted first (value: the speaker's name); the
            quotes whose speaker nobody found are listed last, as `UNKNOWN_SPEAKER`.
        kind: toggle restricting quotes to one kind (`all`, `direct`, `indirect`, `mixed`).
        summary, table: HTML widgets; chart_output: an Output showing `chart`.
        chart: the Altair chart of the chosen speaker's quotes over time.
    """

    def __init__(self, analysis: Analysis, speaker: str | None = None, *, max_quotes: int = 50,
                 max_options: int = 500):
        self._t = _Tables(analysis)
        self.max_quotes, self.max_options = max_quotes, max_options
        quotes = analysis.quotes
        self._quotes = quotes
        self._by_speaker = _positions(quotes.assign(speaker=quotes["speaker"].fillna(UNKNOWN_SPEAKER)), "speaker")
        counts = pd.Series({k: len(v) for k, v in self._by_speaker.items() if k != UNKNOWN_SPEAKER}, dtype="int64")
        counts = counts.sort_values(ascending=False, kind="stable") if len(counts) else counts
        if UNKNOWN_SPEAKER in self._by_speaker:  # last, whatever its count
            counts = pd.concat([counts, pd.Series({UNKNOWN_SPEAKER: len(self._by_speaker[UNKNOWN_SPEAKER])})])
        self._counts = counts
        self._haystack = pd.Series(self._counts.index.str.lower(), index=self._counts.index)
        kinds = ["all", *style.KINDS, *sorted(set(quotes["kind"].dropna()) - set(style.KINDS))]
        self.search = widgets.Text(placeholder="filter speakers", description="Find")
        self.speaker = widgets.Dropdown(description="Speaker", layout=widgets.Layout(width="60%"))
        self.kind = widgets.ToggleButtons(options=kinds, value="all", description="Kind")
        self.summary = widgets.HTML()
        self.table = widgets.HTML()
        self.chart_output = widgets.Output()
        self.chart = None
        self._set_options(render=False)
        if speaker is not None:
            self.speaker.value = speaker
        self._render()
        _on_change(self.search, self._set_options)
        _on_change(self.speaker, self._render)
        _on_change(self.kind, self._render)
        super().__init__([self.search, self.speaker, self.kind, self.summary, self.chart_output, self.table])

    view_title = "Speaker explorer"

    @property
    def quotes(self) -> pd.DataFrame:
        """The chosen speaker's quotes of the chosen kind."""
        if self.speaker.value is None:
            return self._quotes.iloc[0:0]
        rows = self._quotes.iloc[self._by_speaker[self.speaker.value]]
        return rows if self.kind.value == "all" else rows[rows["kind"] == self.kind.value]

    @property
    def html(self) -> str:
        return self.summary.value + self.table.value

    def controls_text(self) -> str:
        return f"speaker {self.speaker.value}; kind {self.kind.value}" if self.speaker.value is not None else ""

    def _static_chart(self, output: widgets.Output) -> str:
        if self.chart is None or output is not self.chart_output:
            return ""
        from .notebook import img_tag  # vl-convert draws the chart only when a static copy is made

        return img_tag(self.chart, alt_text=f"when {self.speaker.value} was quoted")

    def _set_options(self, render: bool = True) -> None:
        hits = self._counts[_matches(self._haystack, self.search.value)].head(self.max_options)
        if _set_options(self.speaker, [(f"{name} ({n})", name) for name, n in hits.items()]) and render:
            self._render()

    def _render(self) -> None:
        quotes = self.quotes
        if self.speaker.value is None:
            self.summary.value = style.empty("no speaker matches")
            self.table.value, self.chart = "", None
            return
        cues = quotes["cue_lemma"].dropna().value_counts()  # "said", "says", "say": one cue
        kinds = quotes["kind"].dropna().value_counts()
        when = pd.Series([self._t.published.get(a) for a in dict.fromkeys(quotes["article_id"])],
                         dtype="datetime64[ms]").dropna()
        span = f"{_day(when.min())} to {_day(when.max())}" if len(when) else "undated"
        unknown = self.speaker.value == UNKNOWN_SPEAKER
        heading = ("<h3 style='margin:6px 0;font-style:italic'>No speaker found</h3>" if unknown
                   else f"<h3 style='margin:6px 0'>{_esc(self.speaker.value)}</h3>")
        self.summary.value = (
            f"{heading}<p>{plural(len(quotes), 'quote')} in {plural(quotes['article_id'].nunique(), 'article')}, "
            f"{span}<br>kinds: {', '.join(f'{_esc(k)} {n}' for k, n in kinds.items()) or '—'}<br>"
            f"cues: {', '.join(f'{_esc(c)} {n}' for c, n in cues.head(12).items()) or '—'}"
            + ("" if unknown else f"<br>speaker found: {_found_summary(quotes)}") + "</p>")
        self.table.value = _quote_rows(self._t, quotes, limit=self.max_quotes, speaker=False)
        arts = self._t.analysis.articles
        self.chart = None if unknown else charts.who_said_what_when(
            quotes, arts[arts["id"].isin(quotes["article_id"])], top=1)
        _show_chart(self.chart_output, self.chart)


def _found_summary(quotes: pd.DataFrame) -> str:
    """How a speaker's quotes found them, counted: named at the cue, inferred (how), unlinked."""
    how = quotes["attribution"].astype(object)
    inferred = how[how.isin(list(style.INFERRED_ATTRIBUTIONS))].value_counts()
    named = int(len(quotes) - inferred.sum())
    parts = [f"named at the cue {named}"] if named else []
    parts += [f"inferred from {style.INFERRED_ATTRIBUTIONS[k]} {n}" for k, n in inferred.items()]
    unlinked = int(quotes["speaker_entity_id"].isna().sum())
    parts += [f"not linked to an entity {unlinked}"] if unlinked else []
    return _esc(", ".join(parts))


def speaker_explorer(analysis: Analysis, speaker: str | None = None, *, max_quotes: int = 50,
                     max_options: int = 500) -> SpeakerExplorer:
    """A speaker explorer: choose a speaker to see their quotes, cues, dates and a chart.

    Args:
        analysis: the tables to explore.
        speaker: the speaker shown first (default: the most quoted).
        max_quotes: most quotes listed at once.
        max_options: most speakers listed in the dropdown; type in `search` to narrow.
    """
    return SpeakerExplorer(analysis, speaker, max_quotes=max_quotes, max_options=max_options)


# ---------------------------------------------------------- entity explorer
class EntityExplorer(_StaticView, widgets.VBox):
    """Search an entity: its aliases, its mentions in context, the entities named with it.

    Attributes:
        search: text matched against every entity's name and aliases.
        entity: list of matching entities, most mentioned first (value: the entity id).
        within: co-mentions counted per `article` or per `sentence`.
        notice: a warning when the search is a name or alias of several entities ("Clinton").
        info, contexts, co_table: HTML widgets.
    """

    def __init__(self, analysis: Analysis, query: str = "", *, max_contexts: int = 30, max_options: int = 50,
                 top_co: int = 15, context_chars: int = 70):
        self._t = _Tables(analysis)
        self.max_contexts, self.max_options, self.top_co, self.context_chars = (
            max_contexts, max_options, top_co, context_chars)
        ents = analysis.entities.sort_values("n_mentions", ascending=False, kind="stable")
        self._entities = ents.set_index("entity_id", drop=False)
        self._haystack = pd.Series(
            [(str(n) + "\n" + "\n".join(map(str, a))).lower() for n, a in zip(ents["name"], ents["aliases"])],
            index=ents["entity_id"].astype(str))
        self._by_entity = _positions(analysis.mentions, "entity_id")
        self._by_name: dict[str, list[str]] = {}  # a name or alias, lower-cased -> the entities it names
        for eid, name, aliases in zip(ents["entity_id"].astype(str), ents["name"], ents["aliases"]):
            for n in dict.fromkeys(str(a).lower() for a in [name, *aliases]):
                self._by_name.setdefault(n, []).append(eid)
        self._presence_cache: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self.search = widgets.Text(value=query, placeholder="name or alias", description="Find")
        self.entity = widgets.Select(description="Entity", rows=6, layout=widgets.Layout(width="60%"))
        self.within = widgets.ToggleButtons(options=["article", "sentence"], value="article", description="Named with",
                                            tooltip="count co-mentions per article or sentence")
        self.info = widgets.HTML()
        self.notice = widgets.HTML()  # said when the search is a name that several entities go by
        self.contexts = widgets.HTML()
        self.co_table = widgets.HTML()
        self._set_options(render=False)
        self._render()
        _on_change(self.search, self._set_options)
        _on_change(self.entity, self._render)
        _on_change(self.within, self._render)
        super().__init__([self.search, self.notice, self.entity, self.info, widgets.HTML("<b>Mentions in context</b>"),
                          self.contexts, self.within, self.co_table])

    @property
    def mentions(self) -> pd.DataFrame:
        """Every mention of the chosen entity."""
        mentions = self._t.analysis.mentions
        if self.entity.value is None or self.entity.value not in self._by_entity:
            return mentions.iloc[0:0]
        return mentions.iloc[self._by_entity[self.entity.value]]

    @property
    def co_mentioned(self) -> pd.DataFrame:
        """Entities named in the same articles (or sentences) as the chosen one, most shared first.

        Columns: `entity_id`, `name`, `label`, `n` (articles or sentences shared).
        """
        empty = pd.DataFrame({"entity_id": [], "name": [], "label": [], "n": []})
        entity_codes, entity_ids = self._entity_codes, self._codes[3]
        if self.entity.value is None or self.entity.value not in entity_codes:
            return empty
        unit, ent = self._presence(self.within.value)
        own = entity_codes[self.entity.value]
        shared = np.zeros(int(unit.max()) + 1 if len(unit) else 0, dtype=bool)
        shared[unit[ent == own]] = True
        counts = np.bincount(ent[shared[unit]], minlength=len(entity_codes))
        counts[own] = 0
        top = [i for i in np.argsort(-counts, kind="stable")[: self.top_co] if counts[i] > 0]
        if not top:
            return empty
        ids = entity_ids[top]
        ents = self._entities.reindex(ids)
        return pd.DataFrame({"entity_id": ids.astype(object), "name": ents["name"].astype(object).values,
                             "label": ents["label"].astype(object).values, "n": counts[top].astype("int64")})

    @cached_property
    def _codes(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Integer codes of each mention's article, sentence and entity, and the entity ids coded."""
        m = self._t.analysis.mentions
        entity, entity_ids = pd.factorize(m["entity_id"])
        article, _ = pd.factorize(m["article_id"])
        return (article.astype("int64"), m["sentence"].to_numpy(dtype="int64"), entity.astype("int64"),
                np.asarray(entity_ids, dtype=object))

    @cached_property
    def _entity_codes(self) -> dict[str, int]:
        return {e: i for i, e in enumerate(self._codes[3])}

    def _presence(self, within: str) -> tuple[np.ndarray, np.ndarray]:
        """Unique (unit, entity) pairs as two code arrays; a unit is an article or a sentence."""
        if within not in self._presence_cache:
            article, sentence, entity, _ = self._codes
            known = entity >= 0
            unit = article if within == "article" else pd.factorize(article * (sentence.max(initial=0) + 1)
                                                                    + sentence)[0].astype("int64")
            n = int(entity.max(initial=0)) + 1
            pairs = pd.unique(unit[known] * n + entity[known])  # hashing: no sort needed
            self._presence_cache[within] = (pairs // n, pairs % n)
        return self._presence_cache[within]

    view_title = "Entity explorer"

    @property
    def html(self) -> str:
        return self.notice.value + self.info.value + self.contexts.value + self.co_table.value

    def controls_text(self) -> str:
        if self.entity.value is None:
            return f"search {self.search.value!r}"
        return f"entity {self.entity.value}; named with, per {self.within.value}"

    def _set_options(self, render: bool = True) -> None:
        self.notice.value = self._ambiguity_notice()
        hits = self._haystack[_matches(self._haystack, self.search.value)].index[: self.max_options]
        ents = self._entities.loc[hits]
        options = [(f"{n} · {lab} · {m} mentions", eid) for eid, n, lab, m in
                   zip(ents["entity_id"], ents["name"], ents["label"], ents["n_mentions"])]
        if _set_options(self.entity, options) and render:
            self._render()

    def _render(self) -> None:
        eid = self.entity.value
        if eid is None:
            self.info.value = style.empty("no entity matches")
            self.contexts.value = self.co_table.value = ""
            return
        ent = self._entities.loc[eid]
        aliases = ", ".join(_esc(a) for a in ent["aliases"])
        self.info.value = (f"<h3 style='margin:6px 0'>{_esc(ent['name'])} <small>{_esc(ent['label'])}</small></h3>"
                           f"<p>{plural(int(ent['n_mentions']), 'mention')} in "
                           f"{plural(int(ent['n_articles']), 'article')}<br>aliases: {aliases or '—'}</p>")
        positions = self._by_entity.get(eid, np.empty(0, dtype=int))
        mentions = self._t.analysis.mentions.iloc[positions[: self.max_contexts]]  # only the rows shown
        shown = contexts(self._t.texts, mentions[["article_id", "start", "end", "kind"]], width=self.context_chars)
        rows = [[self._t.title(art), f'<span style="color:#555">…{_esc(left)} </span><b class="ntk-hit">{_esc(hit)}</b>'
                 f'<span style="color:#555"> {_esc(right)}…</span>', _esc(kind)]
                for art, left, hit, right, kind in zip(shown["article_id"], shown["left"], shown["match"],
                                                       shown["right"], shown["kind"])]
        self.contexts.value = style.table(["article", "context", "kind"], rows, hidden=len(positions) - self.max_contexts)
        co = self.co_mentioned
        rows = [[_esc(n), _esc(lab), str(k)] for n, lab, k in zip(co["name"], co["label"], co["n"])]
        self.co_table.value = style.table(["entity", "label", f"{self.within.value}s shared"], rows)


    def _ambiguity_notice(self) -> str:
        """A warning when the search is the name or alias of several entities ("Clinton"), listing them."""
        query = self.search.value.strip()
        hits = self._by_name.get(query.lower(), [])
        if len(hits) < 2:
            return ""
        ents = self._entities.loc[hits]
        listed = ", ".join(f"{_esc(n)} ({_esc(lab)}, {int(m):,} mentions)"
                           for n, lab, m in zip(ents["name"], ents["label"], ents["n_mentions"]))
        return (f'<p class="ntk-ambiguous" style="color:#8a5a00;margin:4px 0">“{_esc(query)}” names '
                f"{len(hits)} entities: {listed}. Choose one in the list.</p>")


def entity_explorer(analysis: Analysis, query: str = "", *, max_contexts: int = 30, max_options: int = 50,
                    top_co: int = 15) -> EntityExplorer:
    """An entity explorer: search a name to see its aliases, mentions in context and co-mentions.

    Args:
        analysis: the tables to explore.
        query: the search shown first (default: empty, listing the most mentioned entities).
        max_contexts: most mentions shown in context.
        max_options: most matching entities listed.
        top_co: most co-mentioned entities listed.
    """
    return EntityExplorer(analysis, query, max_contexts=max_contexts, max_options=max_options, top_co=top_co)


# --------------------------------------------------------------- timeline
class TimelineExplorer(_StaticView, widgets.VBox):
    """A date range filtering the articles and the quotes.

    Attributes:
        range: a range slider over periods of the publication dates (value: two period starts).
        by: `published` keeps articles published in the range and all their quotes;
            `referenced` keeps articles that refer to a date in the range, and the quotes that
            contain such a date.
        summary, articles_table, quotes_table: HTML widgets.
    """

    def __init__(self, analysis: Analysis, *, by: str = "published", max_rows: int = 20, max_periods: int = 400):
        if by not in ("published", "referenced"):
            raise ValueError(f"by must be 'published' or 'referenced', not {by!r}")
        self._t = _Tables(analysis)
        self.max_rows = max_rows
        # Row positions sorted by publication date, so a range is two binary searches.
        arts = analysis.articles
        self._pub = arts["published"].to_numpy(dtype="datetime64[ms]")
        self._code = {a: i for i, a in enumerate(arts["id"])}
        dated = np.flatnonzero(~np.isnat(self._pub))
        self._arts_by_pub = dated[np.argsort(self._pub[dated], kind="stable")]
        q_art = np.array([self._code.get(a, -1) for a in analysis.quotes["article_id"]], dtype="int64")
        q_pub = np.where(q_art >= 0, self._pub[np.maximum(q_art, 0)], np.datetime64("NaT", "ms"))
        q_dated = np.flatnonzero(~np.isnat(q_pub))
        self._quotes_by_pub = q_dated[np.argsort(q_pub[q_dated], kind="stable")]
        self._q_when = q_pub[self._quotes_by_pub]
        self._q_art = q_art
        self.freq = charts.pick_freq(arts["published"], max_periods=max_periods)
        if len(dated):
            first, last = pd.Timestamp(self._pub[self._arts_by_pub[0]]), pd.Timestamp(self._pub[self._arts_by_pub[-1]])
            periods = pd.period_range(first.to_period(self.freq), last.to_period(self.freq), freq=self.freq)
        else:
            periods = pd.PeriodIndex([pd.Timestamp.today().to_period("D")])
        # the slider's readout joins two labels with "-", so labels avoid dashes
        fmt = {"D": "%d %b %Y", "W": "%d %b %Y", "M": "%b %Y", "Q": "", "Y": "%Y"}[self.freq]
        options = [(p.start_time.strftime(fmt) if fmt else str(p), p.start_time) for p in periods]
        self.range = widgets.SelectionRangeSlider(options=options, index=(0, len(options) - 1),
                                                  description=charts.FREQ_NAMES[self.freq] + "s",
                                                  continuous_update=False, layout=widgets.Layout(width="90%"))
        self.range.add_class("ntk-range")
        self.by = widgets.ToggleButtons(
            options=[("published in range", "published"), ("referring to range", "referenced")], value=by,
            description="Articles")
        self._n_quotes = {k: len(v) for k, v in self._t.quotes_by_article.items()}
        self.summary = widgets.HTML()
        self.articles_table = widgets.HTML()
        self.quotes_table = widgets.HTML()
        self._render()
        _on_change(self.range, self._render)
        _on_change(self.by, self._render)
        super().__init__([self.range, self.by, self.summary, widgets.HTML("<b>Articles</b>"), self.articles_table,
                          widgets.HTML("<b>Quotes</b>"), self.quotes_table])

    @property
    def window(self) -> tuple[pd.Timestamp, pd.Timestamp]:
        """The first and last day of the chosen range."""
        lo, hi = self.range.value
        last = pd.Period(hi, freq=self.freq).end_time.normalize()
        return pd.Timestamp(lo), last

    @property
    def articles(self) -> pd.DataFrame:
        """The articles in the range (see `by`), in publication order."""
        return self._t.analysis.articles.iloc[self._selection()[0]]

    @property
    def quotes(self) -> pd.DataFrame:
        """The quotes of those articles (`published`), or those containing a date in range (`referenced`)."""
        return self._t.analysis.quotes.iloc[self._selection()[1]]

    view_title = "Timeline explorer"

    @property
    def html(self) -> str:
        return self.summary.value + self.articles_table.value + self.quotes_table.value

    def controls_text(self) -> str:
        lo, hi = self.window
        return f"{lo:%Y-%m-%d} to {hi:%Y-%m-%d}; articles {self.by.label}"

    @cached_property
    def _refs(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Calendar ranges of the dates (start, end, article code), and which quote contains which date."""
        d = self._t.analysis.dates
        start = d["range_start"].to_numpy(dtype="datetime64[ms]")
        end = d["range_end"].to_numpy(dtype="datetime64[ms]")
        end = np.where(np.isnat(end), start, end)
        art = np.array([self._code.get(a, -1) for a in d["article_id"]], dtype="int64")
        quotes = self._t.analysis.quotes
        # every (date, quote) pair of the same article whose quote span holds the date's span
        pairs = pd.DataFrame({"art": art, "d": np.arange(len(d)), "ds": d["start"].to_numpy(),
                              "de": d["end"].to_numpy()}).merge(
            pd.DataFrame({"art": self._q_art, "q": np.arange(len(quotes)), "qs": quotes["start"].to_numpy(),
                          "qe": quotes["end"].to_numpy()}), on="art")
        pairs = pairs[(pairs["ds"] >= pairs["qs"]) & (pairs["de"] <= pairs["qe"])]
        return start, end, art, pairs["d"].to_numpy(), pairs["q"].to_numpy()

    def _selection(self) -> tuple[np.ndarray, np.ndarray]:
        """Positions of the articles and of the quotes kept by the current range and mode."""
        lo, hi = self.window
        lo64, end64 = np.datetime64(lo, "ms"), np.datetime64(hi + pd.Timedelta(days=1), "ms")
        if self.by.value == "published":
            when = self._pub[self._arts_by_pub]
            articles = self._arts_by_pub[np.searchsorted(when, lo64):np.searchsorted(when, end64)]
            quotes = self._quotes_by_pub[np.searchsorted(self._q_when, lo64):np.searchsorted(self._q_when, end64)]
            return articles, quotes
        start, end, art, pair_date, pair_quote = self._refs
        inside = (start < end64) & (end >= lo64) & (art >= 0)
        codes = np.unique(art[inside])
        articles = codes[np.argsort(self._pub[codes], kind="stable")]
        quotes = np.unique(pair_quote[inside[pair_date]])
        return articles, quotes

    def _render(self) -> None:
        lo, hi = self.window
        article_pos, quote_pos = self._selection()
        everything = self._t.analysis.articles
        undated = int(np.isnat(self._pub).sum())
        what = "published" if self.by.value == "published" else "referring to a date"
        self.summary.value = (f"<p><b>{len(article_pos):,}</b> of {plural(len(everything), 'article')} {what} "
                              f"from {lo:%Y-%m-%d} to {hi:%Y-%m-%d}; <b>{len(quote_pos):,}</b> "
                              f"{'quote' if len(quote_pos) == 1 else 'quotes'}"
                              + (f"; {plural(undated, 'article')} {'has' if undated == 1 else 'have'} no publication "
                                 f"date" if undated else "") + "</p>")
        arts = everything.iloc[article_pos[: self.max_rows]]
        self.articles_table.value = style.table(
            ["published", "outlet", "title", "quotes"],
            [[_day_cell(p), _esc(o), self._t.title(i), str(self._n_quotes.get(i, 0))]
             for i, o, p in zip(arts["id"], arts["outlet"], arts["published"])],
            hidden=len(article_pos) - self.max_rows)
        shown = self._t.analysis.quotes.iloc[quote_pos[: self.max_rows]]
        self.quotes_table.value = _quote_rows(self._t, shown, limit=self.max_rows) + style.more(
            len(quote_pos) - self.max_rows)


def timeline_explorer(analysis: Analysis, *, by: str = "published", max_rows: int = 20,
                      max_periods: int = 400) -> TimelineExplorer:
    """A timeline explorer: a date-range slider filtering articles and quotes.

    Args:
        analysis: the tables to explore.
        by: `"published"` (articles published in the range) or `"referenced"` (articles
            referring to a date in the range, and the quotes containing one).
        max_rows: most articles and quotes listed.
        max_periods: most steps on the slider (days, weeks, months, quarters or years).
    """
    return TimelineExplorer(analysis, by=by, max_rows=max_rows, max_periods=max_periods)
