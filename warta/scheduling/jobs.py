"""Scheduling stage: one APScheduler job per enabled source, reconciled with the sources file.

Job ids are stable (``source:NAME``) so a restart, a ``warta schedule sync`` or a second
machine reading the same database all talk about the same job. One-off runs (``run-now``,
crash recovery) are ``once:NAME`` jobs; the runner keeps them from overlapping the
regular job of the same source.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.job import Job
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import STATE_RUNNING
from apscheduler.triggers.date import DateTrigger
from sqlalchemy.engine import Engine

from warta.config import Config, Source
from warta.scheduling.jobstore import QuarantiningJobStore
from warta.scheduling.triggers import ScheduleError, build_trigger

logger = logging.getLogger(__name__)

JOB_FUNC = "warta.scheduling.runner:run_scheduled_crawl"
SOURCE_PREFIX = "source:"
ONCE_PREFIX = "once:"
DEFAULT_MISFIRE_GRACE_SECONDS = 3600
_RETRY_SECONDS = 1.0


def job_id(source: str) -> str:
    return SOURCE_PREFIX + source


def once_job_id(source: str) -> str:
    return ONCE_PREFIX + source


def source_of(job_id_: str) -> str | None:
    """The source a job id belongs to, or None for a job warta did not create."""
    for prefix in (SOURCE_PREFIX, ONCE_PREFIX):
        if job_id_.startswith(prefix):
            return job_id_[len(prefix) :]
    return None


@dataclass
class SyncReport:
    """What a reconciliation did, per job id."""

    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    repaired: list[str] = field(default_factory=list)
    broken: dict[str, str] = field(default_factory=dict)  # kept in quarantine
    errors: dict[str, str] = field(default_factory=dict)  # source -> bad schedule
    unscheduled: list[str] = field(default_factory=list)  # enabled but no schedule

    def summary(self) -> str:
        parts = [
            f"{len(self.added)} added",
            f"{len(self.changed)} changed",
            f"{len(self.removed)} removed",
            f"{len(self.unchanged)} unchanged",
        ]
        if self.repaired:
            parts.append(f"{len(self.repaired)} repaired")
        if self.broken:
            parts.append(f"{len(self.broken)} broken (kept)")
        if self.errors:
            parts.append(f"{len(self.errors)} with a bad schedule")
        return ", ".join(parts)


class WartaScheduler(BackgroundScheduler):
    """A BackgroundScheduler that only ever dispatches jobs while it is running.

    APScheduler 3 processes due jobs one last time while shutting down, with its executor
    already closed: the run fails and the job is advanced (or, if one-off, deleted) all
    the same. A CLI command's short-lived, paused scheduler would thus eat the running
    scheduler's due jobs. And one failed round (a job deleted by another process in the
    meantime) must not kill the scheduler's thread.
    """

    def _process_jobs(self) -> float | None:
        if self.state != STATE_RUNNING:
            return None
        try:
            wait: float | None = super()._process_jobs()
        except Exception:
            logger.exception("Error while dispatching due jobs; retrying shortly")
            return _RETRY_SECONDS
        return wait


def new_scheduler(engine: Engine, *, max_parallel: int = 1) -> BackgroundScheduler:
    """A scheduler on warta's job table; ``max_parallel`` caps concurrent crawls."""
    return WartaScheduler(
        jobstores={"default": QuarantiningJobStore(engine)},
        executors={"default": ThreadPoolExecutor(max_workers=max_parallel)},
        timezone=UTC,
    )


@contextmanager
def control_scheduler(engine: Engine) -> Iterator[BackgroundScheduler]:
    """A scheduler that edits the job table but never runs a job (for the CLI).

    The running ``warta scheduler`` re-reads the table every few seconds, so edits made
    here (pause, resume, run-now, sync) reach it without any other channel.
    """
    scheduler = new_scheduler(engine)
    scheduler.start(paused=True)
    try:
        yield scheduler
    finally:
        scheduler.shutdown(wait=False)


def _store(scheduler: BackgroundScheduler) -> QuarantiningJobStore:
    store = scheduler._lookup_jobstore("default")
    assert isinstance(store, QuarantiningJobStore)
    return store


