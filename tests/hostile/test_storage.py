"""Bad input at the storage end: control characters, CLI payloads, concurrent writers and
readers, a full disk — on real SQLite (and PostgreSQL where the backend matters)."""

from __future__ import annotations

import dataclasses
import json
import multiprocessing
import re
import resource
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner
from harness import REPO, crawl_env, scrapy_command, start_crawl, wait_for
from server import HostileServer, add_articles, feed_source, good_article

from pipeline.extract import extract
from storage.database import Database
from storage.records import PageRecord
from warta.cli import main

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
CONTROLS = "\x00\x01\x07\x08\x0b\x1b\x7f"


def record(url: str, title: str, *, source: str = "hostile", extra: str = "") -> PageRecord:
    html = good_article(title)
    article = extract(html, url, fetched_at=NOW)
    if extra:
        article = dataclasses.replace(article, text=article.text + extra)
    return PageRecord(article, source, html, NOW)


# --- control characters ------------------------------------------------------------------------


def test_nul_and_control_characters_are_stripped_before_storage(database_url: str) -> None:
    base = record("https://example.com/a", "Plain title")
    dirty = dataclasses.replace(
        base.article,
        title=f"Bell{CONTROLS}title",
        text=f"Line one{CONTROLS}\nLine two\twith a tab",
        authors=(f"Ana{CONTROLS} Putri",),
        description=f"desc{CONTROLS}",
    )
    with Database.open(database_url) as db:  # SQLite and PostgreSQL
        result = db.store_batch([dataclasses.replace(base, article=dirty)])
        assert result.outcomes == [("https://example.com/a", "new")], result.errors
        stored = db.get_article("https://example.com/a")
    assert stored is not None
    assert stored.title == "Belltitle"
    assert stored.text == "Line one\nLine two\twith a tab"  # newline and tab are text
    assert stored.authors == ("Ana Putri",)
    assert stored.description == "desc"


# --- CLI input is data -------------------------------------------------------------------------

PAYLOADS = ["' OR 1=1 --", '"; DROP TABLE articles; --', "%", "_", "\\", "[a-z]*"]


def test_sql_injection_and_wildcards_from_the_cli_are_data(database_url: str) -> None:
    with Database.open(database_url) as db:
        db.store_batch(
            [
                record("https://example.com/a", "Chip maker grows 100% in a year"),
                record("https://example.com/b", "Open model family released"),
            ]
        )

    def query(*args: str) -> list[dict[str, object]]:
        result = CliRunner().invoke(
            main, ["--database", database_url, "query", *args, "-f", "json"]
        )
        assert result.exit_code == 0, result.output
        return list(json.loads(result.stdout))

    for payload in PAYLOADS:
        if payload.startswith('"'):
            # An unbalanced phrase quote is a usage error with a clear message, not SQL.
            result = CliRunner().invoke(main, ["--database", database_url, "query", payload])
            assert result.exit_code == 2 and "unbalanced quote" in result.output
            continue
        hits = query(payload)
        # Never a wildcard or a tautology: nothing that lacks the characters matches.
        assert all("Open model" not in str(hit["title"]) for hit in hits), (payload, hits)
        assert len(hits) <= 1, (payload, hits)
        assert query("--source", payload) == [], payload
    show = CliRunner().invoke(main, ["--database", database_url, "show", "1 OR 1=1"])
    assert show.exit_code != 0 and "no stored article matches" in show.output, show.output
    with Database.open(database_url) as db:
        assert db.count_articles() == 2  # the table is still there


# --- concurrency (SQLite: the backend where locking is the user's problem) ---------------------


@pytest.mark.slow
def test_reader_holding_a_cursor_while_a_crawl_writes_sees_no_lock_error(
    hostile: HostileServer, tmp_path: Path, sqlite_url: str
) -> None:
    paths = add_articles(hostile, 20)
    config = tmp_path / "sources.toml"
    config.write_text(feed_source("news", hostile.base_url, *paths))
    with Database.open(sqlite_url) as db:
        db.store_batch([record(f"https://example.com/{i}", f"Seed {i}") for i in range(5)])

    engine = sa.create_engine(sqlite_url)
    with engine.connect() as reader:
        # A read transaction with a half-consumed cursor, as a slow `warta query | less` has.
        rows = reader.execute(sa.text("SELECT id, title FROM articles"))
        first = rows.fetchone()
        proc = subprocess.run(
            scrapy_command(config, settings={"WARTA_STORE_BATCH_SIZE": "1"}),
            cwd=REPO,
            env=crawl_env(sqlite_url),
            capture_output=True,
            text=True,
            timeout=120,
        )
        rest = rows.fetchall()
    engine.dispose()
    log = proc.stdout + proc.stderr
    assert proc.returncode == 0, log[-3000:]
    assert "database is locked" not in log
    assert first is not None and len(rest) == 4  # the reader's snapshot: the 5 seed rows
    with Database.open(sqlite_url) as db:
        assert db.count_articles() == 25
        [run] = db.list_runs()
    assert (run.status, run.articles_new, run.errors) == ("finished", 20, 0)


