"""Fetch stage: two real workers share one crawl through the real Redis (crawler/frontier/).

Each worker is `python -m scrapy crawl news -a source=backfill` with WARTA_REDIS_URL, as on
a node; the site is served over HTTP on 127.0.0.1 and counts who fetched which path (the
workers send different User-Agents). Every test uses its own key prefix and deletes its keys.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from crawlrun import REPO, crawl_env

pytestmark = pytest.mark.slow

redis = pytest.importorskip("redis")
REDIS_URL = os.environ.get("WARTA_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
ARTICLES = 300
PER_SITEMAP = 100
ARTICLE_DELAY = 0.04  # seconds per article page: the crawl lasts long enough to share
FRONTIER = (
    "-s", "WARTA_FRONTIER_IDLE_SECONDS=2",
    "-s", "WARTA_FRONTIER_HEARTBEAT_SECONDS=0.5",
    "-s", "AUTOTHROTTLE_ENABLED=False",
    "-s", "LOG_LEVEL=INFO",
)  # fmt: skip


def article_path(i: int) -> str:
    return f"/story/{i:04d}-frontier-news.html"


def article_html(i: int) -> bytes:
    paragraphs = "".join(
        f"<p>Paragraph {n} of story {i}: a shared crawl frontier report on models, chips, "
        f"funding and policy, written with enough distinct words for story number {i}.</p>"
        for n in range(1, 5)
    )
    return (
        f"<!doctype html><html lang='en'><head><title>Frontier story {i}</title></head>"
        f"<body><article><h1>Frontier story {i}</h1>{paragraphs}</article></body></html>"
    ).encode()


def site_pages(base: str) -> dict[str, bytes]:
    ns = "xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'"
    parts = range(ARTICLES // PER_SITEMAP)
    index = "".join(f"<sitemap><loc>{base}/sitemaps/part-{p}.xml</loc></sitemap>" for p in parts)
    pages = {
        "/robots.txt": b"User-agent: *\nAllow: /\n",
        "/sitemap_index.xml": f"<sitemapindex {ns}>{index}</sitemapindex>".encode(),
    }
    for p in parts:
        urls = "".join(
            f"<url><loc>{base}{article_path(i)}</loc></url>"
            for i in range(p * PER_SITEMAP, (p + 1) * PER_SITEMAP)
        )
        pages[f"/sitemaps/part-{p}.xml"] = f"<urlset {ns}>{urls}</urlset>".encode()
    for i in range(ARTICLES):
        pages[article_path(i)] = article_html(i)
    return pages


@dataclass
class CountingSite:
    """A site on 127.0.0.1 that counts requests per (path, User-Agent)."""

    server: ThreadingHTTPServer
    pages: dict[str, bytes] = field(default_factory=dict)
    hits: Counter[tuple[str, str]] = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def base_url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}"

    def per_path(self) -> Counter[str]:
        with self.lock:
            return Counter(path for (path, _), n in self.hits.items() for _ in range(n))

    def by_worker(self, agent: str) -> int:
        with self.lock:
            return sum(n for (p, a), n in self.hits.items() if a == agent and "/story/" in p)


def serve() -> CountingSite:
    holder: list[CountingSite] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            site = holder[0]
            with site.lock:
                site.hits[self.path, self.headers.get("User-Agent", "")] += 1
            body = site.pages.get(self.path)
            if body is None:
                self.send_error(404)
                return
            if self.path.startswith("/story/"):
                time.sleep(ARTICLE_DELAY)
            self.send_response(200)
            kind = "text/html" if self.path.endswith(".html") else "application/xml"
            self.send_header("Content-Type", kind + "; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    site = CountingSite(server)
    site.pages = site_pages(site.base_url)
    holder.append(site)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return site


@pytest.fixture
def site() -> Iterator[CountingSite]:
    s = serve()
    yield s
    s.server.shutdown()
    s.server.server_close()


@pytest.fixture
def prefix() -> Iterator[str]:
    """A key prefix of this test's own; every key under it is deleted afterwards."""
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.ConnectionError as exc:
        pytest.skip(f"Redis not reachable at {REDIS_URL}: {exc}")
    name = f"warta-test-{uuid.uuid4().hex[:10]}"
    yield name
    keys = list(client.scan_iter(match=f"{name}:*"))
    if keys:
        client.delete(*keys)
    client.close()


def sources_file(tmp_path: Path, base: str) -> Path:
    path = tmp_path / "sources.toml"
    path.write_text(
        f"""
[[sources]]
name = "backfill"
kind = "sitemap"
start_urls = ["{base}/sitemap_index.xml"]
article_pattern = "/story/"
language = "en"
"""
    )
    return path


def start_worker(
    agent: str, config: Path, db_url: str, prefix: str, lease: float = 60
) -> subprocess.Popen[str]:
    """A worker as on a node; `lease`: how long it may be silent before counted dead."""
    env = crawl_env(db_url)
    env["WARTA_REDIS_URL"] = REDIS_URL
    cmd = [sys.executable, "-m", "scrapy", "crawl", "news", "-a", "source=backfill"]
    cmd += ["-a", f"config={config}", *FRONTIER, "-s", f"USER_AGENT={agent}"]
    cmd += ["-s", f"WARTA_REDIS_PREFIX={prefix}", "-s", f"WARTA_FRONTIER_LEASE_SECONDS={lease}"]
    return subprocess.Popen(
        cmd, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )


def finish(proc: subprocess.Popen[str], timeout: float = 60) -> str:
    log, _ = proc.communicate(timeout=timeout)
    assert proc.returncode == 0, log[-4000:]
    return log


def stored_urls(db_url: str) -> list[str]:
    import sqlalchemy as sa

    engine = sa.create_engine(db_url)
    with engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT canonical_url FROM articles")).scalars().all()
    engine.dispose()
    return list(rows)


