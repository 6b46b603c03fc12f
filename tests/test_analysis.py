"""Analysis tables: Parquet/CSV round trips keep dtypes; filtering by article and entity."""
from __future__ import annotations

import pandas as pd
import pytest

from toolkit import SCHEMA, Analysis


def test_parquet_round_trip_keeps_values_and_dtypes(seeds_analysis, tmp_path):
    seeds_analysis.to_parquet(tmp_path)
    back = Analysis.read_parquet(tmp_path)
    for table in SCHEMA:
        before, after = getattr(seeds_analysis, table), getattr(back, table)
        assert list(after.dtypes) == list(before.dtypes), table
        pd.testing.assert_frame_equal(after, before, check_dtype=True, obj=table)


def test_csv_round_trip_keeps_values_and_dtypes(seeds_analysis, tmp_path):
    seeds_analysis.to_csv(tmp_path)
    back = Analysis.read_csv(tmp_path)
    for table in SCHEMA:
        cols = [c for c, _, _ in SCHEMA[table]]
        pd.testing.assert_frame_equal(getattr(back, table)[cols], getattr(seeds_analysis, table)[cols], obj=table)


def test_schema_dtypes_are_applied():
    frame = Analysis().dates
    assert str(frame["range_start"].dtype) == "datetime64[ms]"
    assert str(frame["anchored"].dtype) == "boolean"
    assert str(Analysis().quotes["cue_start"].dtype) == "Int64"


def test_read_parquet_names_missing_table(tmp_path, seeds_analysis):
    seeds_analysis.to_parquet(tmp_path)
    (tmp_path / "dates.parquet").unlink()
    with pytest.raises(FileNotFoundError, match="dates"):
        Analysis.read_parquet(tmp_path)


def test_filter_by_article(seeds_analysis):
    one = seeds_analysis.for_articles("000_4ec77375d4676b5e")
    assert list(one.articles["id"]) == ["000_4ec77375d4676b5e"]
    for table in ("mentions", "quotes", "dates"):
        frame = getattr(one, table)
        assert len(frame) and set(frame["article_id"]) == {"000_4ec77375d4676b5e"}
    assert set(one.entities["entity_id"]) == set(one.mentions["entity_id"]) | set(one.quotes["speaker_entity_id"].dropna())
    assert len(one.entities) < len(seeds_analysis.entities)


def test_filter_by_entity_name(seeds_analysis):
    sub = seeds_analysis.for_entity("Syria")
    assert "000_4ec77375d4676b5e" in set(sub.articles["id"])
    assert len(sub.articles) < len(seeds_analysis.articles)
    with pytest.raises(KeyError, match="Narnia"):
        seeds_analysis.for_entity("Narnia")
