"""Scheduling stage: per-source status (next and last run, failures) for `schedule list`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from warta.config import Config
from warta.scheduling.jobs import ONCE_PREFIX, SOURCE_PREFIX, source_of
from warta.scheduling.jobstore import StoredJob
from warta.scheduling.runner import SCHEDULER_STOPPING
from warta.scheduling.triggers import schedule_spec

if TYPE_CHECKING:
    from storage import CrawlRunRecord, Database

FAILED_STATUSES = ("failed", "interrupted")
# Scrapy's reason after SIGTERM/Ctrl-C, and the runner's after killing a crawl at its stop.
OPERATOR_STOPS = ("shutdown", SCHEDULER_STOPPING)
_RUNS_EXAMINED = 50


@dataclass(frozen=True, slots=True)
class SourceStatus:
    """What the scheduler knows and last did about one source."""

    source: str
    schedule: str | None
    state: str  # scheduled | paused | broken | disabled | no schedule | not synced | removed
    next_run_at: datetime | None
    last_run_at: datetime | None
    last_status: str | None
    last_finish_reason: str | None
    consecutive_failures: int
    last_error: str | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "schedule": self.schedule,
            "state": self.state,
            "next_run_at": _iso(self.next_run_at),
            "last_run_at": _iso(self.last_run_at),
            "last_status": self.last_status,
            "last_finish_reason": self.last_finish_reason,
            "consecutive_failures": self.consecutive_failures,
            "last_error": self.last_error,
        }


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def run_failed(run: CrawlRunRecord) -> bool:
    """Failed, interrupted, or "finished" without a single page because of errors.

    The last case is a source whose start URL is down: Scrapy ends such a crawl normally,
    but for the user the source failed.
    """
    if run.status in FAILED_STATUSES:
        return True
    return run.status == "finished" and run.pages == 0 and run.errors > 0


def stopped_by_operator(run: CrawlRunRecord) -> bool:
    """Interrupted because the scheduler (or a user's Ctrl-C) stopped it: no verdict."""
    return run.status == "interrupted" and run.finish_reason in OPERATOR_STOPS


def consecutive_failures(runs: Sequence[CrawlRunRecord]) -> tuple[int, str | None]:
    """Failed runs since the last successful one (runs newest first), and the latest error.

    Running runs and runs stopped on purpose say nothing about the source's health.
    """
    count = 0
    error: str | None = None
    for run in runs:
        if run.status == "running" or stopped_by_operator(run):
            continue
        if not run_failed(run):
            break
        if count == 0:
            error = run.error_message or run.finish_reason
        count += 1
    return count, error


def source_statuses(
    config: Config, jobs: Sequence[StoredJob], database: Database
) -> list[SourceStatus]:
    """One row per configured source, plus one per job left for a source no longer there."""
    by_source: dict[str, dict[str, StoredJob]] = {}
    for job in jobs:
        name = source_of(job.id)
        if name is not None:
            prefix = SOURCE_PREFIX if job.id.startswith(SOURCE_PREFIX) else ONCE_PREFIX
            by_source.setdefault(name, {})[prefix] = job
    rows: list[SourceStatus] = []
    names = [s.name for s in config.sources]
    for name in [*names, *sorted(set(by_source) - set(names))]:
        source = next((s for s in config.sources if s.name == name), None)
        own = by_source.get(name, {})
        regular, once = own.get(SOURCE_PREFIX), own.get(ONCE_PREFIX)
        runs = database.list_runs(source=name, limit=_RUNS_EXAMINED)
        failures, error = consecutive_failures(runs)
        last = runs[0] if runs else None
        times = [j.next_run_time for j in (regular, once) if j and j.next_run_time and not j.broken]
        rows.append(
            SourceStatus(
                source=name,
                schedule=schedule_spec(source.schedule) if source else None,
                state=_state(source, regular),
                next_run_at=min(times) if times else None,
                last_run_at=last.started_at if last else None,
                last_status=last.status if last else None,
                last_finish_reason=last.finish_reason if last else None,
                consecutive_failures=failures,
                last_error=error,
            )
        )
    return rows


def _state(source: Any, job: StoredJob | None) -> str:
    if job is not None and job.broken:
        return "broken"
    if source is None:
        return "removed"
    if not source.enabled:
        return "disabled"
    if schedule_spec(source.schedule) is None:
        return "no schedule"
    if job is None:
        return "not synced"
    return "paused" if job.paused else "scheduled"
