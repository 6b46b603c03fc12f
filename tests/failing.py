"""spaCy components that fail on purpose on articles holding `MARKER`, for the engine's tests.

A module of its own (not a test module), so that Dask workers can import it and load a saved
pipeline that uses them.
"""
from __future__ import annotations

import os
from functools import lru_cache

import spacy
from spacy.language import Language

MARKER = "Zorbulon"
PARENT = os.getpid()  # a forked pool worker inherits it, and so knows it is not the parent


@Language.factory("test_fails_on_marker", default_config={"how": "raise"})
def make_failing(nlp: Language, name: str, how: str):
    """`how`: `raise` an exception; `exit` the process (in a pool worker only); set rows that
    cannot be stored (`unstorable`), or a quote whose offsets lie `outside` the text."""
    def component(doc):
        if MARKER not in doc.text:
            return doc
        if how == "raise":
            raise ZeroDivisionError("fails on purpose")
        if how == "exit" and os.getpid() != PARENT:
            os._exit(7)
        if how == "unstorable":
            doc._.date_mentions = [(doc._.article_id, 0, 1, doc.text[:1], "DATE", {"not", "storable"},
                                    None, None, True, None)]
        if how == "outside":
            doc._.quotes = [(doc._.article_id, 0, len(doc.text) + 20, "x", "direct", None, None, None, None, None,
                             None, None, "none", None)]
        return doc

    return component


@lru_cache(maxsize=None)
def failing_nlp(model: str, how: str) -> Language:
    """The toolkit's pipeline with a component that fails `how` on articles holding `MARKER`."""
    from toolkit.engine.models import add_components

    nlp = add_components(spacy.load(model))
    nlp.add_pipe("test_fails_on_marker", last=True, config={"how": how})
    return nlp
