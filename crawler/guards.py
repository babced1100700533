"""Fetch stage: network guards — only http(s), and no requests into private networks (SSRF).

A news crawler fetches URLs that strangers wrote (feeds, sitemaps, redirects). Without a
guard, a feed entry or a `Location:` header could make it fetch `http://169.254.169.254/`
(cloud metadata), an admin page on the LAN, `file:///etc/passwd` or an `s3://` bucket.

Two layers, both reading the allowlist `WARTA_ALLOW_NETWORKS` (setting, else environment;
comma-separated CIDRs such as ``127.0.0.1/32`` for the offline demo and the tests):

- `NetworkGuardMiddleware` (downloader middleware, so it sees start URLs, links and every
  redirect target): refuses non-http(s) schemes, IP literals in any spelling (decimal
  ``2130706433``, hex ``0x7f.1``, IPv6, IPv4-mapped IPv6) and host names whose DNS answers
  include a refused address. Refusals are counted per source as `errors/blocked`.
- `GuardedResolver` (Scrapy's TWISTED_DNS_RESOLVER): checks the address the connection is
  actually made to, so a name that resolves differently the second time (DNS rebinding)
  still cannot reach a refused network.
"""

from __future__ import annotations

import codecs
import ipaddress
import logging
import os
import re
import socket
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin
from weakref import WeakKeyDictionary

from scrapy import Request
from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import HtmlResponse, Response
from scrapy.resolver import CachingThreadedResolver
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from scrapy.utils.response import get_meta_refresh
from twisted.internet import threads
from twisted.internet.error import DNSLookupError
from w3lib.encoding import html_to_unicode
from w3lib.html import get_meta_refresh as text_meta_refresh

from crawler import stats as st
from pipeline.urls import canonicalize_url

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.settings import BaseSettings
    from scrapy.statscollectors import StatsCollector
    from twisted.internet.base import ReactorBase
    from twisted.internet.defer import Deferred

logger = logging.getLogger(__name__)

ALLOW_ENV = "WARTA_ALLOW_NETWORKS"
ALLOWED_SCHEMES = frozenset({"http", "https"})
# Legacy numeric IPv4 spellings inet_aton accepts: 2130706433, 0x7f000001, 0177.1, 127.1
_NUMERIC_HOST = re.compile(r"^(0x[0-9a-f]+|[0-9]+)(\.(0x[0-9a-f]+|[0-9]+)){0,3}$", re.I)

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


class RefusedRequest(IgnoreRequest):
    """A request warta will not make; `key` is the error counter it is recorded under."""

    def __init__(self, message: str, key: str = st.ERRORS_BLOCKED) -> None:
        super().__init__(message)
        self.key = key


def parse_networks(text: str | Iterable[str] | None) -> tuple[IPNetwork, ...]:
    """``"127.0.0.1/32, 10.0.0.0/8"`` -> networks; a bad entry raises ValueError naming it."""
    if text is None:
        return ()
    parts = text.split(",") if isinstance(text, str) else list(text)
    networks = []
    for part in (p.strip() for p in parts):
        if not part:
            continue
        try:
            networks.append(ipaddress.ip_network(part, strict=False))
        except ValueError as exc:
            raise ValueError(f"{ALLOW_ENV}: {part!r} is not a CIDR network ({exc})") from exc
    return tuple(networks)


def allowed_networks(settings: BaseSettings) -> tuple[IPNetwork, ...]:
    """The allowlist: setting WARTA_ALLOW_NETWORKS, else the environment variable."""
    value = settings.get(ALLOW_ENV)
    if value is None:
        value = os.environ.get(ALLOW_ENV)
    return parse_networks(value)


def literal_address(host: str) -> IPAddress | None:
    """The address a host names by itself (any IPv4 spelling, IPv6), else None."""
    host = host.strip("[]").rstrip(".")
    try:
        return ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        pass
    if _NUMERIC_HOST.match(host):
        try:
            return ipaddress.IPv4Address(socket.inet_aton(host))
        except OSError:
            return None
    return None


