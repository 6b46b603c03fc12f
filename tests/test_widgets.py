"""Widgets driven from code: set a control, check what the explorer shows and which rows it keeps."""
from __future__ import annotations

import base64
import html
import re

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from toolkit.views import highlight, widgets

from .frames import IMG, SCRIPT, small_analysis


@pytest.fixture
def analysis():
    return small_analysis()


def visible_text(markup: str) -> str:
    """What a browser would show as text: tags dropped, entities decoded."""
    return html.unescape(re.sub(r"<[^>]*>", "", markup))


def assert_no_live_markup(markup: str) -> None:
    """No element from the article text: `<script`/`<img` only ever appear escaped."""
    assert "<script" not in markup.lower() and "<img" not in markup.lower()
    assert 'onerror="' not in markup  # quotes in text are escaped, so no attribute can open


# ------------------------------------------------------------- highlighting
@given(st.text(max_size=60), st.lists(st.tuples(st.integers(-3, 70), st.integers(-3, 70),
                                                st.sampled_from(highlight.LAYERS)), max_size=12))
def test_highlighting_keeps_the_text_and_balances_tags(text, raw):
    spans = [highlight.Span(a, b, layer, "PERSON" if layer == "entities" else "quote", f"tip {a}<{b}>")
             for a, b, layer in raw]
    markup = highlight.to_html(text, spans)
    assert visible_text(markup) == text
    assert markup.count("<span") == markup.count("</span>")
    assert "<b>" not in markup.replace("<b>", "") and "tip " not in visible_text(markup).replace(text, "", 1)


def test_hostile_text_and_tooltips_are_escaped():
    text = f'Before {SCRIPT} and {IMG} after "quoted" & done'
    spans = [highlight.Span(0, len(text), "quotes", "quote", 'speaker: <b onclick="x()">Bob</b>'),
             highlight.Span(7, 7 + len(SCRIPT), "entities", 'ORG" onmouseover="x()', "ORG · evil")]
    markup = highlight.to_html(text, spans)
    assert_no_live_markup(markup)
    assert "&lt;script&gt;" in markup and "&lt;img src=x onerror=" in markup
    assert 'onmouseover="' not in markup and "onclick=\"" not in markup
    assert visible_text(markup) == text


# ------------------------------------------------------------ article viewer
def test_article_viewer_switches_article_and_layers(analysis):
    viewer = widgets.article_viewer(analysis)
    assert viewer.article.value == "mars"
    assert "Rover lands on Mars" in viewer.html and "We are thrilled" in visible_text(viewer.text.value)
    for cls in ("ntk-q", "ntk-a", "ntk-e", "ntk-d"):
        assert f'class="{cls}' in viewer.text.value or f" {cls}" in viewer.text.value, cls
    assert "direct quote (1)" in viewer.legend.value and "reported speech (1)" in viewer.legend.value
    assert "PERSON (2)" in viewer.legend.value

    viewer.layers["quotes"].value = False
    assert "ntk-q" not in viewer.text.value and "ntk-a" not in viewer.text.value
    assert "ntk-e" in viewer.text.value and "quote (" not in viewer.legend.value
    assert "speech (" not in viewer.legend.value
    viewer.layers["entities"].value = False
    viewer.layers["dates"].value = False
    assert "<span" not in viewer.text.value.split(">", 1)[1]  # nothing highlighted, text intact
    assert visible_text(viewer.text.value) == analysis.text_of("mars")
    viewer.layers["dates"].value = True
    assert viewer.text.value.count('class="ntk-d"') == 2  # "Monday", "2030"

    viewer.article.value = "undated"
    assert "Ana Ruiz met Li Wei" in viewer.text.value and "undated" in viewer.header.value


def test_article_viewer_escapes_hostile_articles(analysis):
    viewer = widgets.article_viewer(analysis, "budget")
    assert_no_live_markup(viewer.html)
    assert "<b>budget</b>" not in viewer.html and "&lt;b&gt;budget&lt;/b&gt; &amp; tax" in viewer.header.value
    assert visible_text(viewer.text.value) == analysis.text_of("budget")
    assert "ntk-q" in viewer.text.value  # the quote around the <img> is still highlighted


