"""The same analysis on a Dask cluster, for corpora that outgrow one machine.

    from dask.distributed import Client
    from toolkit.engine.distributed import analyze_dask

    client = Client("tcp://scheduler:8786")     # an existing cluster (or LocalCluster())
    analyze_dask("corpus/", "shared/out", model="en_core_web_sm")
    analysis = toolkit.Analysis.read_parquet("shared/out")

`analyze_dask` runs `toolkit.engine.work.analyze_records` (the unit of work of every engine) over
the partitions of an articles Dask DataFrame with `map_partitions`. Each worker process loads
the model once and keeps one result per article id (the msgpack payload the local engine and
its cache carry, never a `Doc`); every step after is the local engine's (`toolkit.engine.tables`):
entities are linked on the client from the per-article clusters alone, and the tables are
written as partitioned Parquet, one folder per table (`out/mentions/part-00000.parquet`, ...),
into a staging folder moved into place at the end (`toolkit.analysis.OutputFolder`), which
`Analysis.read_parquet` opens. The tables are exactly those of `toolkit.analyze` on the same
articles, problem rows included.

Notes:
    Following spaCy's maintainers (explosion/spaCy#5111): partitions are coarse (hundreds of
    articles, minutes of work each), the model is loaded on the worker rather than shipped
    from the client (#125, #1270), and only tidy rows travel (#2522). spaCy uses one core per
    process, so give workers one thread each (`dask worker --nthreads 1 --nworkers N`); a
    worker with more threads runs them one after the other on its one model.
"""
from __future__ import annotations

import shutil
import threading
from pathlib import Path

import dask
import dask.dataframe as dd
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from ..analysis import TABLES, OutputFolder, conform
from ..corpus import Corpus, load_corpus
from . import tables
from .local import as_corpus
from .models import load_nlp, resolve_model
from .work import Result, analyze_records, records, storable

WORK = ".toolkit-work"
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
        out: a folder every worker can write and the client can read (a shared disk); it is
            locked, checked and replaced as a whole at the end, as by `analyze_to_parquet`
            (the workers write into a staging folder beside it).
        model: the spaCy model, installed on every worker; resolved on the client as
            `toolkit.resolve_model` does, so that all workers use the same one.
        batch_size: articles per spaCy batch on a worker.
        partition_size: articles per partition when the input is not a Dask DataFrame yet.

    Returns:
        Rows per table.

    Raises:
        ValueError: two articles share an id.
        toolkit.analysis.OutputError: `out` cannot be written, or another run is writing it.
    """
    with OutputFolder(out) as output:
        stage = output.path
        work = stage / WORK
        ddf, problems = _as_dask(articles, partition_size)
        model = resolve_model(model)
        with dask.config.set({"dataframe.convert-string": False}):  # keep the payloads as bytes
            meta = _analyze_partition(conform("articles", ddf._meta), model, batch_size)
            results = ddf.map_partitions(_analyze_partition, model, batch_size, meta=meta)
            results.to_parquet(work, name_function=_part_name, write_index=False,
                               schema={"_payload": pa.binary(), "_problem": pa.string(), "_note": pa.string()})
            results = dd.read_parquet(work)
            clusters = results.map_partitions(_cluster_rows, meta={"row": object}).compute()["row"].tolist()
            analysed = results.map_partitions(_problems, meta=conform("problems")).compute()
        linking = tables.link(clusters)
        del clusters
        shared = dask.delayed(linking, pure=True)
        writes = []
        for table in tables.CHUNKED:
            frames = results.map_partitions(_table_partition, table, shared,
                                            meta=_table_partition(results._meta, table, linking))
            writes.append(frames.to_parquet(stage / table, name_function=_part_name, write_index=False, compute=False))
        dask.compute(*writes)
        counts = {}
        for table, frame in (("entities", linking.entities), ("problems", pd.concat([problems, analysed]))):
            frame = conform(table, frame)
            frame.to_parquet(stage / f"{table}.parquet", index=False)
            counts[table] = len(frame)
        for table in tables.CHUNKED:
            counts[table] = sum(pq.ParquetFile(path).metadata.num_rows for path in (stage / table).glob("*.parquet"))
        shutil.rmtree(work)
        counts = {table: counts[table] for table in TABLES}
        output.commit(counts, {"model": model, "corpus": str(articles) if isinstance(articles, str | Path) else None})
    return counts


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
    """One partition of articles, each with its `Result` (`_payload`, `_problem`) and `_note`
    (a problem met before the analysis: a repaired text)."""
    part, repaired = storable(part)  # before the frame gets Arrow strings
    part = conform("articles", part).drop(columns=["n_tokens"])
    results: dict[str, Result] = {}
    if len(part):
        with _LOCK:
            nlp = load_nlp(model)  # cached per process: loaded once per worker
            todo, results = records(nlp, part)
            results.update((r.article_id, r) for r in analyze_records(nlp, todo, batch_size))
    ordered = [results[aid] for aid in part["id"]]  # by id: KeyError, never a shifted row
    return part.assign(_payload=[r.payload for r in ordered], _problem=[r.problem for r in ordered],
                       _note=[repaired.get(aid) for aid in part["id"]])


def _chunk(part: pd.DataFrame) -> tables.Chunk:
    """The partition through `tables.collect`, as a chunk of the local engine goes."""
    articles = part.drop(columns=["_payload", "_problem", "_note"])
    results = {aid: Result(aid, payload if isinstance(payload, bytes) else None,
                           problem if isinstance(problem, str) else None)  # nulls read back as NaN
               for aid, payload, problem in zip(part["id"], part["_payload"], part["_problem"])}
    notes = {aid: [note] for aid, note in zip(part["id"], part["_note"]) if isinstance(note, str)}
    return tables.collect(articles, results, notes)


def _problems(part: pd.DataFrame) -> pd.DataFrame:
    return _chunk(part).problems


def _cluster_rows(part: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({"row": _chunk(part).rows["clusters"]}, dtype=object)


def _table_partition(part: pd.DataFrame, table: str, linking: tables.Linking) -> pd.DataFrame:
    """One partition of a table, as `tables.finish` makes it."""
    chunk = _chunk(part)
    frame = chunk.articles if table == "articles" else tables.layer_frame(table, chunk.rows[table])
    return tables.finish(table, frame, linking)
