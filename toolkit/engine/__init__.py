"""The engine: how a corpus goes through the pipeline and becomes tables.

- `models` — which spaCy model, resolved in one place, with the toolkit's components;
- `work` — the unit of work (records in, one result per article id out) and its one serialisation;
- `cache` — per-article results kept between runs, and what they depend on;
- `local` — chunks, a process pool and the cache: `analyze`, `analyze_to_parquet`;
- `tables` — the one path from results to the tables of an `Analysis` (every run uses it);
- `writer` — the streamed Parquet writer;
- `distributed` — the same unit of work on a Dask cluster (needs the `dask` extra).
"""
from __future__ import annotations

from .cache import CacheError
from .local import analyze, analyze_to_parquet
from .models import ModelNotFoundError, add_components, load_nlp, resolve_model

__all__ = ["CacheError", "ModelNotFoundError", "add_components", "analyze", "analyze_to_parquet", "load_nlp",
           "resolve_model"]
