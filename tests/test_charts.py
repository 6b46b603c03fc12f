"""Charts: aggregate in pandas (so 100k rows stay far below Altair's row limit), return charts, display nothing."""
from __future__ import annotations

import altair as alt
import pandas as pd
import pytest
import vl_convert

from toolkit import Analysis
from toolkit.views import charts

from .frames import big_analysis, small_analysis


@pytest.fixture(scope="module")
def big():
    return big_analysis()


def all_charts(a: Analysis) -> dict[str, alt.TopLevelMixin]:
    return {
        "top_speakers": charts.top_speakers(a.quotes),
        "entity_frequency": charts.entity_frequency(a.entities),
        "co_mentions": charts.co_mentions(a.mentions, a.entities),
        "co_mentions_sentence": charts.co_mentions(a.mentions, a.entities, within="sentence"),
        "timeline": charts.timeline(a.dates, a.articles),
        "who_said_what_when": charts.who_said_what_when(a.quotes, a.articles),
        "coverage": charts.coverage(a.articles),
    }


def datasets(chart) -> dict[str, list]:
    return chart.to_dict().get("datasets", {})


def test_100k_rows_stay_under_altairs_row_limit(big):
    assert len(big.quotes) == len(big.mentions) == len(big.dates) == 100_000
    with alt.data_transformers.enable("default"):  # the one that raises MaxRowsError above 5,000 rows
        built = all_charts(big)
        for name, chart in built.items():
            sizes = [len(rows) for rows in datasets(chart).values()]
            assert sizes and max(sizes) <= 5000, (name, sizes)
    # the aggregation kept what it was asked for
    assert charts.speaker_counts(big.quotes, top=15)["speaker"].nunique() == 15
    assert charts.timeline(big.dates, big.articles, max_points=500).to_dict()  # coarsens to fit
    refs, freq = charts.date_references(big.dates, big.articles, max_points=500)
    assert len(refs) <= 500 and freq != "D"
    assert refs["n"].sum() == big.dates["range_start"].notna().sum()  # every expression is counted once


def test_charts_have_no_display_side_effects(monkeypatch, capsys):
    import IPython.display

    shown = []
    monkeypatch.setattr(IPython.display, "display", lambda *a, **k: shown.append(a))
    built = all_charts(small_analysis())
    assert all(isinstance(c, alt.TopLevelMixin) for c in built.values())
    assert shown == [] and capsys.readouterr() == ("", "")


def test_every_chart_renders_to_png_offline(seeds_analysis):
    for name, chart in all_charts(seeds_analysis).items():
        png = vl_convert.vegalite_to_png(chart.to_json())
        assert png[:8] == b"\x89PNG\r\n\x1a\n", name
        width = int.from_bytes(png[16:20], "big")
        assert width > 300, (name, width)


def test_empty_tables_give_empty_charts():
    for name, chart in all_charts(Analysis()).items():
        assert all(rows == [] for rows in datasets(chart).values()), name


def test_speaker_counts_by_kind_leave_out_unknown_speakers():
    quotes = pd.DataFrame({"speaker": ["A", "A", "A", "B", "B", None, "C"],
                           "kind": ["direct", "indirect", "direct", "mixed", "direct", "direct", "direct"]})
    counts = charts.speaker_counts(quotes, top=2)
    assert list(dict.fromkeys(counts["speaker"])) == ["A", "B"]
    assert counts.set_index(["speaker", "kind"])["n"].to_dict() == {
        ("A", "direct"): 2, ("A", "indirect"): 1, ("B", "direct"): 1, ("B", "mixed"): 1}
    assert set(counts.loc[counts["speaker"] == "A", "total"]) == {3}
    title = charts.top_speakers(quotes, top=2).to_dict()["title"]
    assert "1 without a known speaker" in title["subtitle"][0]


