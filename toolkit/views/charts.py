"""Altair charts of an analysis: top speakers, entity frequency, co-mentions, timelines.

Every chart is two functions: one that aggregates the tidy tables in pandas into a small
frame (one row per bar, cell or point), and one that draws that frame and returns the chart.
Nothing is displayed; a chart shows when it is the last expression of a notebook cell, and
`chart.save(...)` or `vl_convert` render it offline.

    import toolkit.views.charts as charts
    charts.top_speakers(analysis.quotes)
    charts.timeline(analysis.dates, analysis.articles)

Aggregating first keeps every chart's data to a few thousand rows at most, so a corpus of
100,000 quotes never meets Altair's 5,000-row limit (`MaxRowsError`) and the notebook stays
small. Time axes pick the finest of day, week, month, quarter or year that keeps the number
of periods under a bound (or take `freq=`); month and quarter ticks carry their year.

Importing this module registers the Altair theme `news_toolkit` (fonts, axes, the palette of
`toolkit.views.style`) once, and enables it unless another theme was chosen already.
"""
from __future__ import annotations

from typing import Sequence

import altair as alt
import pandas as pd

from .style import KIND_COLORS, KINDS, LABEL_COLORS, MUTED, OTHER_COLOR, RELATION_COLORS, RELATIONS, plural

FREQS = ("D", "W", "M", "Q", "Y")
FREQ_NAMES = {"D": "day", "W": "week", "M": "month", "Q": "quarter", "Y": "year"}
WIDTH = 440
THEME = "news_toolkit"
CATEGORY = ("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f",
            "#bab0ac")  # Tableau 10, as the entity labels


@alt.theme.register(THEME, enable=False)
def theme() -> alt.theme.ThemeConfig:
    """The toolkit's Altair theme: quiet axes, titles on the left, the palette of `toolkit.views.style`."""
    return {"config": {
        "view": {"stroke": None, "continuousWidth": WIDTH},
        "range": {"category": list(CATEGORY)},
        "title": {"anchor": "start", "fontSize": 14, "subtitleColor": MUTED, "subtitleFontSize": 11},
        "axis": {"labelColor": "#333333", "titleColor": "#333333", "gridColor": "#ececec", "domainColor": "#999999",
                 "tickColor": "#999999", "titleFontWeight": "normal"},
        "legend": {"labelColor": "#333333", "titleColor": "#333333", "titleFontWeight": "normal"},
    }}


if alt.theme.active == "default":  # a theme the user chose stays theirs
    alt.theme.enable(THEME)


# ---------------------------------------------------------------- helpers
def _floor(dates: pd.Series, freq: str) -> pd.Series:
    """The first day of the period (`freq`) each date falls in."""
    return dates.dt.to_period(freq).dt.start_time.astype("datetime64[ms]")


def pick_freq(dates: pd.Series, *, max_periods: int = 60) -> str:
    """The finest of `FREQS` that cuts the span of `dates` (first to last) into at most `max_periods` periods."""
    dates = pd.to_datetime(pd.Series(dates)).dropna()
    if dates.empty:
        return FREQS[0]
    lo, hi = dates.min(), dates.max()
    for freq in FREQS:
        if (hi.to_period(freq) - lo.to_period(freq)).n + 1 <= max_periods:
            return freq
    return FREQS[-1]


def _check_freq(freq: str | None) -> None:
    if freq is not None and freq not in FREQS:
        raise ValueError(f"freq must be one of {FREQS} or None, not {freq!r}")


def _short(text, limit: int = 160) -> str:
    text = "" if text is None or pd.isna(text) else " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _published(quotes_or_dates: pd.DataFrame, articles: pd.DataFrame) -> pd.Series:
    """The publication date of each row's article."""
    when = articles.drop_duplicates("id").set_index("id")["published"].astype("datetime64[ms]")
    return pd.Series(when.reindex(quotes_or_dates["article_id"]).to_numpy(), index=quotes_or_dates.index,
                     dtype="datetime64[ms]")


def _title(text: str, subtitle: str | Sequence[str] | None = None) -> alt.TitleParams:
    return alt.TitleParams(text, subtitle=subtitle or "", anchor="start")


