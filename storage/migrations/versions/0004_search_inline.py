"""Search speed: PostgreSQL keeps each article's tsvector inline, uncompressed, in its row.

A tsvector of a news article (~3.5 kB) is past PostgreSQL's 2 kB TOAST threshold, so
migration 0003's ``article_search.document`` lived compressed in the TOAST table: every
document a search checked or ranked was fetched chunk by chunk through the TOAST index
and decompressed first. With ``STORAGE MAIN`` and a ``toast_tuple_target`` of a whole
page, a document up to ~8 kB stays in its row as is, and ranking the rank window of a
very common query costs half as much. Longer documents are still compressed, and moved
out of line only when they cannot fit.

Existing documents are copied out and back into the emptied table, in article order,
so the table is left without dead row versions, and the GIN index is built once after.
SQLite: nothing to do (FTS5 keeps its own index pages).

Revision ID: 0004_search_inline
Revises: 0003_querying
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0004_search_inline"
down_revision: str | None = "0003_querying"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The largest target PostgreSQL accepts: a row is only compressed or moved out of line
# when it would not fit a page otherwise.
TOAST_TUPLE_TARGET = 8160


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(f"ALTER TABLE article_search SET (toast_tuple_target = {TOAST_TUPLE_TARGET})")
    op.execute("ALTER TABLE article_search ALTER COLUMN document SET STORAGE MAIN")
    # Stored documents keep their old placement until written again: rewrite them.
    op.execute(
        "CREATE TEMPORARY TABLE article_search_copy AS "
        "SELECT article_id, config, document FROM article_search"
    )
    op.execute("DROP INDEX ix_article_search_document")
    op.execute("TRUNCATE article_search")
    op.execute(
        "INSERT INTO article_search (article_id, config, document) "
        "SELECT article_id, config, document FROM article_search_copy ORDER BY article_id"
    )
    op.execute("DROP TABLE article_search_copy")
    op.execute("CREATE INDEX ix_article_search_document ON article_search USING gin (document)")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("ALTER TABLE article_search ALTER COLUMN document SET STORAGE EXTENDED")
    op.execute("ALTER TABLE article_search RESET (toast_tuple_target)")
