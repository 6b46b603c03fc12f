"""News text analysis for Jupyter: who said what, who is mentioned, and when.

    import toolkit
    corpus = toolkit.load_corpus("seeds/")
    analysis = toolkit.analyze(corpus)
    analysis.quotes, analysis.mentions, analysis.entities, analysis.dates
"""
from __future__ import annotations

__version__ = "0.1.0"

from .analysis import SCHEMA, Analysis
from .corpus import Corpus, CorpusError, iter_corpus, load_corpus
from .pipeline import ModelNotFoundError, analyze, analyze_to_parquet, load_nlp, resolve_model

__all__ = ["SCHEMA", "Analysis", "Corpus", "CorpusError", "ModelNotFoundError", "analyze", "analyze_to_parquet",
           "iter_corpus", "load_corpus", "load_nlp", "resolve_model", "__version__"]