def _time_axis(dates: pd.Series, freq: str, what: str) -> tuple[dict, str]:
    """Axis options for periods of `freq`, and the axis title (`what` and the unit).

    Ticks sit on whole days, weeks, months, quarters or years, at most about a dozen, chosen
    from the span; month and quarter ticks carry the year: on every tick when the span crosses
    a year, else on a tick that starts one, and in the title. (Vega picks "every k" ticks the
    d3 way: months divisible by k, days of the month, so steps are those that divide evenly.)
    """
    dates = pd.to_datetime(pd.Series(dates)).dropna()
    title = f"{what} {FREQ_NAMES[freq]}"
    if dates.empty:
        return {}, title
    lo, hi = dates.min(), dates.max()
    crosses = lo.year != hi.year
    days = (hi - lo).days + 1
    months = (hi.year - lo.year) * 12 + hi.month - lo.month + 1
    if freq in ("D", "W") and days <= 70:
        unit, step = ("day", next(s for s in (1, 2, 7, 14) if days / s <= 10)) if freq == "D" else ("week", 1)
        return ({"format": "%-d %b %Y" if crosses else "%-d %b", "tickCount": {"interval": unit, "step": step}},
                title if crosses else f"{title}, {lo.year}")
    if freq == "Y" or months > 120:
        years = hi.year - lo.year + 1
        step = next((s for s in (1, 2, 5, 10, 20, 50) if years / s <= 10), 100)
        return {"format": "%Y", "tickCount": {"interval": "year", "step": step}}, title
    steps = (3, 6, 12) if freq == "Q" else (1, 2, 3, 6, 12)
    step = next((s for s in steps if months / s <= 12), 12)
    tick = "Q%q" if freq == "Q" else "%b"
    if crosses:
        label = f"timeFormat(datum.value, '{tick} %Y')"
    else:
        label = f"month(datum.value) == 0 ? timeFormat(datum.value, '{tick} %Y') : timeFormat(datum.value, '{tick}')"
        title += f", {lo.year}"
    return {"tickCount": {"interval": "month", "step": step}, "labelExpr": label}, title


def _count_ticks(counts: pd.Series, *, from_zero: bool = True) -> dict:
    """Axis or legend options showing whole counts only (this Vega ignores `tickMinStep`)."""
    hi = int(counts.max()) if len(counts) else 0
    lo = 0 if from_zero or not len(counts) else int(counts.min())
    return {"format": "d", **({"values": list(range(lo, hi + 1))} if hi - lo <= 8 else {})}


def _size_legend(counts: pd.Series, title: str) -> alt.Legend:
    """A size legend listing a few whole counts (Vega's own ticks would show 0.5 quotes)."""
    hi = int(counts.max()) if len(counts) else 1
    lo = int(counts.min()) if len(counts) else 1
    values = list(range(lo, hi + 1)) if hi - lo < 5 else sorted({int(round(v)) for v in
                                                                 (lo, lo + (hi - lo) / 3, lo + 2 * (hi - lo) / 3, hi)})
    return alt.Legend(title=title, values=values, format="d")


def _label_scale(labels: Sequence[str]) -> alt.Scale:
    labels = list(dict.fromkeys(labels))
    return alt.Scale(domain=labels, range=[LABEL_COLORS.get(label, OTHER_COLOR) for label in labels])


# ------------------------------------------------------------ top speakers
def speaker_counts(quotes: pd.DataFrame, *, top: int = 15) -> pd.DataFrame:
    """Quotes per speaker and kind, for the `top` speakers with most quotes.

    Returns:
        Columns `speaker`, `kind`, `n` (quotes of that kind) and `total` (all the speaker's
        quotes), sorted by `total` then `n`, largest first. Quotes without a speaker are left out.
    """
    known = quotes.dropna(subset=["speaker"])
    if known.empty:
        return pd.DataFrame({"speaker": [], "kind": [], "n": [], "total": []}).astype(
            {"speaker": object, "kind": object, "n": "int64", "total": "int64"})
    totals = known["speaker"].value_counts().astype("int64")
    keep = totals.sort_values(ascending=False, kind="stable").index[:top]
    rows = known[known["speaker"].isin(keep)]
    out = rows.groupby(["speaker", rows["kind"].fillna("unknown")], observed=True).size().rename("n").reset_index()
    out["total"] = out["speaker"].map(totals).astype("int64")
    out = out.astype({"speaker": object, "kind": object, "n": "int64"})
    return out.sort_values(["total", "speaker", "n"], ascending=[False, True, False], kind="stable").reset_index(
        drop=True)


def top_speakers(quotes: pd.DataFrame, *, top: int = 15) -> alt.Chart:
    """Horizontal bars: the speakers quoted most, split by quote kind (direct, indirect, mixed)."""
    data = speaker_counts(quotes, top=top)
    unknown = int(quotes["speaker"].isna().sum())
    subtitle = [f"{plural(len(quotes), 'quote')}; {unknown:,} without a known speaker "
                f"{'is' if unknown == 1 else 'are'} not shown"] if unknown else None
    kinds = list(KINDS) + sorted(set(data["kind"]) - set(KINDS))
    colors = [KIND_COLORS.get(k, OTHER_COLOR) for k in kinds]
    order = list(dict.fromkeys(data["speaker"]))
    data = data.assign(kind_order=data["kind"].map(kinds.index))
    heading = f"The {len(order)} most quoted speakers" if len(order) > 1 else "The most quoted speaker"
    return alt.Chart(data, title=_title(heading, subtitle)).mark_bar().encode(
        x=alt.X("n:Q", stack="zero", title="quotes", axis=alt.Axis(**_count_ticks(data["total"]))),
        y=alt.Y("speaker:N", sort=order, title=None),
        color=alt.Color("kind:N", scale=alt.Scale(domain=kinds, range=colors), title="kind"),
        order=alt.Order("kind_order:Q"),
        tooltip=[alt.Tooltip("speaker:N"), alt.Tooltip("kind:N"), alt.Tooltip("n:Q", title="quotes of this kind"),
                 alt.Tooltip("total:Q", title="all quotes")],
    ).properties(width=WIDTH, height=alt.Step(18))


