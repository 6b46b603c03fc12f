"""The local engine: a corpus through the pipeline in chunks, in one process or a pool, with a cache.

`analyze(corpus)` streams the articles through the pipeline once and gathers the tidy tables of
an `Analysis`; `analyze_to_parquet(corpus, out)` writes the same tables chunk by chunk, for
corpora larger than memory.

Articles go through the unit of work (`toolkit.engine.work.analyze_records`) in chunks, in
order; with `n_process > 1` a pool of processes each runs the whole pipeline on batches and
sends back one result per article id (msgpack bytes, never a `Doc`), and with `cache=DIR` every
chunk's results are stored as they are made, so a re-run or a killed run only analyses what is
not stored yet. Results are matched to their articles by id and checked against them
(`toolkit.engine.tables.collect`); an article that fails costs one `problems` row, and a pool
worker that dies is replaced. `toolkit.engine.distributed` runs the same unit on a Dask cluster.
"""
from __future__ import annotations

import logging
import multiprocessing as mp
import sys
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Callable, Iterable, Iterator, NamedTuple

import pandas as pd
import spacy
from spacy.language import Language
from tqdm.auto import tqdm

from ..analysis import Analysis, OutputFolder, conform
from ..corpus import Corpus, corpus_from_frame, iter_corpus, load_corpus
from .cache import ResultCache, fingerprint, text_hash
from .models import add_components, load_nlp, model_name
from .tables import Chunk, collect, tables
from .work import LAYERS, DamagedPayload, Record, Result, analyze_records, decode, failed, records
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
        An `Analysis` whose `problems` include those of loading the corpus, then one row for
        every article that could not be analysed (it keeps its `articles` row, with no
        mentions, quotes or dates): the run never stops for one article.
    """
    nlp = add_components(nlp) if nlp is not None else load_nlp(model)
    run = run_info(nlp, corpus)
    if isinstance(corpus, str | Path):
        corpus = load_corpus(corpus)  # the tables will be in memory anyway; the progress bar gets a total
    articles, rows, loading, analysed = [], {layer: [] for layer in LAYERS}, [], []
    for problems, chunk in _run(corpus, nlp, n_process, batch_size, progress, cache, chunk_size):
        articles.append(chunk.articles)
        loading.append(problems)
        analysed.append(chunk.problems)
        for layer, layer_rows in chunk.rows.items():
            rows[layer].extend(layer_rows)
    articles_frame = pd.concat(articles, ignore_index=True) if articles else conform("articles")
    analysis = tables(articles_frame, rows, pd.concat([*loading, *analysed], ignore_index=True))
    analysis.run = run
    return analysis


def analyze_to_parquet(corpus: CorpusLike, out: str | Path, *, nlp: Language | None = None, model: str | None = None,
                       n_process: int = 1, batch_size: int = 32, progress: bool = True,
                       cache: str | Path | None = None, chunk_size: int = 256,
                       corpus_name: str | None = None) -> dict[str, int]:
    """Analyse a corpus of any size into `out/<table>.parquet`, with flat memory.

    The same tables as `analyze(corpus).to_parquet(out)`, but a path is read chunk by chunk
    (see `iter_corpus`) and every chunk's rows go to disk as soon as they are made; entities
    are linked at the end from the per-article clusters, and a second streaming pass gives
    mentions and quote speakers their corpus-wide entity ids. `out` is locked, checked and
    replaced as a whole at the end (see `toolkit.analysis.OutputFolder`), before any article is
    analysed. `Analysis.read_parquet(out)` opens the result. Arguments are those of `analyze`,
    and `corpus_name`, the corpus the manifest names (the path, when `corpus` is one).

    Returns:
        Rows per table, e.g. `{"articles": 120, "mentions": 5321, ...}`.

    Raises:
        toolkit.analysis.OutputError: `out` cannot be written, or another run is writing it.
    """
    nlp = add_components(nlp) if nlp is not None else load_nlp(model)
    with OutputFolder(out) as output:
        writer = TableWriter(output.path)
        loading, analysed = [], []
        for problems, chunk in _run(corpus, nlp, n_process, batch_size, progress, cache, chunk_size):
            loading.append(problems)
            analysed.append(chunk.problems)
            writer.add(chunk)
        counts = writer.finish(pd.concat([*loading, *analysed], ignore_index=True))
        output.commit(counts, run_info(nlp, corpus_name or corpus))
    return counts


def run_info(nlp: Language, corpus) -> dict:
    """What the manifest of the tables says made them: the model, spaCy and the corpus (a path, if one was given)."""
    return {"model": model_name(nlp), "spacy": spacy.__version__,
            "corpus": str(corpus) if isinstance(corpus, str | Path) else None}


def _run(corpus: CorpusLike, nlp: Language, n_process: int, batch_size: int, progress: bool,
         cache: str | Path | None, chunk_size: int) -> Iterator[tuple[pd.DataFrame, Chunk]]:
    """Analyse the corpus chunk by chunk, in order, reusing and filling the cache: the problems
    met loading each chunk, and the chunk analysed."""
    if n_process < 1:
        raise ValueError(f"n_process must be at least 1, not {n_process}")
    if chunk_size < 1:
        raise ValueError(f"chunk_size must be at least 1, not {chunk_size}")
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, not {batch_size}")
    chunks, total = _chunks(corpus, chunk_size)
    store = ResultCache(cache, fingerprint(nlp)) if cache is not None else None
    counts = {"reused": 0, "analysed": 0}

    def finish(started: _Started, workers: _Workers, bar) -> tuple[pd.DataFrame, Chunk]:
        chunk, reused, analysed = _finish(started, workers, store)
        counts["reused"] += reused
        counts["analysed"] += analysed
        bar.update(len(chunk.articles) - analysed)  # the analysed ones were counted batch by batch
        return started.problems, chunk

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
                    yield finish(pending.popleft(), workers, bar)
            while pending:
                yield finish(pending.popleft(), workers, bar)
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
    problems: pd.DataFrame  # met loading the chunk
    results: dict[str, Result]  # by article id: from the cache (or too long) now, from the workers later
    notes: dict[str, list[str]]  # further problems per article: a damaged cache entry
    keys: dict[str, tuple[str, str]]  # cache keys of the articles to analyse
    tasks: list["_Task"]  # the work computing the others


def _start(chunk: Corpus, nlp: Language, workers: "_Workers", store: ResultCache | None) -> _Started:
    """Look the chunk up in the cache and hand what is missing to the workers."""
    articles = chunk.articles.reset_index(drop=True)
    notes: dict[str, list[str]] = {}
    todo, results = records(nlp, articles)
    keys = {aid: (text_hash(text), published or "") for aid, text, published in todo} if store is not None else {}
    if store is not None:
        found = store.get_many(list(keys.values()))
        for aid, text, _ in todo:
            payload = found.get(keys[aid])
            if payload is None:
                continue
            try:
                decode(payload, aid, text)
            except DamagedPayload as exc:
                notes.setdefault(aid, []).append(f"article {aid!r}: its entry in the cache {store.path} is damaged "
                                                 f"({exc}); analysed again")
            else:
                results[aid] = Result(aid, payload)
    missing = [rec for rec in todo if rec[0] not in results]
    tasks = [workers.submit(part) for part in workers.split(missing)]
    return _Started(articles, chunk.problems, results, notes, keys, tasks)


def _finish(started: _Started, workers: "_Workers", store: ResultCache | None) -> tuple[Chunk, int, int]:
    """Collect the chunk's results, cache the new ones, and build its rows."""
    results = dict(started.results)
    reused = sum(r.payload is not None for r in results.values())
    fresh = [result for task in started.tasks for result in workers.results(task)]
    for result in fresh:
        results[result.article_id] = result
    if store is not None:
        store.put_many((*started.keys[r.article_id], r.payload) for r in fresh if r.payload is not None)
    chunk = collect(started.articles, results, started.notes)
    return chunk, reused, len(fresh)


