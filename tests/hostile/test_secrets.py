"""Secrets: a PostgreSQL password in the database URL never shows in logs, crawl-run records
or error messages — checked with a real role that has a password, on real crawls."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from harness import LOOPBACK, REPO, crawl_env, scrapy_command
from server import HostileServer, add_articles, feed_source
from sqlalchemy.engine import make_url

from storage.database import Database

pytestmark = pytest.mark.slow

WARTA_BIN = Path(sys.executable).with_name("warta")


@pytest.fixture
def pg_with_password(pg_server_url: str) -> Iterator[tuple[str, str]]:
    """(URL with a password, the password) for a fresh role owning a fresh schema."""
    role = f"warta_secret_{uuid.uuid4().hex[:8]}"
    password = f"Pw-{uuid.uuid4().hex}"
    admin = sa.create_engine(pg_server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f"CREATE ROLE {role} LOGIN PASSWORD '{password}'"))
        conn.execute(sa.text(f"CREATE SCHEMA {role} AUTHORIZATION {role}"))
        conn.execute(sa.text(f"ALTER ROLE {role} SET search_path = {role}"))
    url = make_url(pg_server_url).set(username=role, password=password)
    try:
        yield url.render_as_string(hide_password=False), password
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f"DROP SCHEMA IF EXISTS {role} CASCADE"))
            conn.execute(sa.text(f"DROP ROLE IF EXISTS {role}"))
        admin.dispose()


def everything_recorded(db_url: str) -> str:
    with Database.open(db_url) as db:
        return json.dumps([r.to_dict() | {"stats": r.stats} for r in db.list_runs()])


def test_password_never_appears_in_crawl_logs_or_run_records(
    pg_with_password: tuple[str, str], hostile: HostileServer, tmp_path: Path
) -> None:
    url, password = pg_with_password
    config = tmp_path / "sources.toml"
    config.write_text(feed_source("news", hostile.base_url, *add_articles(hostile, 3), "/missing"))

    # 1. scrapy crawl, the URL from the environment, everything logged (DEBUG).
    proc = subprocess.run(
        scrapy_command(config, settings={"LOG_LEVEL": "DEBUG"}),
        cwd=REPO,
        env=crawl_env(url),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert password not in proc.stdout + proc.stderr

    # 2. warta crawl, the URL as --database (a Scrapy setting in-process), verbose.
    argv = [str(WARTA_BIN), "-vv", "--config", str(config), "--database", url, "crawl"]
    env = {**os.environ, "WARTA_ALLOW_NETWORKS": LOOPBACK}
    done = subprocess.run(argv, capture_output=True, text=True, timeout=120, env=env, cwd=tmp_path)
    assert done.returncode in (0, 1), done.stderr[-3000:]  # 1: the run has an HTTP error
    assert password not in done.stdout + done.stderr
    assert "***" in done.stderr  # the URL is shown, masked

    recorded = everything_recorded(url)
    assert '"status": "finished"' in recorded  # the runs were recorded...
    assert password not in recorded  # ...without the password


def test_database_errors_do_not_echo_the_password(tmp_path: Path, hostile: HostileServer) -> None:
    # No server on port 1: the crawl fails opening the database, with a traceback in the log.
    password = f"Pw-{uuid.uuid4().hex}"
    url = f"postgresql+psycopg://warta:{password}@127.0.0.1:1/warta?connect_timeout=2"
    config = tmp_path / "sources.toml"
    config.write_text(feed_source("news", hostile.base_url, "/ok"))

    proc = subprocess.run(
        scrapy_command(config, settings={"LOG_LEVEL": "DEBUG"}),
        cwd=REPO,
        env=crawl_env(url),
        capture_output=True,
        text=True,
        timeout=120,
    )
    out = proc.stdout + proc.stderr
    assert "Connection refused" in out or "connection failed" in out, out[-3000:]
    assert password not in out
    assert hostile.hits == []  # nothing fetched without a database to keep it in
