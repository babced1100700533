"""Storage stage: the SQLAlchemy 2 typed ORM models, i.e. warta's database schema.

Table and column names are meant to read well from plain SQL (sqlite3, psql, Datasette).
Every schema change goes through an Alembic migration in ``storage/migrations/versions``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

RUN_STATUSES = ("running", "finished", "failed", "interrupted")

# Stable constraint names on both backends (Alembic's batch mode on SQLite needs them).
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(sa.TypeDecorator[datetime]):
    """A timezone-aware UTC datetime on every backend.

    PostgreSQL keeps the offset (timestamptz); SQLite drops tzinfo, so values are stored as
    naive UTC and given back their UTC tzinfo on the way out. Naive input is taken as UTC.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


# JSONB on PostgreSQL so later filters (tags @> ...) can use an index; JSON text elsewhere.
JSONType = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


class Base(DeclarativeBase):
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime()}


class ArticleRow(Base):
    """The current version of one article, one row per canonical URL."""

    __tablename__ = "articles"
    __table_args__ = (
        sa.CheckConstraint("canonical_url <> ''", name="canonical_url_not_empty"),
        sa.CheckConstraint("word_count >= 0", name="word_count_not_negative"),
        sa.CheckConstraint("reading_time_minutes >= 0", name="reading_time_not_negative"),
        sa.CheckConstraint("version >= 1", name="version_positive"),
        # Covers what a search reads for each match (dates, filters, story) so SQLite
        # need not walk past the long text columns of every matching row.
        sa.Index(
            "ix_articles_search_keys",
            "id",
            "published_at",
            "fetched_at",
            "source",
            "language",
            "cluster_id",
        ),
        # Newest first (publication, else fetch time) without sorting the whole table.
        sa.Index("ix_articles_when", sa.text("coalesce(published_at, fetched_at)"), "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    canonical_url: Mapped[str] = mapped_column(sa.Text, unique=True)
    url: Mapped[str] = mapped_column(sa.Text)
    source: Mapped[str] = mapped_column(sa.String(200), index=True)
    title: Mapped[str | None] = mapped_column(sa.Text)
    text: Mapped[str] = mapped_column(sa.Text)
    html: Mapped[str] = mapped_column(sa.Text, default="")
    authors: Mapped[list[str]] = mapped_column(JSONType, default=list)
    published_at: Mapped[datetime | None] = mapped_column(index=True)
    published_raw: Mapped[str | None] = mapped_column(sa.Text)
    modified_at: Mapped[datetime | None]
    modified_raw: Mapped[str | None] = mapped_column(sa.Text)
    language: Mapped[str | None] = mapped_column(sa.String(16), index=True)
    site_name: Mapped[str | None] = mapped_column(sa.Text)
    description: Mapped[str | None] = mapped_column(sa.Text)
    tags: Mapped[list[str]] = mapped_column(JSONType, default=list)
    section: Mapped[str | None] = mapped_column(sa.Text)
    image: Mapped[str | None] = mapped_column(sa.Text)
    word_count: Mapped[int] = mapped_column(default=0)
    reading_time_minutes: Mapped[int] = mapped_column(default=0)
    content_hash: Mapped[str] = mapped_column(sa.String(128), index=True)
    version: Mapped[int] = mapped_column(default=1)
    first_seen_at: Mapped[datetime]
    fetched_at: Mapped[datetime] = mapped_column(index=True)
    updated_at: Mapped[datetime]
    # The story this article tells, shared with its near-duplicates; NULL: no duplicate yet.
    cluster_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("story_clusters.id", ondelete="SET NULL"), index=True
    )

    revisions: Mapped[list[RevisionRow]] = relationship(
        back_populates="article", cascade="all, delete-orphan", passive_deletes=True
    )


class RevisionRow(Base):
    """An earlier body of an article, kept when a later fetch changed it."""

    __tablename__ = "article_revisions"
    __table_args__ = (sa.UniqueConstraint("article_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(
        sa.ForeignKey("articles.id", ondelete="CASCADE"), index=True
    )
    version: Mapped[int]
    title: Mapped[str | None] = mapped_column(sa.Text)
    text: Mapped[str] = mapped_column(sa.Text)
    content_hash: Mapped[str] = mapped_column(sa.String(128))
    fetched_at: Mapped[datetime]

    article: Mapped[ArticleRow] = relationship(back_populates="revisions")


class RawPageRow(Base):
    """The latest raw HTML of an article, compressed, so it can be re-extracted offline."""

    __tablename__ = "raw_pages"

    article_id: Mapped[int] = mapped_column(
        sa.ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
    )
    url: Mapped[str] = mapped_column(sa.Text)
    fetched_at: Mapped[datetime]
    status: Mapped[int]
    compression: Mapped[str] = mapped_column(sa.String(16), default="zlib")
    html: Mapped[bytes] = mapped_column(sa.LargeBinary)
    size: Mapped[int] = mapped_column(default=0)  # uncompressed bytes


class CrawlRunRow(Base):
    """One crawl of one source: when, how it ended, and what it wrote."""

    __tablename__ = "crawl_runs"
    __table_args__ = (
        sa.CheckConstraint(
            "status IN ('running', 'finished', 'failed', 'interrupted')", name="status_known"
        ),
        sa.Index("ix_crawl_runs_source_started_at", "source", "started_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(sa.String(200))
    status: Mapped[str] = mapped_column(sa.String(16), default="running", index=True)
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    finish_reason: Mapped[str | None] = mapped_column(sa.String(200))
    pages: Mapped[int] = mapped_column(default=0)
    articles_new: Mapped[int] = mapped_column(default=0)
    articles_updated: Mapped[int] = mapped_column(default=0)
    articles_unchanged: Mapped[int] = mapped_column(default=0)
    errors: Mapped[int] = mapped_column(default=0)
    error_message: Mapped[str | None] = mapped_column(sa.Text)
    stats: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    # Where the crawl ran, so crash recovery can tell a dead run from a live one.
    hostname: Mapped[str | None] = mapped_column(sa.String(255))
    pid: Mapped[int | None]


class StoryClusterRow(Base):
    """One story told by several articles (near-duplicates, or one body under two URLs)."""

    __tablename__ = "story_clusters"
    __table_args__ = (sa.CheckConstraint("article_count >= 0", name="article_count_not_negative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    article_count: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class ArticleSignatureRow(Base):
    """The MinHash signature of an article's current body (pipeline.similarity)."""

    __tablename__ = "article_signatures"

    article_id: Mapped[int] = mapped_column(
        sa.ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
    )
    minhash: Mapped[bytes] = mapped_column(sa.LargeBinary)
    computed_at: Mapped[datetime]


class SignatureBandRow(Base):
    """One LSH bucket an article's signature falls in; articles sharing one are candidates."""

    __tablename__ = "article_signature_bands"

    bucket: Mapped[int] = mapped_column(sa.BigInteger, primary_key=True)
    article_id: Mapped[int] = mapped_column(
        sa.ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    band: Mapped[int] = mapped_column(sa.SmallInteger)