def test_article_viewer_search_narrows_the_choice(analysis):
    viewer = widgets.article_viewer(analysis)
    viewer.search.value = "evening star"  # outlet
    assert [v for _, v in viewer.article.options] == ["budget"]
    assert viewer.article.value == "budget" and "Li Wei" in viewer.text.value
    viewer.search.value = "no such thing"
    assert viewer.article.value is None and "no article matches" in viewer.html
    viewer.search.value = ""
    assert len(viewer.article.options) == 3 and viewer.article.value == "mars"


def test_article_viewer_lists_at_most_max_options(analysis):
    viewer = widgets.article_viewer(analysis, max_options=2)
    assert len(viewer.article.options) == 2 and "(3)" in viewer.article.description
    viewer.search.value = "undated"
    assert viewer.article.value == "undated"


# ---------------------------------------------------------- speaker explorer
def test_speaker_explorer_follows_speaker_and_kind(analysis):
    explorer = widgets.speaker_explorer(analysis)
    assert explorer.speaker.value in {"Ana Ruiz", "Li Wei"}
    explorer.speaker.value = "Ana Ruiz"
    assert set(explorer.quotes["speaker"]) == {"Ana Ruiz"} and len(explorer.quotes) == 2
    assert "We are thrilled" in explorer.html and "Taxes rise" not in explorer.html
    chart_rows = next(iter(explorer.chart.to_dict()["datasets"].values()))
    assert {r["speaker"] for r in chart_rows} == {"Ana Ruiz"}

    explorer.kind.value = "indirect"
    assert list(explorer.quotes["text"]) == ["the team would rest"]
    assert "We are thrilled" not in explorer.table.value and "indirect 1" in explorer.summary.value

    explorer.speaker.value = "Li Wei"
    assert list(explorer.quotes["kind"]) == ["indirect"]
    assert_no_live_markup(explorer.html)
    assert "&lt;script&gt;window.__pwned" in explorer.table.value
    explorer.kind.value = "direct"
    assert "next year = 2021" in explorer.table.value  # the date inside the quote, resolved
    chart_rows = next(iter(explorer.chart.to_dict()["datasets"].values()))
    assert {r["speaker"] for r in chart_rows} == {"Li Wei"}


def test_speaker_explorer_search(analysis):
    explorer = widgets.speaker_explorer(analysis, "Li Wei")
    explorer.search.value = "ruiz"
    assert [v for _, v in explorer.speaker.options] == ["Ana Ruiz"] and explorer.speaker.value == "Ana Ruiz"
    explorer.search.value = "nobody"
    assert explorer.speaker.value is None and explorer.quotes.empty and "no speaker matches" in explorer.html


# ----------------------------------------------------------- entity explorer
def test_entity_explorer_finds_by_alias_and_shows_contexts(analysis):
    explorer = widgets.entity_explorer(analysis, "ruiz")
    assert explorer.entity.value == "PERSON:ana ruiz"
    assert "Ana Ruiz, Ruiz" in explorer.info.value
    assert len(explorer.mentions) == 3 and explorer.contexts.value.count('class="ntk-hit"') == 3
    assert "We are thrilled" in visible_text(explorer.contexts.value)  # left context of a mention
    explorer.search.value = "Li"
    assert explorer.entity.value == "PERSON:li wei"
    assert_no_live_markup(explorer.html)


def test_entity_explorer_counts_co_mentions_per_article_or_sentence(analysis):
    explorer = widgets.entity_explorer(analysis, "Ana Ruiz")
    by_article = dict(zip(explorer.co_mentioned["entity_id"], explorer.co_mentioned["n"]))
    assert by_article == {"ORG:nasa": 1, "PERSON:li wei": 1, "GPE:paris": 1}
    explorer.within.value = "sentence"
    by_sentence = dict(zip(explorer.co_mentioned["entity_id"], explorer.co_mentioned["n"]))
    assert by_sentence == {"ORG:nasa": 1, "PERSON:li wei": 1, "GPE:paris": 1}
    explorer.search.value = "NASA"
    assert explorer.entity.value == "ORG:nasa"
    explorer.within.value = "article"
    assert dict(zip(explorer.co_mentioned["entity_id"], explorer.co_mentioned["n"])) == {
        "PERSON:ana ruiz": 1, "PERSON:li wei": 1}
    explorer.within.value = "sentence"  # NASA shares its first sentence with Ana Ruiz, none with Li Wei
    assert dict(zip(explorer.co_mentioned["entity_id"], explorer.co_mentioned["n"])) == {"PERSON:ana ruiz": 1}
    explorer.search.value = "Paris"
    assert dict(zip(explorer.co_mentioned["entity_id"], explorer.co_mentioned["n"])) == {
        "PERSON:ana ruiz": 1, "PERSON:li wei": 1}
    explorer.search.value = "nowhere"
    assert explorer.co_mentioned.empty and "no entity matches" in explorer.info.value


