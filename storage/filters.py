"""Storage stage: the article filters shared by search, export and the Python API."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from storage.models import ArticleRow, UTCDateTime

ARTICLES: sa.Table = ArticleRow.__table__  # type: ignore[assignment]

# Undated articles sort (and filter) by when they were fetched.
when_key = sa.func.coalesce(ARTICLES.c.published_at, ARTICLES.c.fetched_at, type_=UTCDateTime())


@dataclass(frozen=True, slots=True)
class ArticleFilter:
    """Which articles to consider; every field given must hold (they combine with AND).

    ``author`` matches part of any author's name, ``tag`` a whole tag, both ignoring
    case; ``%`` and ``_`` in them match literally.
    """

    source: str | None = None
    lang: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    author: str | None = None
    tag: str | None = None

    @property
    def reads_json(self) -> bool:
        """True when a condition reads the JSON list columns (authors, tags)."""
        return self.author is not None or self.tag is not None

    def conditions(self, dialect: str) -> list[sa.ColumnElement[bool]]:
        """WHERE conditions over the ``articles`` table, with bound parameters only."""
        out: list[sa.ColumnElement[bool]] = []
        if self.source is not None:
            out.append(ARTICLES.c.source == self.source)
        if self.lang is not None:
            out.append(ARTICLES.c.language == self.lang.lower())
        if self.since is not None:
            out.append(when_key >= self.since)
        if self.until is not None:
            out.append(when_key < self.until)
        if self.author is not None:
            value = _elements(ARTICLES.c.authors, dialect)
            out.append(sa.exists().where(value.icontains(self.author, autoescape=True)))
        if self.tag is not None:
            value = _elements(ARTICLES.c.tags, dialect)
            out.append(sa.exists().where(sa.func.lower(value) == self.tag.lower()))
        return out


def _elements(column: sa.Column[Any], dialect: str) -> sa.ColumnElement[str]:
    """The elements of a JSON list column, as a correlated table of text values."""
    if dialect == "postgresql":
        table = sa.func.jsonb_array_elements_text(column).table_valued("value")
    else:
        table = sa.func.json_each(column).table_valued("value")
    value: sa.ColumnElement[str] = table.c.value
    return value
