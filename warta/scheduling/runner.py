"""Scheduling stage: run one source's crawl as its own process, with a wall-clock limit.

Each crawl is ``python -m scrapy crawl news -a source=NAME`` in a fresh process (Twisted's
reactor cannot restart, and a crawl's memory is returned to the system when it ends). The
outcome is read from the crawl-run record the crawl wrote, never from the exit code; when
the process died before writing or finishing its record, the runner completes the record
so every attempt is visible in ``warta runs``.
"""

from __future__ import annotations

import collections
import contextlib
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from warta.scheduling.child import PARENT_PID_ENV

if TYPE_CHECKING:
    from storage import CrawlRunRecord, Database

logger = logging.getLogger(__name__)
crawl_logger = logging.getLogger("warta.crawl")

_POLL_SECONDS = 0.2
# finish_reason of runs the scheduler ended: over their time limit, or at its own stop.
TIME_LIMIT = "time limit"
SCHEDULER_STOPPING = "scheduler stopping"
_TAIL_LINES = 20
# Everything importable from the scheduler is importable from its crawls, from any cwd.
_PROJECT_ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True, slots=True)
class CrawlOptions:
    """How the scheduler runs every crawl."""

    database_url: str
    config_path: str
    time_limit: float = 1800.0  # seconds of wall-clock time before SIGTERM
    grace: float = 30.0  # seconds between SIGTERM and SIGKILL
    log_level: str = "WARNING"  # the crawl's Scrapy LOG_LEVEL, relayed to our stderr
    settings: tuple[tuple[str, str], ...] = ()  # extra Scrapy settings (-s KEY=VALUE)


@dataclass(frozen=True, slots=True)
class RunOutcome:
    """How one scheduled crawl ended, as its crawl-run record tells it."""

    source: str
    status: str  # finished | failed | interrupted | skipped
    finish_reason: str | None
    run_id: int | None
    exit_code: int | None
    seconds: float
    pages: int = 0
    articles_new: int = 0
    articles_updated: int = 0
    errors: int = 0
    error_message: str | None = None