# ------------------------------------------------------------------ timeline
def test_timeline_range_filters_articles_and_quotes(analysis):
    explorer = widgets.timeline_explorer(analysis)
    assert explorer.freq == "D"
    assert set(explorer.articles["id"]) == {"mars", "budget"} and len(explorer.quotes) == 4
    assert "1 article has no publication date" in explorer.summary.value
    march = [i for i, (_, start) in enumerate(explorer.range.options) if start.month == 3]
    explorer.range.index = (march[0], march[-1])
    assert list(explorer.articles["id"]) == ["mars"]
    assert set(explorer.quotes["article_id"]) == {"mars"} and len(explorer.quotes) == 2
    assert "Rover lands on Mars" in explorer.articles_table.value and "Council" not in explorer.articles_table.value
    assert "<b>1</b> of 3 articles" in explorer.summary.value


def test_timeline_by_referenced_dates_keeps_quotes_that_mention_them(analysis):
    explorer = widgets.timeline_explorer(analysis, by="referenced")
    assert list(explorer.articles["id"]) == ["mars"]  # only "Monday" falls inside the publication span
    assert explorer.quotes.empty  # "Monday" is outside both quotes
    explorer.by.value = "published"
    assert len(explorer.articles) == 2
    with pytest.raises(ValueError, match="by must be"):
        widgets.timeline_explorer(analysis, by="mentioned")


def test_timeline_referenced_quotes_contain_the_date():
    a = small_analysis()
    # widen the "budget" article's span: publish it in 2021 so "next year" (2021) is in the slider's range
    a.articles.loc[a.articles["id"] == "budget", "published"] = pd.Timestamp("2021-06-15")
    explorer = widgets.timeline_explorer(a, by="referenced")
    in_2021 = [i for i, (_, start) in enumerate(explorer.range.options) if start.year == 2021]
    explorer.range.index = (in_2021[0], in_2021[-1])
    assert list(explorer.articles["id"]) == ["budget"]
    assert [q[:10] for q in explorer.quotes["text"]] == ["Taxes rise"]


def test_explorers_reject_other_objects():
    with pytest.raises(TypeError, match="Analysis"):
        widgets.article_viewer(pd.DataFrame())


# -------------------------------------------------- honest display, static views
MARKS = "\"“”„‟«»‘’‚‛"


def quote_cells(markup: str, kind: str) -> list[str]:
    """The visible text of every quote of `kind` drawn in `markup`."""
    return [visible_text(m) for m in re.findall(rf'<span class="ntk-quote ntk-{kind}">(.*?)</span>(?=</div>|</li>)',
                                                markup, flags=re.S)]


def with_attributions(a):
    """`small_analysis` with one quote found through a pronoun, one speaker tied to no entity, one unknown."""
    q = a.quotes
    q.loc[q["text"] == "the team would rest", "attribution"] = "pronoun"
    budget = q["text"].str.endswith("budget passed")
    q.loc[budget, ["speaker_entity_id"]] = None
    q.loc[budget, "speaker"] = "the mayor's office"
    taxes = q["text"].str.startswith("Taxes")
    q.loc[taxes, ["speaker", "speaker_entity_id", "speaker_start", "speaker_end"]] = None
    q.loc[taxes, "attribution"] = "none"
    return a


