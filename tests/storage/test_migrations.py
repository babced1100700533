"""Storage: Alembic migrations apply from empty, are idempotent, and match the models."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from storage import migrate
from storage.database import Database
from storage.models import Base
from storage.records import PageRecord

MakeRecord = Callable[..., PageRecord]

TABLES = {"articles", "article_revisions", "raw_pages", "crawl_runs", "alembic_version"}


def _tables(db: Database) -> set[str]:
    return set(sa.inspect(db.engine).get_table_names())


def test_open_migrates_an_empty_database_to_head(database_url: str) -> None:
    with Database.open(database_url) as db:
        assert _tables(db) >= TABLES
        assert db.schema_revision() == migrate.head_revision()
        assert db.upgrade() is False  # already at head: nothing to do
    with Database.open(database_url) as db:  # and again, from a new engine
        assert db.schema_revision() == migrate.head_revision()


def test_open_without_migrate_leaves_the_schema_alone(database_url: str) -> None:
    with Database.open(database_url, migrate=False) as db:
        assert db.schema_revision() is None
        assert "articles" not in _tables(db)
        assert db.upgrade() is True
        assert _tables(db) >= TABLES


def test_models_and_migrations_agree(database_url: str) -> None:
    with Database.open(database_url) as db, db.engine.connect() as conn:
        context = MigrationContext.configure(
            conn,
            opts={
                "compare_type": True,
                # Tables other components keep here (APScheduler) are not in our models.
                "include_object": lambda obj, name, type_, reflected, compare_to: (
                    not (type_ == "table" and reflected and compare_to is None)
                ),
            },
        )
        assert compare_metadata(context, Base.metadata) == []


def test_downgrade_to_base_and_back(database_url: str) -> None:
    with Database.open(database_url) as db:
        with db.engine.begin() as conn:
            command.downgrade(migrate.alembic_config(conn), "base")
        assert _tables(db) <= {"alembic_version"}
        assert db.upgrade() is True
        assert _tables(db) >= TABLES


def test_two_processes_opening_a_new_database_at_once(database_url: str) -> None:
    code = (
        "import sys; from storage.database import Database; "
        "db = Database.open(sys.argv[1]); print(db.schema_revision()); db.close()"
    )
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", code, database_url],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(3)
    ]
    outputs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0], [err for _, err in outputs]
    assert {out.strip() for out, _ in outputs} == {migrate.head_revision()}
    with Database.open(database_url, migrate=False) as db:
        assert _tables(db) >= TABLES
        with db.engine.connect() as conn:
            versions = conn.execute(sa.text("SELECT version_num FROM alembic_version")).all()
        assert [v[0] for v in versions] == [migrate.head_revision()]


def test_a_schema_from_a_newer_warta_is_refused_clearly(database_url: str) -> None:
    with Database.open(database_url) as db, db.engine.begin() as conn:
        conn.execute(sa.text("UPDATE alembic_version SET version_num = '9999_future'"))
    with pytest.raises(migrate.SchemaError, match=r"9999_future.*upgrade warta"):
        Database.open(database_url)


_BATCH_MIGRATION = '''
"""A later migration that rebuilds the articles table on SQLite (batch mode)."""
import sqlalchemy as sa
from alembic import op

revision = "9000_test_batch"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Forced on SQLite (as a type change or a dropped column would); plain ALTER elsewhere.
    recreate = "always" if op.get_context().dialect.name == "sqlite" else "auto"
    with op.batch_alter_table("articles", recreate=recreate) as batch:
        batch.add_column(sa.Column("rebuild_probe", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("articles") as batch:
        batch.drop_column("rebuild_probe")
'''


def test_a_table_rebuild_keeps_dependent_rows(
    database_url: str, tmp_path: Path, record: MakeRecord
) -> None:
    """Rebuilding ``articles`` must not cascade-delete revisions and raw pages."""
    scripts = tmp_path / "migrations"
    shutil.copytree(migrate.MIGRATIONS_DIR, scripts, ignore=shutil.ignore_patterns("__pycache__"))
    head = migrate.head_revision()
    (scripts / "versions" / "9000_test_batch.py").write_text(_BATCH_MIGRATION.format(head=head))
    with Database.open(database_url) as db:
        db.store_batch([record(1)])
        db.store_batch([record(1, text="A second body.")])
        assert migrate.upgrade(db.engine, script_location=scripts) is True
        assert db.schema_revision() == "9000_test_batch"
        article = db.get_article(record(1).article.canonical_url)
        assert article is not None and article.version == 2
        assert len(db.list_revisions(article.id)) == 1
        assert db.get_raw_page(article.id) is not None
        with db.engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT rebuild_probe FROM articles").all() == [(None,)]
            if conn.dialect.name == "sqlite":  # and the pooled connection has them back on
                assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_upgrading_stored_articles_to_inline_search_documents_keeps_them_findable(
    database_url: str, record: MakeRecord
) -> None:
    """0004 rewrites every stored search document (PostgreSQL): all stay searchable,
    ranked as before, and new articles are indexed too."""
    with Database.open(database_url) as db:
        db.store_batch([record(n, text=f"Chips story {n}. " + "chips " * n) for n in range(1, 31)])
        before = [(h.article.id, h.score) for h in db.search("chips", limit=None)]
        with db.engine.begin() as conn:
            command.downgrade(migrate.alembic_config(conn), "0003_querying")
        assert db.upgrade() is True
        assert [(h.article.id, h.score) for h in db.search("chips", limit=None)] == before
        assert len(before) == 30
        db.store_batch([record(31, text="Chips again.")])
        assert len(db.search("chips", limit=None)) == 31
        if db.backend == "postgresql":
            with db.engine.connect() as conn:
                storage = conn.exec_driver_sql(
                    "SELECT attstorage FROM pg_attribute "
                    "WHERE attrelid = 'article_search'::regclass AND attname = 'document'"
                ).scalar()
            assert storage == "m"  # kept in the row (MAIN), not moved to TOAST
