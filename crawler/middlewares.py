"""Fetch stage: downloader middlewares that know which source a request belongs to."""

from __future__ import annotations

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
