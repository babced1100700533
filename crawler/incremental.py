"""Fetch stage: incremental re-crawls — unchanged entry points and stored articles cost nothing.

ConditionalEntryMiddleware (downloader): feeds, sitemaps and listing pages are requested
with If-None-Match / If-Modified-Since from the last clean crawl of the source; a 304
answer is counted (`not_modified`) and dropped before any parsing. The validators travel
in the crawl-run record (`stats["validators"]`), so they belong to the database the
articles are in: a fresh or emptied database gets full answers.

StoredArticleFilter (spider): an article already stored is requested again only when its
feed or sitemap entry shows a date newer than the last fetch, or while it is inside the
refresh window (news is corrected in its first hours), and then only within a per-source
budget; everything else is counted as `skipped/unchanged` (or `skipped/budget`).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Response
from scrapy.statscollectors import StatsCollector

from crawler import stats as st
from crawler.context import database_url
from crawler.fingerprint import canonical_url
from storage.database import Database
from storage.freshness import StoredDates, stored_dates

logger = logging.getLogger(__name__)

SOURCE_META = "warta_source"
HINTS_META = "warta_hints"
CONDITIONAL_META = "warta_conditional"
ENTRY_CALLBACKS = frozenset({"parse_feed", "parse_sitemap", "parse_listing"})
ARTICLE_CALLBACK = "parse_article"

# Counter names (see crawler/stats.py for the warta/ and warta/source/<name>/ prefixes).
NOT_MODIFIED = "not_modified"
SKIPPED_UNCHANGED = "skipped/unchanged"
SKIPPED_BUDGET = "skipped/budget"
VALIDATORS = "validators"  # {url: [etag, last_modified]}: a value, not a counter

Validators = dict[str, list[str | None]]


class NotModified(IgnoreRequest):
    """An entry point answered 304: nothing to parse (counted as policy, not an error)."""


def _callback_name(request: Request) -> str:
    return getattr(request.callback, "__name__", "")


def is_entry(request: Request) -> bool:
    return bool(request.meta.get(SOURCE_META)) and _callback_name(request) in ENTRY_CALLBACKS


class ConditionalEntryMiddleware:
    """Conditional GETs for entry points; see the module docstring."""

    def __init__(self, stats: StatsCollector, url: str) -> None:
        self.stats = stats
        self.url = url
        self.known: dict[str, Validators] = {}  # per source, from the last clean run
        self.seen: dict[str, Validators] = {}  # per source, for this run's record

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ConditionalEntryMiddleware:
        if not crawler.settings.getbool("WARTA_CONDITIONAL_REQUESTS", True):
            raise NotConfigured("WARTA_CONDITIONAL_REQUESTS is off")
        assert crawler.stats is not None
        mw = cls(crawler.stats, database_url(crawler.settings))
        crawler.signals.connect(mw.spider_opened, signal=signals.spider_opened)
        return mw

    def spider_opened(self, spider: Spider) -> None:
        with Database.open(self.url) as db:
            for source in getattr(spider, "source_names", []):
                self.known[source] = last_validators(db, source)
                # Carried forward: a sitemap not reached this time (its index answered 304)
                # keeps its validators for the crawl that does reach it.
                for url, validators in self.known[source].items():
                    self._remember(source, url, validators)

    def process_request(self, request: Request) -> None:
        if not is_entry(request):
            return
        known = self.known.get(request.meta[SOURCE_META], {}).get(request.url)
        if not known:
            return
        etag, last_modified = known
        if etag:
            request.headers.setdefault(b"If-None-Match", etag.encode("latin-1"))
        if last_modified:
            request.headers.setdefault(b"If-Modified-Since", last_modified.encode("latin-1"))
        request.meta[CONDITIONAL_META] = True

    def process_response(self, request: Request, response: Response) -> Response:
        if not is_entry(request):
            return response
        source = request.meta[SOURCE_META]
        if response.status == 304 and request.meta.get(CONDITIONAL_META):
            # Unchanged since the last clean crawl: keep its validators for the next one.
            self._remember(source, request.url, self.known[source][request.url])
            st.count(self.stats, source, NOT_MODIFIED)
            raise NotModified(f"not modified since the last crawl: {request.url}")
        if response.status == 200:
            etag = _header(response, b"ETag")
            last_modified = _header(response, b"Last-Modified")
            if etag or last_modified:
                self._remember(source, request.url, [etag, last_modified])
        return response

    def _remember(self, source: str, url: str, validators: list[str | None]) -> None:
        self.seen.setdefault(source, {})[url] = validators
        self.stats.set_value(st.source_key(source, VALIDATORS), self.seen[source])


def _header(response: Response, name: bytes) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None


def last_validators(db: Database, source: str) -> Validators:
    """The validators of the source's last finished crawl, if it was clean.

    A crawl with errors (or none at all, or an empty database) gives none: the next crawl
    then reads every entry point in full and so finds what the failed one missed.
    """
    if db.count_articles(source) == 0:
        return {}
    for run in db.list_runs(source=source, limit=20):
        if run.status != "finished":
            continue
        if run.errors:
            return {}
        raw = (run.stats or {}).get(VALIDATORS) or {}
        return {
            str(url): [v[0], v[1]] for url, v in raw.items() if isinstance(v, list) and len(v) == 2
        }
    return {}


def refetch_reason(
    stored: StoredDates | None, entry_date: datetime | None, now: datetime, window: timedelta
) -> str | None:
    """Why an article must be fetched ("new", "changed", "fresh"), or None to skip it."""
    if stored is None:
        return "new"
    if entry_date is not None and entry_date > stored.fetched_at:
        return "changed"
    if now - (stored.published_at or stored.first_seen_at) < window:
        return "fresh"
    return None


class StoredArticleFilter:
    """Skip article requests for pages already stored; see the module docstring."""

    def __init__(
        self, stats: StatsCollector, url: str, window: timedelta, budget: int, chunk: int = 200
    ) -> None:
        self.stats = stats
        self.url = url
        self.window = window
        self.budget = budget
        self.chunk = chunk
        self.refetched: dict[str, int] = {}
        # Canonical URLs skipped in this crawl: a second entry for the same article (a
        # tracking-parameter variant, a second feed) is skipped too, and counted once.
        self.skipped: set[str] = set()
        self.db: Database | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StoredArticleFilter:
        settings = crawler.settings
        if not settings.getbool("WARTA_SKIP_STORED", True):
            raise NotConfigured  # no message: Scrapy would log a warning on every crawl
        assert crawler.stats is not None
        mw = cls(
            crawler.stats,
            database_url(settings),
            timedelta(hours=settings.getfloat("WARTA_REFRESH_WINDOW_HOURS", 6.0)),
            settings.getint("WARTA_REFETCH_BUDGET", 100),
        )
        crawler.signals.connect(mw.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(mw.spider_closed, signal=signals.spider_closed)
        return mw

    def spider_opened(self, spider: Spider) -> None:
        self.db = Database.open(self.url)

    def spider_closed(self, spider: Spider) -> None:
        if self.db is not None:
            self.db.close()
            self.db = None

    async def process_spider_output(
        self, response: Response, result: AsyncIterator[Any]
    ) -> AsyncIterator[Any]:
        pending: list[Request] = []
        async for item_or_request in result:
            if isinstance(item_or_request, Request) and _is_article(item_or_request):
                pending.append(item_or_request)
                if len(pending) >= self.chunk:
                    for kept in self._filter(pending):
                        yield kept
                    pending = []
            else:
                yield item_or_request
        for kept in self._filter(pending):
            yield kept

    def _filter(self, requests: list[Request]) -> Iterator[Request]:
        if not requests or self.db is None:
            yield from requests
            return
        keys = {id(r): canonical_url(r.url) for r in requests}
        try:
            with self.db.engine.connect() as conn:
                stored = stored_dates(conn, list(keys.values()))
        except Exception as exc:  # cannot tell what is stored: fetch them all
            logger.warning("Could not look up stored articles (%s); fetching them all", exc)
            yield from requests
            return
        now = datetime.now(UTC)
        for request in requests:
            if keys[id(request)] in self.skipped:
                continue
            hints = request.meta.get(HINTS_META)
            entry_date = _entry_date(hints)
            reason = refetch_reason(stored.get(keys[id(request)]), entry_date, now, self.window)
            source = request.meta.get(SOURCE_META, "?")
            if reason == "new":
                yield request
            elif reason is None:
                self.skipped.add(keys[id(request)])
                st.count(self.stats, source, SKIPPED_UNCHANGED)
            elif self.refetched.get(source, 0) < self.budget:
                self.refetched[source] = self.refetched.get(source, 0) + 1
                st.count(self.stats, source, f"refetch/{reason}")
                yield request
            else:
                self.skipped.add(keys[id(request)])
                st.count(self.stats, source, SKIPPED_BUDGET)


def _is_article(request: Request) -> bool:
    # A page the user named (`-a url=`) is always fetched.
    return _callback_name(request) == ARTICLE_CALLBACK and not request.meta.get("allow_offsite")


def _entry_date(hints: Any) -> datetime | None:
    """The newest date the feed or sitemap entry gives (modified, else published)."""
    dates: Iterable[Any] = (
        getattr(hints, "updated_at", None),
        getattr(hints, "published_at", None),
    )
    for value in dates:
        if isinstance(value, datetime):
            return value if value.tzinfo else value.replace(tzinfo=UTC)
    return None
