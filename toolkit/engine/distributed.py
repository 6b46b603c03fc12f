"""The same analysis on a Dask cluster, for corpora that outgrow one machine.

    from dask.distributed import Client
    from toolkit.engine.distributed import analyze_dask

    client = Client("tcp://scheduler:8786")     # an existing cluster (or LocalCluster())
    analyze_dask("corpus/", "shared/out", model="en_core_web_sm")
    analysis = toolkit.Analysis.read_parquet("shared/out")

`analyze_dask` runs `toolkit.engine.work.analyze_records` (the unit of work of every engine) over
the partitions of an articles Dask DataFrame with `map_partitions`. Each worker process loads
the model once and sends back plain rows, never a `Doc`. Entities are linked on the client
from the per-article clusters alone; the tables are then written as partitioned Parquet, one
folder per table (`out/mentions/part-00000.parquet`, ...), which `Analysis.read_parquet`
opens. The tables are exactly those of `toolkit.analyze` on the same articles.

Notes:
    Following spaCy's maintainers (explosion/spaCy#5111): partitions are coarse (hundreds of
    articles, minutes of work each), the model is loaded on the worker rather than shipped
    from the client (#125, #1270), and only tidy rows travel (#2522). spaCy uses one core per
    process, so give workers one thread each (`dask worker --nthreads 1 --nworkers N`); a
    worker with more threads runs them one after the other on its one model.
"""
from __future__ import annotations

import pickle
import shutil
import threading
from pathlib import Path

import dask
import dask.dataframe as dd
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from ..analysis import conform
from ..corpus import Corpus, load_corpus
from ..extract import entities
from .local import as_corpus
from .models import load_nlp, resolve_model
from .tables import assign_entity_ids, records_frame
from .work import LAYERS, Result, analyze_records, record, too_long_reason

WORK = ".toolkit-work"
TABLES_BY_PARTITION = ("articles", "mentions", "quotes", "dates")
# spaCy is not made for several threads on one pipeline: a worker's threads take turns.
_LOCK = threading.Lock()


def analyze_dask(articles: dd.DataFrame | pd.DataFrame | Corpus | str | Path, out: str | Path, *,
                 model: str | None = None, batch_size: int = 32, partition_size: int = 256) -> dict[str, int]:
    """Analyse articles on the current Dask scheduler and write the tables into `out`.

    Args:
        articles: a Dask DataFrame of articles (`id`, `text`, optional `published`, `title`,
            ...; e.g. from `dd.read_parquet`), a pandas frame or `Corpus`, or a path that
            `load_corpus` reads (on the client; pass a Dask DataFrame for corpora that do not
            fit the client's memory).
        out: a folder every worker can write and the client can read (a shared disk).
        model: the spaCy model, installed on every worker; resolved on the client as
            `toolkit.resolve_model` does, so that all workers use the same one.
        batch_size: articles per spaCy batch on a worker.
        partition_size: articles per partition when the input is not a Dask DataFrame yet.

    Returns:
        Rows per table.

    Raises:
        ValueError: two articles share an id.
    """
    out = Path(out)
    work = out / WORK
    shutil.rmtree(work, ignore_errors=True)
    ddf, problems = _as_dask(articles, partition_size)
    model = resolve_model(model)
    with dask.config.set({"dataframe.convert-string": False}):  # keep the pickled results as bytes
        meta = _analyze_partition(conform("articles", ddf._meta), model, batch_size)
        results = ddf.map_partitions(_analyze_partition, model, batch_size, meta=meta)
        results.to_parquet(work, name_function=_part_name, write_index=False,
                           schema={"_result": pa.binary(), "_problem": pa.string()})
        results = dd.read_parquet(work)
        clusters = results.map_partitions(_cluster_rows, meta={"row": object}).compute()["row"].tolist()
        too_long = results.map_partitions(_too_long, meta=_too_long(results._meta)).compute()
    ents, ids = entities.link_entities(records_frame(clusters, entities.Entity))
    del clusters
    mapping = dask.delayed(ids, pure=True)
    writes = []
    for table in TABLES_BY_PARTITION:
        table_meta = _table_partition(results._meta, table, {})
        frames = results.map_partitions(_table_partition, table, mapping, meta=table_meta)
        shutil.rmtree(out / table, ignore_errors=True)
        for stale in (out / f"{table}.parquet", out / f"{table}.csv"):  # would shadow the folder when read
            stale.unlink(missing_ok=True)
        writes.append(frames.to_parquet(out / table, name_function=_part_name, write_index=False, compute=False))
    dask.compute(*writes)
    counts = {}
    for table, frame in (("entities", ents),
                         ("problems", pd.concat([problems, too_long]))):
        frame = conform(table, frame)
        frame.to_parquet(out / f"{table}.parquet", index=False)
        counts[table] = len(frame)
    for table in TABLES_BY_PARTITION:
        counts[table] = sum(pq.ParquetFile(path).metadata.num_rows for path in (out / table).glob("*.parquet"))
    shutil.rmtree(work, ignore_errors=True)
    return {table: counts[table] for table in ("articles", "mentions", "entities", "quotes", "dates", "problems")}


