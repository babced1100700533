"""Storage stage: what is already stored about article URLs, for incremental re-crawls."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from storage.models import ArticleRow

ARTICLES: sa.Table = ArticleRow.__table__  # type: ignore[assignment]
# Keep IN lists well below SQLite's bound-parameter limit.
_IN_CHUNK = 500


@dataclass(frozen=True, slots=True)
class StoredDates:
    """When a stored article was first seen and last fetched, and the dates it carries."""

    canonical_url: str
    first_seen_at: datetime
    fetched_at: datetime
    published_at: datetime | None
    modified_at: datetime | None


def stored_dates(conn: Connection, canonical_urls: Sequence[str]) -> dict[str, StoredDates]:
    """{canonical URL: its dates} for the URLs that are stored (one indexed read per 500)."""
    found: dict[str, StoredDates] = {}
    keys = sorted(set(canonical_urls))
    cols = (
        ARTICLES.c.canonical_url,
        ARTICLES.c.first_seen_at,
        ARTICLES.c.fetched_at,
        ARTICLES.c.published_at,
        ARTICLES.c.modified_at,
    )
    for start in range(0, len(keys), _IN_CHUNK):
        chunk = keys[start : start + _IN_CHUNK]
        for row in conn.execute(sa.select(*cols).where(ARTICLES.c.canonical_url.in_(chunk))):
            found[row.canonical_url] = StoredDates(
                row.canonical_url,
                row.first_seen_at,
                row.fetched_at,
                row.published_at,
                row.modified_at,
            )
    return found


def stored_hashes(conn: Connection, canonical_urls: Sequence[str]) -> dict[str, str]:
    """{canonical URL: content hash of its current body} for the URLs that are stored."""
    found: dict[str, str] = {}
    keys = sorted(set(canonical_urls))
    for start in range(0, len(keys), _IN_CHUNK):
        chunk = keys[start : start + _IN_CHUNK]
        query = sa.select(ARTICLES.c.canonical_url, ARTICLES.c.content_hash).where(
            ARTICLES.c.canonical_url.in_(chunk)
        )
        found.update({row.canonical_url: row.content_hash for row in conn.execute(query)})
    return found
