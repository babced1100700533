"""Test helper: a hostile web server on 127.0.0.1 with one endpoint per attack.

Every attack lives under its own path; `feed_for(path)` serves an RSS feed whose single
entry links to it, so a crawl can give each attack its own source (and crawl-run record).
Each request is logged with its arrival time, so tests can assert what was fetched, how
often and when.
"""

from __future__ import annotations

import contextlib
import functools
import threading
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import brotli

try:
    from compression import zstd  # type: ignore[import-not-found,unused-ignore]
except ImportError:  # Python < 3.14: the backport Scrapy itself uses
    from backports import zstd  # type: ignore[import-not-found,no-redef,unused-ignore]

HTML = "text/html; charset=utf-8"
GIB = 1 << 30
MIB = 1 << 20
TARPIT_SECONDS = 30.0  # how long the tarpit keeps trickling before it gives up itself

PARAGRAPH = (
    "The laboratory released a new open model on Tuesday, and independent researchers "
    "began testing its reasoning, coding and translation abilities within hours. "
)


def article(title: str, body_html: str, *, head: str = "") -> str:
    """A plain article page the extractor reads easily."""
    return (
        f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{title}</title>"
        f"{head}</head><body><article><h1>{title}</h1>{body_html}</article></body></html>"
    )


def good_article(title: str) -> bytes:
    paragraphs = "".join(f"<p>{i}. {title}: {PARAGRAPH * 3}</p>" for i in range(5))
    return article(title, paragraphs).encode()


# --- decompression bombs: 1 GiB of zeros, built once per test session ----------------------