class CrawlRunner:
    """Starts crawl processes, enforces their limits and completes their records."""

    def __init__(self, options: CrawlOptions, database: Database) -> None:
        self.options = options
        self.database = database
        self._lock = threading.Lock()
        self._active: dict[str, subprocess.Popen[str]] = {}
        self._stopping = threading.Event()

    # -- control, from the scheduler's main thread -------------------------------------

    def stop(self) -> None:
        """Start no new crawl; running ones get SIGTERM now and SIGKILL after the grace."""
        self._stopping.set()

    def kill_all(self) -> None:
        """SIGKILL every running crawl at once (a second Ctrl-C)."""
        self._stopping.set()
        with self._lock:
            procs = list(self._active.values())
        for proc in procs:
            _signal_group(proc, signal.SIGKILL)

    def running_sources(self) -> list[str]:
        with self._lock:
            return sorted(self._active)

    # -- one crawl, in an executor thread ------------------------------------------------

    def run(self, source: str) -> RunOutcome:
        if self._stopping.is_set():
            return RunOutcome(source, "skipped", "scheduler stopping", None, None, 0.0)
        spawn_error: OSError | None = None
        with self._lock:
            if source in self._active:
                logger.warning("Crawl of %s skipped: the previous one is still running", source)
                return RunOutcome(source, "skipped", "already running", None, None, 0.0)
            launched_at = datetime.now(UTC)
            started = time.monotonic()
            try:
                proc = self._spawn(source)
            except OSError as exc:
                spawn_error = exc
            else:
                self._active[source] = proc
        if spawn_error is not None:
            return self._record_failed_start(source, spawn_error)
        logger.info("Crawl of %s started (pid %d)", source, proc.pid)
        tail: collections.deque[str] = collections.deque(maxlen=_TAIL_LINES)
        reader = threading.Thread(
            target=_relay_output, args=(proc, source, tail), name=f"crawl-log-{source}"
        )
        reader.start()
        try:
            stop_reason = self._wait(proc, source, started)
        finally:
            reader.join(timeout=5)
            with self._lock:
                self._active.pop(source, None)
        outcome = self._outcome(
            source, proc, launched_at, time.monotonic() - started, stop_reason, list(tail)
        )
        log_outcome(outcome)
        return outcome

    def _record_failed_start(self, source: str, exc: OSError) -> RunOutcome:
        message = f"could not start the crawl process: {exc}"
        logger.error("Crawl of %s failed: %s", source, message)
        run_id = self.database.start_run(source)
        self.database.finish_run(
            run_id,
            status="failed",
            finish_reason="not started",
            pages=0,
            articles_new=0,
            articles_updated=0,
            articles_unchanged=0,
            errors=1,
            error_message=message,
        )
        return RunOutcome(source, "failed", "not started", run_id, None, 0.0, error_message=message)

    def _spawn(self, source: str) -> subprocess.Popen[str]:
        return subprocess.Popen(
            crawl_command(source, self.options),
            env=crawl_environment(self.options),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            errors="replace",
            # Its own process group: a Ctrl-C in the terminal reaches only the scheduler,
            # which then stops each crawl itself, in order.
            start_new_session=True,
        )

    def _wait(self, proc: subprocess.Popen[str], source: str, started: float) -> str | None:
        """Wait for the crawl; SIGTERM at the limit or on stop, SIGKILL after the grace."""
        deadline = started + self.options.time_limit
        stop_reason: str | None = None
        terminated_at = 0.0
        killed = False
        while True:
            try:
                proc.wait(timeout=_POLL_SECONDS)
                return stop_reason
            except subprocess.TimeoutExpired:
                pass
            now = time.monotonic()
            if stop_reason is None and (now >= deadline or self._stopping.is_set()):
                stop_reason = TIME_LIMIT if now >= deadline else SCHEDULER_STOPPING
                logger.warning(
                    "Crawl of %s: %s after %.0fs; sending SIGTERM (SIGKILL in %.0fs)",
                    source,
                    stop_reason,
                    now - started,
                    self.options.grace,
                )
                _signal_group(proc, signal.SIGTERM)
                terminated_at = now
            elif stop_reason and not killed and now - terminated_at >= self.options.grace:
                logger.error(
                    "Crawl of %s ignored SIGTERM for %.0fs; SIGKILL", source, now - terminated_at
                )
                _signal_group(proc, signal.SIGKILL)
                killed = True

    def _outcome(
        self,
        source: str,
        proc: subprocess.Popen[str],
        launched_at: datetime,
        seconds: float,
        stop_reason: str | None,
        tail: Sequence[str],
    ) -> RunOutcome:
        how = _describe_exit(proc.returncode)
        if stop_reason:
            how += f" after the {stop_reason}"
        detail = " | ".join(line.strip() for line in tail[-5:])
        return settle_run(
            self.database,
            source,
            self._find_record(source, proc.pid, launched_at),
            what="crawl process",
            how=how,
            stop_reason=stop_reason,
            time_limit=self.options.time_limit,
            exit_code=proc.returncode,
            seconds=seconds,
            detail=detail,
        )

    def _find_record(self, source: str, pid: int, launched_at: datetime) -> CrawlRunRecord | None:
        """The run the crawl process wrote: same host, same pid, started after launch."""
        host = socket.gethostname()
        earliest = launched_at - timedelta(seconds=5)
        for record in self.database.list_runs(source=source, limit=20):
            if record.pid == pid and record.hostname == host and record.started_at >= earliest:
                return record
        return None


def settle_run(
    database: Database,
    source: str,
    record: CrawlRunRecord | None,
    *,
    what: str,
    how: str,
    stop_reason: str | None,
    time_limit: float,
    exit_code: int | None = None,
    seconds: float = 0.0,
    detail: str = "",
) -> RunOutcome:
    """Complete the record of a crawl that has ended and say how it went.

    ``record`` is the run the crawl wrote (None when it died before writing one: the
    attempt is recorded here). A record still "running" (killed mid-run), or one ended
    gracefully at the time limit (Scrapy calls that a plain "shutdown"), becomes
    "interrupted" with the real reason. ``what`` and ``how`` name the crawl and its end
    in messages ("crawl process" "exited with code 1").
    """
    if record is None:
        status = "interrupted" if stop_reason else "failed"
        reason = stop_reason or "no run record"
        message = f"{what} {how} without recording its run"
        if detail:
            message += ": " + detail
        run_id = database.start_run(source)
        database.finish_run(
            run_id,
            status=status,
            finish_reason=reason,
            pages=0,
            articles_new=0,
            articles_updated=0,
            articles_unchanged=0,
            errors=1,
            error_message=message,
        )
        return RunOutcome(source, status, reason, run_id, exit_code, seconds, error_message=message)
    over_time = stop_reason == TIME_LIMIT and record.finish_reason == "shutdown"
    if record.status == "running" or over_time:
        if record.status == "running":
            message = f"{what} {how} before finishing its run"
        else:
            message = f"stopped at the {time_limit:g}s time limit"
        if record.error_message:
            message += f"; {record.error_message}"
        database.finish_run(
            record.id,
            status="interrupted",
            finish_reason=stop_reason or "killed",
            pages=record.pages,
            articles_new=record.articles_new,
            articles_updated=record.articles_updated,
            articles_unchanged=record.articles_unchanged,
            errors=record.errors,
            stats=record.stats,
            error_message=message,
        )
        refreshed = database.get_run(record.id)
        record = refreshed if refreshed is not None else record
    return RunOutcome(
        source=source,
        status=record.status,
        finish_reason=record.finish_reason,
        run_id=record.id,
        exit_code=exit_code,
        seconds=seconds,
        pages=record.pages,
        articles_new=record.articles_new,
        articles_updated=record.articles_updated,
        errors=record.errors,
        error_message=record.error_message,
    )


