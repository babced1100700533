"""Fetch stage: downloader and spider middlewares that know which source a request belongs to."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import AsyncIterator
from typing import Any

from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.offsite import OffsiteMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.statscollectors import StatsCollector
from scrapy.utils.httpobj import urlparse_cached

from crawler import stats as st
from crawler.context import host_allowed

logger = logging.getLogger(__name__)

SOURCE_META = "warta_source"


class SourceOffsiteMiddleware(OffsiteMiddleware):
    """Scrapy's offsite filter, with each source's own allowed domains.

    A request tagged with a source (meta `warta_source`) may go only to that source's
    domains (`spider.domains[source]`); untagged requests fall back to the spider-wide
    `allowed_domains`, as in Scrapy. Filtered requests are counted under `offsite/filtered`
    and per source under `warta/source/<name>/offsite`.
    """

    def process_request(self, request: Request, spider: Spider | None = None) -> None:
        try:
            super().process_request(request)
        except IgnoreRequest:
            source = request.meta.get(SOURCE_META)
            if source:
                st.count(self.stats, source, st.OFFSITE)
            raise

    def should_follow(self, request: Request, spider: Spider) -> bool:
        source = request.meta.get(SOURCE_META)
        domains = getattr(spider, "domains", {}).get(source) if source else None
        if not domains:
            return super().should_follow(request, spider)
        return host_allowed(urlparse_cached(request).hostname or "", domains)


class SourcePagesMiddleware:
    """Count each final response (after retries and redirects) for its source."""

    def __init__(self, stats: StatsCollector) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SourcePagesMiddleware:
        assert crawler.stats is not None
        return cls(crawler.stats)

    def process_response(self, request: Request, response: Response) -> Response:
        source = request.meta.get(SOURCE_META)
        if source:
            st.count(self.stats, source, st.PAGES)
        return response


class SourceSpiderErrorsMiddleware:
    """Count a callback that raised (a feed or page the spider could not handle) for its source.

    Scrapy still logs the traceback; this only makes the failure show in the crawl-run record.
    """

    def __init__(self, stats: StatsCollector) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SourceSpiderErrorsMiddleware:
        assert crawler.stats is not None
        return cls(crawler.stats)

    def process_spider_exception(self, response: Response, exception: Exception) -> None:
        source = response.meta.get(SOURCE_META)
        # HTTP errors reach the request's errback (NewsSpider.on_error) and are counted there.
        if source and not isinstance(exception, HttpError):
            message = f"{type(exception).__name__} while parsing {response.url}: {exception}"
            st.record_error(self.stats, source, st.ERRORS_SPIDER, message)


class CrawlBoundsMiddleware:
    """Bound what one crawl follows per source: link depth and a page budget (spider traps).

    Endless calendars, session-id URLs and ever-deeper sitemap indexes are cut off by
    `DEPTH_LIMIT` and `URLLENGTH_LIMIT` (counted here, before Scrapy's DepthMiddleware and
    UrlLengthMiddleware would drop them silently) and by `WARTA_SOURCE_MAX_REQUESTS`
    requests per source and crawl. `CLOSESPIDER_TIMEOUT`
    bounds the whole crawl in time.
    """

    def __init__(
        self, stats: StatsCollector, max_depth: int, budget: int, max_url_length: int = 0
    ) -> None:
        self.stats = stats
        self.max_depth = max_depth
        self.budget = budget
        self.max_url_length = max_url_length
        self.requested: Counter[str] = Counter()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlBoundsMiddleware:
        assert crawler.stats is not None
        settings = crawler.settings
        return cls(
            crawler.stats,
            settings.getint("DEPTH_LIMIT"),
            settings.getint("WARTA_SOURCE_MAX_REQUESTS"),
            settings.getint("URLLENGTH_LIMIT"),
        )

    async def process_start(self, start: AsyncIterator[Any]) -> AsyncIterator[Any]:
        async for item_or_request in start:
            if not isinstance(item_or_request, Request):
                yield item_or_request
            elif self.max_url_length and len(item_or_request.url) > self.max_url_length:
                self._drop(item_or_request, st.BOUNDS_URL_LENGTH)
            elif self._within_budget(item_or_request):
                yield item_or_request

    async def process_spider_output(
        self, response: Response, result: AsyncIterator[Any]
    ) -> AsyncIterator[Any]:
        depth = int(response.meta.get("depth", 0)) + 1
        async for item_or_request in result:
            if not isinstance(item_or_request, Request):
                yield item_or_request
            elif self.max_depth and depth > self.max_depth:
                self._drop(item_or_request, st.BOUNDS_DEPTH)
            elif self.max_url_length and len(item_or_request.url) > self.max_url_length:
                self._drop(item_or_request, st.BOUNDS_URL_LENGTH)
            elif self._within_budget(item_or_request):
                yield item_or_request

    def _within_budget(self, request: Request) -> bool:
        source = request.meta.get(SOURCE_META)
        if not source or not self.budget:
            return True
        if self.requested[source] >= self.budget:
            self._drop(request, st.BOUNDS_BUDGET)
            return False
        self.requested[source] += 1
        return True

    def _drop(self, request: Request, key: str) -> None:
        source = request.meta.get(SOURCE_META)
        if source:
            st.count(self.stats, source, key)
        logger.debug("Not following %s (%s)", request.url, key)
