"""A cache of per-article results, so that a re-run skips what is done and a killed run resumes.

`ResultCache(DIR, pipeline)` keeps one row per analysed article in `DIR/results.sqlite`, keyed
by the SHA-256 of the article's text, its publication date (relative dates are resolved
against it) and `pipeline`, a string naming the model and its version and the toolkit's
version (see `fingerprint`). The value is the article's `Result.payload`, the msgpack bytes of
`toolkit.engine.work.encode`; the engine checks it against the article (`work.decode`) before
using it, and an entry that fails is a cache miss (analysed again, and a `problems` row says
so). The article id is not part of the key: a renamed or re-imported article with the same text
is not analysed again.

SQLite because a killed process leaves it consistent (each chunk is one transaction), it looks
keys up without loading an index into memory, and several local processes may share it.
"""
from __future__ import annotations

import hashlib
import json
import sqlite3
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Sequence

import spacy
from spacy.language import Language

from .. import __version__
from .models import model_name

FILENAME = "results.sqlite"
# Keys per SELECT, below SQLite's limit on bound parameters.
LOOKUP_BATCH = 500


class CacheError(OSError):
    """A cache file that SQLite cannot use (not a database, or damaged): the message names it."""


def text_hash(text: str) -> str:
    """SHA-256 of a text (lone surrogates, which JSON can smuggle in, are hashed too)."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


class ResultCache:
    """Per-article results of one pipeline, stored in a folder.

    Args:
        directory: folder of the cache (created if missing); several pipelines may share it.
        pipeline: the model, model version and toolkit version the results belong to.

    Notes:
        Keys are `(text_sha256, published)`, `published` an ISO date or "" when unknown.
        Writes are batched with `put_many`, one transaction each, so that an interrupted run
        keeps every batch it finished and nothing half-written.
    """

    def __init__(self, directory: str | Path, pipeline: str) -> None:
        self.directory = Path(directory)
        if self.directory.exists() and not self.directory.is_dir():
            raise NotADirectoryError(f"{self.directory}: the cache must be a folder, and this is a file")
        self.directory.mkdir(parents=True, exist_ok=True)
        self.pipeline = pipeline
        self.path = self.directory / FILENAME
        try:
            self._db = sqlite3.connect(self.path, timeout=60)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("CREATE TABLE IF NOT EXISTS results (pipeline TEXT NOT NULL, text_sha256 TEXT NOT NULL, "
                             "published TEXT NOT NULL, payload BLOB NOT NULL, "
                             "PRIMARY KEY (pipeline, text_sha256, published)) WITHOUT ROWID")
        except sqlite3.DatabaseError as exc:
            raise self._error(exc) from None

    def _error(self, exc: sqlite3.DatabaseError) -> CacheError:
        return CacheError(f"{self.path}: not a usable result cache ({exc}); remove it or choose another folder")

    def get_many(self, keys: Sequence[tuple[str, str]]) -> dict[tuple[str, str], bytes]:
        """The stored payloads of those `(text_sha256, published)` keys that are cached."""
        wanted = set(keys)
        hashes = sorted({h for h, _ in wanted})
        found: dict[tuple[str, str], bytes] = {}
        try:
            for i in range(0, len(hashes), LOOKUP_BATCH):
                batch = hashes[i:i + LOOKUP_BATCH]
                rows = self._db.execute(
                    f"SELECT text_sha256, published, payload FROM results WHERE pipeline = ? "
                    f"AND text_sha256 IN ({','.join('?' * len(batch))})", (self.pipeline, *batch))
                found.update({(h, p): payload for h, p, payload in rows if (h, p) in wanted})
        except sqlite3.OperationalError:
            raise  # locked for too long: said as SQLite says it
        except sqlite3.DatabaseError as exc:
            raise self._error(exc) from None
        return found

    def put_many(self, items: Iterable[tuple[str, str, bytes]]) -> None:
        """Store `(text_sha256, published, payload)` items in one transaction."""
        try:
            with self._db:
                self._db.executemany("INSERT OR REPLACE INTO results VALUES (?, ?, ?, ?)",
                                     ((self.pipeline, h, p, payload) for h, p, payload in items))
        except sqlite3.OperationalError:
            raise  # locked for too long, or a full disk: said as SQLite says it
        except sqlite3.DatabaseError as exc:
            raise self._error(exc) from None

    def __len__(self) -> int:
        """How many articles this pipeline has cached."""
        return self._db.execute("SELECT count(*) FROM results WHERE pipeline = ?", (self.pipeline,)).fetchone()[0]

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> "ResultCache":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def fingerprint(nlp: Language) -> str:
    """What cached results depend on: the model, its version and pipeline, and the toolkit.

    `en_core_web_sm-3.8.0 spacy-3.8.7 toolkit-0.1.0+1a2b3c4d5e6f pipeline-0f1e2d3c`: the toolkit
    part carries a digest of its code and data files, so an edited extractor never reads stale
    results; the pipeline part a digest of the component names and config.
    """
    setup = hashlib.sha256(json.dumps([nlp.pipe_names, nlp.config.to_str()]).encode()).hexdigest()[:8]
    return f"{model_name(nlp)} spacy-{spacy.__version__} toolkit-{__version__}+{_code_digest()} pipeline-{setup}"


@lru_cache(maxsize=1)
def _code_digest() -> str:
    root = Path(__file__).resolve().parents[1]  # the toolkit package: every module and data file
    digest = hashlib.sha256()
    for path in sorted([*root.rglob("*.py"), *root.glob("data/**/*")]):
        if path.is_file():
            digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]
