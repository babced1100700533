"""Crashes: a crawl killed with SIGKILL mid-batch, and one paused (SIGINT) and resumed with
a job directory — real crawls, real SQLite, the hostile server's request log."""

from __future__ import annotations

import signal
from pathlib import Path

import pytest
import sqlalchemy as sa
from harness import crawl, start_crawl, wait_for
from server import HostileServer, add_articles, feed_source

from storage.database import Database

pytestmark = pytest.mark.slow

BATCH = 3


def count(db_url: str) -> int:
    with Database.open(db_url, migrate=False) as db:
        return db.count_articles()


def integrity(db_url: str) -> str:
    engine = sa.create_engine(db_url)
    with engine.connect() as conn:
        result = str(conn.exec_driver_sql("PRAGMA integrity_check").scalar())
    engine.dispose()
    return result


def test_kill_9_mid_batch_keeps_committed_batches_and_refetches_the_rest(
    hostile: HostileServer, tmp_path: Path, db_url: str
) -> None:
    paths = add_articles(hostile, 12)
    fast, slow = paths[:7], paths[7:]
    hostile.delays.update({p: 60.0 for p in slow})  # the crawl is killed while these hang
    config = tmp_path / "sources.toml"
    config.write_text(feed_source("news", hostile.base_url, *paths))
    with Database.open(db_url):
        pass  # migrated before the crawl, so the count below can poll it
    settings = {"WARTA_STORE_BATCH_SIZE": str(BATCH), "CONCURRENT_REQUESTS_PER_DOMAIN": "16"}

    proc = start_crawl(config, db_url, settings=settings)
    try:
        wait_for(lambda: all(hostile.fetched(p) for p in fast + slow), what="every page asked")
        wait_for(lambda: count(db_url) >= 6, what="two committed batches")
    finally:
        proc.kill()  # SIGKILL: no close_spider, no flush, no run record update
        proc.communicate(timeout=30)

    committed = count(db_url)
    assert committed == 6  # whole batches only: the 7th page was still in the buffer
    assert integrity(db_url) == "ok"
    with Database.open(db_url) as db:
        [run] = db.list_runs()
        stored = [db.get_article(hostile.url(p)) for p in fast]
    assert run.status == "running" and run.finished_at is None  # never "finished"
    kept = [a for a in stored if a is not None]
    assert len(kept) == 6 and all(a.word_count > 50 and a.title for a in kept)
    lost = [p for p, a in zip(fast, stored, strict=True) if a is None]

    hostile.delays.clear()
    result = crawl(config, db_url, settings=settings)
    assert result.returncode == 0, result.log[-3000:]
    assert count(db_url) == 12
    for path in lost:  # fetched but never committed: fetched again
        assert hostile.fetched(path) == 2, path
    assert integrity(db_url) == "ok"


def test_pause_with_sigint_and_resume_from_the_job_directory_fetches_each_page_once(
    hostile: HostileServer, tmp_path: Path, db_url: str
) -> None:
    paths = add_articles(hostile, 12)
    hostile.delays.update({p: 0.5 for p in paths})
    config = tmp_path / "sources.toml"
    config.write_text(feed_source("news", hostile.base_url, *paths))
    jobdir = tmp_path / "job"
    settings = {
        "JOBDIR": str(jobdir),
        "CONCURRENT_REQUESTS": "2",
        "WARTA_STORE_BATCH_SIZE": "4",
        # Not the harness's 2 s: on a loaded machine a 0.5 s page could time out, and its
        # retry is a second fetch that has nothing to do with pausing.
        "DOWNLOAD_TIMEOUT": "30",
    }

    proc = start_crawl(config, db_url, settings=settings)
    wait_for(lambda: sum(hostile.fetched(p) for p in paths) >= 4, what="four pages fetched")
    proc.send_signal(signal.SIGINT)  # Ctrl-C once: graceful stop, queue kept in JOBDIR
    log, _ = proc.communicate(timeout=60)
    assert proc.returncode == 0, log[-3000:]
    assert "Unable to serialize" not in log  # every queued request went to the disk queue
    first = count(db_url)
    assert 0 < first < 12, log[-3000:]

    hostile.delays.clear()
    result = crawl(config, db_url, settings=settings)
    assert result.returncode == 0, result.log[-3000:]

    assert count(db_url) == 12  # no page lost
    assert [hostile.fetched(p) for p in paths] == [1] * 12  # none fetched twice
    assert hostile.fetched("/feed") == 1  # the start request was seen before the pause
    with Database.open(db_url) as db:
        runs = list(reversed(db.list_runs()))
    assert [r.status for r in runs] == ["interrupted", "finished"]
    assert sum(r.articles_new for r in runs) == 12
    assert runs[1].stats and runs[1].stats.get("resumed_from") == runs[0].id


def test_kill_9_with_a_job_directory_loses_nothing_on_resume(
    hostile: HostileServer, tmp_path: Path, db_url: str
) -> None:
    # The job directory's "seen" list is only trusted after a clean stop; after SIGKILL the
    # resumed crawl fetches again whatever it cannot vouch for (stored pages: "unchanged").
    paths = add_articles(hostile, 9)
    fast, slow = paths[:5], paths[5:]
    hostile.delays.update({p: 60.0 for p in slow})
    config = tmp_path / "sources.toml"
    config.write_text(feed_source("news", hostile.base_url, *paths))
    with Database.open(db_url):
        pass
    settings = {
        "WARTA_STORE_BATCH_SIZE": str(BATCH),
        "CONCURRENT_REQUESTS_PER_DOMAIN": "16",
        "JOBDIR": str(tmp_path / "job"),
    }
    proc = start_crawl(config, db_url, settings=settings)
    try:
        wait_for(lambda: all(hostile.fetched(p) for p in paths), what="every page asked")
        wait_for(lambda: count(db_url) >= BATCH, what="one committed batch")
    finally:
        proc.kill()
        proc.communicate(timeout=30)
    assert count(db_url) == BATCH  # the other fast pages were fetched, not committed

    hostile.delays.clear()
    result = crawl(config, db_url, settings=settings)
    assert result.returncode == 0, result.log[-3000:]
    assert count(db_url) == 9
    for path in fast:
        assert hostile.fetched(path) >= 1, path
    with Database.open(db_url) as db:
        latest = db.list_runs()[0]
    assert latest.status == "finished" and latest.articles_new == 9 - BATCH, latest
