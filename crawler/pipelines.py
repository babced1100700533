"""Fetch stage -> pipeline -> storage: the item pipelines, in flow order (see ITEM_PIPELINES).

ExtractPipeline: FetchedPage -> storage.PageRecord (one `pipeline.extract` call per page).
StorePipeline:   PageRecords -> Database.store_batch, in batches and once more on close.
"""

from __future__ import annotations

import dataclasses
import logging
import re
from collections.abc import Coroutine
from typing import Any, NoReturn

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.statscollectors import StatsCollector
from scrapy.utils.asyncio import call_later
from scrapy.utils.defer import deferred_from_coro

from crawler import stats as st
from crawler.context import database_url
from crawler.extract_pool import Extracted, ExtractionPool, extract_page
from crawler.incremental import ARTICLE_CALLBACK
from crawler.items import ArticleHints, FetchedPage

# Submodule imports: under pytest, tests/pipeline and tests/storage can shadow the packages.
from pipeline.types import Article, ExtractionError
from storage.database import Database
from storage.records import PageRecord

logger = logging.getLogger(__name__)

# Close reason when the database fails as a whole; the crawl run is then recorded "failed".
STORE_ERROR_REASON = "store_error"


class ExtractPipeline:
    """Turn a fetched page into a record; a page that cannot be extracted is counted and dropped.

    Once a crawl has fetched or scheduled more than WARTA_EXTRACT_POOL_AFTER article pages,
    pages are extracted in worker processes (crawler/extract_pool.py) while downloads and
    writes go on.
    """

    def __init__(self, crawler: Crawler, pool: ExtractionPool | None = None) -> None:
        self.crawler = crawler
        self.pool = pool
        self.scheduled = 0  # article requests scheduled, until the workers start
        self.foreseeing = pool is not None
        if pool is not None:
            crawler.signals.connect(self._request_scheduled, signal=signals.request_scheduled)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ExtractPipeline:
        return cls(crawler, ExtractionPool.from_settings(crawler.settings))

    def _request_scheduled(self, request: Request) -> None:
        pool = self.pool
        if not self.foreseeing or pool is None:
            return
        if getattr(request.callback, "__name__", "") != ARTICLE_CALLBACK:
            return
        self.scheduled += 1
        pool.foresee(self.scheduled)
        if pool.started or pool.broken:
            # Disconnected later, not from inside the signal's own loop over its receivers.
            self.foreseeing = False
            call_later(0, self._stop_foreseeing)

    def _stop_foreseeing(self) -> None:
        self.crawler.signals.disconnect(self._request_scheduled, signal=signals.request_scheduled)

    def close_spider(self) -> None:
        if self.pool is not None:
            self.pool.shutdown()

    def process_item(self, item: FetchedPage) -> PageRecord | Coroutine[Any, Any, PageRecord]:
        if self.pool is not None and self.pool.take():
            return self._process_in_pool(item, self.pool)
        try:
            extracted: Extracted = (*extract_page(item), None)
        except Exception as exc:  # ExtractionError or an extractor bug: never stop the crawl
            self._fail(item, exc)
        return _record(item, extracted)

    async def _process_in_pool(self, item: FetchedPage, pool: ExtractionPool) -> PageRecord:
        try:
            extracted = await pool.extract(item)
        except Exception as exc:
            self._fail(item, exc)
        return _record(item, extracted)

    def _fail(self, item: FetchedPage, exc: Exception) -> NoReturn:
        kind = "extraction failed" if isinstance(exc, ExtractionError) else "extractor crashed"
        message = f"{kind} for {item.url}: {exc}"
        if not isinstance(exc, ExtractionError):
            logger.exception("Extractor bug on %s", item.url)  # keep the traceback
        st.record_error(_stats(self.crawler), item.source, st.ERRORS_EXTRACT, message)
        self.crawler.signals.send_catch_log(
            st.page_processed, url=item.url, source=item.source, outcome="error"
        )
        raise DropItem(message) from exc