# ------------------------------------------------------------------- cues
def cue_counts(quotes: pd.DataFrame, *, top: int = 12) -> pd.DataFrame:
    """Quotes per cue, counted by the cue's dictionary form (`cue_lemma`: "said", "says" and
    "say" are one cue, `say`), and per kind, for the `top` cues.

    Returns:
        Columns `cue` (the lemma; punctuation cues such as a colon are named so, quotes with
        no cue are `(no cue)`), `kind`, `n` (quotes of that kind) and `total`, largest first.
    """
    cue = quotes["cue_lemma"].astype(object).map(_cue_name)
    frame = pd.DataFrame({"cue": cue, "kind": quotes["kind"].astype(object).fillna("unknown")})
    totals = frame["cue"].value_counts()
    keep = totals.sort_values(ascending=False, kind="stable").index[:top]
    rows = frame[frame["cue"].isin(keep)]
    out = rows.groupby(["cue", "kind"]).size().rename("n").reset_index().astype({"cue": object, "n": "int64"})
    out["total"] = out["cue"].map(totals).astype("int64")
    return out.sort_values(["total", "cue", "n"], ascending=[False, True, False], kind="stable").reset_index(drop=True)


def _cue_name(lemma) -> str:
    if lemma is None or pd.isna(lemma) or not str(lemma).strip():
        return "(no cue)"
    lemma = str(lemma)
    return lemma if any(ch.isalpha() for ch in lemma) else f"{lemma} (punctuation)"


def cues(quotes: pd.DataFrame, *, top: int = 12) -> alt.Chart:
    """Horizontal bars: how quotes are introduced, one bar per cue lemma, split by quote kind."""
    data = cue_counts(quotes, top=top)
    kinds = list(KINDS) + sorted(set(data["kind"]) - set(KINDS))
    order = list(dict.fromkeys(data["cue"]))
    data = data.assign(kind_order=data["kind"].map(kinds.index))
    subtitle = f"{plural(len(quotes), 'quote')}; forms of one verb (said, says) count as one cue"
    return alt.Chart(data, title=_title("How quotes are introduced", subtitle)).mark_bar().encode(
        x=alt.X("n:Q", stack="zero", title="quotes", axis=alt.Axis(**_count_ticks(data["total"]))),
        y=alt.Y("cue:N", sort=order, title=None),
        color=alt.Color("kind:N", scale=alt.Scale(domain=kinds, range=[KIND_COLORS.get(k, OTHER_COLOR) for k in kinds]),
                        title="kind"),
        order=alt.Order("kind_order:Q"),
        tooltip=[alt.Tooltip("cue:N"), alt.Tooltip("kind:N"), alt.Tooltip("n:Q", title="quotes of this kind"),
                 alt.Tooltip("total:Q", title="all quotes")],
    ).properties(width=WIDTH, height=alt.Step(18))


# -------------------------------------------------------- entity frequency
def entity_counts(entities: pd.DataFrame, *, top: int = 8, labels: Sequence[str] | None = None,
                  n_labels: int = 4, measure: str = "n_mentions") -> pd.DataFrame:
    """The `top` entities of each label, ranked by `measure` (`n_mentions` or `n_articles`).

    Args:
        entities: the `entities` table.
        top: entities kept per label.
        labels: the labels to show; default the `n_labels` labels with most mentions.
        measure: what to rank and draw.

    Returns:
        Columns `entity_id`, `name`, `label`, `n_mentions`, `n_articles`, `n` (the measure),
        `display` (the name, with its label added where two labels share a name) and `rank`
        (the row's position in the chart, grouped by label).
    """
    if measure not in ("n_mentions", "n_articles"):
        raise ValueError(f"measure must be 'n_mentions' or 'n_articles', not {measure!r}")
    ents = entities[["entity_id", "name", "label", "n_mentions", "n_articles"]].dropna(subset=["label"])
    if labels is None:
        labels = list(ents.groupby("label", observed=True)[measure].sum().sort_values(
            ascending=False, kind="stable").index[:n_labels])
    ents = ents[ents["label"].isin(list(labels))]
    ents = ents.sort_values([measure, "name"], ascending=[False, True], kind="stable")
    data = ents.groupby("label", observed=True, sort=False).head(top).copy()
    data["label"] = pd.Categorical(data["label"], categories=list(labels))
    data = data.sort_values(["label", measure], ascending=[True, False], kind="stable")
    data = data.astype({"entity_id": object, "name": object, "label": object,
                        "n_mentions": "int64", "n_articles": "int64"})
    data["n"] = data[measure]
    shared = data["name"].duplicated(keep=False)
    data["display"] = data["name"].where(~shared, data["name"] + " (" + data["label"] + ")")
    data["rank"] = range(len(data))
    return data.reset_index(drop=True)


