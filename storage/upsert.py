"""Storage stage: the batch upsert of extracted articles, keyed by canonical URL.

One call writes one batch inside the caller's transaction. Rows are read with a row lock
(PostgreSQL) or under the write lock taken at BEGIN (SQLite), so two writers racing on the
same URL serialise; inserts use ON CONFLICT DO NOTHING so neither creates a second row.
"""

from __future__ import annotations

import logging
import sys
import zlib
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

from storage.models import ArticleRow, RawPageRow, RevisionRow
from storage.records import Outcome, PageRecord
from storage.sanitize import clean_list, clean_optional, clean_text

if sys.version_info >= (3, 14):
    from compression import zstd
else:  # the standard library's module, for older Pythons (Scrapy needs it too)
    from backports import zstd

logger = logging.getLogger(__name__)

ARTICLES: sa.Table = ArticleRow.__table__  # type: ignore[assignment]
REVISIONS: sa.Table = RevisionRow.__table__  # type: ignore[assignment]
RAW_PAGES: sa.Table = RawPageRow.__table__  # type: ignore[assignment]

_LANGUAGE_MAX = ArticleRow.__table__.c.language.type.length  # type: ignore[attr-defined]
# Keep IN lists well below SQLite's bound-parameter limit.
_IN_CHUNK = 500
# Raw pages are kept for reprocessing, not served. zstd level 1 compresses a news page in
# about a third of zlib level 3's CPU time and into fewer bytes (121 dev pages, ~190 KB:
# 0.6-0.85 against 2.0-2.3 ms, 19.6% against 21.0% of the size; 2,000 benchmark mirror pages,
# ~90 KB: 0.27 against 1.14 ms, 21.9% against 24.2%). The crawler's extraction workers
# compress the same way (crawler/extract_worker.py). Rows written as zlib stay readable.
_ZSTD_LEVEL = 1
# Every zstd frame starts with these bytes; a zlib stream never does (its first byte is
# 0x?8, the deflate method), so a compressed page says which codec made it.
_ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"

# Columns refreshed when an article's body changed (source and first_seen_at stay).
_CONTENT_COLUMNS = (
    "url",
    "title",
    "text",
    "html",
    "authors",
    "published_at",
    "published_raw",
    "modified_at",
    "modified_raw",
    "language",
    "site_name",
    "description",
    "tags",
    "section",
    "image",
    "word_count",
    "reading_time_minutes",
    "content_hash",
)


def compress_html(raw: bytes) -> bytes:
    return zstd.compress(raw, level=_ZSTD_LEVEL)


def codec_of(compressed: bytes) -> str:
    """The ``raw_pages.compression`` name of a page compressed by zstd or zlib."""
    return "zstd" if compressed[:4] == _ZSTD_MAGIC else "zlib"


def decompress_html(data: bytes, compression: str) -> bytes:
    if compression == "zstd":
        return zstd.decompress(data)
    if compression == "zlib":
        return zlib.decompress(data)
    raise ValueError(f"unknown raw page compression {compression!r}")


def _language(code: str | None, url: str) -> str | None:
    """A language code that fits its column; anything longer is not a language tag."""
    if code is None or len(code) <= _LANGUAGE_MAX:
        return clean_optional(code)
    logger.warning("Ignoring language %r of %s: not a language tag", code[:40], url)
    return None


def content_values(record: PageRecord) -> dict[str, Any]:
    """The article's columns from one record, with text made storable."""
    a = record.article
    return {
        "url": clean_text(a.url),
        "title": clean_optional(a.title),
        "text": clean_text(a.text),
        "html": clean_text(a.html),
        "authors": clean_list(a.authors),
        "published_at": a.published_at,
        "published_raw": clean_optional(a.published_raw),
        "modified_at": a.modified_at,
        "modified_raw": clean_optional(a.modified_raw),
        "language": _language(a.language, a.url),
        "site_name": clean_optional(a.site_name),
        "description": clean_optional(a.description),
        "tags": clean_list(a.tags),
        "section": clean_optional(a.section),
        "image": clean_optional(a.image),
        "word_count": a.word_count,
        "reading_time_minutes": a.reading_time_minutes,
        "content_hash": a.content_hash,
    }


def write_batch(conn: Connection, records: Sequence[PageRecord]) -> list[Outcome]:
    """Upsert ``records`` in the open transaction of ``conn``; one outcome per record."""
    outcomes: list[Outcome] = ["failed"] * len(records)
    for round_indexes in _rounds(records):
        _write_round(conn, records, round_indexes, outcomes)
    return outcomes


def _rounds(records: Sequence[PageRecord]) -> Iterator[list[int]]:
    """Split indexes so a canonical URL appears at most once per round, order kept.

    The same article reached twice in one batch (two URLs, one canonical) is then
    written twice in sequence, and the second sees the first.
    """
    pending = list(range(len(records)))
    while pending:
        seen: set[str] = set()
        this_round: list[int] = []
        later: list[int] = []
        for i in pending:
            key = clean_text(records[i].article.canonical_url)
            (later if key in seen else this_round).append(i)
            seen.add(key)
        yield this_round
        pending = later


