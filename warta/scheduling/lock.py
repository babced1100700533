"""Scheduling stage: one scheduler per database, enforced by a heartbeat row in that database.

A second ``warta scheduler`` pointed at the same database finds a live claim and refuses.
A claim left by a scheduler killed with ``kill -9`` is taken over once its heartbeat has
expired, or at once when it was made on this host by a process that no longer exists (or
by an earlier process with our own pid, as after a container restart).
"""

from __future__ import annotations

import logging
import os
import socket
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy.engine import Engine

from storage.scheduling import LockState, read_lock, release_lock, renew_lock, try_acquire_lock

logger = logging.getLogger(__name__)


class SchedulerAlreadyRunning(Exception):
    """Another live scheduler holds this database's scheduler lock."""

    def __init__(self, state: LockState | None) -> None:
        self.state = state
        if state is None:
            super().__init__("another scheduler is starting on this database")
            return
        age = (datetime.now(UTC) - state.heartbeat_at).total_seconds()
        super().__init__(
            f"another warta scheduler is already running on this database "
            f"(host {state.hostname}, pid {state.pid}, last heartbeat {age:.0f}s ago); "
            f"refusing to start, or every crawl would run twice. If that process is gone, "
            f"its claim expires at {state.expires_at:%Y-%m-%d %H:%M:%S} UTC."
        )


class SchedulerLock:
    """This process's claim on the scheduler lock."""

    def __init__(self, engine: Engine, *, ttl_seconds: float) -> None:
        self.engine = engine
        self.ttl = timedelta(seconds=ttl_seconds)
        self.hostname = socket.gethostname()
        self.pid = os.getpid()
        self.holder = f"{self.hostname}:{self.pid}:{uuid.uuid4().hex[:12]}"

    def acquire(self) -> None:
        """Claim the lock or raise SchedulerAlreadyRunning."""
        acquired, state = self._try(take_over=None)
        if not acquired and state is not None and self._is_dead_local(state):
            logger.warning(
                "Taking over the scheduler lock of pid %d on this host, which is gone",
                state.pid,
            )
            acquired, state = self._try(take_over=state.holder)
        if not acquired:
            raise SchedulerAlreadyRunning(state)
        logger.info("Holding the scheduler lock as %s", self.holder)

    def renew(self) -> bool:
        """Heartbeat; False when the claim was lost (another scheduler took over)."""
        return renew_lock(self.engine, holder=self.holder, ttl=self.ttl)

    def release(self) -> None:
        if release_lock(self.engine, holder=self.holder):
            logger.info("Released the scheduler lock")

    def _try(self, *, take_over: str | None) -> tuple[bool, LockState | None]:
        return try_acquire_lock(
            self.engine,
            holder=self.holder,
            hostname=self.hostname,
            pid=self.pid,
            ttl=self.ttl,
            take_over=take_over,
        )

    def _is_dead_local(self, state: LockState) -> bool:
        if state.hostname != self.hostname:
            return False  # another machine: only the heartbeat can tell
        # Our own pid under another holder id: an earlier incarnation, e.g. PID 1 of a
        # restarted container, which keeps its hostname.
        return state.pid == self.pid or not pid_alive(state.pid)


def pid_alive(pid: int | None) -> bool:
    """Whether process ``pid`` exists on this host and is not a zombie."""
    if pid is None or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # exists, belongs to another user
    # A killed process nobody has reaped yet (an orphan under a lazy init) still answers
    # kill(pid, 0); on Linux, /proc says whether it is a zombie.
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True
    return stat.rsplit(")", 1)[-1].split()[:1] != ["Z"]


def describe_lock(engine: Engine) -> str:
    """One line on who schedules this database, for ``warta schedule list``."""
    state = read_lock(engine)
    if state is None:
        return "scheduler: not running"
    now = datetime.now(UTC)
    age = (now - state.heartbeat_at).total_seconds()
    if state.expired(now):
        return (
            f"scheduler: not running (the last one, pid {state.pid} on {state.hostname}, "
            f"stopped sending heartbeats {age:.0f}s ago)"
        )
    return f"scheduler: running, pid {state.pid} on {state.hostname}, heartbeat {age:.0f}s ago"
