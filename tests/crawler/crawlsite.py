"""Test helper for the fetch stage: a small news site served over real HTTP on 127.0.0.1.

It has an RSS 2.0 feed, an Atom feed, a sitemap index pointing at a gzipped urlset and a
Google News sitemap, a paginated listing, article pages, two broken pages and a robots.txt
that disallows /private/. Every request path is logged so tests can assert what was fetched.
"""

from __future__ import annotations

import gzip
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HTML = "text/html; charset=utf-8"
XML = "application/xml"

# Article pages by path -> (title, first words); their bodies are distinct, real paragraphs.
ARTICLES: dict[str, str] = {
    "/news/rss-1.html": "Open model tops reasoning benchmark",
    "/news/rss-2.html": "Chip startup raises new funding round",
    "/news/atom-1.html": "Lab publishes safety evaluation suite",
    "/news/sm-1.html": "Cloud provider cuts inference prices",
    "/news/sm-2.html": "Regulators draft rules for AI audits",
    "/news/gn-1.html": "",  # no <title>, no date: the Google News sitemap supplies both
    "/news/list-1.html": "Robotics firm shows warehouse humanoid",
    "/news/list-2.html": "Startup releases Indonesian language model",
    "/news/list-3.html": "University opens AI research centre",
    "/news/list-4.html": "This page sits beyond the listing page limit",
}
PRIVATE_ARTICLE = "/private/secret.html"  # linked from the RSS feed, disallowed by robots.txt
BROKEN_PAGES = ("/news/empty.html", "/news/binary.html")  # linked from the Atom feed
GN_TITLE = "Google News title for a page without one"
GN_DATE = "2026-03-04T05:06:07+07:00"
SLOW_FEED = "/slow/feed.xml"  # answers only after SLOW_SECONDS: a crawl to interrupt
SLOW_SECONDS = 20.0


def article_html(path: str, title: str) -> str:
    words = path.rsplit("/", 1)[-1].removesuffix(".html").replace("-", " ")
    paragraphs = "".join(
        f"<p>Paragraph {i} of the story about {words}: an industry report on models, chips, "
        f"funding and policy, written for the crawler tests with enough words to count.</p>"
        for i in range(1, 5)
    )
    head = f"<title>{title}</title>" if title else ""
    return (
        f"<!doctype html><html lang='en'><head><meta charset='utf-8'>{head}</head>"
        f"<body><article>{f'<h1>{title}</h1>' if title else ''}{paragraphs}</article>"
        f"</body></html>"
    )


def rss(base: str) -> str:
    items = "".join(
        f"<item><title>{t}</title><link>{base}{p}</link><author>desk@example.org (Desk)</author>"
        f"<pubDate>Mon, 02 Mar 2026 10:00:00 GMT</pubDate></item>"
        for p, t in [
            ("/news/rss-1.html", ARTICLES["/news/rss-1.html"]),
            ("/news/rss-2.html", ARTICLES["/news/rss-2.html"]),
            (PRIVATE_ARTICLE, "Private"),
            ("/news/rss-1.html?utm_source=rss", "duplicate with tracking"),
        ]
    )
    offsite = "<item><title>Elsewhere</title><link>http://offsite.invalid/a.html</link></item>"
    return (
        "<?xml version='1.0'?><rss version='2.0'><channel><title>Test RSS</title>"
        f"<link>{base}/</link><language>en</language>{items}{offsite}</channel></rss>"
    )


def atom(base: str) -> str:
    entries = "".join(
        f"<entry><title>{p}</title><link href='{base}{p}'/><id>{base}{p}</id>"
        "<updated>2026-03-01T08:00:00Z</updated><author><name>Atom Author</name></author></entry>"
        for p in ("/news/atom-1.html", *BROKEN_PAGES)
    )
    return (
        "<?xml version='1.0' encoding='utf-8'?><feed xmlns='http://www.w3.org/2005/Atom'>"
        f"<title>Test Atom</title><id>{base}/atom</id><updated>2026-03-01T08:00:00Z</updated>"
        f"{entries}</feed>"
    )


def sitemap_index(base: str) -> str:
    maps = "".join(
        f"<sitemap><loc>{base}{p}</loc></sitemap>"
        for p in ("/sitemaps/articles.xml.gz", "/sitemaps/news.xml")
    )
    return (
        "<?xml version='1.0' encoding='UTF-8'?>"
        f"<sitemapindex xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'>{maps}</sitemapindex>"
    )


def urlset(base: str) -> str:
    urls = "".join(
        f"<url><loc>{base}{p}</loc><lastmod>2026-02-01</lastmod></url>"
        for p in ("/news/sm-1.html", "/news/sm-2.html", "/about.html")
    )
    return (
        "<?xml version='1.0' encoding='UTF-8'?>"
        f"<urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'>{urls}</urlset>"
    )


