"""Fetch stage: request fingerprints keyed on the canonical URL.

Feeds and listings link one article under several URLs (``?utm_source=…``, ``#comments``,
``www.`` or not). Scrapy's duplicate filter compares fingerprints, so fingerprinting GET
requests on ``pipeline.canonicalize_url`` makes it fetch each article once, while the
request itself still goes to the URL the site linked.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from scrapy.utils.request import RequestFingerprinter

from pipeline.urls import canonicalize_url

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler


@lru_cache(maxsize=4096)
def canonical_url(url: str) -> str:
    """`pipeline.canonicalize_url`, remembered for the last few thousand URLs: the stored-
    article filter (crawler/incremental.py) canonicalizes each article request just
    before the scheduler fingerprints it here."""
    return canonicalize_url(url)


class CanonicalURLFingerprinter:
    """Scrapy's default fingerprinter, applied to the canonical form of GET request URLs."""

    def __init__(self, crawler: Crawler | None = None) -> None:
        self._default = RequestFingerprinter(crawler)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CanonicalURLFingerprinter:
        return cls(crawler)

    def fingerprint(self, request: Request) -> bytes:
        if request.method == "GET" and not request.body:
            canonical = canonical_url(request.url)
            if canonical != request.url:
                request = request.replace(url=canonical)
        return self._default.fingerprint(request)
