"""Storage stage: every read query, as SQLAlchemy expressions with bound parameters only."""

from __future__ import annotations

import contextlib
import json
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Row

from pipeline.urls import canonicalize_url
from storage.models import ArticleRow, CrawlRunRow, RawPageRow, RevisionRow, UTCDateTime
from storage.records import CrawlRunRecord, RawPage, Revision, StoredArticle
from storage.upsert import decompress_html

ARTICLES: sa.Table = ArticleRow.__table__  # type: ignore[assignment]
REVISIONS: sa.Table = RevisionRow.__table__  # type: ignore[assignment]
RAW_PAGES: sa.Table = RawPageRow.__table__  # type: ignore[assignment]
RUNS: sa.Table = CrawlRunRow.__table__  # type: ignore[assignment]

# Undated articles sort (and filter) by when they were fetched.
newest_first_key = sa.func.coalesce(
    ARTICLES.c.published_at, ARTICLES.c.fetched_at, type_=UTCDateTime()
)


def json_safe(value: dict[str, Any]) -> dict[str, Any]:
    """``value`` round-tripped through JSON (datetimes and other objects become strings)."""
    result: dict[str, Any] = json.loads(json.dumps(value, default=str))
    return result


def article_from_row(row: Row[Any]) -> StoredArticle:
    """A StoredArticle from a row holding every ``articles`` column."""
    m = row._mapping
    return StoredArticle(
        id=m["id"],
        url=m["url"],
        canonical_url=m["canonical_url"],
        source=m["source"],
        title=m["title"],
        text=m["text"],
        html=m["html"],
        authors=tuple(m["authors"] or ()),
        published_at=m["published_at"],
        published_raw=m["published_raw"],
        modified_at=m["modified_at"],
        modified_raw=m["modified_raw"],
        language=m["language"],
        site_name=m["site_name"],
        description=m["description"],
        tags=tuple(m["tags"] or ()),
        section=m["section"],
        image=m["image"],
        word_count=m["word_count"],
        reading_time_minutes=m["reading_time_minutes"],
        content_hash=m["content_hash"],
        version=m["version"],
        first_seen_at=m["first_seen_at"],
        fetched_at=m["fetched_at"],
        updated_at=m["updated_at"],
        cluster_id=m["cluster_id"],
    )


def _run(row: Row[Any]) -> CrawlRunRecord:
    m = row._mapping
    return CrawlRunRecord(**{name: m[name] for name in CrawlRunRecord.__dataclass_fields__})


def query_articles(
    conn: Connection,
    *,
    text: str | None = None,
    source: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    lang: str | None = None,
    limit: int | None = 20,
    offset: int = 0,
) -> list[StoredArticle]:
    query = sa.select(ARTICLES)
    if text:
        # autoescape: "%" and "_" in the user's text match literally.
        query = query.where(
            sa.or_(
                ARTICLES.c.title.icontains(text, autoescape=True),
                ARTICLES.c.text.icontains(text, autoescape=True),
            )
        )
    if source is not None:
        query = query.where(ARTICLES.c.source == source)
    if lang is not None:
        query = query.where(ARTICLES.c.language == lang.lower())
    if since is not None:
        query = query.where(newest_first_key >= since)
    if until is not None:
        query = query.where(newest_first_key < until)
    query = query.order_by(newest_first_key.desc(), ARTICLES.c.id.desc())
    query = query.limit(limit).offset(offset)
    return [article_from_row(row) for row in conn.execute(query)]


def get_article(conn: Connection, id_or_url: str | int) -> StoredArticle | None:
    if isinstance(id_or_url, int) or id_or_url.strip().isdigit():
        row = conn.execute(sa.select(ARTICLES).where(ARTICLES.c.id == int(id_or_url))).first()
        return article_from_row(row) if row else None
    url = id_or_url.strip()
    candidates = [url]
    with contextlib.suppress(ValueError):  # not canonicalizable: exact matches only
        candidates.append(canonicalize_url(url))
    query = (
        sa.select(ARTICLES)
        .where(sa.or_(ARTICLES.c.canonical_url.in_(candidates), ARTICLES.c.url == url))
        .order_by(ARTICLES.c.id)
        .limit(1)
    )
    row = conn.execute(query).first()
    return article_from_row(row) if row else None


def count_articles(conn: Connection, *, source: str | None = None) -> int:
    query = sa.select(sa.func.count()).select_from(ARTICLES)
    if source is not None:
        query = query.where(ARTICLES.c.source == source)
    return int(conn.execute(query).scalar_one())


def list_revisions(conn: Connection, article_id: int) -> list[Revision]:
    query = (
        sa.select(REVISIONS)
        .where(REVISIONS.c.article_id == article_id)
        .order_by(REVISIONS.c.version)
    )
    return [
        Revision(
            article_id=r.article_id,
            version=r.version,
            title=r.title,
            text=r.text,
            content_hash=r.content_hash,
            fetched_at=r.fetched_at,
        )
        for r in conn.execute(query)
    ]


def _raw_pages_query() -> sa.Select[Any]:
    return sa.select(RAW_PAGES, ARTICLES.c.source).join(
        ARTICLES, ARTICLES.c.id == RAW_PAGES.c.article_id
    )


def _raw_page(row: Row[Any]) -> RawPage:
    return RawPage(
        article_id=row.article_id,
        url=row.url,
        source=row.source,
        fetched_at=row.fetched_at,
        status=row.status,
        html=decompress_html(row.html, row.compression),
    )


def get_raw_page(conn: Connection, article_id: int) -> RawPage | None:
    row = conn.execute(_raw_pages_query().where(RAW_PAGES.c.article_id == article_id)).first()
    return _raw_page(row) if row else None


def raw_pages_after(
    conn: Connection, after_id: int, *, source: str | None, limit: int
) -> list[RawPage]:
    """One page of raw pages by article id (keyset pagination: constant cost per page)."""
    query = _raw_pages_query().where(RAW_PAGES.c.article_id > after_id)
    if source is not None:
        query = query.where(ARTICLES.c.source == source)
    query = query.order_by(RAW_PAGES.c.article_id).limit(limit)
    return [_raw_page(row) for row in conn.execute(query)]


def get_run(conn: Connection, run_id: int) -> CrawlRunRecord | None:
    row = conn.execute(sa.select(RUNS).where(RUNS.c.id == run_id)).first()
    return _run(row) if row else None


def list_runs(
    conn: Connection, *, source: str | None = None, limit: int = 50
) -> list[CrawlRunRecord]:
    query = sa.select(RUNS)
    if source is not None:
        query = query.where(RUNS.c.source == source)
    query = query.order_by(RUNS.c.started_at.desc(), RUNS.c.id.desc()).limit(limit)
    return [_run(row) for row in conn.execute(query)]