def crawl_command(source: str, options: CrawlOptions) -> list[str]:
    """``python -m scrapy crawl news -a source=NAME`` behind the die-with-parent launcher."""
    command = [
        sys.executable,
        "-m",
        "warta.scheduling.child",
        "crawl",
        "news",
        "-a",
        f"source={source}",
        "-s",
        f"LOG_LEVEL={options.log_level}",
    ]
    for key, value in options.settings:
        command += ["-s", f"{key}={value}"]
    return command


def crawl_environment(options: CrawlOptions) -> dict[str, str]:
    """The scheduler's environment plus what makes the crawl use the same files."""
    env = dict(os.environ)
    env["WARTA_DATABASE_URL"] = options.database_url
    env["WARTA_CONFIG"] = options.config_path
    env.setdefault("SCRAPY_SETTINGS_MODULE", "crawler.settings")
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(_PROJECT_ROOT), env.get("PYTHONPATH", "")) if p
    )
    env["PYTHONUNBUFFERED"] = "1"
    env[PARENT_PID_ENV] = str(os.getpid())
    return env


def _relay_output(proc: subprocess.Popen[str], source: str, tail: collections.deque[str]) -> None:
    # The crawl's log lines go to our stderr through logging, tagged with the source.
    assert proc.stdout is not None
    for line in proc.stdout:
        line = line.rstrip()
        if line:
            tail.append(line)
            crawl_logger.info("[%s] %s", source, line)
    proc.stdout.close()


def _signal_group(proc: subprocess.Popen[str], sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError):  # already gone
        os.killpg(proc.pid, sig)


def _describe_exit(code: int | None) -> str:
    if code is None:
        return "did not exit"
    if code < 0:
        return f"was killed by {signal.Signals(-code).name}"
    return f"exited with code {code}"


def log_outcome(outcome: RunOutcome) -> None:
    failed = outcome.status != "finished" or (outcome.pages == 0 and outcome.errors > 0)
    level = logging.WARNING if failed else logging.INFO
    logger.log(
        level,
        "Crawl of %s %s (%s) in %.1fs: %d pages, %d new, %d updated, %d errors [run %s]%s",
        outcome.source,
        outcome.status,
        outcome.finish_reason,
        outcome.seconds,
        outcome.pages,
        outcome.articles_new,
        outcome.articles_updated,
        outcome.errors,
        outcome.run_id,
        f": {outcome.error_message}" if outcome.error_message else "",
    )


# -- the job function APScheduler stores by reference ----------------------------------


class Runner(Protocol):
    """What the scheduler needs of an executor: the local CrawlRunner or ScrapydRunner."""

    def run(self, source: str) -> RunOutcome: ...

    def stop(self) -> None: ...

    def kill_all(self) -> None: ...


_runner: Runner | None = None


def install_runner(runner: Runner | None) -> None:
    """Set the runner jobs use; only a ``warta scheduler`` process installs one."""
    global _runner
    _runner = runner


def run_scheduled_crawl(source: str) -> None:
    """The job every source's schedule fires (stored as ``JOB_FUNC``)."""
    runner = _runner
    if runner is None:
        raise RuntimeError("run_scheduled_crawl fired outside a `warta scheduler` process")
    runner.run(source)
