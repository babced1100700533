"""Fetch stage: the one generic spider, `news`, for every configured source.

    scrapy crawl news                         every enabled source of the sources file
    scrapy crawl news -a source=NAME[,NAME]   the named sources
    scrapy crawl news -a url=URL              one article page
    scrapy crawl news -a config=PATH          another sources file

Source kinds: `feed` (RSS/Atom via feedparser), `sitemap` (indexes, urlsets, gzipped,
Google News `news:` fields via Scrapy's Sitemap parser) and `listing` (section pages whose
article links match the source's `article_pattern`, plus a few `rel=next` pages).
The spider only fetches: extraction and storage happen in the item pipelines.
"""

from __future__ import annotations

import calendar
import logging
import os
import re
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from typing import Any

import feedparser
from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.http import Response, TextResponse
from scrapy.linkextractors import LinkExtractor
from twisted.python.failure import Failure

from crawler import stats as st
from crawler.content import binary_reason
from crawler.context import (
    load_crawl_config,
    parse_names,
    select_sources,
    source_domains,
    source_for_url,
)
from crawler.failures import classify_failure
from crawler.guards import ALLOW_ENV
from crawler.items import ArticleHints, FetchedPage
from crawler.sitemaps import NewsSitemap, sitemap_body
from warta.config import Source

logger = logging.getLogger(__name__)

SOURCE_META = "warta_source"
HINTS_META = "warta_hints"
PAGE_META = "warta_listing_page"
NEXT_PAGE_XPATH = '//*[self::a or self::link][contains(concat(" ", @rel, " "), " next ")]'