def refused_reason(address: IPAddress, allowed: Sequence[IPNetwork]) -> str | None:
    """Why a connection to `address` is refused (None: it may go ahead)."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped  # ::ffff:127.0.0.1 is 127.0.0.1
    if any(address in net for net in allowed if net.version == address.version):
        return None
    for kind in ("loopback", "link_local", "multicast", "unspecified", "reserved", "private"):
        if getattr(address, f"is_{kind}"):
            return f"{kind.replace('_', '-')} address {address}"
    if not address.is_global:  # shared (100.64/10), documentation, benchmarking ranges...
        return f"non-public address {address}"
    return None


def _resolve(host: str, port: int) -> list[IPAddress]:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [ipaddress.ip_address(str(info[4][0]).split("%", 1)[0]) for info in infos]


class NetworkGuardMiddleware:
    """Refuse non-http(s) URLs and hosts in refused networks, before any connection."""

    def __init__(self, stats: StatsCollector, allowed: Sequence[IPNetwork]) -> None:
        self.stats = stats
        self.allowed = tuple(allowed)
        # host -> refusal reason or None; one lookup per host and crawl (the resolver
        # re-checks every real connection, so caching here cannot let a rebinding through).
        self._verdicts: dict[str, str | None] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> NetworkGuardMiddleware:
        assert crawler.stats is not None
        allowed = allowed_networks(crawler.settings)
        # The resolver is built once per process from the process's settings; a crawler's
        # own allowlist (a source's `allow_networks`) must reach it too.
        GuardedResolver.allow(allowed)
        return cls(crawler.stats, allowed)

    async def process_request(self, request: Request) -> None:
        parsed = urlparse_cached(request)
        if parsed.scheme not in ALLOWED_SCHEMES:
            self._refuse(request, f"scheme {parsed.scheme or '(none)'!r} is not http(s)")
        host = parsed.hostname or ""
        if not host:
            self._refuse(request, "no host")
        if host not in self._verdicts:
            self._verdicts[host] = await self._check_host(host, parsed.port or 80)
        reason = self._verdicts[host]
        if reason:
            self._refuse(request, f"{host}: {reason}")

    async def _check_host(self, host: str, port: int) -> str | None:
        literal = literal_address(host)
        if literal is not None:
            return refused_reason(literal, self.allowed)
        try:
            addresses = await maybe_deferred_to_future(threads.deferToThread(_resolve, host, port))
        except OSError:
            return None  # unresolvable: the download fails and is counted the usual way
        for address in addresses:
            reason = refused_reason(address, self.allowed)
            if reason:
                return f"name resolving to a {reason}"
        return None

    def _refuse(self, request: Request, why: str) -> None:
        message = f"refused {request.url}: {why}"
        logger.warning("%s (set %s to allow a network)", message, ALLOW_ENV)
        raise RefusedRequest(message)


class GuardedResolver(CachingThreadedResolver):
    """Scrapy's caching resolver, refusing answers in refused networks (DNS rebinding)."""

    allowed: tuple[IPNetwork, ...] = ()
    # Networks the crawlers of this process allow (one resolver serves every crawler).
    crawler_allowed: tuple[IPNetwork, ...] = ()

    @classmethod
    def from_crawler(cls, crawler: Crawler, reactor: ReactorBase) -> GuardedResolver:
        resolver = super().from_crawler(crawler, reactor)
        resolver.allowed = allowed_networks(crawler.settings)
        return resolver

    @classmethod
    def allow(cls, networks: Sequence[IPNetwork]) -> None:
        cls.crawler_allowed = tuple(dict.fromkeys((*cls.crawler_allowed, *networks)))

    def getHostByName(self, name: str, timeout: Sequence[int] = ()) -> Deferred[str]:
        return super().getHostByName(name, timeout).addCallback(self._check, name)

    def _check(self, address: Any, name: str) -> Any:
        allowed = (*self.allowed, *self.crawler_allowed)
        reason = refused_reason(ipaddress.ip_address(address), allowed)
        if reason:
            raise DNSLookupError(f"{name} resolves to a refused {reason}")
        return address


class RedirectGuardMiddleware:
    """Turn redirect loops and redirects to non-http(s) URLs into counted errors.

    Scrapy's RedirectMiddleware would send a loop's next hop to the duplicate filter, which
    drops it without a word, and it hands a redirect to `file:`/`data:` back as a plain 3xx.
    Placed just outside RedirectMiddleware, this sees the 3xx first.
    """

    def process_response(self, request: Request, response: Response) -> Response:
        location = response.headers.get("Location")
        if 300 <= response.status < 400 and location:
            check_redirect(request, urljoin(request.url, location.decode("latin-1").strip()))
        return response