def _zeros_compressed(compressor: Callable[[bytes], bytes], flush: Callable[[], bytes]) -> bytes:
    chunk = bytes(MIB)
    parts = [compressor(chunk) for _ in range(GIB // MIB)]
    parts.append(flush())
    return b"".join(parts)


@functools.cache
def bomb(encoding: str) -> bytes:
    """1 GiB of zeros, compressed with `encoding` (gzip, deflate, br or zstd)."""
    if encoding in ("gzip", "deflate"):
        # Level 1: builds in about a second and still packs 1 GiB into ~5 MB.
        z = zlib.compressobj(1, zlib.DEFLATED, 31 if encoding == "gzip" else 15)
        return _zeros_compressed(z.compress, z.flush)
    if encoding == "br":
        b = brotli.Compressor(quality=5)
        return _zeros_compressed(b.process, b.finish)
    if encoding == "zstd":
        c = zstd.ZstdCompressor(level=3)
        return _zeros_compressed(c.compress, c.flush)
    raise ValueError(encoding)


BOMB_ENCODINGS = ("gzip", "deflate", "br", "zstd")


# --- the server --------------------------------------------------------------------------


@dataclass
class Hit:
    path: str
    at: float


@dataclass
class HostileServer:
    """A running hostile server; `hits` lists every request (path with query, time)."""

    server: ThreadingHTTPServer
    hits: list[Hit] = field(default_factory=list)
    # Extra pages a test adds: path -> (content type, body)
    pages: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    # Seconds to wait before answering a path (slow pages to kill or pause a crawl on).
    delays: dict[str, float] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def base_url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def port(self) -> int:
        return int(self.server.server_address[1])

    def url(self, path: str) -> str:
        return self.base_url + path

    def fetched(self, path: str) -> int:
        """Requests for `path` (query string ignored unless `path` has one)."""
        with self.lock:
            return sum(1 for h in self.hits if h.path == path or h.path.split("?")[0] == path)

    def times(self, path: str) -> list[float]:
        with self.lock:
            return [h.at for h in self.hits if h.path.split("?")[0] == path]

    def shutdown(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self) -> HostileServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.shutdown()


class Handler(BaseHTTPRequestHandler):
    server_state: HostileServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        pass  # the hit list is the log

    def do_GET(self) -> None:
        state = self.server_state
        with state.lock:
            state.hits.append(Hit(self.path, time.monotonic()))
        parts = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        path = parts.path
        if path in state.delays:
            time.sleep(state.delays[path])
        if path in state.pages:
            kind, body = state.pages[path]
            return self.send(200, body, kind)
        route = ROUTES.get(path) or next(
            (fn for prefix, fn in PREFIX_ROUTES.items() if path.startswith(prefix)), None
        )
        if route is None:
            return self.send(404, b"not here", "text/plain")
        route(self, path, query)

    def send(
        self,
        status: int,
        body: bytes,
        kind: str = HTML,
        headers: dict[str, str] | None = None,
        *,
        length: bool = True,
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if length:
            self.send_header("Content-Length", str(len(body)))
        else:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        # The crawler hangs up on the big ones, as it should.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(body)

    def count(self, path: str) -> int:
        return self.server_state.fetched(path)


Route = Callable[[Handler, str, dict[str, str]], None]


def _robots(h: Handler, path: str, q: dict[str, str]) -> None:
    h.send(200, b"User-agent: *\nDisallow: /private/\n", "text/plain")


def _feed(h: Handler, path: str, q: dict[str, str]) -> None:
    """/feed?to=/path[&to=...]: an RSS feed linking to the given paths."""
    targets = parse_qs(urlsplit(h.path).query).get("to", [])
    items = "".join(
        f"<item><title>entry {i}</title><link>{_xml(t)}</link></item>"
        for i, t in enumerate(targets)
    )
    body = (
        f"<?xml version='1.0'?><rss version='2.0'><channel><title>t</title>{items}</channel></rss>"
    )
    h.send(200, body.encode(), "application/rss+xml")


def _long_link_feed(h: Handler, path: str, q: dict[str, str]) -> None:
    """A feed whose one entry links to a 3,000-character URL (a session-id trap)."""
    link = f"{h.server_state.base_url}/ok?session={'x' * 3000}"
    items = f"<item><title>long</title><link>{link}</link></item>"
    body = f"<?xml version='1.0'?><rss version='2.0'><channel>{items}</channel></rss>"
    h.send(200, body.encode(), "application/rss+xml")


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;")


def _bomb(h: Handler, path: str, q: dict[str, str]) -> None:
    encoding = path.rsplit("/", 1)[-1]
    h.send(200, bomb(encoding), HTML, {"Content-Encoding": encoding})


def _sitemap_bomb(h: Handler, path: str, q: dict[str, str]) -> None:
    """A .xml.gz sitemap that unpacks to 1 GiB (served compressed, as sitemaps are)."""
    h.send(200, bomb("gzip"), "application/x-gzip")


LAUGHS = (
    "<?xml version='1.0'?><!DOCTYPE lolz [<!ENTITY lol 'lol'>"
    + "".join(
        f"<!ENTITY lol{i} '{('&lol' + (str(i - 1) if i > 1 else '') + ';') * 10}'>"
        for i in range(1, 10)
    )
    + "]>"
)


def _xml_laughs(h: Handler, path: str, q: dict[str, str]) -> None:
    """Billion laughs (10^9 'lol's from 1 KB) in a feed and in a sitemap."""
    if path.endswith("feed"):
        body = (
            LAUGHS + "<rss version='2.0'><channel><title>&lol9;</title><item><title>&lol9;</title>"
        )
        # The entry links to a 404, so the size crawl extracts no page (memory stays the bombs').
        body += f"<link>{h.server_state.base_url}/missing</link></item></channel></rss>"
        kind = "application/rss+xml"
    else:
        body = LAUGHS + "<urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'>"
        body += f"<url><loc>{h.server_state.base_url}/ok&lol9;</loc></url></urlset>"
        kind = "application/xml"
    h.send(200, body.encode(), kind)


def _big(h: Handler, path: str, q: dict[str, str]) -> None:
    """12 MB of real-looking HTML, announced (Content-Length) or not (close-delimited)."""
    size = 12 * MIB
    filler = (f"<p>{PARAGRAPH}</p>" * (size // len(PARAGRAPH) + 1)).encode()[:size]
    h.send(200, filler, HTML, length=path.endswith("with-length"))


def _header_flood(h: Handler, path: str, q: dict[str, str]) -> None:
    """A status line, then header lines as fast as the socket takes them, never a body."""
    h.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n")
    line = b"X-Flood: " + b"a" * 90 + b"\r\n"
    chunk = line * 10_000  # ~1 MB
    deadline = time.monotonic() + TARPIT_SECONDS
    with contextlib.suppress(BrokenPipeError, ConnectionResetError):
        while time.monotonic() < deadline:
            h.wfile.write(chunk)
    h.close_connection = True


def _tarpit(h: Handler, path: str, q: dict[str, str]) -> None:
    """Headers at once, then one byte every 0.2 s: never done, never idle long."""
    h.send_response(200)
    h.send_header("Content-Type", HTML)
    h.send_header("Content-Length", str(10 * MIB))
    h.end_headers()
    deadline = time.monotonic() + TARPIT_SECONDS
    try:
        while time.monotonic() < deadline:
            h.wfile.write(b" ")
            h.wfile.flush()
            time.sleep(0.2)
    except (BrokenPipeError, ConnectionResetError):
        pass


def _rate_limited(h: Handler, path: str, q: dict[str, str]) -> None:
    """/retry/after/N: 429 + Retry-After: 1 for the first N hits, then the article."""
    wanted = int(path.rsplit("/", 1)[-1])
    if h.count(path) <= wanted:
        h.send(429, b"slow down", "text/plain", {"Retry-After": "1"})
    else:
        h.send(200, good_article("Rate limited, then served"))


def _unavailable(h: Handler, path: str, q: dict[str, str]) -> None:
    h.send(503, b"down", "text/plain")


def _retry_after_long(h: Handler, path: str, q: dict[str, str]) -> None:
    h.send(429, b"come back tomorrow", "text/plain", {"Retry-After": "86400"})


def _missing(h: Handler, path: str, q: dict[str, str]) -> None:
    h.send(404, b"gone", "text/plain")


def _redirect(h: Handler, path: str, q: dict[str, str]) -> None:
    """/redirect/chain/N -> .../N-1 -> ... -> /ok; /redirect/loop/a <-> b; /redirect/to?url=."""
    parts = path.split("/")
    if parts[2] == "chain":
        n = int(parts[3])
        location = f"/redirect/chain/{n - 1}" if n > 0 else "/ok"
    elif parts[2] == "loop":
        location = "/redirect/loop/b" if parts[3] == "a" else "/redirect/loop/a"
    else:
        location = q["url"]
    h.send(302, b"", "text/plain", {"Location": location})


def _refresh(h: Handler, path: str, q: dict[str, str]) -> None:
    """/refresh/a <-> /refresh/b through <meta http-equiv="refresh">."""
    other = "/refresh/b" if path.endswith("/a") else "/refresh/a"
    head = f"<meta http-equiv='refresh' content='0; url={other}'>"
    h.send(200, f"<html><head>{head}</head><body>Moved</body></html>".encode())


def _ok(h: Handler, path: str, q: dict[str, str]) -> None:
    h.send(200, good_article("A page at the end of the redirects"))


def _binary(h: Handler, path: str, q: dict[str, str]) -> None:
    """Random-looking bytes with NULs and controls, labelled as HTML."""
    body = bytes((i * 37 + 11) % 256 for i in range(50_000))
    h.send(200, body, HTML)


def _controls(h: Handler, path: str, q: dict[str, str]) -> None:
    """No NUL, but mostly control bytes around a little text (a low text ratio)."""
    body = b"<html><body><p>hi</p>" + bytes(range(1, 9)) * 4000 + b"</body></html>"
    h.send(200, body, HTML)


def _trap_calendar(h: Handler, path: str, q: dict[str, str]) -> None:
    """/trap/calendar/N: a listing whose every page links to the next, with a session id."""
    n = int(path.rsplit("/", 1)[-1] or 0)
    sid = f"{n * 7919 % 10007:x}"
    links = "".join(f"<a href='/trap/story/{n}-{i}?sid={sid}'>story</a>" for i in range(50))
    nxt = f"<a rel='next' href='/trap/calendar/{n + 1}?sid={sid}'>next</a>"
    h.send(200, f"<html><body>{links}{nxt}</body></html>".encode())


def _trap_story(h: Handler, path: str, q: dict[str, str]) -> None:
    h.send(200, good_article(f"Trap story {path.rsplit('/', 1)[-1]}"))


def _trap_sitemap(h: Handler, path: str, q: dict[str, str]) -> None:
    """/trap/sitemap/N: a sitemap index of two deeper indexes, forever."""
    n = int(path.rsplit("/", 1)[-1])
    maps = "".join(
        f"<sitemap><loc>{h.server_state.base_url}/trap/sitemap/{2 * n + i}</loc></sitemap>"
        for i in (1, 2)
    )
    body = (
        "<?xml version='1.0' encoding='UTF-8'?>"
        f"<sitemapindex xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'>{maps}</sitemapindex>"
    )
    h.send(200, body.encode(), "application/xml")


ROUTES: dict[str, Route] = {
    "/robots.txt": _robots,
    "/feed": _feed,
    "/feed/long-link": _long_link_feed,
    "/big/with-length": _big,
    "/big/no-length": _big,
    "/tarpit": _tarpit,
    "/headers/flood": _header_flood,
    "/retry/unavailable": _unavailable,
    "/retry/after-long": _retry_after_long,
    "/missing": _missing,
    "/ok": _ok,
    "/binary/nul": _binary,
    "/binary/controls": _controls,
    "/bomb-sitemap.xml.gz": _sitemap_bomb,
    "/laughs/feed": _xml_laughs,
    "/laughs/sitemap": _xml_laughs,
}
PREFIX_ROUTES: dict[str, Route] = {
    "/bomb/": _bomb,
    "/retry/after/": _rate_limited,
    "/redirect/": _redirect,
    "/refresh/": _refresh,
    "/trap/calendar/": _trap_calendar,
    "/trap/story/": _trap_story,
    "/trap/sitemap/": _trap_sitemap,
}


def serve() -> HostileServer:
    """Start the hostile server on 127.0.0.1, a free port, in a daemon thread."""

    class BoundHandler(Handler):
        pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), BoundHandler)
    server.daemon_threads = True
    state = HostileServer(server)
    BoundHandler.server_state = state
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return state


def add_articles(server: HostileServer, count: int, prefix: str = "/story/") -> list[str]:
    """Serve `count` distinct good articles; returns their paths."""
    paths = [f"{prefix}{i:03d}" for i in range(count)]
    for i, path in enumerate(paths):
        server.pages[path] = (HTML, good_article(f"Story number {i} about open models"))
    return paths


def feed_url(base: str, *paths: str) -> str:
    from urllib.parse import urlencode

    return f"{base}/feed?{urlencode([('to', p) for p in paths])}"


def feed_source(name: str, base: str, *paths: str, **extra: str) -> str:
    """A `[[sources]]` entry: a feed on the hostile server linking to `paths`."""
    lines = [
        "[[sources]]",
        f'name = "{name}"',
        'kind = "feed"',
        f'start_urls = ["{feed_url(base, *paths)}"]',
        'language = "en"',
    ]
    lines += [f"{key} = {value}" for key, value in extra.items()]
    return "\n".join(lines) + "\n"