def reconcile(
    scheduler: BackgroundScheduler,
    config: Config,
    *,
    misfire_grace_seconds: int | None = None,
) -> SyncReport:
    """Make the job table match the sources file: add, change and remove source jobs.

    A paused job stays paused when its schedule changes. A job that cannot be restored is
    recreated if its source is still configured, and otherwise left in quarantine.
    ``misfire_grace_seconds`` None keeps each existing job's grace time (new jobs get the
    default), so a ``warta schedule sync`` does not undo the running scheduler's option.
    """
    report = SyncReport()
    store = _store(scheduler)
    existing: dict[str, Job] = {job.id: job for job in scheduler.get_jobs()}
    broken = dict(store.broken)
    wanted: dict[str, Source] = {}
    for source in config.sources:
        if not source.enabled:
            continue
        try:
            trigger = build_trigger(source.schedule)
        except ScheduleError as exc:
            report.errors[source.name] = str(exc)
            logger.error("Source %r has a bad schedule, not scheduled: %s", source.name, exc)
            continue
        if trigger is None:
            report.unscheduled.append(source.name)
            continue
        jid = job_id(source.name)
        wanted[jid] = source
        job = existing.get(jid)
        grace = misfire_grace_seconds
        if grace is None:
            grace = job.misfire_grace_time if job is not None else DEFAULT_MISFIRE_GRACE_SECONDS
        options = {"max_instances": 1, "coalesce": True, "misfire_grace_time": grace}
        if job is None:
            scheduler.add_job(
                JOB_FUNC,
                trigger=trigger,
                id=jid,
                name=f"crawl {source.name}",
                kwargs={"source": source.name},
                replace_existing=True,
                **options,
            )
            if jid in broken:
                report.repaired.append(jid)
                store.broken.pop(jid, None)
                logger.warning("Job %r was unreadable (%s); recreated it", jid, broken[jid])
            else:
                report.added.append(jid)
                logger.info("Scheduled %s: %s", source.name, trigger)
            continue
        same_trigger = str(job.trigger) == str(trigger)
        same_options = all(getattr(job, k) == v for k, v in options.items())
        if same_trigger and same_options and job.func_ref == JOB_FUNC:
            report.unchanged.append(jid)
            continue
        scheduler.modify_job(jid, func=JOB_FUNC, **options)
        if not same_trigger:
            if job.next_run_time is None:  # paused: keep it paused
                scheduler.modify_job(jid, trigger=trigger)
            else:
                scheduler.reschedule_job(jid, trigger=trigger)
        report.changed.append(jid)
        logger.info("Rescheduled %s: %s -> %s", source.name, job.trigger, trigger)

    configured = {s.name for s in config.sources if s.enabled}
    for jid, job in existing.items():
        name = source_of(jid)
        if jid in wanted or name is None:
            continue
        if jid.startswith(ONCE_PREFIX) and name in configured:
            continue
        scheduler.remove_job(jid)
        report.removed.append(jid)
        logger.info("Removed job %s (source no longer configured or enabled)", job.id)
    for jid, reason in broken.items():
        if jid not in report.repaired:
            report.broken[jid] = reason
    return report


def run_once(scheduler: BackgroundScheduler, source: str, *, reason: str) -> str:
    """Queue one immediate crawl of ``source`` next to its regular schedule."""
    jid = once_job_id(source)
    scheduler.add_job(
        JOB_FUNC,
        trigger=DateTrigger(run_date=datetime.now(UTC), timezone=UTC),
        id=jid,
        name=f"{reason} {source}",
        kwargs={"source": source},
        replace_existing=True,
        max_instances=1,
        coalesce=True,
        misfire_grace_time=None,  # a requested run is never "too late"
    )
    return jid


def pause_source(scheduler: BackgroundScheduler, source: str) -> None:
    """Pause the source's job (raises JobLookupError when it has none)."""
    scheduler.pause_job(job_id(source))


def resume_source(scheduler: BackgroundScheduler, source: str) -> None:
    scheduler.resume_job(job_id(source))
