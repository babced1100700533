"""Core types that flow between the stages: the extracted article and its errors."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


class ExtractionError(Exception):
    """A page could not be turned into an article (empty, binary, undecodable, too big...)."""


@dataclass(frozen=True, slots=True)
class Article:
    """One extracted, cleaned and normalized article.

    ``text`` is the clean body: paragraphs separated by one blank line.
    Dates are timezone-aware UTC; the ``*_raw`` fields keep the strings they came from.
    """

    url: str
    canonical_url: str
    text: str
    title: str | None = None
    authors: tuple[str, ...] = ()
    published_at: datetime | None = None
    published_raw: str | None = None
    modified_at: datetime | None = None
    modified_raw: str | None = None
    language: str | None = None
    site_name: str | None = None
    description: str | None = None
    tags: tuple[str, ...] = ()
    section: str | None = None
    image: str | None = None
    html: str = ""
    word_count: int = 0
    reading_time_minutes: int = 0
    content_hash: str = ""
    extra: dict[str, str] = field(default_factory=dict, compare=False, hash=False)

    @property
    def markdown(self) -> str:
        """The body as Markdown (computed on demand: it is off the crawl's hot path)."""
        from pipeline.render import to_markdown

        return to_markdown(self.html) if self.html else self.text

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready mapping (dates as ISO 8601 UTC, tuples as lists)."""
        out: dict[str, object] = {}
        for name in self.__dataclass_fields__:
            value = getattr(self, name)
            if isinstance(value, datetime):
                value = value.isoformat()
            elif isinstance(value, tuple):
                value = list(value)
            out[name] = value
        return out
