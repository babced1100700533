"""Fetch stage -> pipeline: extraction in worker processes once a crawl is big enough to pay.

`ExtractPipeline` (crawler/pipelines.py) hands pages to an `ExtractionPool` after the
first `WARTA_EXTRACT_POOL_AFTER` pages of a crawl: while workers parse and clean pages,
the reactor keeps downloading and the store pipeline keeps writing, so a backfill uses
every core, and the usual scheduled crawl of a feed never starts a worker. Scrapy's
scraper slot limit (`SCRAPER_SLOT_MAX_ACTIVE_SIZE`) bounds how many pages wait for a
worker, so memory stays flat. A worker that dies is not fatal: the pool falls back to
in-process extraction for the rest of the crawl.

The body's MinHash signature (for story clusters, storage/clusters.py) is computed
where the page is extracted, in a worker or in process alike, so the reactor's process
does not sign what the workers could.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import traceback
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from datetime import datetime
from typing import TYPE_CHECKING

from crawler.items import FetchedPage
from pipeline.extract import extract
from pipeline.similarity import Signature, signature
from pipeline.types import Article, ExtractionError

if TYPE_CHECKING:  # workers import this module: no Scrapy or Twisted there (~30 MB RSS)
    from scrapy.settings import BaseSettings
    from twisted.internet.defer import Deferred

logger = logging.getLogger(__name__)


class ExtractorCrashed(Exception):
    """An unexpected exception inside a worker; ``args[1]`` is the worker's traceback."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else "extractor crashed"


# An extracted article and the MinHash signature of its text.
Signed = tuple[Article, Signature]


def extract_page(item: FetchedPage) -> Signed:
    """`pipeline.extract` on one fetched page, as the crawler calls it, and its signature."""
    article = extract(
        item.body,
        item.url,
        fetched_at=item.fetched_at,
        language_hint=item.language_hint or item.hints.language,
        remove_selectors=item.remove_selectors,
        content_type=item.content_type,
    )
    return article, signature(article.text)


def _extract_in_worker(
    body: bytes,
    url: str,
    fetched_at: datetime,
    language_hint: str | None,
    remove_selectors: tuple[str, ...],
    content_type: str | None,
) -> Signed:
    """`extract_page` with errors that survive pickling (runs in a worker process)."""
    try:
        article = extract(
            body,
            url,
            fetched_at=fetched_at,
            language_hint=language_hint,
            remove_selectors=remove_selectors,
            content_type=content_type,
        )
        return article, signature(article.text)
    except ExtractionError:
        raise
    except Exception as exc:
        raise ExtractorCrashed(f"{type(exc).__name__}: {exc}", traceback.format_exc()) from None


def _ignore_sigint() -> None:
    # Ctrl-C goes to the whole process group: the crawl shuts down gracefully and still
    # needs its workers to finish the pages in flight.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def default_workers() -> int:
    """One core fewer than available: the crawl's own process keeps one for Scrapy and
    the database writes."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, cores - 1)


class ExtractionPool:
    """Worker processes for `pipeline.extract`, started lazily after ``after`` pages."""

    def __init__(self, workers: int, after: int) -> None:
        self.workers = workers
        self.after = after
        self.seen = 0
        self.executor: ProcessPoolExecutor | None = None
        self.broken = False

    @classmethod
    def from_settings(cls, settings: BaseSettings) -> ExtractionPool | None:
        """None when switched off (``WARTA_EXTRACT_WORKERS = -1``)."""
        workers = settings.getint("WARTA_EXTRACT_WORKERS", 0)
        if workers < 0:
            return None
        return cls(workers or default_workers(), settings.getint("WARTA_EXTRACT_POOL_AFTER", 100))

    def take(self) -> bool:
        """Count one page; True when it should go to a worker."""
        self.seen += 1
        return not self.broken and self.seen > self.after

    async def extract(self, item: FetchedPage) -> Signed:
        """Extract and sign ``item`` in a worker; raises what `pipeline.extract` raises
        (`ExtractorCrashed` for an unexpected error)."""
        future = self._executor().submit(
            _extract_in_worker,
            item.body,
            item.url,
            item.fetched_at,
            item.language_hint or item.hints.language,
            tuple(item.remove_selectors),
            item.content_type,
        )
        from scrapy.utils.defer import maybe_deferred_to_future

        try:
            return await maybe_deferred_to_future(_deferred(future))
        except ExtractorCrashed as exc:
            logger.error("Extractor bug on %s, in a worker:\n%s", item.url, exc.args[-1])
            raise
        except BrokenProcessPool:
            if not self.broken:
                logger.warning("An extraction worker died; extracting in process from now on")
            self.broken = True
            return extract_page(item)

    def _executor(self) -> ProcessPoolExecutor:
        if self.executor is None:
            # spawn: the reactor's threads and open database connections must not be forked.
            self.executor = ProcessPoolExecutor(
                max_workers=self.workers,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_ignore_sigint,
            )
            logger.info("Extracting in %d worker processes from now on", self.workers)
        return self.executor

    def shutdown(self) -> None:
        if self.executor is not None:
            self.executor.shutdown(wait=True)
            self.executor = None


def _deferred(future: Future[Signed]) -> Deferred[Signed]:
    """A Deferred fired on the reactor thread when ``future`` (from a pool) completes."""
    from twisted.internet import reactor
    from twisted.internet.defer import Deferred

    deferred: Deferred[Signed] = Deferred()

    def done(f: Future[Signed]) -> None:
        exc = f.exception()
        if exc is not None:
            reactor.callFromThread(deferred.errback, exc)
        else:
            reactor.callFromThread(deferred.callback, f.result())

    future.add_done_callback(done)
    return deferred
