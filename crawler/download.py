"""Fetch stage: the HTTP(S) download handler, with a cap on the size of response headers.

Scrapy caps bodies (DOWNLOAD_MAXSIZE) but not headers: Twisted's HTTP client keeps every
header line a server sends, so a server streaming `X-Flood: aaaa...` lines for the 20 s
download timeout fills gigabytes. `WARTA_MAX_HEADER_BYTES` (256 KB; browsers and
nginx accept far less) ends such a response as a failed download.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler
from twisted.web import _newclient

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)

DEFAULT_MAX_HEADER_BYTES = 256 * 1024


class HeaderSectionTooLarge(Exception):
    """The response's status line and headers went past WARTA_MAX_HEADER_BYTES."""


def parser_classes() -> list[Any]:
    """Twisted's response parser, and Scrapy's lenient subclass that the handler swaps in."""
    from scrapy.core.downloader.handlers import http11

    classes: list[Any] = [_newclient.HTTPClientParser]
    lenient = getattr(http11, "_LenientHTTPClientParser", None)  # Scrapy 2.19's own parser
    if lenient is not None:
        classes.append(lenient)
    return classes


def limit_header_section(max_bytes: int) -> None:
    """Make the HTTP client parsers refuse header sections larger than `max_bytes`.

    Neither Twisted nor Scrapy has such a setting, so each parser class's line handler is
    wrapped, once per process (the crawl process: the reactor runs one crawl). Calling
    again changes the limit.
    """
    for parser in parser_classes():
        if "_warta_max_header_bytes" not in parser.__dict__:
            parser.lineReceived = _counting(parser, parser.lineReceived)
        parser._warta_max_header_bytes = max_bytes


def _counting(parser: Any, original: Any) -> Any:
    def lineReceived(self: Any, line: bytes) -> None:
        if self.state in (_newclient.STATUS, _newclient.HEADER):
            seen = getattr(self, "_warta_header_bytes", 0) + len(line) + 2
            self._warta_header_bytes = seen
            limit = parser._warta_max_header_bytes
            if seen > limit:
                raise HeaderSectionTooLarge(f"response headers larger than {limit} bytes")
        original(self, line)

    return lineReceived


class LimitedHTTP11DownloadHandler(HTTP11DownloadHandler):
    """Scrapy's HTTP/1.1 handler, with the header-size cap installed."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        limit = crawler.settings.getint("WARTA_MAX_HEADER_BYTES", DEFAULT_MAX_HEADER_BYTES)
        if limit:
            limit_header_section(limit)
