"""Fetch stage: one fetch per article, whatever tracking variant a feed or listing links."""

from __future__ import annotations

from scrapy import Request
from scrapy.utils.test import get_crawler

from crawler.fingerprint import CanonicalURLFingerprinter
from crawler.spiders.news import NewsSpider


def _fingerprinter() -> CanonicalURLFingerprinter:
    crawler = get_crawler(NewsSpider)
    return CanonicalURLFingerprinter.from_crawler(crawler)


def test_tracking_and_fragment_variants_share_a_fingerprint() -> None:
    fp = _fingerprinter()
    plain = fp.fingerprint(Request("https://news.example/2025/model-launch"))
    for variant in (
        "https://news.example/2025/model-launch?utm_source=rss&utm_medium=feed",
        "https://www.news.example/2025/model-launch/",
        "https://news.example/2025/model-launch#comments",
    ):
        assert fp.fingerprint(Request(variant)) == plain, variant


def test_different_articles_and_meaningful_params_stay_apart() -> None:
    fp = _fingerprinter()
    one = fp.fingerprint(Request("https://news.example/list?page=1"))
    two = fp.fingerprint(Request("https://news.example/list?page=2"))
    other = fp.fingerprint(Request("https://news.example/2025/other-story"))
    assert len({one, two, other}) == 3


def test_the_request_still_goes_to_the_linked_url() -> None:
    request = Request("https://news.example/a?utm_source=x")
    _fingerprinter().fingerprint(request)
    assert request.url == "https://news.example/a?utm_source=x"
