"""The benchmarks' synthetic analysis keeps every contract of the real tables."""
from __future__ import annotations

from bench.synthetic import synthetic_analysis
from toolkit import SCHEMA

from .test_pipeline import assert_offsets_valid


def test_synthetic_analysis_is_consistent():
    analysis = synthetic_analysis(40, seed=1)
    assert len(analysis.articles) == 40 and analysis.articles["id"].is_unique
    for table, cols in SCHEMA.items():
        assert list(getattr(analysis, table).columns[:len(cols)]) == [c for c, _, _ in cols], table
    assert_offsets_valid(analysis)
    ids = set(analysis.entities["entity_id"])
    assert set(analysis.mentions["entity_id"]) == ids
    assert set(analysis.quotes["speaker_entity_id"]) <= ids
    counts = analysis.mentions.groupby("entity_id").size()
    assert analysis.entities.set_index("entity_id")["n_mentions"].sort_index().tolist() == counts.sort_index().tolist()
    per_article = analysis.mentions.groupby("article_id").size()
    assert per_article.between(15, 80).all()  # shaped like real news, not a toy
    assert synthetic_analysis(40, seed=1).quotes.equals(analysis.quotes)  # reproducible
