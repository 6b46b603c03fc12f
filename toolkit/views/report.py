"""A self-contained HTML report of an analysis: charts, top speakers and their quotes, top entities.

    toolkit.views.report.write_report(analysis, "out/report.html")

or `python -m toolkit analyze PATH --out DIR`, which writes `DIR/report.html`. The page works
offline: the Vega, Vega-Lite and vega-embed libraries are inlined (bundled by `vl_convert`, as
`chart.save(..., inline=True)` does), and each chart's spec sits in a JSON script block that is
parsed, never executed. Article text is untrusted: it is HTML-escaped everywhere, and `<` in
chart data is written as `\\u003c` so no string can close a script block. Reported speech is
never drawn in quotation marks, and a speaker found away from the cue says how it was found.
"""
from __future__ import annotations

import datetime as dt
import html
import json
from functools import lru_cache
from pathlib import Path

import altair as alt

from .. import __version__
from . import charts, highlight, style
from ..analysis import Analysis
from .style import day as _day
from .style import esc as _esc
from .style import plural


@lru_cache(maxsize=1)
def vega_bundle() -> str:
    """vega-embed with Vega and Vega-Lite as one script, for the Vega-Lite version Altair targets.

    Bundling takes `vl_convert` seconds (about 2 s of CPU, more on a loaded machine), so the
    bundle is kept in the user's cache folder (`$XDG_CACHE_HOME/news-toolkit`, else
    `~/.cache/news-toolkit`), one file per vl-convert and Vega-Lite version, written atomically.
    """
    import os
    import tempfile

    import vl_convert
    from altair.utils._importers import vl_version_for_vl_convert

    version = vl_version_for_vl_convert()
    folder = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "news-toolkit"
    path = folder / f"vega-bundle-vl-convert-{vl_convert.__version__}-vega-lite-{version}.js"
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        pass
    bundle = vl_convert.javascript_bundle(vl_version=version)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=folder, delete=False, suffix=".tmp") as tmp:
            tmp.write(bundle)
        os.replace(tmp.name, path)
    except OSError:  # a read-only home: bundle again next time
        pass
    return bundle


def _script_json(value) -> str:
    """JSON safe inside a `<script>` element: no `<`, `>` or `&` can end it or open a comment."""
    return json.dumps(value).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def report_charts(analysis: Analysis) -> list[tuple[str, alt.TopLevelMixin]]:
    """The report's charts as (heading, chart), leaving out those with nothing to draw."""
    a = analysis
    out = []
    if a.articles["published"].notna().any():
        out.append(("Articles over time", charts.coverage(a.articles)))
    if a.quotes["speaker"].notna().any():
        out.append(("Top speakers", charts.top_speakers(a.quotes)))
    if len(a.quotes):
        out.append(("Cues", charts.cues(a.quotes)))
    if a.quotes["speaker"].notna().any():
        if a.articles["published"].notna().any():
            out.append(("Who said what, when", charts.who_said_what_when(a.quotes, a.articles)))
    if len(a.entities):
        out.append(("Entities", charts.entity_frequency(a.entities)))
    if a.mentions["entity_id"].nunique() > 1:
        out.append(("Co-mentions", charts.co_mentions(a.mentions, a.entities)))
    if len(charts.date_references(a.dates, a.articles)[0]):
        out.append(("Dates referred to", charts.timeline(a.dates, a.articles)))
    return out


def _speakers_section(a: Analysis, *, top: int, per_speaker: int) -> str:
    known = a.quotes.dropna(subset=["speaker"])
    if known.empty:
        return "<p class='empty'>No quote has a known speaker.</p>"
    titles = dict(zip(a.articles["id"], a.articles["title"]))
    published = dict(zip(a.articles["id"], a.articles["published"]))
    parts = []
    for speaker, group in sorted(known.groupby("speaker", observed=True), key=lambda kv: (-len(kv[1]), kv[0]))[:top]:
        items = []
        for q in group.head(per_speaker).itertuples(index=False):
            title = titles.get(q.article_id)
            where = _esc(title if isinstance(title, str) else q.article_id)
            how = style.found(q.speaker_entity_id, q.attribution, named="")
            items.append(f"<li>{style.quote(q.text, q.kind)} <span class='meta'>— {_esc(q.cue, 'no cue')}; "
                         f"{where} {_day(published.get(q.article_id))}</span>{' ' + how if how else ''}</li>")
        more = f"<li class='meta'>… and {len(group) - per_speaker:,} more</li>" if len(group) > per_speaker else ""
        unlinked = group["speaker_entity_id"].isna().all()
        parts.append(f"<div class='speaker'><h3>{_esc(speaker)} <span class='meta'>"
                     f"{plural(len(group), 'quote')} in {plural(group['article_id'].nunique(), 'article')}"
                     f"{'; not linked to an entity' if unlinked else ''}</span></h3>"
                     f"<ul>{''.join(items)}{more}</ul></div>")
    return "".join(parts) + _unknown_speakers(a, per_speaker=per_speaker)


