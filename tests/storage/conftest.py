"""Storage test fixtures: a migrated Database on each backend, and PageRecord factories."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

import pytest

from pipeline.dedup import content_hash
from pipeline.types import Article

# Submodule imports: under pytest, tests/storage can shadow the package name `storage`.
from storage.database import Database
from storage.records import PageRecord

BASE_TIME = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def make_record(
    n: int,
    *,
    text: str | None = None,
    source: str = "demo",
    title: str | None = None,
    language: str = "en",
    published_at: datetime | None = None,
    fetched_at: datetime | None = None,
    raw_html: bytes | None = None,
    canonical_url: str | None = None,
    url: str | None = None,
    **fields: object,
) -> PageRecord:
    fields.setdefault("authors", ("Ada Writer",))
    fields.setdefault("tags", ("ai", "news"))
    body = text if text is not None else f"Body of article {n}.\n\nSecond paragraph."
    canonical = canonical_url or f"https://news.example/articles/{n}"
    article = Article(
        url=url or f"{canonical}?utm_source=feed",
        canonical_url=canonical,
        text=body,
        title=title if title is not None else f"Article {n}",
        published_at=published_at or BASE_TIME + timedelta(hours=n),
        language=language,
        word_count=len(body.split()),
        content_hash=content_hash(body),
        **fields,  # type: ignore[arg-type]
    )
    return PageRecord(
        article=article,
        source=source,
        raw_html=raw_html or f"<html><body><p>{body}</p></body></html>".encode(),
        fetched_at=fetched_at or BASE_TIME + timedelta(days=1),
    )


MakeRecord = Callable[..., PageRecord]


@pytest.fixture
def record() -> MakeRecord:
    """``record(n, text=..., ...)`` builds the n-th fake page."""
    return make_record


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    """A migrated, empty database on each backend."""
    with Database.open(database_url) as database:
        yield database
