"""Write the tables of an analysis to Parquet chunk by chunk, so memory stays flat.

`TableWriter(out)` takes each chunk's frames as the analysis produces them and writes them
as parts under `out/.toolkit-parts/`. Mentions and quote speakers carry article-level entity
keys until the whole corpus is seen; `finish(link, assign_ids)` then links the entities once
(from the per-article clusters alone), streams every part through `assign_ids` into one
`<table>.parquet` per table (one row group per chunk), and moves the finished files into
`out` together, so a killed run never leaves a half-written table behind.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Callable, Iterator

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import srsly

from ..analysis import TABLES, conform

PARTS = ".toolkit-parts"
# entities (in memory, from the clusters) and problems (small) are written whole at the end.
CHUNKED = ("articles", "mentions", "quotes", "dates")

Link = Callable[[list[tuple]], tuple[pd.DataFrame, dict]]
AssignIds = Callable[[str, pd.DataFrame, dict], pd.DataFrame]


class TableWriter:
    """Parts of every table, written per chunk and joined into `<table>.parquet` at the end.

    Args:
        out: folder of the finished tables (created if missing).
    """

    def __init__(self, out: str | Path) -> None:
        self.out = Path(out)
        if self.out.exists() and not self.out.is_dir():
            raise NotADirectoryError(f"{self.out}: the output must be a folder, and this is a file")
        self.parts = self.out / PARTS
        shutil.rmtree(self.parts, ignore_errors=True)  # left by a killed run
        for table in (*CHUNKED, "clusters"):
            (self.parts / table).mkdir(parents=True)
        self.n_chunks = 0

    def add(self, frames: dict[str, pd.DataFrame], clusters: list[tuple]) -> None:
        """Write one chunk: a frame per table of `CHUNKED`, and the chunk's `Entity` rows."""
        name = f"{self.n_chunks:06d}"
        for table in CHUNKED:
            pq.write_table(pa.Table.from_pandas(frames[table], preserve_index=False),
                           self.parts / table / f"{name}.parquet")
        # as msgpack, so that linking gets back the very tuples a run in memory would have
        (self.parts / "clusters" / f"{name}.msgpack").write_bytes(srsly.msgpack_dumps(clusters))
        self.n_chunks += 1

    def finish(self, problems: pd.DataFrame, link: Link, assign_ids: AssignIds) -> dict[str, int]:
        """Link entities, write every table, and return how many rows each has.

        Args:
            problems: the `problems` table.
            link: from all `Entity` rows to the `entities` frame and the id mapping.
            assign_ids: applies the mapping to one chunk of a table.
        """
        clusters = [row for path in self._paths("clusters")
                    for row in srsly.msgpack_loads(path.read_bytes(), use_list=False)]
        entities, ids = link(clusters)
        del clusters
        done = self.parts / "done"
        done.mkdir()
        counts = {}
        for table in TABLES:
            target = done / f"{table}.parquet"
            if table in CHUNKED:
                counts[table] = self._join(table, target, lambda frame, t=table: assign_ids(t, frame, ids))
            else:
                frame = conform(table, entities if table == "entities" else problems)
                frame.to_parquet(target, index=False)
                counts[table] = len(frame)
        for table in TABLES:
            os.replace(done / f"{table}.parquet", self.out / f"{table}.parquet")
        shutil.rmtree(self.parts)
        return counts

    def _paths(self, table: str) -> list[Path]:
        return sorted((self.parts / table).iterdir())

    def _join(self, table: str, target: Path, transform: Callable[[pd.DataFrame], pd.DataFrame]) -> int:
        """Stream the parts of `table` through `transform` into one file; returns the row count."""
        def chunks() -> Iterator[pa.Table]:
            for path in self._paths(table):
                frame = conform(table, transform(pd.read_parquet(path)))
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
