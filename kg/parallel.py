"""Analysis over the machine's cores: worker processes, each with its pipeline loaded once.

The parent hands out articles in chunks and takes the results back in the order it
gave them, so everything after analysis (identity over the whole run, the writes to
the store, the JSON lines of `kg extract`) happens in one process, exactly as with
one worker: the output is the same byte for byte (tests/test_parallel.py).

Workers are started with "spawn" (a fork of a process that has loaded onnxruntime
may deadlock) and only when there is work for more than one: a short issue, or an
input of one chunk, is analysed in the parent. At most a window of chunks is in flight, so a
long input is streamed, not held.
"""

from __future__ import annotations

import itertools
import logging
import multiprocessing
import os
from collections import deque
from collections.abc import Iterable, Iterator

from kg.models import Article
from kg.nlp.lac import chunked

log = logging.getLogger("kg")

CHUNK = 16  # articles a worker analyses per task
MIN_PARALLEL = 8  # fewer articles than this (a short issue) are analysed in the parent
WINDOW = 3  # tasks in flight per worker: enough to keep it busy, few enough to bound memory


def default_workers() -> int:
    """KG_WORKERS, else the machine's cores."""
    value = os.environ.get("KG_WORKERS", "")
    return max(1, int(value)) if value.isdigit() else (os.cpu_count() or 1)


def _start_worker() -> None:
    # the workers share the cores: one thread each for onnxruntime and numpy
    os.environ["KG_ONNX_THREADS"] = os.environ["OMP_NUM_THREADS"] = "1"
    from kg.pipeline import shared_nlp

    shared_nlp()  # once per worker, before its first task


def _analyse_chunk(items: list[Article | dict]) -> list:
    """A worker's task: the chunk's results, or for an article that fails on its own,
    the error as "Type: message" (the caller decides what a failure costs). An item may
    be a `kg extract` input record: its layout is repaired here, in the worker, not in
    the parent that all workers wait on (and a record pickles smaller than its Article)."""
    from kg.pipeline import analyse, article_from_record

    articles = [item if isinstance(item, Article) else article_from_record(item) for item in items]
    try:
        return list(analyse(articles))
    except Exception:  # noqa: BLE001 - retried one by one so that only the failing article is lost
        out: list = []
        for article in articles:
            try:
                out += list(analyse([article]))
            except Exception as exc:  # noqa: BLE001
                out.append(f"{type(exc).__name__}: {exc}")
        return out


def first_failure(results: list) -> str | None:
    """The error of the first article that failed among these results, if one did."""
    return next((r for r in results if isinstance(r, str)), None)


class Analyser:
    """kg.pipeline.analyse over `workers` processes; results in the order of the input."""

    def __init__(self, workers: int = 1, chunk: int = CHUNK):
        self.workers = max(1, workers)
        self.chunk = chunk
        self._pool = None

    def __enter__(self) -> Analyser:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.close()
            self._pool.join()
            self._pool = None

    def analyse(self, articles: list[Article]) -> list:
        """One issue's (or batch's) results; an article that failed is its error string."""
        if self.workers == 1 or len(articles) < MIN_PARALLEL:
            return _analyse_chunk(articles)
        size = max(1, min(self.chunk, -(-len(articles) // self.workers)))
        return [r for part in self._map(_analyse_chunk, chunked(articles, size)) for r in part]

    def stream(self, articles: Iterable[Article | dict]) -> Iterator:
        """Results of a stream of articles, in order, holding a bounded window in memory
        (a stream of one chunk is analysed here, with no workers to start)."""
        chunks = chunked(articles, self.chunk)
        head = list(itertools.islice(chunks, 2))
        if self.workers == 1 or len(head) < 2:
            for chunk in itertools.chain(head, chunks):
                yield from _analyse_chunk(chunk)
            return
        for part in self._map(_analyse_chunk, itertools.chain(head, chunks)):
            yield from part

    def _map(self, fn, tasks: Iterable) -> Iterator:
        pool = self._pool_started()
        window: deque = deque()
        for task in tasks:
            window.append(pool.apply_async(fn, (task,)))
            if len(window) >= WINDOW * self.workers:
                yield window.popleft().get()
        while window:
            yield window.popleft().get()

    def _pool_started(self):
        if self._pool is None:
            log.info("analysing in %d worker processes", self.workers)
            self._pool = multiprocessing.get_context("spawn").Pool(self.workers, initializer=_start_worker)
        return self._pool