class _Task(NamedTuple):
    records: list[Record]
    future: Future
    pool: ProcessPoolExecutor | None  # the pool it was given to


class _Done(Future):
    """A future already resolved: the one-process engine computes at submission."""

    def __init__(self, value) -> None:
        super().__init__()
        self.set_result(value)


class _Workers:
    """Where `analyze_records` runs: in this process, or in a pool of `n_process` processes.

    Pool workers are forked with the loaded pipeline where the platform allows it (Linux);
    elsewhere they are spawned and rebuild it from its config and bytes. A worker that dies
    (killed, out of memory, a crash in native code) breaks the pool: a fresh one is started, the
    lost tasks run again, and the articles of a task that breaks it again are tried one by one,
    so that only the article that kills a worker is lost (one `problems` row).
    """

    def __init__(self, nlp: Language, n_process: int, batch_size: int) -> None:
        self.nlp, self.n_process, self.batch_size = nlp, n_process, batch_size
        self.on_done: Callable[[int], object] | None = None  # told how many articles each finished task held
        self.pool: ProcessPoolExecutor | None = None
        if n_process > 1:
            self._start_pool()

    def _start_pool(self) -> None:
        context = mp.get_context(_start_method())
        if context.get_start_method() == "fork":
            init, args = _set_worker_nlp, (self.nlp,)  # inherited by the fork, never pickled
        else:
            init, args = _rebuild_worker_nlp, (self.nlp.config, self.nlp.to_bytes())
        self.pool = ProcessPoolExecutor(self.n_process, mp_context=context, initializer=init, initargs=args)
        self.pool.submit(int).result()  # start the workers now

    def split(self, records: list[Record]) -> list[list[Record]]:
        """Tasks: a batch at a time in this process (so progress shows per batch); in a pool, at
        least four per worker (so that a worker given the longer articles does not leave the
        others idle), each at most a batch."""
        if not records:
            return []
        size = self.batch_size if self.pool is None else \
            max(1, min(self.batch_size, -(-len(records) // (4 * self.n_process))))
        return [records[i:i + size] for i in range(0, len(records), size)]

    def submit(self, records: list[Record]) -> _Task:
        if self.pool is None:
            task = _Task(records, _Done(analyze_records(self.nlp, records, self.batch_size)), None)
        else:
            task = _Task(records, self.pool.submit(_work, records, self.batch_size), self.pool)
        if self.on_done is not None:  # a task whose worker dies counts once: its rerun is not reported
            task.future.add_done_callback(lambda _, n=len(records), tell=self.on_done: tell(n))
        return task

    def results(self, task: _Task) -> list[Result]:
        """The task's results, one per record (checked by id)."""
        try:
            results = task.future.result()
        except BrokenProcessPool:
            ids = [aid for aid, _, _ in task.records]
            log.warning("a worker process died; articles %s are analysed again in a fresh one",
                        ", ".join(map(repr, ids[:10])) + (", ..." if len(ids) > 10 else ""))
            if task.pool is self.pool:
                self._restart()
            results = self._isolate(task.records)
        if sorted(r.article_id for r in results) != sorted(aid for aid, _, _ in task.records):
            raise RuntimeError("a worker gave back results of other articles than it was given")
        return results

    def _isolate(self, records: list[Record]) -> list[Result]:
        """Run `records` in the pool, one by one if they break it again, to find what kills a worker."""
        try:
            return self.pool.submit(_work, records, self.batch_size).result()
        except BrokenProcessPool:
            self._restart()
            if len(records) > 1:
                return [result for rec in records for result in self._isolate([rec])]
            log.warning("article %r kills the worker process that analyses it; not analysed", records[0][0])
            return [failed(records[0][0], "its worker process", "the process died while analysing it")]

    def _restart(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)
        self._start_pool()

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


def _work(records: list[Record], batch_size: int) -> list[Result]:
    return analyze_records(_WORKER_NLP, records, batch_size)


def as_corpus(corpus: Corpus | pd.DataFrame | str | Path) -> Corpus:
    """A `Corpus` from what `analyze` accepts."""
    if isinstance(corpus, Corpus):
        return corpus
    if isinstance(corpus, pd.DataFrame):
        return corpus_from_frame(corpus)  # ids as strings, a repeated one a problem row; texts storable
    if isinstance(corpus, str | Path):
        return load_corpus(corpus)
    raise TypeError(f"cannot analyse a {type(corpus).__name__}; pass a path, a Corpus or an articles frame")