class MetaRefreshGuardMiddleware:
    """The same checks for `<meta http-equiv="refresh">` redirects that Scrapy follows.

    Sits between HttpCompressionMiddleware (590) and MetaRefreshMiddleware (580), so it
    reads the decompressed page that MetaRefreshMiddleware is about to act on.
    """

    def __init__(self, enabled: bool, max_delay: float, ignore_tags: list[str]) -> None:
        self.enabled = enabled
        self.max_delay = max_delay
        self.ignore_tags = ignore_tags

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> MetaRefreshGuardMiddleware:
        settings = crawler.settings
        return cls(
            settings.getbool("METAREFRESH_ENABLED"),
            settings.getfloat("METAREFRESH_MAXDELAY"),
            settings.getlist("METAREFRESH_IGNORE_TAGS"),
        )

    def process_response(self, request: Request, response: Response) -> Response:
        if not self.enabled or not isinstance(response, HtmlResponse):
            return response
        if not may_declare_refresh(response, self.ignore_tags):
            return response
        interval, url = get_meta_refresh(response, ignore_tags=self.ignore_tags)
        if url and float(interval or 0) < self.max_delay:
            check_redirect(request, url)
        return response


class PrescreenedMetaRefreshMiddleware(MetaRefreshMiddleware):
    """Scrapy's MetaRefreshMiddleware, skipping pages that `may_declare_refresh` clears."""

    def process_response(  # type: ignore[override]
        self, request: Request, response: Response
    ) -> Request | Response:
        if isinstance(response, HtmlResponse) and not may_declare_refresh(
            response, self._ignore_tags
        ):
            return response
        return super().process_response(request, response)


# Scrapy looks for a meta refresh in the first 4,096 characters of the decoded page
# (scrapy.utils.response.get_meta_refresh; tests/crawler/test_meta_refresh.py pins it).
REFRESH_SCAN_CHARS = 4096
# Codecs in which a prefix of the body decodes to a prefix of the page, 4 bytes a
# character at most (UTF-8; ASCII-based single-byte code pages): a few kilobytes of the
# body then give those characters exactly. Pages in other encodings are decoded whole.
PREFIX_CODECS = frozenset(
    {
        "ascii",
        "utf-8",
        "koi8-r",
        "koi8-u",
        *(f"cp{n}" for n in range(1250, 1259)),
        *(f"iso8859-{n}" for n in (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 14, 15, 16)),
    }
)
_PREFIX_BYTES = 4 * REFRESH_SCAN_CHARS + 8  # and a byte-order mark, and a split character


# Per response, as Scrapy's own get_meta_refresh: the guard and the middleware both ask.
_may_refresh: WeakKeyDictionary[Response, bool] = WeakKeyDictionary()


def may_declare_refresh(response: HtmlResponse, ignore_tags: Iterable[str]) -> bool:
    """False when Scrapy would find no meta refresh in the page, decided as Scrapy decides
    (w3lib on the same characters) from a few kilobytes of the body.

    Scrapy decodes the whole page for its first 4,096 characters (~0.3 ms for 90 KB), and
    nothing else in the crawl's process decodes an article page; a page this cannot clear
    goes the usual way.
    """
    if response not in _may_refresh:
        _may_refresh[response] = _may_declare_refresh(response, ignore_tags)
    return _may_refresh[response]


def _may_declare_refresh(response: HtmlResponse, ignore_tags: Iterable[str]) -> bool:
    encoding = response.encoding
    try:
        codec = codecs.lookup(encoding).name
    except LookupError:
        return True
    if codec not in PREFIX_CODECS:
        return True
    # As TextResponse.text decodes the whole body (byte-order mark first, then `encoding`).
    head = html_to_unicode(f"charset={encoding}", response.body[:_PREFIX_BYTES])[1]
    _, url = text_meta_refresh(
        head[:REFRESH_SCAN_CHARS], response.url, encoding, ignore_tags=ignore_tags
    )
    return url is not None


def check_redirect(request: Request, target: str) -> None:
    """Raise RefusedRequest when `target` is a non-http(s) URL or already in the chain."""
    scheme = target.split(":", 1)[0].lower() if ":" in target else ""
    if scheme not in ALLOWED_SCHEMES:
        raise RefusedRequest(
            f"refused redirect from {request.url} to a {scheme or 'schemeless'!r} URL"
        )
    chain = [*request.meta.get("redirect_urls", ()), request.url]
    if canonicalize_url(target) in {canonicalize_url(u) for u in chain}:
        raise RefusedRequest(
            f"redirect loop: {' -> '.join([*chain, target])}", key=st.ERRORS_REDIRECT
        )