def _racing_writer(url: str, start: int) -> None:
    with Database.open(url, migrate=False) as db:
        for i in range(30):
            # Overlapping keys: each batch reads what is stored, then inserts or updates.
            batch = [
                record(f"https://example.com/race/{(start + i + k) % 40}", "Race") for k in (0, 1)
            ]
            db.store_batch(batch)


@pytest.mark.slow
def test_read_then_write_transactions_racing_another_writer_never_hit_a_lock(
    sqlite_url: str,
) -> None:
    with Database.open(sqlite_url):
        pass
    ctx = multiprocessing.get_context("spawn")
    errors = ctx.Queue()
    procs = [ctx.Process(target=_race_child, args=(sqlite_url, s, errors)) for s in (0, 20)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
    failures = []
    while not errors.empty():
        failures.append(errors.get())
    assert failures == []
    assert [p.exitcode for p in procs] == [0, 0]
    with Database.open(sqlite_url) as db:
        assert db.count_articles() == 40


def _race_child(url: str, start: int, errors: multiprocessing.Queue[str]) -> None:
    try:
        _racing_writer(url, start)
    except Exception as exc:  # reported to the test, which fails with the message
        errors.put(f"{type(exc).__name__}: {exc}")


# --- a full disk -----------------------------------------------------------------------------


@pytest.mark.slow
def test_disk_full_mid_crawl_stops_cleanly_and_keeps_committed_articles(
    hostile: HostileServer, tmp_path: Path, sqlite_url: str
) -> None:
    paths = add_articles(hostile, 40)
    hostile.delays.update({p: 0.3 for p in paths})
    config = tmp_path / "sources.toml"
    config.write_text(feed_source("news", hostile.base_url, *paths))
    with Database.open(sqlite_url):
        pass
    db_file = Path(sqlite_url.removeprefix("sqlite:///"))

    proc = start_crawl(config, sqlite_url, settings={"WARTA_STORE_BATCH_SIZE": "2"})
    try:
        wait_for(lambda: count(sqlite_url) >= 4, what="a few committed batches")
        # The disk fills up: from now on no file of the crawl may grow (writes past the
        # limit fail with EFBIG, which SQLite reports as SQLITE_FULL). Applied only now
        # because the extractor's language model unpacks itself into a temporary file.
        limit = max(db_file.stat().st_size, _wal_size(db_file)) + 4096
        resource.prlimit(proc.pid, resource.RLIMIT_FSIZE, (limit, limit))
        log, _ = proc.communicate(timeout=120)
    finally:
        proc.kill()
    assert proc.returncode == 0, log[-3000:]
    # SQLite says "database or disk is full" or, when the journal cannot grow, "disk I/O error".
    assert re.search(
        r"stopping the crawl: OperationalError: (database or disk is full|disk I/O error)", log
    ), log[-3000:]
    assert log.count("stopping the crawl") == 1  # one clear error, not one per batch

    with Database.open(sqlite_url, migrate=False) as db:
        kept = db.count_articles()
        articles = db.query_articles(limit=100)
        runs = db.list_runs()
    assert 4 <= kept < 40
    assert all(a.word_count > 50 and a.title for a in articles)  # committed rows are whole
    engine = sa.create_engine(sqlite_url)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
    engine.dispose()
    # The run is closed as failed with the reason, or, when not even the run record could be
    # written, left "running" for the scheduler's recovery — never "finished".
    [run] = runs
    assert run.status in ("failed", "running"), run
    if run.status == "failed":
        assert run.finish_reason == "store_error"
        assert re.search("disk is full|disk I/O error", run.error_message or "")
        assert "Background on this error" not in (run.error_message or "")


def _wal_size(db_file: Path) -> int:
    wal = db_file.with_name(db_file.name + "-wal")
    return wal.stat().st_size if wal.exists() else 0


def count(db_url: str) -> int:
    with Database.open(db_url, migrate=False) as db:
        return db.count_articles()