def _write_round(
    conn: Connection, records: Sequence[PageRecord], indexes: list[int], outcomes: list[Outcome]
) -> None:
    by_key = {clean_text(records[i].article.canonical_url): i for i in indexes}
    existing = _lock_existing(conn, sorted(by_key))
    new_keys = sorted(k for k in by_key if k not in existing)
    inserted = _insert_new(conn, [(k, records[by_key[k]]) for k in new_keys])
    for key in new_keys:
        if key in inserted:
            outcomes[by_key[key]] = "new"
    # A concurrent writer inserted these between our read and our insert: now they exist.
    raced = [k for k in new_keys if k not in inserted]
    if raced:
        existing.update(_lock_existing(conn, raced))

    now = datetime.now(UTC)
    touched: list[dict[str, Any]] = []
    changed: list[dict[str, Any]] = []
    old_bodies: list[dict[str, Any]] = []
    article_ids = dict(inserted)
    for key, row in existing.items():
        i = by_key[key]
        record = records[i]
        article_ids[key] = row.id
        if row.content_hash == record.article.content_hash:
            outcomes[i] = "unchanged"
            touched.append({"b_id": row.id, "fetched_at": record.fetched_at})
            continue
        outcomes[i] = "updated"
        old_bodies.append(
            {
                "article_id": row.id,
                "version": row.version,
                "title": row.title,
                "text": row.text,
                "content_hash": row.content_hash,
                "fetched_at": row.fetched_at,
            }
        )
        values = content_values(record)
        values.update(
            b_id=row.id, version=row.version + 1, fetched_at=record.fetched_at, updated_at=now
        )
        changed.append(values)

    b_id: sa.BindParameter[int] = sa.bindparam("b_id")
    if touched:
        conn.execute(
            sa.update(ARTICLES)
            .where(ARTICLES.c.id == b_id)
            .values(fetched_at=sa.bindparam("fetched_at")),
            touched,
        )
    if old_bodies:
        conn.execute(sa.insert(REVISIONS), old_bodies)
    if changed:
        columns = (*_CONTENT_COLUMNS, "version", "fetched_at", "updated_at")
        conn.execute(
            sa.update(ARTICLES)
            .where(ARTICLES.c.id == b_id)
            .values({c: sa.bindparam(c) for c in columns}),
            changed,
        )
    _upsert_raw_pages(conn, [(article_ids[k], records[i]) for k, i in by_key.items()])


def _lock_existing(conn: Connection, keys: list[str]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    cols = (
        ARTICLES.c.id,
        ARTICLES.c.canonical_url,
        ARTICLES.c.content_hash,
        ARTICLES.c.version,
        ARTICLES.c.title,
        ARTICLES.c.text,
        ARTICLES.c.fetched_at,
    )
    for start in range(0, len(keys), _IN_CHUNK):
        chunk = keys[start : start + _IN_CHUNK]
        query = (
            sa.select(*cols)
            .where(ARTICLES.c.canonical_url.in_(chunk))
            .order_by(ARTICLES.c.canonical_url)
            .with_for_update()
        )
        for row in conn.execute(query).all():
            found[row.canonical_url] = row
    return found


def _dialect_insert(conn: Connection, table: sa.Table) -> Any:
    if conn.dialect.name == "postgresql":
        return postgresql.insert(table)
    if conn.dialect.name == "sqlite":
        return sqlite.insert(table)
    raise NotImplementedError(f"warta does not support the {conn.dialect.name} backend")


def _insert_new(conn: Connection, items: list[tuple[str, PageRecord]]) -> dict[str, int]:
    """Insert articles not seen before; return {canonical_url: id} for rows really inserted."""
    if not items:
        return {}
    now = datetime.now(UTC)
    rows = []
    for key, record in items:
        values = content_values(record)
        values.update(
            canonical_url=key,
            source=clean_text(record.source),
            version=1,
            first_seen_at=record.fetched_at,
            fetched_at=record.fetched_at,
            updated_at=now,
        )
        rows.append(values)
    stmt = (
        _dialect_insert(conn, ARTICLES)
        .on_conflict_do_nothing(index_elements=["canonical_url"])
        .returning(ARTICLES.c.canonical_url, ARTICLES.c.id)
    )
    return {row.canonical_url: row.id for row in conn.execute(stmt, rows)}


def _upsert_raw_pages(conn: Connection, items: list[tuple[int, PageRecord]]) -> None:
    """Keep only the latest raw page per article, compressed."""
    if not items:
        return
    rows = []
    for article_id, record in sorted(items, key=lambda item: item[0]):
        html = record.compressed_html
        if html is None:
            html = compress_html(record.raw_html)
        rows.append(
            {
                "article_id": article_id,
                "url": clean_text(record.article.url),
                "fetched_at": record.fetched_at,
                "status": record.status,
                "compression": codec_of(html),
                "html": html,
                "size": len(record.raw_html),
            }
        )
    stmt = _dialect_insert(conn, RAW_PAGES)
    stmt = stmt.on_conflict_do_update(
        index_elements=["article_id"],
        set_={
            c: stmt.excluded[c]
            for c in ("url", "fetched_at", "status", "compression", "html", "size")
        },
    )
    conn.execute(stmt, rows)
