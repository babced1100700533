"""Storage stage: apply Alembic migrations from code, from any directory or installed package.

Safe when several processes open the database at once: the upgrade runs inside one write
transaction that holds SQLite's write lock (BEGIN IMMEDIATE) or a PostgreSQL advisory lock,
so the second process waits, then finds the schema already at head.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy.engine import Connection, Engine

from storage.engine import writer
from storage.search_schema import restore_sqlite_search

logger = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
# pg_advisory_xact_lock key: any fixed bigint; this one spells "warta" in ASCII.
_PG_LOCK_KEY = 0x7761727461


def _unzipped_migrations() -> Path:
    """The migration scripts copied to a temporary folder: Alembic reads only real files.

    Needed when warta is imported from a zip (a Scrapyd node runs the egg unextracted).
    """
    import atexit
    import shutil
    import tempfile
    from importlib.resources import files

    target = Path(tempfile.mkdtemp(prefix="warta-migrations-"))
    atexit.register(shutil.rmtree, target, ignore_errors=True)
    source = files("storage") / "migrations"
    for folder, sub in ((source, target), (source / "versions", target / "versions")):
        sub.mkdir(exist_ok=True)
        for item in folder.iterdir():
            if item.is_file() and item.name.endswith((".py", ".mako")):
                (sub / item.name).write_bytes(item.read_bytes())
    return target


if not MIGRATIONS_DIR.is_dir():
    MIGRATIONS_DIR = _unzipped_migrations()


class SchemaError(RuntimeError):
    """The database schema cannot be brought to what this warta expects."""


def alembic_config(
    connection: Connection | None = None, *, script_location: Path = MIGRATIONS_DIR
) -> Config:
    """An Alembic config built in code; ``connection`` is used by env.py when given."""
    cfg = Config()
    cfg.set_main_option("script_location", str(script_location))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def head_revision(script_location: Path = MIGRATIONS_DIR) -> str | None:
    config = alembic_config(script_location=script_location)
    return ScriptDirectory.from_config(config).get_current_head()


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at (None for an empty database)."""
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(
    engine: Engine, revision: str = "head", *, script_location: Path = MIGRATIONS_DIR
) -> bool:
    """Bring the schema to ``revision``; return True when something was applied."""
    target = head_revision(script_location) if revision == "head" else revision
    if current_revision(engine) == target:
        # The common case, checked without the write lock so opening the database for a
        # query never waits behind a crawl's write transaction.
        return False
    with writer(engine).connect() as conn, _sqlite_foreign_keys_off(conn), conn.begin():
        if conn.dialect.name == "postgresql":
            conn.execute(sa.select(sa.func.pg_advisory_xact_lock(_PG_LOCK_KEY)))
        before = MigrationContext.configure(conn).get_current_revision()
        if before == target:
            return False
        _check_known(before, script_location)
        logger.info("Migrating database schema from %s to %s", before, target)
        command.upgrade(alembic_config(conn, script_location=script_location), revision)
        restore_sqlite_search(conn)
        _check_foreign_keys(conn)
    return True


@contextlib.contextmanager
def _sqlite_foreign_keys_off(conn: Connection) -> Iterator[None]:
    """Switch SQLite's foreign keys off while migrating.

    Alembic's batch mode rebuilds a table (copy, DROP, rename); with foreign keys on, the
    DROP of ``articles`` would cascade-delete every revision and raw page. The pragma is a
    no-op inside a transaction, so it is set on the bare connection before BEGIN.
    ``legacy_alter_table`` keeps the final RENAME from re-checking views on ``articles``
    (``articles_latest``), which would fail while the table is briefly gone.
    """
    if conn.dialect.name != "sqlite":
        yield
        return
    dbapi = conn.connection.dbapi_connection
    assert dbapi is not None
    dbapi.execute("PRAGMA foreign_keys = OFF")
    dbapi.execute("PRAGMA legacy_alter_table = ON")
    try:
        yield
    finally:
        dbapi.execute("PRAGMA legacy_alter_table = OFF")
        dbapi.execute("PRAGMA foreign_keys = ON")


def _check_foreign_keys(conn: Connection) -> None:
    if conn.dialect.name != "sqlite":
        return  # PostgreSQL checks every constraint as the migration runs
    problems = conn.exec_driver_sql("PRAGMA foreign_key_check").all()
    if problems:
        raise SchemaError(f"migration left rows with broken foreign keys: {problems[:5]}")


def _check_known(revision: str | None, script_location: Path) -> None:
    """A database migrated by a newer warta is refused with a message, not a traceback."""
    if revision is None:
        return
    script = ScriptDirectory.from_config(alembic_config(script_location=script_location))
    try:
        script.get_revision(revision)
    except CommandError:
        raise SchemaError(
            f"the database schema is at revision {revision!r}, which this version of warta "
            f"does not know (its newest is {script.get_current_head()!r}); upgrade warta"
        ) from None
