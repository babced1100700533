"""Storage: connection settings and locking behaviour (WAL, busy timeout, BEGIN IMMEDIATE)."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa

from storage.database import Database, default_database_url
from storage.engine import BUSY_TIMEOUT_MS, create_engine, normalize_url, writer
from storage.records import PageRecord

MakeRecord = Callable[..., PageRecord]


def _sqlite_path(url: str) -> str:
    path = sa.make_url(url).database
    assert path
    return path


def test_sqlite_pragmas_are_set_on_every_connection(sqlite_url: str) -> None:
    with Database.open(sqlite_url) as db:
        for _ in range(2):  # a pooled connection and a fresh one
            with db.engine.connect() as conn:
                assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
                assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == BUSY_TIMEOUT_MS
                assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            db.engine.dispose()


def test_write_transactions_take_the_write_lock_at_begin(sqlite_url: str) -> None:
    with Database.open(sqlite_url) as db:
        other = sqlite3.connect(_sqlite_path(sqlite_url), timeout=0, isolation_level=None)
        try:
            # Nothing written yet, and a second writer is already locked out.
            with (
                writer(db.engine).begin(),
                pytest.raises(sqlite3.OperationalError, match="locked"),
            ):
                other.execute("BEGIN IMMEDIATE")
            other.execute("BEGIN IMMEDIATE")
            other.execute("ROLLBACK")
            with db.engine.begin():
                # A plain (read) transaction takes no write lock.
                other.execute("BEGIN IMMEDIATE")
                other.execute("ROLLBACK")
        finally:
            other.close()


def test_a_second_writer_waits_instead_of_failing(sqlite_url: str, record: MakeRecord) -> None:
    with Database.open(sqlite_url) as first, Database.open(sqlite_url) as second:
        locked = threading.Event()
        release = threading.Event()

        def hold_write_lock() -> None:
            with writer(first.engine).begin():
                locked.set()
                release.wait(10)

        holder = threading.Thread(target=hold_write_lock)
        holder.start()
        assert locked.wait(10)
        timer = threading.Timer(0.5, release.set)
        timer.start()
        started = time.monotonic()
        result = second.store_batch([record(1), record(2)])
        waited = time.monotonic() - started
        holder.join(10)
        assert result.errors == [] and result.count("new") == 2
        assert waited >= 0.4  # it really waited for the lock, then wrote


def test_an_open_read_transaction_does_not_block_writers(
    database_url: str, record: MakeRecord
) -> None:
    with Database.open(database_url) as reader_db, Database.open(database_url) as writer_db:
        writer_db.store_batch([record(1)])
        with reader_db.engine.connect() as reader, reader.begin():
            count = sa.text("SELECT count(*) FROM articles")
            assert reader.execute(count).scalar() == 1
            errors: list[BaseException] = []

            def write() -> None:
                try:
                    writer_db.store_batch([record(2), record(1, text="edited body")])
                except BaseException as exc:  # reported to the test below
                    errors.append(exc)

            thread = threading.Thread(target=write)
            thread.start()
            thread.join(30)
            assert not thread.is_alive() and errors == []
            if reader.dialect.name == "sqlite":
                assert reader.execute(count).scalar() == 1  # still its own snapshot
        assert writer_db.count_articles() == 2
        assert reader_db.count_articles() == 2


def test_plain_postgresql_urls_use_psycopg3() -> None:
    assert normalize_url("postgresql://u@localhost/db").drivername == "postgresql+psycopg"
    assert normalize_url("postgres://u@localhost/db").drivername == "postgresql+psycopg"
    assert normalize_url("sqlite:///x.db").drivername == "sqlite"


def test_open_accepts_plain_postgresql_url(database_url: str) -> None:
    plain = database_url.replace("postgresql+psycopg://", "postgresql://")
    with Database.open(plain) as db:
        assert db.engine.dialect.driver in ("pysqlite", "psycopg")
        assert db.count_articles() == 0


def test_default_database_url(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("WARTA_DATABASE_URL", "postgresql://db.example/warta")
    assert default_database_url() == "postgresql://db.example/warta"
    monkeypatch.delenv("WARTA_DATABASE_URL")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert default_database_url() == f"sqlite:///{tmp_path / 'data' / 'warta' / 'warta.db'}"
    assert (tmp_path / "data" / "warta").is_dir()
    monkeypatch.delenv("XDG_DATA_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    expected = tmp_path / "home" / ".local" / "share" / "warta" / "warta.db"
    assert default_database_url() == f"sqlite:///{expected}"


def test_open_creates_the_sqlite_directory(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "dir" / "warta.db"
    with Database.open(f"sqlite:///{path}") as db:
        assert db.count_articles() == 0
    assert path.is_file()


def test_in_memory_database_is_shared_across_threads(record: MakeRecord) -> None:
    with Database.open("sqlite://") as db:
        db.store_batch([record(1)])
        counts: list[int] = []
        thread = threading.Thread(target=lambda: counts.append(db.count_articles()))
        thread.start()
        thread.join(10)
        assert counts == [1]


def test_an_unreachable_database_is_an_error_not_failed_rows(record: MakeRecord) -> None:
    # Port 1 on localhost: nothing listens there, the connection is refused at once.
    db = Database(create_engine("postgresql://nobody@127.0.0.1:1/none"))
    try:
        with pytest.raises(sa.exc.OperationalError):
            db.store_batch([record(1), record(2)])
    finally:
        db.close()