class NewsSpider(Spider):
    name = "news"

    def __init__(
        self,
        source: str | None = None,
        url: str | None = None,
        config: str | None = None,
        *args: Any,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.source_arg = source
        self.url_arg = url
        self.config_arg = config
        self.sources: dict[str, Source] = {}
        # Names of the sources this crawl records a run for (one run per source).
        self.source_names: list[str] = []

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> NewsSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.configure()
        spider.allow_source_networks(crawler)
        return spider

    def allow_source_networks(self, crawler: Crawler) -> None:
        """Add the crawled sources' `allow_networks` to the network guard's allowlist.

        Settings are still mutable here (Scrapy freezes them after the spider is built),
        so the guard middleware and resolver, built later, see the merged list.
        """
        extra = [n for s in self.sources.values() for n in s.allow_networks]
        if not extra:
            return
        current = crawler.settings.get(ALLOW_ENV) or os.environ.get(ALLOW_ENV) or ""
        merged = [n for n in (*current.split(","), *extra) if n.strip()]
        crawler.settings.set(ALLOW_ENV, ",".join(dict.fromkeys(merged)), priority="spider")

    def configure(self) -> None:
        """Load the sources file and pick the sources; raises on an unknown source name."""
        config = load_crawl_config(self.settings, self.config_arg)
        names = parse_names(self.source_arg)
        selected = select_sources(config, names) if (names or not self.url_arg) else []
        self.sources = {s.name: s for s in selected}
        if self.url_arg:
            name = names[0] if names else source_for_url(config, self.url_arg)
            self.source_names = [name]
            if name not in self.sources:
                self.sources[name] = _adhoc_source(name)
        else:
            self.source_names = list(self.sources)
        self.max_listing_pages = self.settings.getint("WARTA_LISTING_MAX_PAGES", 3)
        self._patterns = {
            s.name: re.compile(s.article_pattern) for s in selected if s.article_pattern
        }
        # Domains are left to SourceOffsiteMiddleware (LinkExtractor's check sees ports).
        self._link_extractors = {name: LinkExtractor(allow=p) for name, p in self._patterns.items()}
        self.domains = {name: source_domains(s) for name, s in self.sources.items()}
        # OffsiteMiddleware's fallback for requests without a source (none are made today).
        self.allowed_domains = sorted({d for ds in self.domains.values() for d in ds})

    async def start(self) -> AsyncIterator[Any]:
        if self.url_arg:
            # A page the user named is fetched even if its host is not a configured domain.
            req = self._article_request(self.source_names[0], self.url_arg, ArticleHints())
            yield req.replace(meta={**req.meta, "allow_offsite": True})
            return
        callbacks = {
            "feed": self.parse_feed,
            "sitemap": self.parse_sitemap,
            "listing": self.parse_listing,
        }
        for source in self.sources.values():
            logger.info("Crawling source %s (%s)", source.name, source.kind)
            for url in source.start_urls:
                yield Request(
                    url,
                    callback=callbacks[source.kind],
                    errback=self.on_error,
                    meta={SOURCE_META: source.name, PAGE_META: 1},
                )

    # --- entry points ------------------------------------------------------------------

    def parse_feed(self, response: Response) -> Iterator[Request]:
        source = response.meta[SOURCE_META]
        parsed = feedparser.parse(response.body)
        if not parsed.entries:
            reason = parsed.get("bozo_exception") or "no entries"
            self._parse_error(source, response, f"unreadable feed: {reason}")
            return
        feed_language = parsed.feed.get("language")
        for entry in parsed.entries:
            link = entry.get("link")
            if not link:
                continue
            url = response.urljoin(link)
            if self._wanted(source, url):
                yield self._article_request(source, url, _feed_hints(entry, feed_language))

    def parse_sitemap(self, response: Response) -> Iterator[Request]:
        source = response.meta[SOURCE_META]
        body = sitemap_body(response, self.settings.getint("DOWNLOAD_MAXSIZE"))
        sitemap = NewsSitemap(body) if body else None
        if sitemap is None or sitemap.type not in ("sitemapindex", "urlset"):
            self._parse_error(source, response, "not a sitemap")
            return
        for entry in sitemap:
            url = response.urljoin(entry["loc"])
            if sitemap.type == "sitemapindex":
                yield Request(
                    url,
                    callback=self.parse_sitemap,
                    errback=self.on_error,
                    meta={SOURCE_META: source},
                )
            elif self._wanted(source, url):
                yield self._article_request(source, url, _sitemap_hints(entry))

    def parse_listing(self, response: Response) -> Iterator[Request]:
        source = response.meta[SOURCE_META]
        if not isinstance(response, TextResponse):
            self._parse_error(source, response, "listing page is not text")
            return
        extractor = self._link_extractors.get(source)
        if extractor is None:
            logger.warning("Listing source %s has no article_pattern; no links followed", source)
        else:
            for link in extractor.extract_links(response):
                yield self._article_request(source, link.url, ArticleHints())
        page = int(response.meta.get(PAGE_META, 1))
        next_href = response.xpath(NEXT_PAGE_XPATH + "/@href").get()
        if next_href and page < self.max_listing_pages:
            yield Request(
                response.urljoin(next_href),
                callback=self.parse_listing,
                errback=self.on_error,
                meta={SOURCE_META: source, PAGE_META: page + 1},
            )

    # --- article pages -------------------------------------------------------------------

    def _article_request(self, source: str, url: str, hints: ArticleHints) -> Request:
        # The single place an article is scheduled: later per-source budgets hook in here.
        return Request(
            url,
            callback=self.parse_article,
            errback=self.on_error,
            meta={SOURCE_META: source, HINTS_META: hints},
        )

    def parse_article(self, response: Response) -> Iterator[FetchedPage]:
        name = response.meta[SOURCE_META]
        source = self.sources[name]
        refused = binary_reason(response.body)
        if refused:
            message = f"not a page: {refused} at {response.url}"
            st.record_error(self.crawler.stats, name, st.ERRORS_CONTENT, message)
            logger.warning("Source %s: %s", name, message)
            self.crawler.signals.send_catch_log(
                st.page_processed, url=response.url, source=name, outcome="error"
            )
            return
        content_type = response.headers.get("Content-Type")
        yield FetchedPage(
            url=response.url,
            source=name,
            body=response.body,
            fetched_at=datetime.now(UTC),
            status=response.status,
            content_type=content_type.decode("latin-1") if content_type else None,
            language_hint=source.language,
            remove_selectors=source.remove_selectors,
            hints=response.meta.get(HINTS_META) or ArticleHints(),
        )

    # --- failures ------------------------------------------------------------------------

    def on_error(self, failure: Failure) -> None:
        """Every failed request ends here: counted per source, never silent."""
        request: Request = failure.request  # type: ignore[attr-defined]
        source = request.meta.get(SOURCE_META, "?")
        key, message = classify_failure(failure, request)
        if key == st.IGNORED:
            # robots.txt or offsite: the policy worked; counted, not an error.
            st.count(self.crawler.stats, source, st.IGNORED)
            logger.info("Skipped %s", message)
        else:
            st.record_error(self.crawler.stats, source, key, message)
            logger.warning("%s (source %s)", message, source)

    def _parse_error(self, source: str, response: Response, what: str) -> None:
        message = f"{what} at {response.url}"
        st.record_error(self.crawler.stats, source, st.ERRORS_PARSE, message)
        logger.warning("Source %s: %s", source, message)

    def _wanted(self, source: str, url: str) -> bool:
        pattern = self._patterns.get(source)
        return pattern is None or pattern.search(url) is not None


def _adhoc_source(name: str) -> Source:
    """A stand-in for `-a url=` pages of a host no configured source covers."""
    return Source(name=name, kind="listing", start_urls=())


def _feed_hints(entry: Any, feed_language: str | None) -> ArticleHints:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    authors = tuple(a["name"] for a in entry.get("authors", ()) if a.get("name"))
    return ArticleHints(
        title=entry.get("title") or None,
        published_at=datetime.fromtimestamp(calendar.timegm(parsed), UTC) if parsed else None,
        published_raw=entry.get("published") or entry.get("updated"),
        authors=authors,
        language=feed_language,
    )


def _sitemap_hints(entry: dict[str, Any]) -> ArticleHints:
    raw = entry.get("news_publication_date") or entry.get("lastmod")
    return ArticleHints(
        title=entry.get("news_title") or None,
        published_at=_parse_w3c_date(raw) if raw else None,
        published_raw=raw,
        language=entry.get("news_language") or None,
    )


def _parse_w3c_date(raw: str) -> datetime | None:
    """W3C datetime (what sitemaps use) -> aware UTC; a date-only value is midnight UTC."""
    try:
        value = datetime.fromisoformat(raw.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC)