def news_sitemap(base: str) -> str:
    return (
        "<?xml version='1.0' encoding='UTF-8'?>"
        "<urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9' "
        "xmlns:news='http://www.google.com/schemas/sitemap-news/0.9'>"
        f"<url><loc>{base}/news/gn-1.html</loc><news:news><news:publication>"
        "<news:name>Test News</news:name><news:language>en</news:language></news:publication>"
        f"<news:publication_date>{GN_DATE}</news:publication_date>"
        f"<news:title>{GN_TITLE}</news:title></news:news></url></urlset>"
    )


def listing(base: str, page: int) -> str:
    links = {
        1: ["/news/list-1.html", "/news/list-2.html", "/tag/models/"],
        2: ["/news/list-3.html"],
        3: ["/news/list-1.html"],
        4: ["/news/list-4.html"],
    }[page]
    anchors = "".join(f"<a href='{p}'>{p}</a>" for p in links)
    nxt = f"<a rel='next' href='/section/ai/page/{page + 1}/'>Next</a>" if page < 4 else ""
    return f"<html><body><h1>AI section {page}</h1>{anchors}{nxt}</body></html>"


def build_pages(base: str) -> dict[str, tuple[str, bytes]]:
    """path -> (content type, body) for the whole site at `base` (no trailing slash)."""
    pages: dict[str, tuple[str, bytes]] = {
        "/robots.txt": ("text/plain", b"User-agent: *\nDisallow: /private/\n"),
        "/feed/rss.xml": ("application/rss+xml", rss(base).encode()),
        "/feed/atom.xml": ("application/atom+xml", atom(base).encode()),
        "/sitemap_index.xml": (XML, sitemap_index(base).encode()),
        "/sitemaps/articles.xml.gz": ("application/gzip", gzip.compress(urlset(base).encode())),
        "/sitemaps/news.xml": (XML, news_sitemap(base).encode()),
        "/about.html": (HTML, article_html("/about.html", "About us").encode()),
        PRIVATE_ARTICLE: (HTML, article_html(PRIVATE_ARTICLE, "Private").encode()),
        "/news/empty.html": (HTML, b""),
        "/news/binary.html": (HTML, b"\x00\x01\x02\x03PNG\x00" * 200),
        "/section/ai/": (HTML, listing(base, 1).encode()),
    }
    for page in (2, 3, 4):
        pages[f"/section/ai/page/{page}/"] = (HTML, listing(base, page).encode())
    for path, title in ARTICLES.items():
        pages[path] = (HTML, article_html(path, title).encode())
    return pages


@dataclass
class FixtureSite:
    """A running fixture site; `requests` lists every path asked for, in order."""

    server: ThreadingHTTPServer
    pages: dict[str, tuple[str, bytes]]
    requests: list[str] = field(default_factory=list)

    @property
    def base_url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}"

    def url(self, path: str) -> str:
        return self.base_url + path

    def fetched(self, path: str) -> int:
        return self.requests.count(path)

    def shutdown(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def _handler(site: Callable[[], FixtureSite]) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            current = site()
            current.requests.append(self.path)
            if self.path == SLOW_FEED:
                time.sleep(SLOW_SECONDS)
            page = current.pages.get(self.path.split("?", 1)[0])
            if page is None:
                self.send_error(404)
                return
            content_type, body = page
            self.send_response(200)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass  # the request list is the log

    return Handler


def serve_site() -> FixtureSite:
    """Start the fixture site on 127.0.0.1, a free port, in a daemon thread."""
    holder: list[FixtureSite] = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(lambda: holder[0]))
    host, port = server.server_address[:2]
    site = FixtureSite(server, build_pages(f"http://{host!s}:{port}"))
    holder.append(site)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return site


def sources_toml(base: str) -> str:
    """A sources file with one source of each kind (two feeds) on the fixture site."""
    return f"""
[[sources]]
name = "rss"
kind = "feed"
start_urls = ["{base}/feed/rss.xml"]
allowed_domains = ["127.0.0.1"]
language = "en"

[[sources]]
name = "atom"
kind = "feed"
start_urls = ["{base}/feed/atom.xml"]
language = "en"

[[sources]]
name = "maps"
kind = "sitemap"
start_urls = ["{base}/sitemap_index.xml"]
article_pattern = "/news/"

[[sources]]
name = "section"
kind = "listing"
start_urls = ["{base}/section/ai/"]
article_pattern = "/news/[a-z0-9-]+\\\\.html$"

[[sources]]
name = "slow"
kind = "feed"
start_urls = ["{base}{SLOW_FEED}"]
enabled = false

[[sources]]
name = "off"
kind = "feed"
start_urls = ["{base}/feed/never.xml"]
enabled = false
"""
