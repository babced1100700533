"""Fetch stage, end to end: real `scrapy crawl news` runs against the fixture site over HTTP,
checked through the real database."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import textwrap
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from crawlrun import REPO, crawl, crawl_env, scrapy
from crawlsite import ARTICLES, GN_TITLE, PRIVATE_ARTICLE, SLOW_FEED, FixtureSite

from storage.database import Database

pytestmark = pytest.mark.slow

BEYOND_LISTING_LIMIT = "/news/list-4.html"  # only linked from listing page 4 (limit: 3)
STORED = [p for p in ARTICLES if p != BEYOND_LISTING_LIMIT]
# source -> (pages fetched, new articles, extract/HTTP errors); see crawlsite.py for the site.
EXPECTED_RUNS = {
    "rss": (3, 2, 0),  # feed + 2 articles (the utm_source duplicate of rss-1 is not fetched)
    "atom": (4, 1, 2),  # feed + atom-1 + the empty and the binary page
    "maps": (6, 3, 0),  # index + gzipped urlset + news sitemap + 3 articles
    "section": (6, 3, 0),  # 3 listing pages + 3 articles
}


def runs_by_source(db: Database) -> dict[str, dict[str, object]]:
    return {r.source: r.to_dict() for r in reversed(db.list_runs())}


def test_crawl_stores_every_article_once_and_records_one_run_per_source(
    site: FixtureSite, config_file: Path, database_url: str
) -> None:
    db_url = database_url  # SQLite and PostgreSQL
    crawl(config_file, db_url)

    with Database.open(db_url) as db:
        assert db.count_articles() == len(STORED)
        for path in STORED:
            article = db.get_article(site.url(path))
            assert article is not None, path
        assert db.get_article(site.url(BEYOND_LISTING_LIMIT)) is None
        assert db.get_article(site.url("/about.html")) is None  # sitemap article_pattern
        assert db.count_articles(source="maps") == 3
        gn = db.get_article(site.url("/news/gn-1.html"))
        runs = runs_by_source(db)

    # Google News sitemap fields fill what the page lacks.
    assert gn is not None
    assert gn.title == GN_TITLE
    assert (
        gn.published_at is not None and gn.published_at.isoformat() == "2026-03-03T22:06:07+00:00"
    )

    # robots.txt is obeyed; listing pagination stops at WARTA_LISTING_MAX_PAGES.
    assert site.fetched("/robots.txt") == 1
    assert site.fetched(PRIVATE_ARTICLE) == 0
    assert site.fetched("/section/ai/page/3/") == 1
    assert site.fetched("/section/ai/page/4/") == 0

    assert set(runs) == set(EXPECTED_RUNS)  # the disabled source is not crawled
    for source, (pages, new, errors) in EXPECTED_RUNS.items():
        run = runs[source]
        assert run["status"] == "finished", run
        assert run["finish_reason"] == "finished", run
        assert run["finished_at"] is not None
        assert (run["pages"], run["articles_new"], run["errors"]) == (pages, new, errors), run
        assert run["articles_updated"] == 0
    # The broken pages are errors of their source, named in the run record.
    message = str(runs["atom"]["error_message"])
    assert "empty.html" in message and "binary.html" in message
    # The tracking-parameter duplicate shares rss-1's fingerprint: fetched once, stored once.
    assert site.fetched("/news/rss-1.html?utm_source=rss") + site.fetched("/news/rss-1.html") == 1
    assert runs["rss"]["articles_unchanged"] == 0


def test_second_identical_crawl_adds_no_rows_and_refetches_no_dated_article(
    site: FixtureSite, config_file: Path, database_url: str
) -> None:
    db_url = database_url  # SQLite and PostgreSQL
    crawl(config_file, db_url)
    crawl(config_file, db_url)

    with Database.open(db_url) as db:
        assert db.count_articles() == len(STORED)
        runs = db.list_runs()
        assert len(runs) == 2 * len(EXPECTED_RUNS)
        latest = runs_by_source(db)
        versions = {db.get_article(site.url(p)).version for p in STORED}  # type: ignore[union-attr]
    assert versions == {1}
    for source, (_, new, _) in EXPECTED_RUNS.items():
        run = latest[source]
        stats: dict[str, int] = run["stats"] or {}  # type: ignore[assignment]
        assert run["articles_new"] == 0 and run["articles_updated"] == 0, run
        # Each stored article is accounted for: skipped, or fetched again (still inside
        # the refresh window) and found unchanged.
        unchanged = int(run["articles_unchanged"])  # type: ignore[call-overload]
        assert unchanged + stats.get("skipped/unchanged", 0) == new, run
    # Feed and sitemap entries dated before the first fetch, months ago: not fetched again.
    for path in ("/news/rss-1.html", "/news/rss-2.html", "/news/atom-1.html"):
        assert site.fetched(path) == 1, path
    assert latest["rss"]["stats"]["skipped/unchanged"] == 2  # type: ignore[index]


def _redate_feed_entry(site: FixtureSite, path: str, when: datetime) -> None:
    """Give the RSS item of ``path`` a new pubDate (a corrected story shows a newer date)."""
    content_type, feed = site.pages["/feed/rss.xml"]
    head, rest = feed.split(f"<link>{site.url(path)}</link>".encode(), 1)
    item, tail = rest.split(b"</item>", 1)
    start = item.index(b"<pubDate>")
    end = item.index(b"</pubDate>")
    redated = item[:start] + b"<pubDate>" + format_datetime(when, usegmt=True).encode() + item[end:]
    site.pages["/feed/rss.xml"] = (
        content_type,
        head + f"<link>{site.url(path)}</link>".encode() + redated + b"</item>" + tail,
    )


def _correct(site: FixtureSite, path: str) -> None:
    content_type, body = site.pages[path]
    site.pages[path] = (content_type, body.replace(b"Paragraph 1 ", b"Corrected paragraph 1 "))


def test_corrected_article_with_a_newer_feed_date_is_updated_on_the_next_crawl(
    site: FixtureSite, config_file: Path, db_url: str
) -> None:
    crawl(config_file, db_url, "-a", "source=rss")
    path = "/news/rss-2.html"
    _correct(site, path)
    _redate_feed_entry(site, path, datetime.now(UTC) + timedelta(minutes=5))
    crawl(config_file, db_url, "-a", "source=rss")

    with Database.open(db_url) as db:
        article = db.get_article(site.url(path))
        latest = db.list_runs(source="rss")[0]
        assert db.count_articles() == 2
    assert article is not None and article.version == 2
    assert "Corrected paragraph 1" in article.text
    assert (latest.articles_new, latest.articles_updated, latest.articles_unchanged) == (0, 1, 0)
    stats = latest.stats or {}
    assert (stats["refetch/changed"], stats["skipped/unchanged"]) == (1, 1)
    assert site.fetched("/news/rss-1.html") == 1


def test_full_recheck_refetches_stored_articles_whose_entries_show_no_change(
    site: FixtureSite, config_file: Path, db_url: str
) -> None:
    crawl(config_file, db_url, "-a", "source=rss")
    path = "/news/rss-2.html"
    _correct(site, path)  # silently: the feed entry keeps its old date

    crawl(config_file, db_url, "-a", "source=rss")
    assert site.fetched(path) == 1
    with Database.open(db_url) as db:
        assert db.get_article(site.url(path)).version == 1  # type: ignore[union-attr]

    crawl(config_file, db_url, "-a", "source=rss", "-s", "WARTA_SKIP_STORED=False")
    with Database.open(db_url) as db:
        article = db.get_article(site.url(path))
        latest = db.list_runs(source="rss")[0]
    assert site.fetched(path) == 2
    assert article is not None and article.version == 2
    assert "Corrected paragraph 1" in article.text
    assert (latest.articles_new, latest.articles_updated, latest.articles_unchanged) == (0, 1, 1)


def test_database_failure_stops_the_crawl_and_fails_the_run(config_file: Path, db_url: str) -> None:
    # A migrated database whose articles table is gone: every write fails at the database
    # level (not one bad row), so the crawl stops instead of fetching pages it cannot keep.
    with Database.open(db_url):
        pass
    engine = sa.create_engine(db_url)
    with engine.begin() as conn:
        conn.execute(sa.text("DROP TABLE articles"))
    engine.dispose()

    result = crawl(config_file, db_url, "-a", "source=maps", "-s", "WARTA_STORE_BATCH_SIZE=1")

    assert "stopping the crawl" in result.log
    with Database.open(db_url) as db:
        [run] = db.list_runs()
    assert (run.status, run.finish_reason) == ("failed", "store_error")
    assert run.errors >= 1 and run.articles_new == 0
    assert "OperationalError" in (run.error_message or "")


def test_named_source_only_crawls_that_source(
    site: FixtureSite, config_file: Path, db_url: str
) -> None:
    crawl(config_file, db_url, "-a", "source=maps,atom")

    with Database.open(db_url) as db:
        assert db.count_articles() == 4
        assert set(runs_by_source(db)) == {"maps", "atom"}
    assert site.fetched("/feed/rss.xml") == 0
    assert site.fetched("/section/ai/") == 0


def test_single_url_stores_that_page(site: FixtureSite, config_file: Path, db_url: str) -> None:
    url = site.url("/news/list-2.html")
    crawl(config_file, db_url, "-a", f"url={url}", "-a", "source=section")

    with Database.open(db_url) as db:
        assert db.count_articles() == 1
        article = db.get_article(url)
        runs = db.list_runs()
    assert article is not None and article.source == "section"
    assert [(r.source, r.articles_new, r.pages, r.status) for r in runs] == [
        ("section", 1, 1, "finished")
    ]
    assert site.fetched("/section/ai/") == 0  # no entry point was crawled


def test_interrupted_crawl_is_recorded_as_interrupted(
    site: FixtureSite, config_file: Path, db_url: str
) -> None:
    cmd = [sys.executable, "-m", "scrapy", "crawl", "news", "-a", f"config={config_file}"]
    proc = subprocess.Popen(
        [*cmd, "-a", "source=slow", "-s", "DOWNLOAD_TIMEOUT=3"],
        cwd=REPO,
        env=crawl_env(db_url),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    deadline = time.monotonic() + 60
    while site.fetched(SLOW_FEED) == 0 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert site.fetched(SLOW_FEED) == 1
    proc.send_signal(signal.SIGINT)  # Ctrl-C: Scrapy shuts down gracefully
    log, _ = proc.communicate(timeout=60)
    assert proc.returncode == 0, log[-4000:]

    with Database.open(db_url) as db:
        [run] = db.list_runs()
    assert (run.source, run.status, run.finish_reason) == ("slow", "interrupted", "shutdown")
    assert run.finished_at is not None


def test_unknown_source_is_a_clear_error(config_file: Path, db_url: str) -> None:
    result = scrapy(
        "crawl", "news", "-a", f"config={config_file}", "-a", "source=nope", db_url=db_url
    )
    assert result.returncode != 0
    assert "unknown source(s) nope" in result.log


def test_scrapy_list_shows_the_news_spider(db_url: str) -> None:
    result = scrapy("list", db_url=db_url)
    assert result.returncode == 0, result.log
    assert result.log.split() == ["news"]


RUN_CRAWL_SCRIPT = textwrap.dedent(
    """
    import json, sys
    from crawler.run import run_crawl

    pages = []
    runs = run_crawl(
        sources=["rss"],
        config_path=sys.argv[1],
        database_url=sys.argv[2],
        settings={"AUTOTHROTTLE_ENABLED": False, "LOG_LEVEL": "WARNING"},
        on_page=lambda url, outcome: pages.append([url, outcome]),
    )
    print(json.dumps({"runs": runs, "pages": pages}))
    """
)


def test_run_crawl_returns_run_dicts_and_reports_each_page(
    site: FixtureSite, config_file: Path, db_url: str, tmp_path: Path
) -> None:
    # Another working directory: run_crawl must find crawler.settings on its own.
    proc = subprocess.run(
        [sys.executable, "-c", RUN_CRAWL_SCRIPT, str(config_file), db_url],
        cwd=tmp_path,
        env={**crawl_env(db_url), "PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr[-4000:]
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    [run] = out["runs"]
    assert run["source"] == "rss"
    assert run["status"] == "finished" and run["finish_reason"] == "finished"
    assert (run["pages"], run["articles_new"], run["articles_unchanged"]) == (3, 2, 0)
    urls = sorted(url for url, _ in out["pages"])
    assert urls == sorted(site.url(p) for p in ("/news/rss-1.html", "/news/rss-2.html"))
    assert sorted(outcome for _, outcome in out["pages"]) == ["new", "new"]