def test_explorers_draw_direct_quotes_in_marks_and_reported_speech_without(analysis):
    explorer = widgets.speaker_explorer(analysis, "Ana Ruiz")
    assert quote_cells(explorer.table.value, "direct") == ["“We are thrilled,”"]
    assert quote_cells(explorer.table.value, "indirect") == ["reported the team would rest"]
    timeline = widgets.timeline_explorer(analysis)
    reported = quote_cells(timeline.quotes_table.value, "indirect")
    assert len(reported) == 2 and not any(ch in text for text in reported for ch in MARKS)
    mixed = analysis.quotes.assign(kind="mixed", text='the plan is "a disgrace", he said')
    cell = widgets._quote_rows(widgets._Tables(analysis), mixed.head(1), limit=5)
    assert 'reported, partly quoted the plan is "a disgrace", he said' in quote_cells(cell, "mixed")  # its own marks only


def test_article_viewer_never_shades_reported_speech_as_a_quotation(analysis):
    viewer = widgets.article_viewer(analysis, "mars")
    direct = re.findall(r'class="ntk-q ntk-q-direct" style="([^"]*)"', viewer.text.value)
    reported = re.findall(r'class="ntk-q ntk-q-indirect" style="([^"]*)"', viewer.text.value)
    assert direct and reported and set(direct).isdisjoint(reported)  # drawn apart
    assert all("dotted" in s for s in reported) and not any("dotted" in s for s in direct)
    assert 'title="reported speech · Ana Ruiz · said"' in viewer.text.value
    assert visible_text(viewer.text.value) == analysis.text_of("mars")  # no mark added to the text


def test_speaker_explorer_shows_inferred_unresolved_and_unknown_speakers_as_such():
    a = with_attributions(small_analysis())
    explorer = widgets.speaker_explorer(a, "Ana Ruiz")
    assert "inferred: pronoun" in explorer.table.value and "named at the cue" in explorer.table.value
    assert "named at the cue 1, inferred from a pronoun 1" in explorer.summary.value
    explorer.speaker.value = "the mayor's office"
    assert "not linked to an entity" in explorer.table.value
    assert "not linked to an entity 1" in explorer.summary.value
    offered = [v for _, v in explorer.speaker.options]
    assert offered[-1] == widgets.UNKNOWN_SPEAKER  # listed last
    explorer.speaker.value = widgets.UNKNOWN_SPEAKER
    assert [t[:10] for t in explorer.quotes["text"]] == ["Taxes rise"] and explorer.chart is None
    assert "No speaker found" in explorer.summary.value
    assert_no_live_markup(explorer.html)


@pytest.mark.parametrize("make", [
    lambda a: widgets.article_viewer(a, "budget"), lambda a: widgets.speaker_explorer(a, "Li Wei"),
    lambda a: widgets.entity_explorer(a, "Li"), lambda a: widgets.timeline_explorer(a)],
    ids=["article", "speaker", "entity", "timeline"])
def test_every_explorer_shows_with_a_static_escaped_copy_of_its_view(analysis, make):
    explorer = make(analysis)
    bundle = explorer._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle  # still the live widget
    static = bundle["text/html"]
    assert static.startswith('<div class="ntk-static">')
    shown = [w.value for w in all_children(explorer) if type(w).__name__ == "HTML" and w.value]
    assert shown and all(value in static for value in shown)  # everything the widget shows now
    assert_no_live_markup(re.sub(r'<img class="ntk-chart" [^>]*>', "", static))  # a chart's picture is the only image
    assert "<script" not in static.lower() and "children=" not in bundle["text/plain"]
    assert explorer.view_title in bundle["text/plain"]


def all_children(widget) -> list:
    out = []
    for child in getattr(widget, "children", ()):
        out += [child, *all_children(child)]
    return out


def test_the_speaker_explorers_static_copy_holds_its_chart_as_a_picture(analysis):
    static = widgets.speaker_explorer(analysis, "Li Wei").static_html()
    (src,) = re.findall(r'<img class="ntk-chart" [^>]*src="data:image/png;base64,([^"]+)"', static)
    png = base64.b64decode(src)
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and int.from_bytes(png[16:20], "big") > 300


def test_explorers_count_in_words(analysis):
    explorer = widgets.entity_explorer(analysis, "Paris")
    assert "1 mention in 1 article<br>" in explorer.info.value
    speakers = widgets.speaker_explorer(analysis, "Li Wei")
    assert "2 quotes in 1 article," in speakers.summary.value
