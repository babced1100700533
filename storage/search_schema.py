"""Storage stage: what a SQLite table rebuild loses on ``articles``, put back after migrating.

Alembic's batch mode rebuilds ``articles`` on SQLite (copy, DROP, rename), and the DROP
takes the table's triggers with it: without them ``articles_fts`` would silently stop
following the articles. Nor can SQLAlchemy reflect the expression index
``ix_articles_when``, so the copy lacks it. ``storage.migrate`` calls
``restore_sqlite_search`` after every upgrade, so a later migration need not know.
"""

from __future__ import annotations

import logging

from sqlalchemy.engine import Connection

logger = logging.getLogger(__name__)

SQLITE_FTS_TRIGGERS = {
    "articles_fts_insert": (
        "CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN "
        "INSERT INTO articles_fts (rowid, title, text) VALUES (new.id, new.title, new.text); END"
    ),
    "articles_fts_delete": (
        "CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN "
        "INSERT INTO articles_fts (articles_fts, rowid, title, text) "
        "VALUES ('delete', old.id, old.title, old.text); END"
    ),
    "articles_fts_update": (
        "CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, text ON articles BEGIN "
        "INSERT INTO articles_fts (articles_fts, rowid, title, text) "
        "VALUES ('delete', old.id, old.title, old.text); "
        "INSERT INTO articles_fts (rowid, title, text) VALUES (new.id, new.title, new.text); END"
    ),
}


WHEN_INDEX = (
    "CREATE INDEX IF NOT EXISTS ix_articles_when "
    "ON articles (coalesce(published_at, fetched_at), id)"
)


def restore_sqlite_search(conn: Connection) -> bool:
    """Recreate missing FTS triggers (and rebuild the index); True when it had to."""
    if conn.dialect.name != "sqlite":
        return False
    names = {
        row[0]
        for row in conn.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger', 'index')"
        )
    }
    if "articles_fts" not in names or "articles" not in names:
        return False
    if "ix_articles_when" not in names:
        conn.exec_driver_sql(WHEN_INDEX)
    missing = [name for name in SQLITE_FTS_TRIGGERS if name not in names]
    if not missing:
        return False
    logger.warning("Restoring full-text triggers %s and rebuilding the index", missing)
    for name in missing:
        conn.exec_driver_sql(SQLITE_FTS_TRIGGERS[name])
    conn.exec_driver_sql("INSERT INTO articles_fts (articles_fts) VALUES ('rebuild')")
    return True