def _unknown_speakers(a: Analysis, *, per_speaker: int) -> str:
    """The quotes nobody was found to have said, a few of them shown: unknown is shown as unknown."""
    unknown = a.quotes[a.quotes["speaker"].isna()]
    if unknown.empty:
        return ""
    items = "".join(f"<li>{style.quote(q.text, q.kind)} <span class='meta'>— {_esc(q.cue, 'no cue')}; "
                    f"{_esc(q.article_id)}</span></li>" for q in unknown.head(per_speaker).itertuples(index=False))
    more = f"<li class='meta'>… and {len(unknown) - per_speaker:,} more</li>" if len(unknown) > per_speaker else ""
    return (f"<div class='speaker unknown'><h3><i>Speaker unknown</i> <span class='meta'>"
            f"{plural(len(unknown), 'quote')} with no speaker found</span></h3><ul>{items}{more}</ul></div>")


def _entities_section(a: Analysis, *, top: int) -> str:
    ents = a.entities.sort_values(["n_mentions", "name"], ascending=[False, True], kind="stable").head(top)
    if ents.empty:
        return "<p class='empty'>No entities.</p>"
    rows = [[_esc(n), f"<span class='chip' style='border-color:{highlight.label_color(str(lab))}'>{_esc(lab)}</span>",
             f"{int(m):,}", f"{int(k):,}", ", ".join(_esc(x) for x in list(al)[:8]) + (" …" if len(al) > 8 else "")]
            for n, lab, m, k, al in zip(ents["name"], ents["label"], ents["n_mentions"], ents["n_articles"],
                                        ents["aliases"])]
    return style.table(["entity", "label", "mentions", "articles", "aliases"], rows)


def _articles_section(a: Analysis, *, max_listed: int, max_texts: int) -> str:
    arts = a.articles
    if arts.empty:
        return "<p class='empty'>No articles.</p>"
    counts = {name: getattr(a, name)["article_id"].value_counts() for name in ("quotes", "mentions", "dates")}
    rows = [[_esc(t, i), _esc(o), _day(p)] + [f"{int(counts[n].get(i, 0)):,}" for n in counts]
            for i, t, o, p in zip(arts["id"].head(max_listed), arts["title"], arts["outlet"], arts["published"])]
    listed = style.table(["article", "outlet", "published", "quotes", "mentions", "dates"], rows, cls="articles")
    if len(arts) > max_listed:
        listed += f"<p class='meta'>… and {len(arts) - max_listed:,} more articles.</p>"
    names = dict(zip(a.entities["entity_id"], a.entities["name"]))
    by = {name: getattr(a, name).groupby("article_id", observed=True) for name in ("quotes", "mentions", "dates")}
    texts = []
    for art in arts.head(max_texts).itertuples(index=False):
        parts = {name: (g.get_group(art.id) if art.id in g.groups else None) for name, g in by.items()}
        spans = highlight.spans(parts["quotes"], parts["mentions"], parts["dates"], names=names)
        texts.append(f"<details><summary>{_esc(art.title, art.id)} <span class='meta'>{_esc(art.outlet)} "
                     f"{_day(art.published)}</span></summary>{highlight.legend(spans)}"
                     f"{highlight.to_html(art.text, spans)}</details>")
    shown = (f"<h3>Texts</h3><p class='meta'>The first {min(max_texts, len(arts)):,} articles, with quotes, entities "
             f"and dates highlighted (hover for details).</p>" + "".join(texts)) if texts else ""
    return listed + shown


def _problems_section(a: Analysis, *, limit: int = 200) -> str:
    probs = a.problems
    if probs.empty:
        return "<p class='meta'>None: every record was read.</p>"
    rows = [[_esc(s), _esc(r), _esc(reason)] for s, r, reason in probs.head(limit).itertuples(index=False)]
    more = f"<p class='meta'>… and {len(probs) - limit:,} more.</p>" if len(probs) > limit else ""
    return style.table(["source", "record", "reason"], rows) + more


CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Helvetica,Arial,sans-serif;margin:0 auto;max-width:1100px;
padding:16px 24px;color:#222;line-height:1.45}
h1{margin-bottom:4px} h2{border-bottom:1px solid #ddd;padding-bottom:4px;margin-top:32px}
.meta{color:#666;font-size:90%;font-weight:normal} .empty{color:#777}
.charts{display:flex;flex-wrap:wrap;gap:24px} .chart-box{min-width:300px}
table{border-collapse:collapse;font-size:92%} th,td{text-align:left;padding:3px 10px;border-bottom:1px solid #eee;
vertical-align:top}
.articles td:nth-child(n+2){white-space:nowrap}
.chip{border-left:4px solid;padding-left:4px}
details{margin:8px 0;border:1px solid #e4e4e4;border-radius:4px;padding:6px 10px} summary{cursor:pointer}
.speaker ul{margin-top:0} .speaker h3{margin-bottom:4px}
"""

EMBED = """
for (const el of document.querySelectorAll("script.ntk-spec")) {
  const target = document.getElementById(el.dataset.target);
  vegaEmbed(target, JSON.parse(el.textContent), {renderer: "svg", actions: false})
    .then(() => target.setAttribute("data-rendered", "true"))
    .catch(err => { target.textContent = "This chart could not be drawn: " + err; });
}
"""


def render_report(analysis: Analysis, *, title: str = "News analysis report", top_speakers: int = 15,
                  quotes_per_speaker: int = 5, top_entities: int = 30, max_articles_listed: int = 1000,
                  max_article_texts: int = 25) -> str:
    """The report as one HTML string (see `write_report`)."""
    a = analysis
    blocks, specs = [], []
    for i, (heading, chart) in enumerate(report_charts(a)):
        blocks.append(f"<div class='chart-box' data-title='{html.escape(heading, quote=True)}'>"
                      f"<div class='chart' id='chart-{i}'></div></div>")
        specs.append(f"<script type='application/json' class='ntk-spec' data-target='chart-{i}'>"
                     f"{_script_json(chart.to_dict())}</script>")
    published = a.articles["published"].dropna()
    span = f", published {_day(published.min())} to {_day(published.max())}" if len(published) else ""
    summary = (f"{plural(len(a.articles), 'article')}{span}; {plural(len(a.quotes), 'quote')}, "
               f"{plural(len(a.mentions), 'mention')} of {plural(len(a.entities), 'entity')}, "
               f"{plural(len(a.dates), 'time expression')}, {plural(len(a.problems), 'problem')}")
    charts_html = ("<div class='charts'>" + "".join(blocks) + "</div>" if blocks
                   else "<p class='empty'>Nothing to chart.</p>")
    body = f"""
<h1>{html.escape(title)}</h1>
<p class="meta">{html.escape(summary)}. Generated {dt.datetime.now():%Y-%m-%d %H:%M} by news-toolkit {__version__}.</p>
<noscript><p>The charts need JavaScript; the tables below do not.</p></noscript>
<h2>Charts</h2>{charts_html}
<h2>Top speakers</h2>{_speakers_section(a, top=top_speakers, per_speaker=quotes_per_speaker)}
<h2>Top entities</h2>{_entities_section(a, top=top_entities)}
<h2>Articles</h2>{_articles_section(a, max_listed=max_articles_listed, max_texts=max_article_texts)}
<h2>Problems</h2>{_problems_section(a)}
"""
    scripts = (f"<script>{vega_bundle()}</script>" + "".join(specs) + f"<script>{EMBED}</script>") if specs else ""
    return (f"<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
            f"<meta name='viewport' content='width=device-width, initial-scale=1'>"
            f"<title>{html.escape(title)}</title><style>{CSS}</style></head>"
            f"<body>{body}{scripts}</body></html>\n")


def write_report(analysis: Analysis, path: str | Path, **options) -> Path:
    """Write the self-contained HTML report of `analysis` to `path`; returns the path.

    Args:
        analysis: the tables to report on.
        path: the `.html` file to write (its folder is created if missing).
        **options: passed to `render_report` (`title`, `top_speakers`, `quotes_per_speaker`,
            `top_entities`, `max_articles_listed`, `max_article_texts`).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_report(analysis, **options), encoding="utf-8")
    return path
