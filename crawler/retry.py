"""Fetch stage: retries that back off, and wait as long as the site asks (`Retry-After`).

Scrapy 2.19's RetryMiddleware re-queues a 429/503 at once; a rate-limited news site then
sees the same request again within milliseconds. This subclass waits before each retry:
the `Retry-After` the response carries (seconds or an HTTP date), else an exponential
backoff `WARTA_RETRY_BACKOFF_BASE * 2**retries`, both capped by `WARTA_RETRY_MAX_DELAY`.
A site that asks for a longer wait than the cap is given up at once (the response then
reaches the spider's errback and is recorded in the crawl run, like every other give-up).
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING

from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.http import Request, Response
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.response import response_status_message
from twisted.internet import defer
from twisted.internet.task import deferLater

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)

GAVE_UP_META = "warta_retry_gave_up"


def retry_after_seconds(value: bytes | str | None, now: datetime | None = None) -> float | None:
    """`Retry-After: 120` or `Retry-After: Wed, 21 Oct 2026 07:28:00 GMT` -> seconds (>= 0)."""
    if not value:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class BackoffRetryMiddleware(RetryMiddleware):
    """RetryMiddleware that sleeps before a retry (Retry-After, else exponential backoff)."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler.settings)
        self.crawler = crawler
        self.backoff_base = crawler.settings.getfloat("WARTA_RETRY_BACKOFF_BASE", 1.0)
        self.max_delay = crawler.settings.getfloat("WARTA_RETRY_MAX_DELAY", 60.0)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> BackoffRetryMiddleware:
        return cls(crawler)

    async def process_response(  # type: ignore[override]
        self, request: Request, response: Response
    ) -> Request | Response:
        if request.meta.get("dont_retry", False) or response.status not in self.retry_http_codes:
            return response
        asked = retry_after_seconds(response.headers.get("Retry-After"))
        if asked is not None and asked > self.max_delay:
            logger.warning(
                "Gave up retrying %s: Retry-After %.0f s is beyond WARTA_RETRY_MAX_DELAY %.0f s",
                request.url,
                asked,
                self.max_delay,
            )
            request.meta[GAVE_UP_META] = f"Retry-After {asked:.0f} s"
            return response
        retry = self._retry(request, response_status_message(response.status))
        if retry is None:  # RETRY_TIMES reached: Scrapy logged it, the errback records it
            return response
        delay = asked if asked is not None else self.backoff(request.meta.get("retry_times", 0))
        if delay > 0:
            logger.info("Retrying %s in %.1f s (HTTP %d)", request.url, delay, response.status)
            await sleep(delay)
        return retry

    def backoff(self, retries_done: int) -> float:
        return float(min(self.max_delay, self.backoff_base * 2**retries_done))


async def sleep(seconds: float) -> None:
    """Wait without blocking the reactor (works with any Twisted reactor)."""
    from twisted.internet import reactor  # not at import time: Scrapy installs the reactor

    waiting: defer.Deferred[None] = deferLater(reactor, seconds, lambda: None)
    await maybe_deferred_to_future(waiting)