def test_entity_counts_take_the_top_of_each_label_and_tell_same_names_apart():
    ents = pd.DataFrame({"entity_id": ["P:a", "P:b", "P:c", "O:x", "G:a", "N:z"],
                         "name": ["Alpha", "Beta", "Gamma", "Xeno", "Alpha", "Zed"],
                         "label": ["PERSON", "PERSON", "PERSON", "ORG", "GPE", "NORP"],
                         "n_mentions": [9, 5, 1, 20, 3, 1], "n_articles": [1, 4, 1, 2, 3, 1]})
    data = charts.entity_counts(ents, top=2, n_labels=3)
    assert set(data["label"]) == {"PERSON", "ORG", "GPE"}  # NORP has fewest mentions
    assert list(data.loc[data["label"] == "PERSON", "name"]) == ["Alpha", "Beta"]
    assert {"Alpha (PERSON)", "Alpha (GPE)"} <= set(data["display"])
    by_articles = charts.entity_counts(ents, top=1, labels=["PERSON"], measure="n_articles")
    assert list(by_articles["name"]) == ["Beta"]
    with pytest.raises(ValueError, match="measure"):
        charts.entity_counts(ents, measure="popularity")


def test_co_mentions_count_shared_articles_or_sentences():
    mentions = pd.DataFrame({
        "article_id": ["1", "1", "1", "2", "2", "2"], "sentence": [0, 0, 1, 0, 3, 3],
        "entity_id": ["A", "B", "C", "A", "B", "A"], "text": ["a", "b", "c", "a", "b", "a"],
        "label": ["PERSON"] * 6})
    by_article = charts.co_mention_counts(mentions)
    pairs = {(a, b): n for a, b, n in by_article[["a_id", "b_id", "n"]].itertuples(index=False)}
    assert pairs == {("A", "B"): 2, ("A", "C"): 1, ("B", "C"): 1}  # each unordered pair once, the wider-spread first
    assert (by_article["a_rank"] < by_article["b_rank"]).all()
    by_sentence = charts.co_mention_counts(mentions, within="sentence")
    pairs = {(a, b): n for a, b, n in by_sentence[["a_id", "b_id", "n"]].itertuples(index=False)}
    assert pairs == {("A", "B"): 2}  # C shares no sentence
    assert charts.co_mention_counts(mentions, top=2)["a_id"].isin(["A", "B"]).all()
    with pytest.raises(ValueError, match="within"):
        charts.co_mention_counts(mentions, within="paragraph")


def test_date_references_relate_each_range_to_its_publication_date():
    a = small_analysis()
    refs, freq = charts.date_references(a.dates, a.articles)
    assert freq == "D"
    relation = dict(zip(refs["example"], refs["relation"]))
    assert relation == {"Monday": "around publication", "2030": "after publication", "next year": "after publication"}
    dates = a.dates.assign(range_start=pd.Timestamp("2019-01-01"), range_end=pd.Timestamp("2019-12-31"))
    assert set(charts.date_references(dates, a.articles)[0]["relation"]) == {"before publication"}
    undated = a.dates.assign(range_start=pd.NaT, range_end=pd.NaT)
    assert charts.date_references(undated, a.articles)[0].empty


def test_time_axes_pick_a_coarser_period_for_longer_spans():
    days = pd.Series(pd.to_datetime(["2020-01-01", "2020-01-20"]))
    assert charts.pick_freq(days) == "D"
    assert charts.pick_freq(pd.Series(pd.to_datetime(["2020-01-01", "2021-06-01"]))) == "M"
    assert charts.pick_freq(pd.Series(pd.to_datetime(["1990-01-01", "2021-06-01"]))) == "Y"
    a = small_analysis()
    data, freq = charts.speaker_periods(a.quotes, a.articles, freq="M")
    assert freq == "M" and set(data["period"]) == {pd.Timestamp("2020-03-01"), pd.Timestamp("2020-06-01")}
    assert data.groupby("speaker")["n"].sum().to_dict() == {"Ana Ruiz": 2, "Li Wei": 2}
    with pytest.raises(ValueError, match="freq"):
        charts.coverage(a.articles, freq="fortnight")


def test_cues_are_counted_by_their_dictionary_form():
    quotes = pd.DataFrame({"cue": ["said", "says", "say", "According to", "according to", ":", None],
                           "cue_lemma": ["say", "say", "say", "according to", "according to", ":", None],
                           "kind": ["direct", "indirect", "indirect", "indirect", "mixed", "direct", "direct"]})
    counts = charts.cue_counts(quotes)
    assert counts.groupby("cue")["n"].sum().to_dict() == {"say": 3, "according to": 2, ": (punctuation)": 1,
                                                          "(no cue)": 1}
    assert list(dict.fromkeys(counts["cue"]))[:2] == ["say", "according to"]  # most used first
    rows = next(iter(charts.cues(quotes).to_dict()["datasets"].values()))
    assert {r["cue"] for r in rows} == {"say", "according to", ": (punctuation)", "(no cue)"}