def _record(item: FetchedPage, extracted: Extracted) -> PageRecord:
    article, signature, compressed = extracted  # hints never touch the text: still its signature
    return PageRecord(
        apply_hints(article, item.hints),
        item.source,
        item.body,
        item.fetched_at,
        item.status,
        signature,
        compressed,
    )


def apply_hints(article: Article, hints: ArticleHints) -> Article:
    """Fill what the page lacks from its feed/sitemap entry; the page's own values win."""
    use_date = article.published_at is None and hints.published_at is not None
    title = article.title or hints.title
    authors = article.authors or hints.authors
    if not use_date and title == article.title and authors == article.authors:
        return article
    return dataclasses.replace(
        article,
        title=title,
        authors=authors,
        published_at=hints.published_at if use_date else article.published_at,
        published_raw=hints.published_raw if use_date else article.published_raw,
    )


class StorePipeline:
    """Write records in batches (one transaction each); count new/updated/unchanged/failed."""

    def __init__(self, crawler: Crawler, url: str, batch_size: int) -> None:
        self.crawler = crawler
        self.url = url
        self.batch_size = batch_size
        self.batch: list[PageRecord] = []
        self.db: Database | None = None
        self.closing = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        settings = crawler.settings
        return cls(crawler, database_url(settings), settings.getint("WARTA_STORE_BATCH_SIZE", 50))

    def open_spider(self) -> None:
        self.db = Database.open(self.url)

    def process_item(self, item: PageRecord) -> PageRecord:
        self.batch.append(item)
        if len(self.batch) >= self.batch_size:
            self.flush()
        return item

    def close_spider(self) -> None:
        self.closing = True
        self.flush()
        if self.db is not None:
            self.db.close()

    def flush(self) -> None:
        batch, self.batch = self.batch, []
        if not batch or self.db is None:
            return
        try:
            result = self.db.store_batch(batch)
        except Exception as exc:  # the database itself failed, not one row: stop the crawl
            message = f"{type(exc).__name__}: {short_error(exc)}"
            if self.closing:
                logger.warning(
                    "Database still failing; %d pages not stored: %s", len(batch), message
                )
            else:
                logger.error(
                    "Database error storing %d pages; stopping the crawl: %s (is the disk full "
                    "or the database read-only?)",
                    len(batch),
                    message,
                )
            for record in batch:
                self._count(record, "failed", message)
            self._stop_crawl(STORE_ERROR_REASON)
            return
        errors = dict(result.errors)
        # Outcomes come in record order (Database.store_batch contract).
        for record, (_, outcome) in zip(batch, result.outcomes, strict=True):
            self._count(record, outcome, errors.get(record.article.url))

    def _stop_crawl(self, reason: str) -> None:
        """Close the spider (pages fetched from now on could not be stored anyway)."""
        engine = self.crawler.engine
        if engine is not None and engine.running and not self.closing:
            self.closing = True
            deferred_from_coro(engine.close_spider_async(reason=reason))

    def _count(self, record: PageRecord, outcome: str, error: str | None) -> None:
        stats = _stats(self.crawler)
        if outcome == "failed":
            reason = _BACKGROUND_LINK.sub("", error or "unknown error").strip()
            message = f"store failed for {record.article.url}: {reason}"
            st.record_error(stats, record.source, st.ERRORS_STORE, message)
            logger.warning("%s", message)
        else:
            st.count(stats, record.source, f"articles/{outcome}")
        self.crawler.signals.send_catch_log(
            st.page_processed, url=record.article.url, source=record.source, outcome=outcome
        )


# SQLAlchemy appends "(Background on this error at: https://sqlalche.me/...)" to messages.
_BACKGROUND_LINK = re.compile(r"\s*\(Background on this error at: [^)]*\)")


def short_error(exc: BaseException) -> str:
    """The database's own words for an error, without SQLAlchemy's SQL echo and links."""
    original = getattr(exc, "orig", None)  # sqlalchemy.exc.DBAPIError wraps the driver's
    text = str(original if original is not None else exc)
    return _BACKGROUND_LINK.sub("", text).strip().splitlines()[0] if text.strip() else text


def _stats(crawler: Crawler) -> StatsCollector:
    assert crawler.stats is not None
    return crawler.stats
