"""The `Doc._` attributes the toolkit reads and writes.

Values are plain data (strings, lists of tuples) so that Docs survive `Doc.to_bytes` and
`nlp.pipe(n_process>1)`, which send them between processes through msgpack.
"""
from __future__ import annotations

from spacy.tokens import Doc

# name -> default. `article_id` and `published` (ISO date or None) are set before the pipeline
# runs; the components fill the others with lists of record tuples.
DOC_EXTENSIONS: dict[str, object] = {
    "article_id": None,
    "published": None,
    "entity_mentions": None,
    "entity_clusters": None,
    "quotes": None,
    "date_mentions": None,
}


def register_extensions() -> None:
    """Register the toolkit's `Doc._` attributes once (safe to call again)."""
    for name, default in DOC_EXTENSIONS.items():
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)


register_extensions()
