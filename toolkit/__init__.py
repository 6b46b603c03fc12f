"""News text analysis for Jupyter: who said what, who is mentioned, and when.

    import toolkit
    corpus = toolkit.load_corpus("seeds/")
    analysis = toolkit.analyze(corpus)
    analysis.quotes, analysis.mentions, analysis.entities, analysis.dates

The package is laid out by role, data flowing down this list and never back:

- `toolkit.text` — string helpers with no spaCy: names, quotation marks, TIMEX3 calendar
  arithmetic, the lexicons of `toolkit/data/`;
- `toolkit.extract` — the spaCy components and their records: entities, coreference, quotes,
  dates and their values, the `Doc._` attributes;
- `toolkit.engine` — model resolution, the unit of work, the local runner (chunks, pool,
  cache), the streamed writer, Dask;
- `toolkit.views` — charts, widgets, highlighting, the report; they read tables only.

`corpus`, `analysis` and `cli` sit at the top. The names below are imported on first use, so
`import toolkit.views.charts` does not load spaCy.
"""
from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# public name -> the module that defines it
_EXPORTS = {
    "SCHEMA": "analysis", "Analysis": "analysis",
    "Corpus": "corpus", "CorpusError": "corpus", "iter_corpus": "corpus", "load_corpus": "corpus",
    "ModelNotFoundError": "engine.models", "load_nlp": "engine.models", "resolve_model": "engine.models",
    "analyze": "engine.local", "analyze_to_parquet": "engine.local",
    "keyword_in_context": "concordance", "mentions_in_context": "concordance",
}
__all__ = ["SCHEMA", "Analysis", "Corpus", "CorpusError", "ModelNotFoundError", "__version__", "analyze",
           "analyze_to_parquet", "iter_corpus", "keyword_in_context", "load_corpus", "load_nlp", "mentions_in_context",
           "resolve_model"]

if TYPE_CHECKING:
    from .analysis import SCHEMA, Analysis
    from .concordance import keyword_in_context, mentions_in_context
    from .corpus import Corpus, CorpusError, iter_corpus, load_corpus
    from .engine.local import analyze, analyze_to_parquet
    from .engine.models import ModelNotFoundError, load_nlp, resolve_model


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        value = getattr(importlib.import_module(f".{_EXPORTS[name]}", __name__), name)
        globals()[name] = value  # once
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *_EXPORTS})