def entity_frequency(entities: pd.DataFrame, *, top: int = 8, labels: Sequence[str] | None = None,
                     n_labels: int = 4, measure: str = "n_mentions") -> alt.Chart:
    """Horizontal bars: the most mentioned entities of each label, grouped and coloured by label."""
    data = entity_counts(entities, top=top, labels=labels, n_labels=n_labels, measure=measure)
    what = "mentions" if measure == "n_mentions" else "articles"
    return alt.Chart(data, title=_title(f"Most mentioned entities, top {top} per label",
                                        f"{what} per entity; pronouns and descriptions count as mentions"
                                        if measure == "n_mentions" else "articles mentioning each entity")
                     ).mark_bar().encode(
        x=alt.X("n:Q", title=what, axis=alt.Axis(**_count_ticks(data["n"]))),
        y=alt.Y("display:N", sort=alt.EncodingSortField("rank", order="ascending"), title=None),
        color=alt.Color("label:N", scale=_label_scale(data["label"]), title="label"),
        tooltip=[alt.Tooltip("name:N"), alt.Tooltip("label:N"), alt.Tooltip("n_mentions:Q", title="mentions"),
                 alt.Tooltip("n_articles:Q", title="articles")],
    ).properties(width=WIDTH, height=alt.Step(16))


# ------------------------------------------------------------ co-mentions
def co_mention_counts(mentions: pd.DataFrame, entities: pd.DataFrame | None = None, *, top: int = 15,
                      within: str = "article", labels: Sequence[str] | None = None) -> pd.DataFrame:
    """How often pairs of the `top` most widespread entities are named in the same article or sentence.

    Args:
        mentions: the `mentions` table.
        entities: the `entities` table, for canonical names (else the commonest mention text).
        top: how many entities, ranked by the number of articles (or sentences) they appear in.
        within: `"article"` or `"sentence"`.
        labels: only entities with these labels (e.g. `["PERSON", "ORG"]`).

    Returns:
        One row per unordered pair that shares at least one unit, the higher-ranked entity as
        `a`: `a`, `b` (names), `a_id`, `b_id`, `n` (articles or sentences naming both), and
        `a_rank` < `b_rank` (positions among the `top`).
    """
    if within not in ("article", "sentence"):
        raise ValueError(f"within must be 'article' or 'sentence', not {within!r}")
    unit = ["article_id"] if within == "article" else ["article_id", "sentence"]
    ments = mentions if labels is None else mentions[mentions["label"].isin(list(labels))]
    present = ments.dropna(subset=["entity_id"]).drop_duplicates([*unit, "entity_id"])[[*unit, "entity_id"]]
    spread = present["entity_id"].value_counts()
    keep = list(spread.sort_values(ascending=False, kind="stable").index[:top])
    if entities is not None and len(entities):
        names = entities.drop_duplicates("entity_id").set_index("entity_id")["name"]
    else:
        names = ments.groupby("entity_id", observed=True)["text"].agg(lambda s: s.value_counts().index[0])
    display = _unique_names([str(names.get(e, e)) for e in keep])
    rank = {e: i for i, e in enumerate(keep)}
    present = present[present["entity_id"].isin(keep)]
    present = present.assign(rank=present["entity_id"].map(rank))
    pairs = present.merge(present, on=unit, suffixes=("_a", "_b"))
    pairs = pairs[pairs["rank_a"] < pairs["rank_b"]]  # each pair once
    out = pairs.groupby(["entity_id_a", "entity_id_b"], observed=True).size().rename("n").reset_index()
    out = out.rename(columns={"entity_id_a": "a_id", "entity_id_b": "b_id"}).astype(
        {"a_id": object, "b_id": object, "n": "int64"})
    out["a"] = out["a_id"].map(dict(zip(keep, display)))
    out["b"] = out["b_id"].map(dict(zip(keep, display)))
    out["a_rank"] = out["a_id"].map(rank).astype("int64")
    out["b_rank"] = out["b_id"].map(rank).astype("int64")
    return out.sort_values(["a_rank", "b_rank"]).reset_index(drop=True)[
        ["a", "b", "a_id", "b_id", "n", "a_rank", "b_rank"]]


