"""Scheduling stage: APScheduler's SQLAlchemy job store, minus its silent deletions.

APScheduler 3 deletes a stored job it cannot restore (say, after an upgrade renamed the
job function) with a single log line. Here such a job is *quarantined* instead: kept in the
table with its state intact, taken out of the due list (``next_run_time`` NULL, the same
as a paused job), logged at ERROR once per process, and listed by ``warta schedule list``.
``warta schedule sync`` repairs it when its source is still configured.
"""

from __future__ import annotations

import logging
import pickle
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from apscheduler.job import Job
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.util import utc_timestamp_to_datetime
from sqlalchemy.engine import Engine

from storage.scheduling import JOBS_TABLE, job_rows, quarantine_jobs

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class StoredJob:
    """A job row as found in the table, readable or not."""

    id: str
    next_run_time: datetime | None
    trigger: str | None
    func_ref: str | None
    kwargs: dict[str, Any]
    broken: str | None  # why the job cannot be restored, None when it can

    @property
    def paused(self) -> bool:
        return self.broken is None and self.next_run_time is None


class QuarantiningJobStore(SQLAlchemyJobStore):
    """A ``SQLAlchemyJobStore`` on warta's ``scheduler_jobs`` that never drops a job."""

    def __init__(self, engine: Engine) -> None:
        super().__init__(engine=engine, tablename=JOBS_TABLE)
        self.broken: dict[str, str] = {}

    def _get_jobs(self, *conditions: Any) -> list[Job]:
        # Same query as the parent, but a row that fails to load is set aside, not deleted.
        import sqlalchemy as sa

        selectable = sa.select(self.jobs_t.c.id, self.jobs_t.c.job_state).order_by(
            self.jobs_t.c.next_run_time
        )
        if conditions:
            selectable = selectable.where(sa.and_(*conditions))
        with self.engine.connect() as connection:
            rows = connection.execute(selectable).all()
        jobs: list[Job] = []
        failed: set[str] = set()
        for row in rows:
            try:
                jobs.append(self._reconstitute_job(row.job_state))
            except Exception as exc:
                failed.add(row.id)
                reason = f"{type(exc).__name__}: {exc}"
                if self.broken.get(row.id) != reason:
                    logger.error(
                        "Job %r cannot be restored (%s). It is kept, paused, in table %s; "
                        "`warta schedule sync` recreates it if its source is still configured.",
                        row.id,
                        reason,
                        JOBS_TABLE,
                    )
                self.broken[row.id] = reason
        quarantine_jobs(self.engine, failed)
        return jobs


def inspect_jobs(engine: Engine) -> list[StoredJob]:
    """Every row of the job table, decoded without a scheduler (for listings)."""
    from apscheduler.util import ref_to_obj

    found: list[StoredJob] = []
    for job_id, next_run, state_blob in job_rows(engine):
        when = utc_timestamp_to_datetime(next_run) if next_run is not None else None
        try:
            state = pickle.loads(state_blob)
            if not isinstance(state, dict):
                raise TypeError(f"job state is a {type(state).__name__}, not a dict")
        except Exception as exc:
            found.append(StoredJob(job_id, when, None, None, {}, f"{type(exc).__name__}: {exc}"))
            continue
        func_ref = state.get("func")
        broken = None
        try:
            ref_to_obj(func_ref)
        except Exception as exc:
            broken = f"{type(exc).__name__}: {exc}"
        found.append(
            StoredJob(
                id=job_id,
                next_run_time=when,
                trigger=str(state.get("trigger")),
                func_ref=func_ref,
                kwargs=dict(state.get("kwargs") or {}),
                broken=broken,
            )
        )
    return found
