"""toolkit.distributed on a LocalCluster of two worker processes: the tables of a local run."""
from __future__ import annotations

import json

import dask.dataframe as dd
import pandas as pd
import pytest
from dask import distributed

import toolkit
from toolkit import SCHEMA, Analysis, load_corpus
from toolkit.engine.distributed import analyze_dask

from .conftest import SEEDS, TEST_MODEL


@pytest.fixture(scope="module")
def client():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        with distributed.Client(cluster) as client:
            yield client


def assert_same_tables(a: Analysis, b: Analysis) -> None:
    for table in SCHEMA:
        pd.testing.assert_frame_equal(getattr(a, table), getattr(b, table), obj=table)


def test_corpus_path_on_two_workers_gives_the_local_tables(client, seeds_analysis, tmp_path):
    seeds_analysis.for_articles([]).to_parquet(tmp_path)  # an earlier run's tables must not shadow the new ones
    counts = analyze_dask(SEEDS, tmp_path, partition_size=3)
    result = Analysis.read_parquet(tmp_path)
    assert_same_tables(result, seeds_analysis)
    assert counts == {table: len(getattr(seeds_analysis, table)) for table in SCHEMA}
    assert len(list((tmp_path / "mentions").glob("part-*.parquet"))) == 4  # partitioned, one file each
    # four partitions, and no worker loaded the model more than once
    loads = client.run(lambda: __import__("toolkit.engine.models", fromlist=["_load"])._load.cache_info()).values()
    assert sum(info.hits + info.misses for info in loads) == 4
    assert all(info.misses <= 1 for info in loads)


def test_dask_dataframe_with_extra_columns(client, seeds_analysis, tmp_path):
    articles = load_corpus(SEEDS).articles.assign(section="world")
    analyze_dask(dd.from_pandas(articles, npartitions=2, sort=False), tmp_path)
    result = Analysis.read_parquet(tmp_path)
    assert list(result.articles["section"]) == ["world"] * len(articles)
    assert_same_tables(Analysis(**{t: getattr(result, t) for t in SCHEMA} | {"articles": result.articles.drop(
        columns="section")}), seeds_analysis)


def test_duplicate_ids_in_a_dask_frame_are_refused(client, tmp_path):
    articles = pd.DataFrame({"id": ["a", "a"], "text": ["One.", "Two."]})
    with pytest.raises(ValueError, match="duplicate ids"):
        analyze_dask(dd.from_pandas(articles, npartitions=1), tmp_path)


def test_problems_of_loading_the_path_are_kept(client, nlp, tmp_path):
    from .test_streaming import STORIES

    path = tmp_path / "news.jsonl"
    path.write_text("\n".join([json.dumps({"id": f"s{i}", "text": t}) for i, t in enumerate(STORIES)]
                              + ['{"id": "broken"', json.dumps({"id": "s0", "text": "again"})]), encoding="utf-8")
    analyze_dask(path, tmp_path / "out", partition_size=2)
    result = Analysis.read_parquet(tmp_path / "out")
    assert len(result.problems) == 2
    assert_same_tables(result, toolkit.analyze(path, nlp=nlp, progress=False))


def test_a_component_raising_on_one_article_on_dask(client, nlp, tmp_path):
    from .failing import failing_nlp
    from .test_engine import assert_b_alone_failed, three

    model = tmp_path / "model"
    failing_nlp(TEST_MODEL, "raise").to_disk(model)  # workers load it by path, the failing factory imported
    client.run(lambda: __import__("tests.failing"))
    counts = analyze_dask(three(), tmp_path / "out", model=str(model), partition_size=2)
    result = Analysis.read_parquet(tmp_path / "out")
    assert_b_alone_failed(result, toolkit.analyze(three().query("id != 'b'"), nlp=nlp, progress=False),
                          "test_fails_on_marker failed (ZeroDivisionError")
    assert counts["problems"] == 1


def test_quote_speakers_carry_the_name_of_their_entity_on_dask(client, tmp_path):
    from .test_engine import SMITH, assert_speakers_are_entity_names

    analyze_dask(pd.DataFrame({"id": ["x", "y"], "text": SMITH}), tmp_path, partition_size=1)
    result = Analysis.read_parquet(tmp_path)
    assert_speakers_are_entity_names(result)
    assert result.quotes.set_index("article_id").loc["y", "speaker"] == "John Smith"
