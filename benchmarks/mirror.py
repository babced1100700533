"""Benchmark (crawl): a local mirror of N realistic news article pages, and a server for it.

The pages are the offline demo sites' article pages (warta.demo: WordPress-style markup,
share bars, reactions, ratings, read-time badges, related posts, newsletter and cookie
boxes, ads) with a new title, a new body drawn from the demo sentences, and the weight
of real pages added around it (inline CSS and scripts, a mega menu, a "latest" widget, a
footer link farm), about 80 KB each. Entry points: a sitemap index with sitemaps of
1,000 URLs, an RSS feed of the newest 50 articles and paginated listing pages.

    python benchmarks/mirror.py generate DIR --pages 5000 --base http://127.0.0.1:8000
    python benchmarks/mirror.py serve DIR --port 8000 [--access-log FILE]

`serve` is a threaded static server (stdlib, HTTP/1.1 keep-alive, Last-Modified and
If-Modified-Since); the benchmark prefers nginx when it is installed.
"""

from __future__ import annotations

import argparse
import functools
import random
import re
import sys
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from html import escape
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from warta.demo import kabar, modelbeat, neuralwire
from warta.demo.model import Story

SITEMAP_SIZE = 1000
FEED_SIZE = 50
LISTING_SIZE = 20
TARGET_BYTES = 80_000
MODULES = (modelbeat, neuralwire, kabar)
EPOCH = datetime(2026, 1, 1, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class MirrorPage:
    """One article of the mirror."""

    url: str
    title: str
    published: datetime


@dataclass(frozen=True, slots=True)
class Template:
    module: Any
    story: Story
    html: str


def _templates(base: str) -> list[Template]:
    out = []
    for module in MODULES:
        for story in module.STORIES:
            if story.slug == neuralwire.MISDECLARED_SLUG:
                continue  # that page's bytes are deliberately mis-encoded
            out.append(Template(module, story, module.article_page(base, story)))
    return out


def _sentences(templates: list[Template]) -> dict[str, list[str]]:
    """Sentences of the demo bodies, per site, to write new bodies with."""
    pools: dict[str, list[str]] = {}
    for t in templates:
        pool = pools.setdefault(t.module.KEY, [])
        for paragraph in t.story.paragraphs:
            pool.extend(s.strip() for s in re.split(r"(?<=[.!?])\s+", paragraph) if s.strip())
    return pools


def _body(rng: random.Random, pool: list[str], paragraphs: int) -> list[str]:
    return [" ".join(rng.choice(pool) for _ in range(rng.randint(3, 6))) for _ in range(paragraphs)]


def _site_chrome(key: str, base: str) -> tuple[str, str, str]:
    """Head, top-of-body and end-of-body boilerplate shared by every page of a site."""
    rng = random.Random(key)
    rules = "\n".join(
        f".{key}-c{i} .el-{rng.randrange(10**6):06d}{{margin:{rng.randint(0, 40)}px "
        f"{rng.randint(0, 40)}px;color:#{rng.randrange(16**6):06x};display:flex;"
        f"font:{rng.randint(11, 22)}px/1.{rng.randint(2, 8)} system-ui,sans-serif}}"
        for i in range(110)
    )
    head = f'<style id="theme-inline-css">\n{rules}\n</style>\n'
    sections = ("AI", "Models", "Chips", "Policy", "Startups", "Research", "Cloud", "Robotics")
    menu = "".join(
        f'<li class="menu-item menu-item-has-children"><a href="{base}/{key}/section/{s.lower()}/">'
        f'{s}</a><ul class="sub-menu">'
        + "".join(
            f'<li class="menu-item"><a href="{base}/{key}/section/{s.lower()}/{j}/">'
            f"{s} topic {j}</a></li>"
            for j in range(14)
        )
        + "</ul></li>"
        for s in sections
    )
    top = f'<nav class="mega-menu" aria-label="Sections"><ul class="menu">{menu}</ul></nav>\n'
    links = "".join(
        f'<li><a href="{base}/{key}/page/{w}/">{w.replace("-", " ").title()}</a></li>'
        for w in (f"footer-link-{i}" for i in range(70))
    )
    config = {f"k{i}": f"{rng.randrange(16**12):012x}" for i in range(400)}
    script = "".join(
        f"!function(e,t){{var n{i}=e.dataLayer||[];n{i}.push({{event:'w{i}',v:{rng.random():.6f}}})"
        f"}}(window,document);"
        for i in range(110)
    )
    bottom = (
        f'<footer class="link-farm"><ul>{links}</ul></footer>\n'
        f'<script id="wp-config" type="application/json">{config}</script>\n'
        f"<script>{script}</script>\n"
    )
    return head, top, bottom


def _latest(base_pages: list[MirrorPage], i: int) -> str:
    picks = [base_pages[(i * 7 + k * 131) % len(base_pages)] for k in range(25)]
    items = "".join(
        f'<li class="latest-item"><a href="{p.url}">{escape(p.title)}</a> '
        f'<span class="latest-date">{p.published:%d %b %Y}</span></li>'
        for p in picks
    )
    title = '<h2 class="widget-title">Latest</h2>'
    return f'<aside class="widget latest-news">{title}<ul>{items}</ul></aside>\n'


def _rss(pages: list[MirrorPage], base: str) -> str:
    items = "".join(
        f"<item><title>{escape(p.title)}</title><link>{p.url}</link><guid>{p.url}</guid>"
        f"<pubDate>{p.published:%a, %d %b %Y %H:%M:%S} +0000</pubDate></item>"
        for p in pages
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Mirror</title><link>{base}/</link><description>bench</description>"
        f"{items}</channel></rss>"
    )


def _urlset(pages: list[MirrorPage]) -> str:
    rows = "".join(
        f"<url><loc>{p.url}</loc><lastmod>{p.published:%Y-%m-%dT%H:%M:%SZ}</lastmod></url>"
        for p in pages
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{rows}</urlset>'
    )


def _index(urls: list[str]) -> str:
    rows = "".join(f"<sitemap><loc>{u}</loc></sitemap>" for u in urls)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{rows}</sitemapindex>'
    )


