"""Fetch stage: incremental re-crawls (conditional entry points, stored articles skipped).

A real static server with Last-Modified / If-Modified-Since (the stdlib's), real crawls in
a subprocess, a real SQLite database.
"""

from __future__ import annotations

import functools
import os
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from crawlrun import crawl
from crawlsite import article_html

from crawler.incremental import refetch_reason
from storage.database import Database
from storage.freshness import StoredDates


@dataclass
class StaticSite:
    root: Path
    base_url: str
    log: list[tuple[str, int]] = field(default_factory=list)

    def write_sitemap(self, entries: dict[str, str], *, mtime_offset: float = 0) -> None:
        """A urlset of {path: lastmod}; mtime moved so Last-Modified changes between crawls."""
        rows = "".join(
            f"<url><loc>{self.base_url}{path}</loc><lastmod>{lastmod}</lastmod></url>"
            for path, lastmod in entries.items()
        )
        sitemap = self.root / "sitemap.xml"
        sitemap.write_text(
            '<?xml version="1.0" encoding="UTF-8"?>'
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{rows}</urlset>'
        )
        stamp = time.time() + mtime_offset
        os.utime(sitemap, (stamp, stamp))

    def write_article(self, path: str, title: str, extra: str = "") -> None:
        target = self.root / path.lstrip("/")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(article_html(path, title).replace("</body>", f"{extra}</body>"))

    def fetched(self) -> list[tuple[str, int]]:
        out, self.log[:] = list(self.log), []
        return out


@pytest.fixture
def static_site(tmp_path: Path) -> Iterator[StaticSite]:
    root = tmp_path / "site"
    root.mkdir()
    (root / "robots.txt").write_text("User-agent: *\nDisallow:\n")
    log: list[tuple[str, int]] = []

    class Handler(SimpleHTTPRequestHandler):
        def log_request(self, code: Any = "-", size: Any = "-") -> None:
            log.append((self.path, int(code.value if isinstance(code, HTTPStatus) else code)))

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=root))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    site = StaticSite(root, f"http://127.0.0.1:{server.server_address[1]}", log)
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()


ARTICLES = {
    "/news/a-1.html": "Open model tops reasoning benchmark",
    "/news/a-2.html": "Chip startup raises new funding round",
    "/news/a-3.html": "Regulators draft rules for AI audits",
}
OLD = "2025-01-02T03:04:05Z"


def _sources(site: StaticSite, tmp_path: Path) -> Path:
    path = tmp_path / "sources.toml"
    path.write_text(
        "[[sources]]\n"
        'name = "site"\n'
        'kind = "sitemap"\n'
        f'start_urls = ["{site.base_url}/sitemap.xml"]\n'
        'allowed_domains = ["127.0.0.1"]\n'
    )
    return path


def _published(site: StaticSite) -> StaticSite:
    for path, title in ARTICLES.items():
        site.write_article(path, title)
    site.write_sitemap(dict.fromkeys(ARTICLES, OLD), mtime_offset=-60)
    return site


def _latest_stats(db_url: str) -> dict[str, Any]:
    with Database.open(db_url) as db:
        run = db.list_runs(limit=1)[0]
    assert run.status == "finished" and run.errors == 0, run.to_dict()
    return run.stats or {}


def test_recrawl_of_unchanged_site_fetches_only_the_entry_point(
    static_site: StaticSite, tmp_path: Path, db_url: str
) -> None:
    config = _sources(_published(static_site), tmp_path)
    crawl(config, db_url)
    first = static_site.fetched()
    assert sorted(p for p, _ in first if p.startswith("/news/")) == sorted(ARTICLES)

    crawl(config, db_url)

    assert sorted(static_site.fetched()) == [("/robots.txt", 200), ("/sitemap.xml", 304)]
    stats = _latest_stats(db_url)
    assert stats["not_modified"] == 1
    with Database.open(db_url) as db:
        assert db.count_articles() == len(ARTICLES)


def test_another_database_gets_full_answers(
    static_site: StaticSite, tmp_path: Path, db_url: str
) -> None:
    # Validators belong to the database that holds the articles, not to the machine.
    config = _sources(_published(static_site), tmp_path)
    crawl(config, db_url)
    static_site.fetched()
    other = f"sqlite:///{tmp_path / 'other.db'}"

    crawl(config, other)

    fetched = static_site.fetched()
    assert ("/sitemap.xml", 200) in fetched
    with Database.open(other) as db:
        assert db.count_articles() == len(ARTICLES)


def test_changed_sitemap_fetches_new_and_redated_articles_only(
    static_site: StaticSite, tmp_path: Path, db_url: str
) -> None:
    config = _sources(_published(static_site), tmp_path)
    crawl(config, db_url)
    static_site.fetched()
    # One new article, one corrected article whose entry now carries a later date.
    static_site.write_article("/news/a-4.html", "University opens AI research centre")
    static_site.write_article("/news/a-2.html", ARTICLES["/news/a-2.html"], "<p>Correction.</p>")
    later = (datetime.now(UTC) + timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M:%SZ")
    entries = {**dict.fromkeys(ARTICLES, OLD), "/news/a-2.html": later, "/news/a-4.html": OLD}
    static_site.write_sitemap(entries, mtime_offset=60)

    crawl(config, db_url)

    pages = sorted(p for p, _ in static_site.fetched() if p.startswith("/news/"))
    assert pages == ["/news/a-2.html", "/news/a-4.html"]
    stats = _latest_stats(db_url)
    assert (stats["skipped/unchanged"], stats["refetch/changed"]) == (2, 1)
    assert (stats["articles/new"], stats["articles/updated"]) == (1, 1)
    with Database.open(db_url) as db:
        assert db.count_articles() == 4


def test_refetch_budget_caps_redated_articles(
    static_site: StaticSite, tmp_path: Path, db_url: str
) -> None:
    config = _sources(_published(static_site), tmp_path)
    crawl(config, db_url)
    static_site.fetched()
    later = (datetime.now(UTC) + timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M:%SZ")
    static_site.write_sitemap(dict.fromkeys(ARTICLES, later), mtime_offset=60)

    crawl(config, db_url, "-s", "WARTA_REFETCH_BUDGET=1")

    pages = [p for p, _ in static_site.fetched() if p.startswith("/news/")]
    assert len(pages) == 1
    stats = _latest_stats(db_url)
    assert (stats["refetch/changed"], stats["skipped/budget"]) == (1, 2)


NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
WINDOW = timedelta(hours=6)


def _stored(*, published: datetime | None, fetched: datetime) -> StoredDates:
    return StoredDates("https://example.com/a", fetched, fetched, published, None)


@pytest.mark.parametrize(
    ("stored", "entry_date", "expected"),
    [
        (None, None, "new"),
        (_stored(published=NOW - timedelta(days=3), fetched=NOW - timedelta(days=2)), None, None),
        (
            _stored(published=NOW - timedelta(days=3), fetched=NOW - timedelta(days=2)),
            NOW - timedelta(days=1),
            "changed",
        ),
        (
            _stored(published=NOW - timedelta(days=3), fetched=NOW - timedelta(days=2)),
            NOW - timedelta(days=3),
            None,
        ),
        (
            _stored(published=NOW - timedelta(hours=2), fetched=NOW - timedelta(hours=1)),
            None,
            "fresh",
        ),
        (_stored(published=None, fetched=NOW - timedelta(hours=1)), None, "fresh"),
    ],
)
def test_refetch_reason(
    stored: StoredDates | None, entry_date: datetime | None, expected: str | None
) -> None:
    assert refetch_reason(stored, entry_date, NOW, WINDOW) == expected