def runs(db_url: str) -> list[dict[str, Any]]:
    """The crawl-run records, one per worker process (as `warta runs --format json`)."""
    from storage.database import Database

    with Database.open(db_url) as db:
        return [r.to_dict() for r in db.list_runs(source="backfill", limit=10)]


def expected_urls(site: CountingSite) -> list[str]:
    return [site.base_url + article_path(i) for i in range(ARTICLES)]


def test_two_workers_fetch_every_page_once_and_store_every_article_once(
    site: CountingSite, tmp_path: Path, prefix: str, database_url: str
) -> None:
    config = sources_file(tmp_path, site.base_url)
    workers = [start_worker(a, config, database_url, prefix) for a in ("worker-a", "worker-b")]
    logs = [finish(w) for w in workers]

    fetched = site.per_path()
    pages = [p for p in site.pages if p != "/robots.txt"]
    assert {p: fetched[p] for p in pages} == dict.fromkeys(pages, 1)
    assert site.by_worker("worker-a") > 0 and site.by_worker("worker-b") > 0
    assert sorted(stored_urls(database_url)) == sorted(expected_urls(site))
    # Each worker recorded its own run, tagged with the shared frontier run; together they
    # wrote every article once (new), never a second time (updated/unchanged).
    records = runs(database_url)
    assert [r["status"] for r in records] == ["finished", "finished"]
    assert len({r["stats"]["frontier/run"] for r in records}) == 1
    assert sum(r["articles_new"] for r in records) == ARTICLES
    assert sum(r["articles_updated"] + r["articles_unchanged"] for r in records) == 0
    # One worker seeded the run, the other only took requests from the shared queue.
    assert sum("is seeded; taking requests only" in log for log in logs) == 1
    assert not any(REDIS_URL in log for log in logs)  # a URL may carry a password
    client = redis.Redis.from_url(REDIS_URL)
    assert list(client.scan_iter(match=f"{prefix}:*")) == []  # the drained run is deleted


def test_a_killed_worker_loses_no_url(site: CountingSite, tmp_path: Path, prefix: str) -> None:
    db_url = f"sqlite:///{tmp_path / 'warta.db'}"
    config = sources_file(tmp_path, site.base_url)
    doomed = start_worker("worker-a", config, db_url, prefix, lease=3)
    survivor = start_worker("worker-b", config, db_url, prefix, lease=3)
    deadline = time.monotonic() + 60
    while site.by_worker("worker-a") < 40 or site.by_worker("worker-b") < 10:
        assert time.monotonic() < deadline, "the workers did not both start crawling"
        assert doomed.poll() is None, doomed.communicate()[0][-3000:]
        time.sleep(0.05)
    doomed.send_signal(signal.SIGKILL)
    doomed.wait()
    log = finish(survivor)

    assert sorted(stored_urls(db_url)) == sorted(expected_urls(site))
    (survivor_run,) = [r for r in runs(db_url) if r["status"] == "finished"]
    # What the killed worker had taken (fetched or not, stored or not) came back to the queue.
    assert survivor_run["stats"]["frontier/requeued"] > 0
    assert "requeued" in log


def test_fingerprints_are_warta_canonical_ones_and_expire(prefix: str) -> None:
    from scrapy import Request, Spider
    from scrapy.utils.test import get_crawler

    from crawler.frontier.scheduler import FrontierDupeFilter

    fingerprinter = "crawler.fingerprint.CanonicalURLFingerprinter"
    crawler = get_crawler(Spider, {"REQUEST_FINGERPRINTER_CLASS": fingerprinter})
    client = redis.Redis.from_url(REDIS_URL)
    seen = FrontierDupeFilter(client, f"{prefix}:fingerprints", crawler, ttl=2).request_seen

    assert not seen(Request("https://example.org/news/a.html"))
    # A tracking-parameter / fragment variant is the same article, as on one machine.
    assert seen(Request("https://example.org/news/a.html?utm_source=feed#comments"))
    assert not seen(Request("https://example.org/news/b.html"))
    time.sleep(3.1)  # Redis' clock, whole seconds: older than the 2 s TTL
    assert not seen(Request("https://example.org/news/a.html"))  # a re-crawl may fetch it
    assert seen(Request("https://example.org/news/a.html"))


def test_a_worker_takes_over_seeding_when_the_seeder_dies_before_it_finished(
    prefix: str,
) -> None:
    from crawler.frontier.scheduler import Frontier

    client = redis.Redis.from_url(REDIS_URL)
    crawl = f"{prefix}:news:backfill"
    seeder = Frontier.join(client, crawl, "worker-a", ttl=60)
    other = Frontier.join(client, crawl, "worker-b", ttl=60)
    assert seeder.created and not other.created and other.run_id == seeder.run_id
    assert seeder.seed_role() == "seed"
    # While the seeder is alive, the other worker waits rather than seeding a second time.
    assert other.seed_role() == "wait"

    # The seeder dies (kill -9: no more heartbeats, no mark_seeded). Once its heartbeat is
    # older than the lease, recovery drops it, and the next worker to ask seeds instead.
    time.sleep(2.2)  # Redis' clock, whole seconds: older than a 1 s lease
    assert other.heartbeat(60)
    other.recover(lease=1)
    assert other.seed_role() == "seed"
    assert other.seed_role() == "seed", "the new seeder keeps its role"
    late = Frontier.join(client, crawl, "worker-c", ttl=60)
    assert late.run_id == seeder.run_id and late.seed_role() == "wait"

    other.mark_seeded(60)
    assert late.seed_role() == "done"
    assert seeder.seed_role() == "done", "a seeder that comes back does not seed again"
    client.close()
