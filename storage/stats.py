"""Storage stage: counts over the stored articles and crawl runs (``warta stats``)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from storage.filters import ARTICLES, when_key
from storage.models import CrawlRunRow

RUNS: sa.Table = CrawlRunRow.__table__  # type: ignore[assignment]


@dataclass(frozen=True, slots=True)
class SourceStats:
    """One source: how many articles, its last successful crawl, how many crawls failed."""

    source: str
    articles: int
    last_success_at: datetime | None
    failed_runs: int
    runs: int


@dataclass(frozen=True, slots=True)
class Stats:
    """Articles per source, per language and per day (of publication, else of fetch)."""

    total: int
    sources: list[SourceStats]
    languages: list[tuple[str | None, int]]
    days: list[tuple[date, int]]

    def to_dict(self) -> dict[str, Any]:
        def iso(value: Any) -> Any:
            return value.isoformat() if isinstance(value, date | datetime) else value

        return {
            "total": self.total,
            "sources": [{k: iso(v) for k, v in asdict(s).items()} for s in self.sources],
            "languages": [{"language": lang, "articles": n} for lang, n in self.languages],
            "days": [{"day": day.isoformat(), "articles": n} for day, n in self.days],
        }


def _day(conn: Connection) -> sa.ColumnElement[Any]:
    if conn.dialect.name == "postgresql":
        return sa.cast(sa.func.timezone("UTC", when_key), sa.Date)
    # SQLite keeps naive UTC text ("2026-05-01 09:00:00.000000"): its first 10 characters.
    return sa.func.substr(sa.cast(when_key, sa.Text), 1, 10)


def collect(conn: Connection, *, since: datetime | None = None) -> Stats:
    """Totals over every article; the per-day counts from ``since`` on (all days if None)."""
    total = int(conn.execute(sa.select(sa.func.count()).select_from(ARTICLES)).scalar_one())
    per_source: dict[str, int] = dict(
        conn.execute(
            sa.select(ARTICLES.c.source, sa.func.count()).group_by(ARTICLES.c.source)
        ).all()
    )
    ok = sa.case((RUNS.c.status == "finished", RUNS.c.finished_at))
    failed = sa.case((RUNS.c.status == "failed", 1), else_=0)
    runs = {
        row.source: row
        for row in conn.execute(
            sa.select(
                RUNS.c.source,
                sa.func.max(ok).label("last_success_at"),
                sa.func.sum(failed).label("failed_runs"),
                sa.func.count().label("runs"),
            ).group_by(RUNS.c.source)
        )
    }
    sources = [
        SourceStats(
            source=name,
            articles=int(per_source.get(name, 0)),
            last_success_at=_aware(runs[name].last_success_at) if name in runs else None,
            failed_runs=int(runs[name].failed_runs or 0) if name in runs else 0,
            runs=int(runs[name].runs) if name in runs else 0,
        )
        for name in sorted(set(per_source) | set(runs))
    ]
    languages = [
        (lang, int(n))
        for lang, n in conn.execute(
            sa.select(ARTICLES.c.language, sa.func.count().label("n"))
            .group_by(ARTICLES.c.language)
            .order_by(sa.desc("n"), ARTICLES.c.language)
        )
    ]
    day = _day(conn).label("day")
    day_query = sa.select(day, sa.func.count()).group_by(day).order_by(day.desc())
    if since is not None:
        day_query = day_query.where(when_key >= since)
    days = [(_as_date(d), int(n)) for d, n in conn.execute(day_query)]
    return Stats(total=total, sources=sources, languages=languages, days=days)


def _as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _aware(value: datetime | None) -> datetime | None:
    # A bare MAX() loses the column's type on SQLite: give the naive UTC value its zone.
    if value is None or (isinstance(value, datetime) and value.tzinfo is not None):
        return value
    if not isinstance(value, datetime):
        value = datetime.fromisoformat(str(value))
    return value.replace(tzinfo=UTC)
