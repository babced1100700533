"""Fetch stage: meta refreshes are found (and guarded) without decoding every whole page.

`may_declare_refresh` must clear a page only when Scrapy itself would find no refresh in it.
"""

from __future__ import annotations

import codecs
import random

import pytest
from scrapy import Request
from scrapy.http import HtmlResponse
from scrapy.utils.response import get_meta_refresh
from scrapy.utils.test import get_crawler

from crawler.guards import (
    PREFIX_CODECS,
    REFRESH_SCAN_CHARS,
    MetaRefreshGuardMiddleware,
    PrescreenedMetaRefreshMiddleware,
    RefusedRequest,
    may_declare_refresh,
)
from crawler.spiders.news import NewsSpider

URL = "http://news.example/a/story.html"
IGNORE = ["noscript"]  # Scrapy's default METAREFRESH_IGNORE_TAGS
REFRESH = "<meta http-equiv='refresh' content='0; url=/b/next.html'>"
FILLER = "<p>Berita hari ini — “AI” tumbuh, 🚀 model baru, ẞ ☃ 中文.</p>\n"


def _response(text: str, encoding: str = "utf-8", header: bool = True) -> HtmlResponse:
    headers = {"Content-Type": f"text/html; charset={encoding}"} if header else {}
    body = text.encode(encoding, "replace") if isinstance(text, str) else text
    return HtmlResponse(URL, body=body, headers=headers, request=Request(URL))


def _scrapy_url(response: HtmlResponse) -> str | None:
    # A fresh response each time: Scrapy caches the answer per response object.
    fresh = response.replace()
    return get_meta_refresh(fresh, ignore_tags=IGNORE)[1]


def _page(before: str, tag: str, after_chars: int = 20_000) -> str:
    return f"<html><head>{before}{tag}</head><body>" + FILLER * (after_chars // len(FILLER))


def test_scrapy_reads_a_refresh_only_in_the_first_4096_characters() -> None:
    # may_declare_refresh decodes only what this window needs: if Scrapy ever reads
    # further, this fails before a refresh could be missed.
    ends_at_limit = "x" * (REFRESH_SCAN_CHARS - len("<html><head>") - len(REFRESH))
    starts_at_limit = "x" * (REFRESH_SCAN_CHARS - len("<html><head>"))
    found = _scrapy_url(_response(_page(ends_at_limit, REFRESH)))
    assert found == "http://news.example/b/next.html"
    assert _scrapy_url(_response(_page(starts_at_limit, REFRESH))) is None


def _cases() -> list[tuple[str, HtmlResponse]]:
    rng = random.Random(8)
    tags = [
        REFRESH,
        REFRESH.upper().replace("/B/NEXT.HTML", "/b/next.html"),
        "<meta content='5;URL=https://elsewhere.example/' http-equiv='Refresh'>",
        "<meta http-equiv='&#114;efresh' content='0; url=/c'>",
        "<noscript>" + REFRESH + "</noscript>",
        "<!-- " + REFRESH + " -->",
        "<meta http-equiv='refresh' content='0'>",
        "<meta name='description' content='refresh the page'>",
        "",
    ]
    fillers = ["a", "é", "€", "🚀", "<b>", "\n", FILLER]
    cases: list[tuple[str, HtmlResponse]] = []
    for n in range(300):
        tag = rng.choice(tags)
        filler = rng.choice(fillers)
        target = rng.choice([0, 100, 4000, 4070, 4090, 4096, 4100, 5000])
        pad = filler * max(0, (target - 12) // len(filler))
        text = _page(pad, tag, after_chars=rng.choice([0, 100, 20_000]))
        encoding = rng.choice(["utf-8", "utf-8", "cp1252", "iso-8859-2", "utf-16", "gb18030"])
        body = text.encode(encoding, "replace")
        if rng.random() < 0.1:
            body = b"\xef\xbb\xbf" + body  # a UTF-8 byte-order mark
        if rng.random() < 0.1:
            body = body[:-1] + b"\xff\xc3"  # broken bytes at the end
        cases.append((f"{n}-{encoding}", _response(body, encoding, header=rng.random() < 0.8)))
    return cases


def test_a_page_is_cleared_only_when_scrapy_finds_no_refresh() -> None:
    # UTF-8 and code pages are decided from a prefix, exactly as Scrapy decides on the
    # whole page; any other encoding is never cleared.
    for name, response in _cases():
        found = _scrapy_url(response) is not None
        cleared = not may_declare_refresh(response.replace(), IGNORE)
        if codecs.lookup(response.encoding).name in PREFIX_CODECS:
            assert cleared is not found, name
        else:
            assert not cleared, name


def test_middlewares_still_follow_and_guard_a_refresh() -> None:
    crawler = get_crawler(NewsSpider)
    middleware = PrescreenedMetaRefreshMiddleware.from_crawler(crawler)
    guard = MetaRefreshGuardMiddleware.from_crawler(crawler)
    request = Request(URL)
    plain = _response(_page("", ""))
    assert middleware.process_response(request, plain) is plain
    assert guard.process_response(request, plain) is plain
    redirected = middleware.process_response(request, _response(_page("", REFRESH)))
    assert isinstance(redirected, Request)
    assert redirected.url == "http://news.example/b/next.html"
    loop = _response(_page("", f"<meta http-equiv='refresh' content='0; url={URL}'>"))
    with pytest.raises(RefusedRequest, match="redirect loop"):
        guard.process_response(request, loop)
