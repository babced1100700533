"""Querying: full-text search indexes, story clusters, MinHash signatures, articles_latest view.

SQLite: an FTS5 external-content table ``articles_fts`` over articles(title, text), kept in
sync by triggers, tokenizer ``unicode61 remove_diacritics 2`` (no stemming, so Indonesian
words are not cut by English rules).
PostgreSQL: ``article_search`` holds one weighted tsvector per article (title A, body B)
built with the article language's text-search configuration (english, indonesian, else
simple), kept in sync by a trigger, with a GIN index.

Revision ID: 0003_querying
Revises: 0002_scheduler
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_querying"
down_revision: str | None = "0002_scheduler"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC_DATETIME = sa.DateTime(timezone=True)

# Frozen copy of storage.search.PG_CONFIGS as of this revision: changing the mapping
# needs a new migration that rebuilds article_search.
_PG_CONFIG_FUNCTION = """
CREATE FUNCTION warta_search_config(lang text) RETURNS regconfig
IMMUTABLE LANGUAGE sql AS $$
  SELECT CASE lower(lang)
    WHEN 'en' THEN 'english'::regconfig
    WHEN 'id' THEN 'indonesian'::regconfig
    ELSE 'simple'::regconfig
  END
$$
"""
# Bodies past this many characters are not indexed: a tsvector is capped at 1 MB, and
# an article that long is a dump, not news.
_PG_SYNC_FUNCTION = """
CREATE FUNCTION warta_article_search_sync() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  cfg regconfig := warta_search_config(NEW.language);
BEGIN
  INSERT INTO article_search (article_id, config, document)
  VALUES (
    NEW.id, cfg,
    setweight(to_tsvector(cfg, coalesce(NEW.title, '')), 'A')
      || setweight(to_tsvector(cfg, left(NEW.text, 200000)), 'B')
  )
  ON CONFLICT (article_id) DO UPDATE
    SET config = EXCLUDED.config, document = EXCLUDED.document;
  RETURN NULL;
END
$$
"""

_SQLITE_FTS = [
    "CREATE VIRTUAL TABLE articles_fts USING fts5("
    "title, text, content='articles', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN "
    "INSERT INTO articles_fts (rowid, title, text) VALUES (new.id, new.title, new.text); END",
    "CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN "
    "INSERT INTO articles_fts (articles_fts, rowid, title, text) "
    "VALUES ('delete', old.id, old.title, old.text); END",
    "CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, text ON articles BEGIN "
    "INSERT INTO articles_fts (articles_fts, rowid, title, text) "
    "VALUES ('delete', old.id, old.title, old.text); "
    "INSERT INTO articles_fts (rowid, title, text) VALUES (new.id, new.title, new.text); END",
    "INSERT INTO articles_fts (articles_fts) VALUES ('rebuild')",
]

_VIEW = """
CREATE VIEW articles_latest AS
SELECT id, canonical_url, url, source, title, text, authors, published_at, modified_at,
       language, site_name, description, tags, section, image, word_count,
       reading_time_minutes, content_hash, version, cluster_id, first_seen_at, fetched_at,
       updated_at
FROM articles
"""


def upgrade() -> None:
    op.create_table(
        "story_clusters",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("article_count", sa.Integer(), nullable=False),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.Column("updated_at", UTC_DATETIME, nullable=False),
        sa.CheckConstraint(
            "article_count >= 0", name=op.f("ck_story_clusters_article_count_not_negative")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_story_clusters")),
    )
    dialect = op.get_bind().dialect.name
    # Batch mode: SQLite rebuilds the table so the foreign key is a named table constraint.
    with op.batch_alter_table("articles") as batch:
        batch.add_column(sa.Column("cluster_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_articles_cluster_id_story_clusters"),
            "story_clusters",
            ["cluster_id"],
            ["id"],
            ondelete="SET NULL",
        )
    op.create_index(op.f("ix_articles_cluster_id"), "articles", ["cluster_id"])
    op.create_index(op.f("ix_articles_content_hash"), "articles", ["content_hash"])
    op.create_index(
        "ix_articles_when", "articles", [sa.text("coalesce(published_at, fetched_at)"), "id"]
    )
    op.create_index(
        "ix_articles_search_keys",
        "articles",
        ["id", "published_at", "fetched_at", "source", "language", "cluster_id"],
    )

    op.create_table(
        "article_signatures",
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("minhash", sa.LargeBinary(), nullable=False),
        sa.Column("computed_at", UTC_DATETIME, nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name=op.f("fk_article_signatures_article_id_articles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("article_id", name=op.f("pk_article_signatures")),
    )
    op.create_table(
        "article_signature_bands",
        sa.Column("bucket", sa.BigInteger(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("band", sa.SmallInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name=op.f("fk_article_signature_bands_article_id_articles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("bucket", "article_id", name=op.f("pk_article_signature_bands")),
    )
    op.create_index(
        op.f("ix_article_signature_bands_article_id"), "article_signature_bands", ["article_id"]
    )

    if dialect == "sqlite":
        for statement in _SQLITE_FTS:
            op.execute(statement)
    else:
        op.execute(
            "CREATE TABLE article_search ("
            "article_id integer PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE, "
            "config regconfig NOT NULL, document tsvector NOT NULL)"
        )
        op.execute("CREATE INDEX ix_article_search_document ON article_search USING gin (document)")
        op.execute(_PG_CONFIG_FUNCTION)
        op.execute(_PG_SYNC_FUNCTION)
        op.execute(
            "CREATE TRIGGER articles_search_sync AFTER INSERT OR UPDATE OF title, text, language "
            "ON articles FOR EACH ROW EXECUTE FUNCTION warta_article_search_sync()"
        )
        op.execute(
            "INSERT INTO article_search (article_id, config, document) "
            "SELECT id, warta_search_config(language), "
            "setweight(to_tsvector(warta_search_config(language), coalesce(title, '')), 'A') "
            "|| setweight(to_tsvector(warta_search_config(language), left(text, 200000)), 'B') "
            "FROM articles"
        )
    op.execute(_VIEW)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    op.execute("DROP VIEW articles_latest")
    if dialect == "sqlite":
        for name in ("articles_fts_insert", "articles_fts_delete", "articles_fts_update"):
            op.execute(f"DROP TRIGGER {name}")
        op.execute("DROP TABLE articles_fts")
    else:
        op.execute("DROP TRIGGER articles_search_sync ON articles")
        op.execute("DROP TABLE article_search")
        op.execute("DROP FUNCTION warta_article_search_sync()")
        op.execute("DROP FUNCTION warta_search_config(text)")
    op.drop_index(
        op.f("ix_article_signature_bands_article_id"), table_name="article_signature_bands"
    )
    op.drop_table("article_signature_bands")
    op.drop_table("article_signatures")
    op.drop_index("ix_articles_search_keys", table_name="articles")
    op.drop_index("ix_articles_when", table_name="articles")
    op.drop_index(op.f("ix_articles_content_hash"), table_name="articles")
    op.drop_index(op.f("ix_articles_cluster_id"), table_name="articles")
    with op.batch_alter_table("articles") as batch:
        if dialect != "sqlite":
            batch.drop_constraint(op.f("fk_articles_cluster_id_story_clusters"), type_="foreignkey")
        batch.drop_column("cluster_id")
    op.drop_table("story_clusters")
