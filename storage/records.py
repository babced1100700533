"""Storage stage: the plain types that cross into and out of the database layer."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from pipeline.types import Article

Outcome = Literal["new", "updated", "unchanged", "failed"]


@dataclass(frozen=True, slots=True)
class PageRecord:
    """One fetched and extracted page, ready to be upserted."""

    article: Article
    source: str
    raw_html: bytes
    fetched_at: datetime
    status: int = 200


@dataclass(slots=True)
class StoreResult:
    """What one batch write did, row by row and in total."""

    outcomes: list[tuple[str, Outcome]] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)

    def count(self, outcome: Outcome) -> int:
        return sum(1 for _, o in self.outcomes if o == outcome)
