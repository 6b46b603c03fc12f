"""The local engine: a corpus through the pipeline in chunks, in one process or a pool, with a cache.

`analyze(corpus)` streams the articles through the pipeline once and gathers the tidy tables of
an `Analysis`; `analyze_to_parquet(corpus, out)` writes the same tables chunk by chunk, for
corpora larger than memory.

Articles go through the unit of work (`toolkit.engine.work.analyze_records`) in chunks, in
order; with `n_process > 1` a pool of processes each runs the whole pipeline on batches and
sends back only rows (never a `Doc`), and with `cache=DIR` every chunk's results are stored as
they are made, so a re-run or a killed run only analyses what is not stored yet.
`toolkit.engine.distributed` runs the same unit on a Dask cluster.
"""
from __future__ import annotations

import logging
import multiprocessing as mp
import sys
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from typing import Callable, Iterable, Iterator, NamedTuple

import pandas as pd
import spacy
from spacy.language import Language
from tqdm.auto import tqdm

from ..analysis import Analysis, conform
from ..corpus import Corpus, iter_corpus, load_corpus
from ..extract import entities
from .cache import ResultCache, fingerprint, text_hash
from .models import add_components, load_nlp
from .tables import assign_entity_ids, records_frame, tables
from .work import LAYERS, Result, analyze_records, decode_result, encode_result, record, too_long_reason
from .writer import TableWriter

log = logging.getLogger(__name__)

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
        cache: a folder keeping every article's results (see `toolkit.engine.cache`): a re-run
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
    return tables(articles_frame, rows, pd.concat([*problems, *too_long], ignore_index=True))


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
        bar.update(len(chunk.articles) - analysed)  # the analysed ones were counted batch by batch
        return chunk

    try:
        # workers first: they fork before the progress bar starts its thread
        with _Workers(nlp, n_process, batch_size) as workers, \
                tqdm(total=total, disable=not progress, desc="analyze", unit="article") as bar:
            workers.on_done = bar.update  # the bar moves per batch from the first one, not per chunk
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
        self.on_done: Callable[[int], object] | None = None  # told how many articles each finished task held
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
        """Tasks: a batch at a time in this process (so progress shows per batch); in a pool, at
        least four per worker (so that a worker given the longer articles does not leave the
        others idle), each at most a batch."""
        if not positions:
            return []
        size = self.batch_size if self.pool is None else \
            max(1, min(self.batch_size, -(-len(positions) // (4 * self.n_process))))
        return [positions[i:i + size] for i in range(0, len(positions), size)]

    def submit(self, records: list[tuple[str, str, str | None]]) -> Future:
        if self.pool is None:
            future: Future = _Done(analyze_records(self.nlp, records, self.batch_size))
        else:
            future = self.pool.submit(_work, records, self.batch_size)
        if self.on_done is not None:
            future.add_done_callback(lambda _, n=len(records), tell=self.on_done: tell(n))
        return future

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
