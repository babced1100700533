"""Fetch stage: the items that flow from the spider through the item pipelines.

The spider yields one `FetchedPage` per article page; `ExtractPipeline` turns it into a
`storage.PageRecord`; `StorePipeline` writes those in batches.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True, slots=True)
class ArticleHints:
    """What a feed entry or a news sitemap said about an article before it was fetched.

    Used only to fill fields the page itself does not carry (a page's own metadata wins).
    """

    title: str | None = None
    published_at: datetime | None = None
    published_raw: str | None = None
    authors: tuple[str, ...] = ()
    language: str | None = None


@dataclass(frozen=True, slots=True)
class FetchedPage:
    """One downloaded article page, before extraction."""

    url: str
    source: str
    # repr=False: Scrapy logs dropped items with repr(); a page body does not belong in a log.
    body: bytes = field(repr=False)
    fetched_at: datetime
    status: int = 200
    content_type: str | None = None
    language_hint: str | None = None
    remove_selectors: tuple[str, ...] = ()
    hints: ArticleHints = field(default_factory=ArticleHints, repr=False)
