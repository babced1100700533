"""Offline demo: the story type the fictional sites are written in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime


@dataclass(frozen=True, slots=True)
class Story:
    """One fictional article as written, before any site dresses it in markup."""

    slug: str
    title: str
    authors: tuple[str, ...]
    published: str  # ISO 8601 with the site's UTC offset, as the site's meta tags show it
    section: str
    tags: tuple[str, ...]
    dek: str  # the standfirst: meta description and feed summary
    paragraphs: tuple[str, ...]
    modified: str | None = None

    @property
    def published_at(self) -> datetime:
        return datetime.fromisoformat(self.published)

    @property
    def modified_at(self) -> datetime | None:
        return datetime.fromisoformat(self.modified) if self.modified else None

    @property
    def published_utc(self) -> datetime:
        return self.published_at.astimezone(UTC)