def _as_dask(articles, partition_size: int) -> tuple[dd.DataFrame, pd.DataFrame]:
    """The articles as a Dask DataFrame, and the problems met loading them."""
    if isinstance(articles, dd.DataFrame):
        missing = {"id", "text"} - set(articles.columns)
        if missing:
            raise ValueError(f"articles frame lacks column(s) {', '.join(sorted(missing))}")
        n, unique = dask.compute(articles["id"].count(), articles["id"].nunique())
        if n != unique:
            raise ValueError(f"articles frame has duplicate ids ({n - unique} repeated)")
        return articles, conform("problems")
    corpus = load_corpus(articles) if isinstance(articles, str | Path) else as_corpus(articles)
    frame = corpus.articles.reset_index(drop=True)
    npartitions = max(1, -(-len(frame) // partition_size))
    return dd.from_pandas(frame, npartitions=npartitions, sort=False), corpus.problems


def _part_name(i: int) -> str:
    # zero-padded, so that the parts read back in partition order
    return f"part-{i:05d}.parquet"


def _analyze_partition(part: pd.DataFrame, model: str, batch_size: int) -> pd.DataFrame:
    """One partition of articles, with `n_tokens`, its pickled `Result` and a problem, if any."""
    part = conform("articles", part).drop(columns=["n_tokens"])
    results: list[bytes | None] = [None] * len(part)
    reasons: list[str | None] = [None] * len(part)
    n_tokens: list[int | None] = [None] * len(part)
    if len(part):
        with _LOCK:
            nlp = load_nlp(model)  # cached per process: loaded once per worker
            todo = []
            for i, (aid, text, published) in enumerate(part[["id", "text", "published"]].itertuples(index=False)):
                reasons[i] = too_long_reason(nlp, aid, text)
                if reasons[i] is None:
                    todo.append((i, record(aid, text, published)))
            done = analyze_records(nlp, [rec for _, rec in todo], batch_size)
        for (i, _), result in zip(todo, done):
            results[i], n_tokens[i] = pickle.dumps(result, protocol=5), result.n_tokens
    return part.assign(n_tokens=pd.array(n_tokens, dtype="Int64"), _result=results, _problem=reasons)


def _results(part: pd.DataFrame) -> list[Result]:
    return [pickle.loads(blob) for blob in part["_result"] if blob is not None]


def _too_long(part: pd.DataFrame) -> pd.DataFrame:
    problems = part.loc[part["_problem"].notna(), ["source", "record", "_problem"]]
    return conform("problems", problems.rename(columns={"_problem": "reason"}))


def _cluster_rows(part: pd.DataFrame) -> pd.DataFrame:
    index = list(LAYERS).index("clusters")
    return pd.DataFrame({"row": [row for result in _results(part) for row in result.rows[index]]}, dtype=object)


def _table_partition(part: pd.DataFrame, table: str, ids: dict) -> pd.DataFrame:
    """One partition of a table, entity keys replaced by the corpus-wide ids."""
    if table == "articles":
        return conform("articles", part.drop(columns=["_result", "_problem"]))
    index = list(LAYERS).index(table)
    rows = [row for result in _results(part) for row in result.rows[index]]
    return conform(table, assign_entity_ids(table, records_frame(rows, LAYERS[table][1]), ids))
