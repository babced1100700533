"""Fetch stage -> pipeline: extraction in worker processes once a crawl is big enough to pay.

`PooledExtractPipeline` is `ExtractPipeline` (crawler/pipelines.py) with the CPU-bound
`pipeline.extract` call moved off the reactor thread: while workers parse and clean
pages, the reactor keeps downloading and the store pipeline keeps writing, so a backfill
uses every core. The first `WARTA_EXTRACT_POOL_AFTER` pages of a crawl are extracted in
process, so the usual scheduled crawl of a feed never starts a worker. Scrapy's scraper
slot limit (`SCRAPER_SLOT_MAX_ACTIVE_SIZE`) bounds how many pages wait for a worker, so
memory stays flat. A worker that dies is not fatal: the pipeline falls back to
in-process extraction for the rest of the crawl.
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
from typing import NoReturn

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.defer import Deferred

from crawler import stats as st
from crawler.items import FetchedPage
from crawler.pipelines import ExtractPipeline, apply_hints
from pipeline.extract import extract
from pipeline.types import Article, ExtractionError
from storage.records import PageRecord

logger = logging.getLogger(__name__)


class ExtractorCrashed(Exception):
    """An unexpected exception inside a worker, with the worker's traceback as text."""


def _ignore_sigint() -> None:
    # Ctrl-C goes to the whole process group: the crawl shuts down gracefully and still
    # needs its workers to finish the pages in flight.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def extract_in_worker(
    body: bytes,
    url: str,
    fetched_at: datetime,
    language_hint: str | None,
    remove_selectors: tuple[str, ...],
    content_type: str | None,
) -> Article:
    """`pipeline.extract` with picklable errors (runs in a worker process)."""
    try:
        return extract(
            body,
            url,
            fetched_at=fetched_at,
            language_hint=language_hint,
            remove_selectors=remove_selectors,
            content_type=content_type,
        )
    except ExtractionError:
        raise
    except Exception as exc:
        raise ExtractorCrashed(f"{type(exc).__name__}: {exc}\n{traceback.format_exc()}") from None


def default_workers() -> int:
    """One core fewer than available: the crawl's own process keeps one for Scrapy and
    the database writes."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, cores - 1)


class PooledExtractPipeline(ExtractPipeline):
    """ExtractPipeline, with extraction in worker processes after the first pages."""

    def __init__(self, crawler: Crawler, workers: int, after: int) -> None:
        super().__init__(crawler)
        self.workers = workers
        self.after = after
        self.seen = 0
        self.pool: ProcessPoolExecutor | None = None
        self.broken = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> PooledExtractPipeline:
        settings = crawler.settings
        workers = settings.getint("WARTA_EXTRACT_WORKERS", 0) or default_workers()
        after = settings.getint("WARTA_EXTRACT_POOL_AFTER", 100)
        return cls(crawler, workers, after)

    def close_spider(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True)
            self.pool = None

    async def process_item(self, item: FetchedPage) -> PageRecord:  # type: ignore[override]
        self.seen += 1
        pool = self._pool()
        if pool is None:
            return super().process_item(item)
        future = pool.submit(
            extract_in_worker,
            item.body,
            item.url,
            item.fetched_at,
            item.language_hint or item.hints.language,
            tuple(item.remove_selectors),
            item.content_type,
        )
        try:
            article = await maybe_deferred_to_future(_deferred(future))
        except BrokenProcessPool:
            logger.warning("Extraction worker died; extracting in this process from now on")
            self.broken = True
            return super().process_item(item)
        except Exception as exc:  # ExtractionError or ExtractorCrashed: count, drop
            self._drop(item, exc)
        return PageRecord(
            apply_hints(article, item.hints), item.source, item.body, item.fetched_at, item.status
        )

    def _pool(self) -> ProcessPoolExecutor | None:
        if self.broken or self.workers < 1 or self.seen <= self.after:
            return None
        if self.pool is None:
            # spawn: the reactor's threads and open database connections must not be forked.
            context = multiprocessing.get_context("spawn")
            self.pool = ProcessPoolExecutor(
                max_workers=self.workers, mp_context=context, initializer=_ignore_sigint
            )
            logger.info("Extracting in %d worker processes from now on", self.workers)
        return self.pool

    def _drop(self, item: FetchedPage, exc: BaseException) -> NoReturn:
        kind = "extraction failed" if isinstance(exc, ExtractionError) else "extractor crashed"
        first_line = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        message = f"{kind} for {item.url}: {first_line}"
        if not isinstance(exc, ExtractionError):
            logger.error("Extractor bug on %s: %s", item.url, exc)  # with the worker traceback
        assert self.crawler.stats is not None
        st.record_error(self.crawler.stats, item.source, st.ERRORS_EXTRACT, message)
        self.crawler.signals.send_catch_log(
            st.page_processed, url=item.url, source=item.source, outcome="error"
        )
        raise DropItem(message) from exc


def _deferred(future: Future[Article]) -> Deferred[Article]:
    """A Deferred fired on the reactor thread when ``future`` (from a pool) completes."""
    from twisted.internet import reactor

    deferred: Deferred[Article] = Deferred()

    def done(f: Future[Article]) -> None:
        exc = f.exception()
        if exc is not None:
            reactor.callFromThread(deferred.errback, exc)
        else:
            reactor.callFromThread(deferred.callback, f.result())

    future.add_done_callback(done)
    return deferred
