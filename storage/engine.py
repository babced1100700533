"""Storage stage: engine creation with the per-backend settings warta relies on.

SQLite: WAL (readers never block the writer), a busy timeout, foreign keys, and write
transactions that take the write lock up front (``BEGIN IMMEDIATE``) so a writer waits for
the lock instead of failing with "database is locked" when it upgrades a read lock.
PostgreSQL: psycopg 3, whatever spelling of the URL the user gave.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import URL, Connection, Engine, make_url

logger = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 30_000
# Execution option read by the SQLite "begin" hook: "IMMEDIATE" for write transactions.
BEGIN_MODE_OPTION = "warta_sqlite_begin"


def normalize_url(url: str | URL) -> URL:
    """Pick the drivers warta ships with: plain ``postgresql://`` means psycopg 3."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def create_engine(url: str | URL, **kwargs: Any) -> Engine:
    """An engine for ``url`` with warta's connection settings applied."""
    parsed = normalize_url(url)
    # JSON columns stay readable from plain SQL: ["Café"], not ["Caf\\u00e9"].
    kwargs.setdefault("json_serializer", _json_dumps)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database in (None, "", ":memory:"):
            # One shared connection, or every thread would see its own empty database.
            kwargs.setdefault("poolclass", sa.StaticPool)
            kwargs.setdefault("connect_args", {"check_same_thread": False})
        engine = sa.create_engine(parsed, **kwargs)
        _configure_sqlite(engine)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    return sa.create_engine(parsed, **kwargs)


def _json_dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def writer(engine: Engine) -> Engine:
    """The same engine, whose transactions take SQLite's write lock at BEGIN.

    A no-op on other backends: PostgreSQL's row locks need no such care.
    """
    return engine.execution_options(**{BEGIN_MODE_OPTION: "IMMEDIATE"})


def _configure_sqlite(engine: Engine) -> None:
    # The recipe from SQLAlchemy's SQLite docs: stop the sqlite3 module from issuing its own
    # (late, DML-only) BEGIN, and emit ours as soon as SQLAlchemy starts a transaction.
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            cursor.execute("PRAGMA foreign_keys = ON")
            mode = cursor.execute("PRAGMA journal_mode = WAL").fetchone()
            if mode and str(mode[0]).lower() != "wal":
                # In-memory databases cannot use WAL; nothing else is expected to refuse it.
                logger.debug("SQLite journal_mode is %s, not wal", mode[0])
            # Safe with WAL (durable up to the last checkpoint) and much faster than FULL.
            cursor.execute("PRAGMA synchronous = NORMAL")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        mode = conn.get_execution_options().get(BEGIN_MODE_OPTION)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if mode == "IMMEDIATE" else "BEGIN")
