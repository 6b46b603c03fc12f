"""Who is quoted, by gender: the aggregation behind `charts.sources_by_gender` and the chart."""
from __future__ import annotations

import pandas as pd
import pytest

from toolkit import Analysis
from toolkit.views import charts


@pytest.fixture
def corpus() -> Analysis:
    articles = pd.DataFrame({"id": ["a1", "a2", "a3"], "outlet": ["Herald", "Herald", "Globe"],
                             "published": ["2020-01-05", "2020-02-10", "2020-02-11"], "text": ["x" * 50] * 3})
    entities = pd.DataFrame({"entity_id": ["P:ana", "P:tom", "P:sam", "O:bank"],
                             "name": ["Ana Ruiz", "Tom Baker", "Sam Osei", "Central Bank"],
                             "label": ["PERSON", "PERSON", "PERSON", "ORG"], "aliases": [[]] * 4,
                             "n_mentions": [3, 2, 1, 1], "n_articles": [2, 1, 1, 1],
                             "gender": ["female", "male", "unknown", None]})
    speakers = ["P:ana", "P:ana", "P:tom", "P:sam", "O:bank", None, "P:ana"]
    quotes = pd.DataFrame({"article_id": ["a1", "a1", "a1", "a2", "a2", "a2", "a3"],
                           "start": range(7), "end": range(1, 8), "text": list("abcdefg"),
                           "speaker_entity_id": speakers})
    return Analysis(articles=articles, entities=entities, quotes=quotes)


def test_quotes_and_distinct_people_are_counted_by_gender_per_outlet(corpus):
    data, freq = charts.gender_counts(corpus.quotes, corpus.entities, corpus.articles, by="outlet")
    herald = data[data["group"] == "Herald"].set_index("gender")
    assert freq is None
    assert herald["quotes"].to_dict() == {"female": 2, "male": 1, "unknown": 1}  # the bank and no-speaker left out
    assert herald["people"].to_dict() == {"female": 1, "male": 1, "unknown": 1}
    assert herald["quote_share"].to_dict() == {"female": 0.5, "male": 0.25, "unknown": 0.25}
    assert herald["people_share"].sum() == pytest.approx(1.0)
    assert data[data["group"] == "Globe"].set_index("gender")["quotes"].to_dict() == {"female": 1}


def test_by_period_groups_by_publication_period(corpus):
    data, freq = charts.gender_counts(corpus.quotes, corpus.entities, corpus.articles, by="period", freq="M")
    assert freq == "M"
    feb = data[data["group"] == pd.Timestamp("2020-02-01")].set_index("gender")
    assert feb["quotes"].to_dict() == {"female": 1, "unknown": 1}


def test_the_chart_shows_both_shares_and_unknown_in_grey(corpus):
    spec = charts.sources_by_gender(corpus.quotes, corpus.entities, corpus.articles, by="outlet").to_dict()
    assert spec["encoding"]["column"]["field"] == "measure"
    values = spec["datasets"][next(iter(spec["datasets"]))]
    assert {v["measure"] for v in values} == {"share of quotes", "share of people quoted"}
    scale = spec["encoding"]["color"]["scale"]
    assert scale["range"][scale["domain"].index("unknown")] == "#bab0ac"
    assert "2 quotes without a known speaker, or of no person" in " ".join(spec["title"]["subtitle"])


def test_bad_arguments_are_said(corpus):
    with pytest.raises(ValueError, match="articles"):
        charts.sources_by_gender(corpus.quotes, corpus.entities, by="outlet")
    with pytest.raises(ValueError, match="outlet.*period"):
        charts.gender_counts(corpus.quotes, corpus.entities, corpus.articles, by="speaker")
