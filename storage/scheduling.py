"""Storage stage: the scheduler's own tables (the single-scheduler lock and the job table).

One row in ``scheduler_lock`` says which process schedules crawls for this database. The
holder renews ``expires_at`` with a heartbeat; a holder killed with ``kill -9`` stops
renewing, so its row expires and the next scheduler may take it over. Every change is a
compare-and-swap ``UPDATE`` (or an ``INSERT`` that can hit the primary key), so two
schedulers racing for the lock cannot both win on SQLite or PostgreSQL.

APScheduler's ``SQLAlchemyJobStore`` keeps its jobs in ``scheduler_jobs``; the table is
created by the migration (same columns APScheduler 3 declares) so the schema stays Alembic's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from storage.engine import writer
from storage.models import Base, UTCDateTime

JOBS_TABLE = "scheduler_jobs"
LOCK_NAME = "scheduler"


# Who runs the scheduler for this database, and until when the claim holds.
LOCK = sa.Table(
    "scheduler_lock",
    Base.metadata,
    sa.Column("name", sa.String(64), primary_key=True),
    sa.Column("holder", sa.String(255), nullable=False),
    sa.Column("hostname", sa.String(255), nullable=False),
    sa.Column("pid", sa.Integer, nullable=False),
    sa.Column("acquired_at", UTCDateTime(), nullable=False),
    sa.Column("heartbeat_at", UTCDateTime(), nullable=False),
    sa.Column("expires_at", UTCDateTime(), nullable=False),
)


@dataclass(frozen=True, slots=True)
class LockState:
    """The current lock row, as read from the database."""

    holder: str
    hostname: str
    pid: int
    acquired_at: datetime
    heartbeat_at: datetime
    expires_at: datetime

    def expired(self, now: datetime) -> bool:
        return self.expires_at <= now


def _now() -> datetime:
    return datetime.now(UTC)


def _state(row: sa.Row[Any]) -> LockState:
    return LockState(
        holder=row.holder,
        hostname=row.hostname,
        pid=row.pid,
        acquired_at=row.acquired_at,
        heartbeat_at=row.heartbeat_at,
        expires_at=row.expires_at,
    )


def read_lock(engine: Engine, name: str = LOCK_NAME) -> LockState | None:
    """The lock row, or None when no scheduler holds (or ever held) the lock."""
    table = LOCK
    with engine.connect() as conn:
        row = conn.execute(sa.select(table).where(table.c.name == name)).first()
    return _state(row) if row is not None else None


def try_acquire_lock(
    engine: Engine,
    *,
    holder: str,
    hostname: str,
    pid: int,
    ttl: timedelta,
    take_over: str | None = None,
    name: str = LOCK_NAME,
) -> tuple[bool, LockState | None]:
    """Claim the lock for ``holder``; return (acquired, the row as it now stands).

    The claim succeeds when nobody holds the lock, when ``holder`` already does, when the
    current claim has expired, or when the current holder is ``take_over`` (a holder the
    caller has proved dead, e.g. a process gone from this very host).
    """
    table = LOCK
    now = _now()
    claim = LockState(holder, hostname, pid, now, now, now + ttl)
    fresh = {f: getattr(claim, f) for f in LockState.__dataclass_fields__}
    try:
        with writer(engine).begin() as conn:
            row = conn.execute(sa.select(table).where(table.c.name == name)).first()
            if row is None:
                conn.execute(sa.insert(table).values(name=name, **fresh))
                return True, claim
            current = _state(row)
            if (
                current.holder != holder
                and not current.expired(now)
                and current.holder != take_over
            ):
                return False, current
            # Compare-and-swap: only replace the exact claim we just read.
            result = conn.execute(
                sa.update(table)
                .where(
                    table.c.name == name,
                    table.c.holder == current.holder,
                    table.c.expires_at == current.expires_at,
                )
                .values(**fresh)
            )
            if result.rowcount == 1:
                return True, claim
    except IntegrityError:
        pass  # another scheduler inserted the row between our read and our insert
    return False, read_lock(engine, name)


def renew_lock(engine: Engine, *, holder: str, ttl: timedelta, name: str = LOCK_NAME) -> bool:
    """Heartbeat: push the expiry forward. False means the lock is no longer ours."""
    table = LOCK
    now = _now()
    with writer(engine).begin() as conn:
        result = conn.execute(
            sa.update(table)
            .where(table.c.name == name, table.c.holder == holder)
            .values(heartbeat_at=now, expires_at=now + ttl)
        )
    return result.rowcount == 1


def release_lock(engine: Engine, *, holder: str, name: str = LOCK_NAME) -> bool:
    """Give the lock up (only if ``holder`` still has it)."""
    table = LOCK
    with writer(engine).begin() as conn:
        result = conn.execute(
            sa.delete(table).where(table.c.name == name, table.c.holder == holder)
        )
    return result.rowcount == 1


def jobs_table(metadata: sa.MetaData | None = None) -> sa.Table:
    """APScheduler 3's job table, declared exactly as ``SQLAlchemyJobStore`` declares it."""
    return sa.Table(
        JOBS_TABLE,
        metadata if metadata is not None else sa.MetaData(),
        sa.Column("id", sa.Unicode(191), primary_key=True),
        sa.Column("next_run_time", sa.Float(25), index=True),
        sa.Column("job_state", sa.LargeBinary, nullable=False),
    )


def quarantine_jobs(engine: Engine, job_ids: set[str]) -> None:
    """Stop jobs from being due without deleting them (``next_run_time`` NULL = paused)."""
    if not job_ids:
        return
    table = jobs_table()
    with writer(engine).begin() as conn:
        conn.execute(
            sa.update(table).where(table.c.id.in_(sorted(job_ids))).values(next_run_time=None)
        )


def job_rows(engine: Engine) -> list[tuple[str, float | None, bytes]]:
    """Every stored job as (id, next_run_time as a UTC timestamp, pickled state)."""
    table = jobs_table()
    with engine.connect() as conn:
        rows = conn.execute(
            sa.select(table.c.id, table.c.next_run_time, table.c.job_state).order_by(table.c.id)
        ).all()
    return [(r.id, r.next_run_time, r.job_state) for r in rows]
