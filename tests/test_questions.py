"""The questions analysts ask of an analysis: whose quotes, who said what when, a word in context, Excel."""
from __future__ import annotations

import re

import pandas as pd
import pytest

import toolkit
from toolkit import Analysis

from .frames import small_analysis


@pytest.fixture
def analysis():
    return small_analysis()


# ------------------------------------------------------------------ quotes_by
def test_quotes_by_keeps_what_the_speaker_said_not_the_articles_that_mention_them(analysis):
    said = analysis.quotes_by("Ana Ruiz")
    assert list(said["text"]) == ["We are thrilled,", "the team would rest"]
    assert set(said["speaker_entity_id"]) == {"PERSON:ana ruiz"}
    # Li Wei is mentioned beside Ana Ruiz in "undated" and quoted in "budget": for_entity keeps others' quotes
    mentioned = analysis.for_entity("Li Wei").quotes
    assert set(mentioned["speaker"]) == {"Li Wei"}
    nasa = analysis.for_entity("NASA").quotes
    assert set(nasa["speaker"]) == {"Ana Ruiz", "Li Wei"}  # the articles that mention NASA
    assert analysis.quotes_by("NASA").empty  # mentioned in both articles, quoted in none


def test_quotes_by_takes_a_name_an_alias_an_id_or_an_unresolved_speakers_words(analysis):
    by_name = analysis.quotes_by("li wei")
    assert len(by_name) == 2
    assert analysis.quotes_by("Li").equals(by_name)  # an alias
    assert analysis.quotes_by("PERSON:li wei").equals(by_name)
    q = analysis.quotes
    q.loc[q["text"] == "the team would rest", ["speaker", "speaker_entity_id"]] = ["the spokesman", None]
    assert list(analysis.quotes_by("The Spokesman")["text"]) == ["the team would rest"]
    with pytest.raises(KeyError, match="nobody"):
        analysis.quotes_by("nobody")


# ------------------------------------------------------------- who_said_what
def test_who_said_what_puts_each_quote_beside_its_speaker_article_and_dates(analysis):
    said = analysis.who_said_what()
    assert len(said) == len(analysis.quotes) and list(said["text"]) == list(analysis.quotes["text"])
    row = said[said["text"].str.startswith("Taxes rise")].iloc[0]
    assert (row["speaker"], row["speaker_entity_id"], row["speaker_label"]) == ("Li Wei", "PERSON:li wei", "PERSON")
    assert (row["title"], row["outlet"], row["published"]) == ("Council <b>budget</b> & tax", "Evening Star",
                                                               pd.Timestamp("2020-06-15"))
    assert row["dates"] == ["next year"] and row["date_values"] == ["2021"]  # the date inside the quote
    assert (row["date_range_start"], row["date_range_end"]) == (pd.Timestamp("2021-01-01"), pd.Timestamp("2021-12-31"))
    first = said.iloc[0]  # "We are thrilled," holds no date ("Monday" is outside it)
    assert first["dates"] == [] and pd.isna(first["date_range_start"])
    assert said["published"].dtype == "datetime64[ms]" and said["date_range_end"].dtype == "datetime64[ms]"


def test_who_said_what_keeps_quotes_without_speaker_or_entity(analysis):
    q = analysis.quotes
    q.loc[0, ["speaker", "speaker_entity_id"]] = None
    said = analysis.who_said_what()
    assert len(said) == 4 and pd.isna(said.loc[0, "speaker"]) and pd.isna(said.loc[0, "speaker_label"])
    assert Analysis().who_said_what().empty


# ----------------------------------------------------------- keyword in context
def test_keyword_in_context_finds_whole_words_case_aside_with_context(analysis):
    hits = toolkit.keyword_in_context(analysis, "nasa", width=12)
    assert list(hits.columns[:6]) == ["article_id", "start", "end", "left", "match", "right"]
    assert list(hits["article_id"]) == ["mars", "mars", "budget"]
    first = hits.iloc[0]
    assert analysis.text_of("mars")[first["start"]:first["end"]] == first["match"] == "NASA"
    assert first["left"] == "Ana Ruiz of" and first["right"] == "on Monday."  # 12 characters, runs of space made one
    assert toolkit.keyword_in_context(analysis, "NAS").empty  # whole words only
    assert len(toolkit.keyword_in_context(analysis, "NAS", whole_words=False)) == 3
    assert toolkit.keyword_in_context(analysis, "nasa", ignore_case=False).empty
    assert len(toolkit.keyword_in_context(analysis, re.compile(r"Li(?: Wei)?\b"))) == 3
    assert len(toolkit.keyword_in_context(analysis, "said", limit=2)) == 2
    with pytest.raises(ValueError, match="term"):
        toolkit.keyword_in_context(analysis, "  ")
    with pytest.raises(ValueError, match="width"):
        toolkit.keyword_in_context(analysis, "NASA", width=-1)


def test_context_whitespace_reads_as_one_line(analysis):
    hit = toolkit.keyword_in_context(analysis, "NASA plans", width=20).iloc[0]
    assert "\n" not in hit["left"] and hit["left"].endswith("on Monday.")


def test_mentions_in_context_is_what_the_entity_explorer_shows(analysis):
    from toolkit.views import widgets

    rows = toolkit.mentions_in_context(analysis, "Ruiz", width=70)
    assert list(rows["match"]) == ["Ana Ruiz", "Ruiz", "Ana Ruiz"] and set(rows["kind"]) == {"name"}
    explorer = widgets.entity_explorer(analysis, "Ruiz")
    for left, match in zip(rows["left"], rows["match"]):
        assert f"…{left} </span><b class=\"ntk-hit\">{match}</b>" in explorer.contexts.value.replace("&quot;", '"')


# ---------------------------------------------------------------- Excel
def test_to_excel_writes_a_sheet_per_table_and_keeps_long_texts_whole(analysis, tmp_path):
    long = "A very long article. " * 2500 + "The end."  # 52,508 characters: more than an Excel cell holds
    analysis.articles.loc[analysis.articles["id"] == "undated", "text"] = long
    analysis.articles.loc[analysis.articles["id"] == "mars", "title"] = "Rover\x0blands"  # XML forbids \x0b
    path = analysis.to_excel(tmp_path / "tables.xlsx")
    sheets = pd.read_excel(path, sheet_name=None)
    assert list(sheets) == list(toolkit.analysis.TABLES)
    arts = sheets["articles"]
    assert ["text", "text (part 2)"] == [c for c in arts.columns if c.startswith("text")]
    undated = arts[arts["id"] == "undated"].iloc[0]
    assert undated["text"] + undated["text (part 2)"] == long
    back = Analysis.read_excel(path)
    assert back.text_of("undated") == long and back.text_of("budget") == analysis.text_of("budget")
    assert back.articles.loc[back.articles["id"] == "mars", "title"].iloc[0] == "Rover\ufffdlands"
    for name in ("quotes", "mentions", "dates"):
        pd.testing.assert_frame_equal(getattr(back, name), getattr(analysis, name))
    assert back.entities["aliases"].tolist() == analysis.entities["aliases"].tolist()


def test_summary_counts_in_words():
    a = small_analysis()
    assert a.summary() == "3 articles, 10 mentions, 4 entities, 4 quotes, 3 dates, 0 problems"
    one = Analysis(articles=a.articles.head(1), entities=a.entities.head(1), quotes=a.quotes.head(1))
    assert one.summary() == "1 article, 0 mentions, 1 entity, 1 quote, 0 dates, 0 problems"