def _listing(pages: list[MirrorPage], base: str, page: int, last: int) -> str:
    items = "".join(f'<li><a href="{p.url}">{escape(p.title)}</a></li>' for p in pages)
    nxt = f'<a rel="next" href="{base}/latest/page/{page + 1}/">Next</a>' if page < last else ""
    head = "<!DOCTYPE html><html><head><title>Latest</title></head>"
    return f"{head}<body><ul>{items}</ul>{nxt}</body></html>"


def _file_for(root: Path, url: str, base: str) -> Path:
    path = url.removeprefix(base)
    target = root / path.lstrip("/")
    return target / "index.html" if path.endswith("/") else target


def generate(root: Path, count: int, base: str) -> list[MirrorPage]:
    """Write the mirror under ``root``; return its article pages (URL, title, date)."""
    base = base.rstrip("/")
    templates = _templates(base)
    pools = _sentences(templates)
    chrome = {m.KEY: _site_chrome(m.KEY, base) for m in MODULES}
    plan: list[tuple[Template, str, MirrorPage]] = []
    for i in range(count):
        t = templates[i % len(templates)]
        slug = f"{t.story.slug}-{i:05d}"
        url = base + t.module.article_path(t.story).replace(t.story.slug, slug)
        published = EPOCH - timedelta(minutes=17 * i)
        plan.append((t, slug, MirrorPage(url, f"{t.story.title}, part {i}", published)))
    pages = [p for _, _, p in plan]
    for i, (t, slug, page) in enumerate(plan):
        rng = random.Random(i)
        html = t.html.replace(t.story.slug, slug)
        html = html.replace(escape(t.story.title), escape(page.title))
        if escape(t.story.title) != t.story.title:  # the raw form too (JSON-LD)
            html = html.replace(t.story.title, page.title)
        body = _body(rng, pools[t.module.KEY], 9)
        paras = list(t.story.paragraphs)
        for old, new in zip(paras[:-1], body, strict=False):
            html = html.replace(escape(old), escape(new), 1)
        extra = "</p>\n<p>".join(escape(p) for p in body[len(paras) - 1 :])
        html = html.replace(escape(paras[-1]), extra, 1)
        head, top, bottom = chrome[t.module.KEY]
        html = html.replace("</head>", head + "</head>", 1)
        opening = re.search(r"<body[^>]*>", html)
        if opening is not None:
            html = html[: opening.end()] + top + html[opening.end() :]
        html = html.replace("</body>", _latest(pages, i) + bottom + "</body>", 1)
        target = _file_for(root, page.url, base)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(html, encoding="utf-8")
    newest = sorted(pages, key=lambda p: p.published, reverse=True)
    sitemaps = []
    for n, start in enumerate(range(0, count, SITEMAP_SIZE), 1):
        (root / "sitemaps").mkdir(exist_ok=True)
        (root / "sitemaps" / f"sitemap-{n}.xml").write_text(
            _urlset(pages[start : start + SITEMAP_SIZE]), encoding="utf-8"
        )
        sitemaps.append(f"{base}/sitemaps/sitemap-{n}.xml")
    (root / "sitemap.xml").write_text(_index(sitemaps), encoding="utf-8")
    # the first sitemap alone: a smaller crawl of the same pages (memory vs N)
    (root / "sitemap-first.xml").write_text(_index(sitemaps[:1]), encoding="utf-8")
    (root / "feed.xml").write_text(_rss(newest[:FEED_SIZE], base), encoding="utf-8")
    listing_pages = min(5, max(1, -(-count // LISTING_SIZE)))
    for page_no in range(1, listing_pages + 1):
        chunk = newest[(page_no - 1) * LISTING_SIZE : page_no * LISTING_SIZE]
        target = root / ("latest" if page_no == 1 else f"latest/page/{page_no}") / "index.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(_listing(chunk, base, page_no, listing_pages), encoding="utf-8")
    (root / "robots.txt").write_text(
        f"User-agent: *\nDisallow:\n\nSitemap: {base}/sitemap.xml\n", encoding="utf-8"
    )
    return pages


class _Handler(SimpleHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as nginx and real sites do
    extensions_map = {
        **SimpleHTTPRequestHandler.extensions_map,
        ".xml": "application/xml",
        ".html": "text/html; charset=utf-8",
    }
    access_log: Any = None

    def log_message(self, format: str, *args: Any) -> None:
        pass  # requests go to the access log (log_request); errors are not the point here

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        if self.access_log is not None:
            status = code.value if isinstance(code, HTTPStatus) else code
            self.access_log.write(f"{self.command} {self.path} {status}\n")


def serve(root: Path, port: int, access_log: Path | None) -> None:
    """Serve ``root`` on 127.0.0.1:port until killed."""
    handler = functools.partial(_Handler, directory=str(root))
    if access_log is not None:
        _Handler.access_log = access_log.open("a", buffering=1, encoding="utf-8")
    ThreadingHTTPServer.request_queue_size = 256
    ThreadingHTTPServer.daemon_threads = True
    with ThreadingHTTPServer(("127.0.0.1", port), handler) as server:
        print(f"serving {root} on http://127.0.0.1:{server.server_address[1]}", flush=True)
        server.serve_forever()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    gen = sub.add_parser("generate")
    gen.add_argument("root", type=Path)
    gen.add_argument("--pages", type=int, default=5000)
    gen.add_argument("--base", required=True)
    srv = sub.add_parser("serve")
    srv.add_argument("root", type=Path)
    srv.add_argument("--port", type=int, default=0)
    srv.add_argument("--access-log", type=Path)
    args = parser.parse_args(argv)
    if args.command == "generate":
        pages = generate(args.root, args.pages, args.base)
        print(f"{len(pages)} article pages under {args.root}")
    else:
        serve(args.root, args.port, args.access_log)


if __name__ == "__main__":
    main()