def axis_of(chart, field: str) -> dict:
    """The x-axis options of the (first) layer encoding `field`."""
    spec = chart.to_dict()
    for part in [spec, *spec.get("layer", [])]:
        x = part.get("encoding", {}).get("x", {})
        if x.get("field") == field:
            return {**x.get("axis", {}), "title": x.get("title")}
    raise AssertionError(f"no x encoding of {field}")


def test_month_and_quarter_ticks_carry_their_year():
    across = Analysis(articles=pd.DataFrame({"id": ["a", "b", "c"], "text": "x", "published": pd.to_datetime(
        ["2017-10-03", "2018-01-15", "2018-04-20"])})).articles
    axis = axis_of(charts.coverage(across, freq="M"), "start")
    assert axis["tickCount"]["interval"] == "month" and "'%b %Y'" in axis["labelExpr"]  # every tick: the span crosses a year
    within = across.assign(published=pd.to_datetime(["2018-02-03", "2018-05-15", "2018-09-20"]))
    axis = axis_of(charts.coverage(within, freq="M"), "start")
    assert "month(datum.value) == 0 ? timeFormat(datum.value, '%b %Y')" in axis["labelExpr"]  # January ticks
    assert axis["title"] == "publication month, 2018"
    quarters = axis_of(charts.coverage(across, freq="Q"), "start")
    assert "Q%q %Y" in quarters["labelExpr"] and quarters["tickCount"]["step"] % 3 == 0
    days = across.assign(published=pd.to_datetime(["2017-12-20", "2017-12-28", "2018-01-10"]))
    axis = axis_of(charts.coverage(days, freq="D"), "start")
    assert axis["format"] == "%-d %b %Y" and axis["tickCount"] == {"interval": "day", "step": 7}  # days 1, 8, 15...
    decades = across.assign(published=pd.to_datetime(["1990-01-03", "2005-01-15", "2018-04-20"]))
    axis = axis_of(charts.coverage(decades, freq="D"), "start")  # daily bars over decades: ticks on years
    assert axis["format"] == "%Y" and axis["tickCount"] == {"interval": "year", "step": 5}
    png = vl_convert.vegalite_to_png(charts.coverage(across, freq="M").to_json())  # Vega reads the label expression
    assert png[:8] == b"\x89PNG\r\n\x1a\n"


def test_counts_are_written_in_words():
    a = small_analysis()
    one = a.quotes.head(3).assign(speaker=["Ana Ruiz", "Ana Ruiz", None])
    assert charts.top_speakers(one).to_dict()["title"]["subtitle"] == [
        "3 quotes; 1 without a known speaker is not shown"]
    undated = charts.coverage(a.articles).to_dict()["title"]["subtitle"]
    assert undated == "1 article without a publication date is not shown"
    refs = charts.timeline(a.dates.head(1), a.articles).to_dict()["title"]["subtitle"]
    assert refs[0].startswith("1 calendar expression,")


def test_the_toolkit_theme_is_registered_once_and_used():
    assert charts.THEME in alt.theme.names()
    assert alt.theme.active == charts.THEME  # enabled on import, as no other theme was chosen
    config = charts.top_speakers(small_analysis().quotes).to_dict()["config"]
    assert config["range"]["category"] == list(charts.CATEGORY) and config["view"]["stroke"] is None
    with alt.theme.enable("dark"):  # a theme the user picks wins
        assert "range" not in charts.top_speakers(small_analysis().quotes).to_dict()["config"]


def test_views_never_import_spacy():
    import subprocess
    import sys

    code = ("import sys; import toolkit.views.charts, toolkit.views.widgets, toolkit.views.report, "
            "toolkit.views.notebook, toolkit.views.style, toolkit.concordance; "
            "assert 'spacy' not in sys.modules, sorted(m for m in sys.modules if 'spacy' in m)[:3]")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