def _unique_names(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return out


def co_mentions(mentions: pd.DataFrame, entities: pd.DataFrame | None = None, *, top: int = 15,
                within: str = "article", labels: Sequence[str] | None = None) -> alt.LayerChart:
    """Heat map, one triangle: how many articles (or sentences) name both entities of each pair."""
    data = co_mention_counts(mentions, entities, top=top, within=within, labels=labels)
    named = pd.concat([data[["a", "a_rank"]].set_axis(["name", "rank"], axis=1),
                       data[["b", "b_rank"]].set_axis(["name", "rank"], axis=1)]).drop_duplicates("name")
    order = list(named.sort_values("rank")["name"])
    shown = named["name"].nunique()
    base = alt.Chart(data, title=_title(f"Entities named in the same {within}",
                                        f"the {plural(shown, 'entity')} found in most {within}s; "
                                        f"cell = {within}s naming both"))
    cells = base.mark_rect().encode(
        x=alt.X("a:N", sort=order[:-1], scale=alt.Scale(domain=order[:-1]), title=None,
                axis=alt.Axis(labelAngle=-45, labelLimit=140)),
        y=alt.Y("b:N", sort=order[1:], scale=alt.Scale(domain=order[1:]), title=None, axis=alt.Axis(labelLimit=140)),
        color=alt.Color("n:Q", scale=alt.Scale(scheme="blues"), title=f"{within}s",
                        legend=alt.Legend(**_count_ticks(data["n"], from_zero=False))),
        tooltip=[alt.Tooltip("a:N", title="entity"), alt.Tooltip("b:N", title="with"),
                 alt.Tooltip("n:Q", title=f"{within}s naming both")],
    )
    text = base.mark_text(fontSize=9).encode(
        x=alt.X("a:N", sort=order[:-1]), y=alt.Y("b:N", sort=order[1:]), text="n:Q",
        color=alt.condition(f"datum.n > {max(1, int(data['n'].max()) // 2) if len(data) else 1}",
                            alt.value("white"), alt.value("#333333")),
    )
    return (cells + text).properties(width=alt.Step(22), height=alt.Step(22))


# --------------------------------------------------------------- timeline
def date_references(dates: pd.DataFrame, articles: pd.DataFrame, *, freq: str | None = None,
                    max_points: int = 2000) -> tuple[pd.DataFrame, str]:
    """Calendar dates referred to, against the publication date of the article referring to them.

    Expressions without a calendar range (durations, unresolved ones) or in articles without a
    publication date are left out. Dates are floored to periods of `freq` (picked so that at
    most `max_points` groups remain when None); if even years leave more, the largest
    `max_points` groups are kept.

    Returns:
        The frame (`published`, `start`, `end` of the period range referred to, `n`
        expressions, `example` text, `value`, `relation` to the publication date) and the
        `freq` used.
    """
    _check_freq(freq)
    data = pd.DataFrame({"published": _published(dates, articles),
                         "start": dates["range_start"].astype("datetime64[ms]"),
                         "end": dates["range_end"].astype("datetime64[ms]"),
                         "text": dates["text"], "value": dates["value"]}).dropna(subset=["published", "start"])
    data["end"] = data["end"].fillna(data["start"])
    for f in ([freq] if freq else FREQS):
        groups = data.assign(published=_floor(data["published"], f), start=_floor(data["start"], f),
                             end=_floor(data["end"], f))
        grouped = groups.groupby(["published", "start", "end"], observed=True).agg(
            n=("text", "size"), example=("text", "first"), value=("value", "first")).reset_index()
        if len(grouped) <= max_points:
            break
    grouped = grouped.nlargest(max_points, "n", keep="first").sort_values(["published", "start"])
    grouped["example"] = grouped["example"].map(_short)
    grouped["value"] = grouped["value"].astype(object)
    grouped["n"] = grouped["n"].astype("int64")
    grouped["relation"] = RELATIONS[1]
    grouped.loc[grouped["end"] < grouped["published"], "relation"] = RELATIONS[0]
    grouped.loc[grouped["start"] > grouped["published"], "relation"] = RELATIONS[2]
    return grouped.reset_index(drop=True), f


def _focus(data: pd.DataFrame) -> tuple[pd.Timestamp, pd.Timestamp]:
    """A y range holding the publication span and the central 96% of the dates referred to."""
    starts = data["start"].repeat(data["n"])
    ends = data["end"].repeat(data["n"])
    lo = min(data["published"].min(), starts.quantile(0.02))
    hi = max(data["published"].max(), ends.quantile(0.98))
    pad = max((hi - lo) * 0.05, pd.Timedelta(days=15))
    return lo - pad, hi + pad


def timeline(dates: pd.DataFrame, articles: pd.DataFrame, *, freq: str | None = None, max_points: int = 2000,
             y_domain: tuple | str | None = None) -> alt.LayerChart:
    """Dates referred to (y) against when the article was published (x).

    Each point is a group of expressions; a vertical bar shows the range a coarse expression
    covers ("2013", "last month"). Points on the dashed diagonal refer to their own
    publication day; below it, to the past; above it, to the future.

    Args:
        dates, articles: the `dates` and `articles` tables.
        freq: period to group dates by (see `date_references`).
        max_points: most groups drawn.
        y_domain: the range of dates referred to that the y axis shows: None for the
            publication span plus the central 96% of references, `"all"` for everything, or a
            pair of dates. References outside are drawn at the edge (the subtitle says how many).
    """
    data, used = date_references(dates, articles, freq=freq, max_points=max_points)
    unit = FREQ_NAMES[used]
    subtitle = [f"{plural(int(data['n'].sum()), 'calendar expression')}, grouped by {unit}"]
    scale = alt.Scale()
    if len(data) and y_domain != "all":
        lo, hi = _focus(data) if y_domain is None else (pd.Timestamp(y_domain[0]), pd.Timestamp(y_domain[1]))
        outside = int(data.loc[(data["start"] < lo) | (data["start"] > hi), "n"].sum())
        scale = alt.Scale(domain=[lo.isoformat(), hi.isoformat()], clamp=True)
        if outside:
            subtitle.append(f"{plural(outside, 'expression')} referring to dates before "
                            f"{lo:%Y} or after {hi:%Y} drawn at the edge")
    base = alt.Chart(data)
    # one layer carries the scales; the layers share them (a domain set on two layers conflicts)
    ticks, x_title = _time_axis(data["published"], used, "publication")
    axis_x = alt.X("published:T", title=x_title, scale=alt.Scale(padding=12), axis=alt.Axis(**ticks))
    axis_y = alt.Y("start:T", title="date referred to", scale=scale)
    color = alt.Color("relation:N", scale=alt.Scale(domain=list(RELATIONS), range=list(RELATION_COLORS)), title=None)
    points = base.mark_circle(opacity=0.6).encode(
        x=axis_x, y=axis_y, color=color,
        size=alt.Size("n:Q", scale=alt.Scale(range=[20, 300], zero=False),
                      legend=_size_legend(data["n"], "expressions")),
        tooltip=[alt.Tooltip("published:T", title=f"published ({unit})"), alt.Tooltip("start:T", title="from"),
                 alt.Tooltip("end:T", title="to"), alt.Tooltip("n:Q", title="expressions"),
                 alt.Tooltip("example:N", title="e.g."), alt.Tooltip("value:N", title="value")])
    ranges = base.transform_filter("datum.end > datum.start").mark_rule(strokeWidth=3, opacity=0.45).encode(
        x="published:T", y="start:T", y2="end:T", color=alt.Color("relation:N"))
    diagonal = pd.DataFrame({"published": [data["published"].min(), data["published"].max()]} if len(data)
                            else {"published": []})
    same_day = alt.Chart(diagonal).mark_line(strokeDash=[4, 4], color="#999999").encode(
        x="published:T", y=alt.Y("published:T"))
    title = _title("Dates referred to, by publication date", subtitle)
    return (same_day + ranges + points).properties(width=WIDTH, height=320, title=title)


# ---------------------------------------------------- who said what, when
def speaker_periods(quotes: pd.DataFrame, articles: pd.DataFrame, *, top: int = 10, freq: str | None = None,
                    max_periods: int = 60) -> tuple[pd.DataFrame, str]:
    """Quotes per speaker and period of publication, for the `top` speakers.

    Returns:
        The frame (`speaker`, `period`, `n` quotes, `n_articles`, `example` quote, `total`
        quotes of the speaker) and the `freq` used.
    """
    _check_freq(freq)
    known = quotes.dropna(subset=["speaker"]).assign(published=lambda q: _published(q, articles))
    known = known.dropna(subset=["published"])
    totals = known["speaker"].value_counts()
    keep = totals.sort_values(ascending=False, kind="stable").index[:top]
    rows = known[known["speaker"].isin(keep)]
    used = freq or pick_freq(rows["published"], max_periods=max_periods)
    rows = rows.assign(period=_floor(rows["published"], used))
    data = rows.groupby(["speaker", "period"], observed=True).agg(
        n=("text", "size"), n_articles=("article_id", "nunique"), example=("text", "first")).reset_index()
    data = data.astype({"speaker": object, "n": "int64", "n_articles": "int64"})
    data["example"] = data["example"].map(_short)
    data["total"] = data["speaker"].map(totals).astype("int64")
    return data.sort_values(["total", "speaker", "period"], ascending=[False, True, True]).reset_index(drop=True), used


def who_said_what_when(quotes: pd.DataFrame, articles: pd.DataFrame, *, top: int = 10, freq: str | None = None,
                       max_periods: int = 60) -> alt.Chart:
    """Dots: when the most quoted speakers were quoted (by publication date); hover for a quote."""
    data, used = speaker_periods(quotes, articles, top=top, freq=freq, max_periods=max_periods)
    unit = FREQ_NAMES[used]
    order = list(dict.fromkeys(data["speaker"]))
    ticks, x_title = _time_axis(data["period"], used, "publication")
    return alt.Chart(data, title=_title("Who said what, when", f"quotes per speaker and {unit} of publication")
                     ).mark_circle(opacity=0.8).encode(
        x=alt.X("period:T", title=x_title, scale=alt.Scale(padding=16), axis=alt.Axis(**ticks)),
        y=alt.Y("speaker:N", sort=order, title=None),
        size=alt.Size("n:Q", scale=alt.Scale(range=[30, 500], zero=False), legend=_size_legend(data["n"], "quotes")),
        color=alt.Color("speaker:N", sort=order, legend=None, scale=alt.Scale(scheme="tableau10")),
        tooltip=[alt.Tooltip("speaker:N"), alt.Tooltip("period:T", title=unit), alt.Tooltip("n:Q", title="quotes"),
                 alt.Tooltip("n_articles:Q", title="articles"), alt.Tooltip("example:N", title="e.g.")],
    ).properties(width=WIDTH, height=alt.Step(26))


# --------------------------------------------------------------- coverage
def article_periods(articles: pd.DataFrame, *, freq: str | None = None, max_periods: int = 60,
                    outlets: int = 6) -> tuple[pd.DataFrame, str]:
    """Articles per publication period and outlet (the `outlets` largest; the rest as "other").

    Returns:
        The frame (`start`, `end` of the period, `outlet`, `n` articles, and `bottom`, `top`
        of its stacked bar) and the `freq` used.
    """
    _check_freq(freq)
    arts = articles.dropna(subset=["published"])
    used = freq or pick_freq(arts["published"], max_periods=max_periods)
    outlet = arts["outlet"].astype(object).fillna("(no outlet)")
    big = outlet.value_counts().index[:outlets]
    outlet = outlet.where(outlet.isin(big), "other")
    start = _floor(arts["published"].astype("datetime64[ms]"), used)
    data = pd.DataFrame({"start": start, "outlet": outlet}).groupby(["start", "outlet"]).size().rename(
        "n").reset_index()
    data["end"] = (data["start"].dt.to_period(used) + 1).dt.start_time.astype("datetime64[ms]")
    data = data.astype({"n": "int64", "outlet": object})
    data["top"] = data.groupby("start")["n"].cumsum()  # stacked here: Vega-Lite does not stack ranged bars
    data["bottom"] = data["top"] - data["n"]
    return data, used


def coverage(articles: pd.DataFrame, *, freq: str | None = None, max_periods: int = 60, outlets: int = 6) -> alt.Chart:
    """Stacked bars: articles per publication period, by outlet."""
    data, used = article_periods(articles, freq=freq, max_periods=max_periods, outlets=outlets)
    unit = FREQ_NAMES[used]
    undated = int(articles["published"].isna().sum())
    subtitle = (f"{plural(undated, 'article')} without a publication date {'is' if undated == 1 else 'are'} not shown"
                if undated else None)
    ticks, x_title = _time_axis(data["start"], used, "publication")
    return alt.Chart(data, title=_title(f"Articles per {unit}", subtitle)).mark_bar(stroke="white",
                                                                                    strokeWidth=0.5).encode(
        x=alt.X("start:T", title=x_title, axis=alt.Axis(**ticks)), x2="end:T",
        y=alt.Y("bottom:Q", title="articles", axis=alt.Axis(**_count_ticks(data["top"]))), y2="top:Q",
        color=alt.Color("outlet:N", scale=alt.Scale(scheme="tableau10"), title="outlet"),
        tooltip=[alt.Tooltip("start:T", title=unit), alt.Tooltip("outlet:N"), alt.Tooltip("n:Q", title="articles")],
    ).properties(width=WIDTH, height=200)


# ------------------------------------------------------ sources by gender
GENDERS = ("female", "male", "unknown")
GENDER_COLORS = ("#b07aa1", "#4e79a7", "#bab0ac")
GENDER_MEASURES = {"quotes": "share of quotes", "people": "share of people quoted"}


def gender_counts(quotes: pd.DataFrame, entities: pd.DataFrame, articles: pd.DataFrame, *, by: str = "outlet",
                  freq: str | None = None, max_periods: int = 60, outlets: int = 8) -> tuple[pd.DataFrame, str | None]:
    """Quotes of people and distinct people quoted, by gender, per outlet or per period.

    Only quotes whose speaker is a person (an entity labelled PERSON) count; a person's gender
    is `entities.gender` (`female`, `male`, or `unknown` where the text does not say: shown,
    never guessed). `by="outlet"` groups by `articles.outlet` (the `outlets` largest, the rest as
    "other"); `by="period"` by period of publication (`freq`, or the finest that keeps at most
    `max_periods`).

    Returns:
        The frame (`group`, `gender`, `quotes`, `people`, and `quote_share`, `people_share`
        within the group) and the `freq` used (None by outlet).
    """
    if by not in ("outlet", "period"):
        raise ValueError(f"by must be 'outlet' or 'period', not {by!r}")
    _check_freq(freq)
    people = entities.loc[entities["label"] == "PERSON", ["entity_id", "gender"]].drop_duplicates("entity_id")
    gender = people.set_index("entity_id")["gender"].astype(object).fillna("unknown")
    said = quotes[quotes["speaker_entity_id"].isin(gender.index)]
    said = said.assign(gender=said["speaker_entity_id"].map(gender).to_numpy())
    arts = articles.drop_duplicates("id").set_index("id")
    used = None
    if by == "outlet":
        outlet = arts["outlet"].astype(object).fillna("(no outlet)")
        group = outlet.reindex(said["article_id"]).to_numpy()
        big = pd.Series(group).value_counts().index[:outlets]
        group = pd.Series(group).where(pd.Series(group).isin(big), "other").to_numpy()
    else:
        when = _published(said, articles)
        said, when = said[when.notna()], when.dropna()
        used = freq or pick_freq(when, max_periods=max_periods)
        group = _floor(when, used).to_numpy()
    said = said.assign(group=group)
    data = said.groupby(["group", "gender"]).agg(quotes=("text", "size"),
                                                 people=("speaker_entity_id", "nunique")).reset_index()
    data = data.astype({"gender": object, "quotes": "int64", "people": "int64"})
    for n, share in (("quotes", "quote_share"), ("people", "people_share")):
        data[share] = data[n] / data.groupby("group")[n].transform("sum")
    order = {g: i for i, g in enumerate(GENDERS)}
    data = data.sort_values(["group", "gender"], key=lambda c: c.map(order) if c.name == "gender" else c,
                            kind="stable")
    return data.reset_index(drop=True), used


def _period_label(starts: pd.Series, freq: str) -> pd.Series:
    """A period's first day written as the period: 2018-03-05 (day, week), 2018-03, 2018-Q1, 2018."""
    starts = pd.to_datetime(starts)
    if freq == "Q":
        return starts.dt.year.astype(str) + "-Q" + starts.dt.quarter.astype(str)
    return starts.dt.strftime({"M": "%Y-%m", "Y": "%Y"}.get(freq, "%Y-%m-%d"))


def sources_by_gender(quotes: pd.DataFrame, entities: pd.DataFrame, articles: pd.DataFrame | None = None, *,
                      by: str = "outlet", freq: str | None = None, max_periods: int = 60,
                      outlets: int = 8) -> alt.Chart:
    """Stacked bars: who is quoted, by gender, per outlet or per period (`by`), as a share of the
    quotes of people and as a share of the distinct people quoted (the measures of the Gender
    Gap Tracker, Asr et al. 2021). `unknown` is a gender the text did not give, drawn grey."""
    if articles is None:
        raise ValueError("sources_by_gender needs the articles table (for outlets and publication dates)")
    data, used = gender_counts(quotes, entities, articles, by=by, freq=freq, max_periods=max_periods, outlets=outlets)
    counted = int(data["quotes"].sum())
    subtitle = [f"{counted:,} quotes of {int(data['people'].sum()):,} people (a person counts once per group); "
                "gender from pronouns, titles, then first names"]
    if len(quotes) > counted:
        subtitle.append(f"{len(quotes) - counted:,} quotes without a known speaker, or of no person, are not counted")
    long = pd.concat([data.assign(measure=GENDER_MEASURES["quotes"], share=data["quote_share"], n=data["quotes"]),
                      data.assign(measure=GENDER_MEASURES["people"], share=data["people_share"], n=data["people"])],
                     ignore_index=True)
    long = long.assign(gender_order=long["gender"].map({g: i for i, g in enumerate(GENDERS)}).fillna(len(GENDERS)))
    genders = list(GENDERS) + sorted(set(long["gender"]) - set(GENDERS))
    colors = list(GENDER_COLORS) + [OTHER_COLOR] * (len(genders) - len(GENDERS))
    if by == "period":  # periods as labels of their own length ("2018-03", "2018-Q1"), in time order
        long = long.sort_values("group", kind="stable")
        long["group"] = _period_label(long["group"], used)
    group = alt.Y("group:N", title=None if by == "outlet" else f"publication {FREQ_NAMES[used]}",
                  sort=list(dict.fromkeys(long["group"])))
    return alt.Chart(long, title=_title(f"Who is quoted, by gender, per {'outlet' if by == 'outlet' else FREQ_NAMES[used]}",
                                        subtitle)).mark_bar().encode(
        x=alt.X("share:Q", stack="normalize", title=None, axis=alt.Axis(format="%")),
        y=group,
        color=alt.Color("gender:N", scale=alt.Scale(domain=genders, range=colors), title="gender"),
        order=alt.Order("gender_order:Q"),
        column=alt.Column("measure:N", title=None, sort=list(GENDER_MEASURES.values())),
        tooltip=[alt.Tooltip("group:N", title=by), alt.Tooltip("gender:N"),
                 alt.Tooltip("n:Q", title="count"), alt.Tooltip("share:Q", format=".0%")],
    ).properties(width=WIDTH // 2, height=alt.Step(18))
