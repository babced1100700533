"""Storage stage: the plain types that cross into and out of the database layer."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from pipeline.similarity import Signature
from pipeline.types import Article

Outcome = Literal["new", "updated", "unchanged", "failed"]
RunStatus = Literal["running", "finished", "failed", "interrupted"]


@dataclass(frozen=True, slots=True)
class PageRecord:
    """One fetched and extracted page, ready to be upserted.

    ``signature``: the MinHash of ``article.text`` when the extractor's process already
    computed it (storage signs the body itself otherwise). ``compressed_html``: a zstd
    frame (or zlib stream) of ``raw_html`` when the extractor's process already made it
    (storage compresses the page itself otherwise).
    """

    article: Article
    source: str
    raw_html: bytes
    fetched_at: datetime
    status: int = 200
    signature: Signature | None = None
    compressed_html: bytes | None = None


@dataclass(slots=True)
class StoreResult:
    """What one batch write did, row by row and in total.

    ``outcomes`` has one entry per input record, in input order, keyed by the page URL
    (``article.url``); ``errors`` holds (page URL, message) for each "failed" outcome.
    """

    outcomes: list[tuple[str, Outcome]] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)

    def count(self, outcome: Outcome) -> int:
        return sum(1 for _, o in self.outcomes if o == outcome)


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


@dataclass(frozen=True, slots=True)
class StoredArticle:
    """An article as stored: the extracted fields plus what the database knows about it."""

    id: int
    url: str
    canonical_url: str
    source: str
    title: str | None
    text: str
    html: str
    authors: tuple[str, ...]
    published_at: datetime | None
    published_raw: str | None
    modified_at: datetime | None
    modified_raw: str | None
    language: str | None
    site_name: str | None
    description: str | None
    tags: tuple[str, ...]
    section: str | None
    image: str | None
    word_count: int
    reading_time_minutes: int
    content_hash: str
    version: int
    first_seen_at: datetime
    fetched_at: datetime
    updated_at: datetime
    cluster_id: int | None = None  # the story shared with near-duplicates, if any

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready mapping: dates as ISO 8601 UTC strings, tuples as lists."""
        out: dict[str, Any] = {}
        for name in self.__dataclass_fields__:
            value = getattr(self, name)
            if isinstance(value, datetime):
                value = _iso(value)
            elif isinstance(value, tuple):
                value = list(value)
            out[name] = value
        return out


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One search result: the article, a highlighted snippet, its relevance score.

    ``duplicates`` counts the other matching articles of the same story (``--dedupe``).
    """

    article: StoredArticle
    snippet: str | None = None
    score: float | None = None
    duplicates: int = 0

    def to_dict(self) -> dict[str, Any]:
        """The article's mapping plus ``snippet``, ``score`` and ``duplicates``."""
        out = self.article.to_dict()
        out.update(snippet=self.snippet, score=self.score, duplicates=self.duplicates)
        return out


@dataclass(frozen=True, slots=True)
class Revision:
    """An earlier body of an article (the current one lives in ``articles``)."""

    article_id: int
    version: int
    title: str | None
    text: str
    content_hash: str
    fetched_at: datetime

    def to_dict(self) -> dict[str, Any]:
        return {
            "article_id": self.article_id,
            "version": self.version,
            "title": self.title,
            "text": self.text,
            "content_hash": self.content_hash,
            "fetched_at": _iso(self.fetched_at),
        }


@dataclass(frozen=True, slots=True)
class RawPage:
    """The latest raw HTML fetched for an article, decompressed."""

    article_id: int
    url: str
    source: str
    fetched_at: datetime
    status: int
    html: bytes


@dataclass(frozen=True, slots=True)
class CrawlRunRecord:
    """One crawl of one source."""

    id: int
    source: str
    status: str
    started_at: datetime
    finished_at: datetime | None
    finish_reason: str | None
    pages: int
    articles_new: int
    articles_updated: int
    articles_unchanged: int
    errors: int
    error_message: str | None
    stats: dict[str, Any] | None = None
    hostname: str | None = None
    pid: int | None = None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready mapping (dates as ISO 8601 UTC strings)."""
        return {
            "id": self.id,
            "source": self.source,
            "status": self.status,
            "started_at": _iso(self.started_at),
            "finished_at": _iso(self.finished_at),
            "finish_reason": self.finish_reason,
            "pages": self.pages,
            "articles_new": self.articles_new,
            "articles_updated": self.articles_updated,
            "articles_unchanged": self.articles_unchanged,
            "errors": self.errors,
            "error_message": self.error_message,
            "stats": self.stats,
        }
