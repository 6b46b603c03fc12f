"""Write the tables of an analysis to Parquet chunk by chunk, so memory stays flat.

`TableWriter(folder)` takes each analysed chunk (`toolkit.engine.tables.Chunk`) as the analysis
produces it and writes its frames as parts under `folder/.toolkit-parts/`. Mentions and quote
speakers carry article-level entity keys until the whole corpus is seen; `finish(problems)` then
links the entities once (from the per-article clusters alone) and streams every part through
`tables.finish` into one `<table>.parquet` per table (one row group per chunk): the same steps,
in the same order, as the in-memory run. `folder` is the staging folder of an `OutputFolder`,
which moves the finished tables into place together.
"""
from __future__ import annotations

import shutil
from pathlib import Path
from typing import Iterator

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import srsly

from ..analysis import TABLES, conform
from . import tables
from .tables import CHUNKED, Chunk, Linking

PARTS = ".toolkit-parts"


class TableWriter:
    """Parts of every table, written per chunk and joined into `<table>.parquet` at the end.

    Args:
        folder: folder of the finished tables (created if missing).
    """

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)
        self.parts = self.folder / PARTS
        shutil.rmtree(self.parts, ignore_errors=True)
        for table in (*CHUNKED, "clusters"):
            (self.parts / table).mkdir(parents=True)
        self.n_chunks = 0

    def add(self, chunk: Chunk) -> None:
        """Write one analysed chunk: its articles, its rows of every layer and its `Entity` rows."""
        name = f"{self.n_chunks:06d}"
        frames = {"articles": chunk.articles,
                  **{table: tables.layer_frame(table, chunk.rows[table]) for table in CHUNKED if table != "articles"}}
        for table, frame in frames.items():
            pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), self.parts / table / f"{name}.parquet")
        # the one serialisation of rows: linking gets back the very tuples a run in memory would have
        (self.parts / "clusters" / f"{name}.msgpack").write_bytes(srsly.msgpack_dumps(chunk.rows["clusters"]))
        self.n_chunks += 1

    def finish(self, problems: pd.DataFrame) -> dict[str, int]:
        """Link entities, write every table, and return how many rows each has."""
        clusters = [row for path in self._paths("clusters")
                    for row in srsly.msgpack_loads(path.read_bytes(), use_list=False)]
        linking = tables.link(clusters)
        del clusters
        counts = {}
        for table in TABLES:
            target = self.folder / f"{table}.parquet"
            if table in CHUNKED:
                counts[table] = self._join(table, target, linking)
            else:
                frame = conform(table, linking.entities if table == "entities" else problems)
                frame.to_parquet(target, index=False)
                counts[table] = len(frame)
        shutil.rmtree(self.parts)
        return counts

    def _paths(self, table: str) -> list[Path]:
        return sorted((self.parts / table).iterdir())

    def _join(self, table: str, target: Path, linking: Linking) -> int:
        """Stream the parts of `table` through `tables.finish` into one file; returns the row count."""
        def chunks() -> Iterator[pa.Table]:
            for path in self._paths(table):
                frame = tables.finish(table, pd.read_parquet(path), linking)
                yield pa.Table.from_pandas(frame, preserve_index=False)

        if not self.n_chunks:
            conform(table).to_parquet(target, index=False)
            return 0
        # A column that is all null in one chunk has no type there: take the types of all chunks.
        schema = pa.unify_schemas([chunk.schema for chunk in chunks()], promote_options="permissive")
        rows = 0
        with pq.ParquetWriter(target, schema) as writer:
            for chunk in chunks():
                writer.write_table(chunk.cast(schema))
                rows += chunk.num_rows
        return rows
