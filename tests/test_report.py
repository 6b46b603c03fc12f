"""The HTML report: self-contained, every chart's spec inert and complete, article text escaped."""
from __future__ import annotations

import html
import json
import re

import pandas as pd

from toolkit import Analysis, cli
from toolkit.views import report

from .frames import IMG, SCRIPT, small_analysis

SPEC = re.compile(r"<script type='application/json' class='ntk-spec' data-target='(chart-\d+)'>(.*?)</script>", re.S)


def scripts_outside_bundle(page: str) -> list[str]:
    """Every `<script ...>` opening tag, the bundle's text removed first."""
    return re.findall(r"<script[^>]*>", page.replace(report.vega_bundle(), ""), flags=re.I)


def test_report_is_self_contained_with_one_spec_per_chart():
    page = report.render_report(small_analysis())
    specs = SPEC.findall(page)
    assert len(specs) == len(report.report_charts(small_analysis())) >= 4
    for target, spec in specs:
        assert f"id='{target}'" in page
        assert "<" not in spec  # no string in the data can close the script block
        assert json.loads(spec)["$schema"].startswith("https://vega.github.io/schema/vega-lite/")
    assert report.vega_bundle() in page and "window.vegaEmbed" in report.vega_bundle()
    assert not re.search(r"<(script|link|img|iframe)[^>]+(src|href)=", page.replace(report.vega_bundle(), ""), re.I)


def test_hostile_article_text_is_escaped_everywhere():
    a = small_analysis()
    page = report.render_report(a, title="<i>Mine</i>")
    tags = scripts_outside_bundle(page)
    # the bundle, the inert specs, the one embed call: nothing else is a script
    assert tags[0] == tags[-1] == "<script>" and all("type='application/json'" in t for t in tags[1:-1])
    body = page.replace(report.vega_bundle(), "")
    assert "<img" not in body.lower() and SCRIPT not in body and "<i>Mine</i>" not in body
    assert html.escape(SCRIPT) in body and html.escape(IMG) in body  # shown as text, in quotes and texts
    assert "&lt;b&gt;budget&lt;/b&gt; &amp; tax" in body
    # the quote rides in a chart's tooltip data, with its markup made inert
    in_spec = json.dumps(IMG)[1:-1].replace("<", "\\u003c").replace(">", "\\u003e")
    assert any(in_spec in spec for _, spec in SPEC.findall(page))


def test_report_lists_top_speakers_with_their_quotes_and_top_entities():
    page = report.render_report(small_analysis(), top_speakers=1, quotes_per_speaker=1)
    speakers = re.findall(r"<div class='speaker'><h3>(.*?) <span", page)
    assert len(speakers) == 1 and speakers[0] in {"Ana Ruiz", "Li Wei"}
    assert "… and 1 more" in page
    entities = page.split("<h2>Top entities</h2>", 1)[1].split("<h2>", 1)[0]
    assert entities.index("NASA") < entities.index("Paris")  # most mentioned first
    assert "Ana Ruiz, Ruiz" in entities


def test_empty_analysis_gives_a_page_without_charts():
    page = report.render_report(Analysis())
    assert "Nothing to chart" in page and "vegaEmbed" not in page and "No articles" in page


def test_report_shows_problems(tmp_path):
    a = small_analysis()
    a.problems = pd.DataFrame({"source": ["feed.jsonl"], "record": [3], "reason": ["broken JSON <here>"]})
    page = report.render_report(a)
    assert "feed.jsonl" in page and "broken JSON &lt;here&gt;" in page


def test_cli_writes_the_report_unless_told_not_to(tmp_path, nlp):
    src = tmp_path / "news.jsonl"
    src.write_text(json.dumps({"id": "n1", "published": "2021-05-04", "text":
                               '"We will rebuild the <b>bridge</b>," Mayor Ada Obi said on Monday.'}) + "\n",
                   encoding="utf-8")
    assert cli.main(["analyze", str(src), "--out", str(tmp_path / "with"), "--no-progress"]) == 0
    page = (tmp_path / "with" / "report.html").read_text(encoding="utf-8")
    assert "<b>bridge</b>" not in page.replace(report.vega_bundle(), "") and "&lt;b&gt;bridge&lt;/b&gt;" in page
    assert cli.main(["analyze", str(src), "--out", str(tmp_path / "without"), "--no-progress", "--no-report"]) == 0
    assert (tmp_path / "without" / "articles.parquet").exists()
    assert not (tmp_path / "without" / "report.html").exists()


def speakers_section(page: str) -> str:
    return page.split("<h2>Top speakers</h2>", 1)[1].split("<h2>", 1)[0]


def test_report_draws_reported_speech_without_quotation_marks():
    section = speakers_section(report.render_report(small_analysis()))
    direct = re.findall(r'<span class="ntk-quote ntk-direct">(.*?)</span> <span', section)
    reported = re.findall(r'<span class="ntk-quote ntk-indirect">(.*?)</span> <span', section, flags=re.S)
    assert html.unescape(direct[0]).startswith("“") and len(direct) == 2
    assert len(reported) == 2 and all("reported</span> the " in r for r in reported)
    text = [html.unescape(re.sub(r"<[^>]*>", "", r)) for r in reported]
    assert not any(mark in t for t in text for mark in "\"“”«»")
    assert "<q" not in section


def test_report_says_how_speakers_were_found_and_lists_the_unknown():
    a = small_analysis()
    q = a.quotes
    q.loc[q["text"] == "the team would rest", "attribution"] = "previous_quote"
    q.loc[q["text"].str.startswith("Taxes"), ["speaker", "speaker_entity_id"]] = None
    section = speakers_section(report.render_report(a))
    assert "inferred: previous quote" in section
    assert "Speaker unknown" in section and "1 quote with no speaker found" in section
    assert section.index("Speaker unknown") > section.index("Ana Ruiz")  # after the known speakers
    assert "1 quote in 1 article" in section  # Li Wei's one quote left, in words
