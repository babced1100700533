"""Scheduling stage: ``warta scheduler``, the long-lived service that keeps every source fresh.

Start-up order matters: take the database's scheduler lock (refuse if another scheduler
lives), reconcile the jobs with the sources file, mark runs a crash left "running" as
"interrupted" and queue their sources again, and only then let jobs fire. While running,
the main thread renews the lock and wakes APScheduler every few seconds, so edits that
``warta schedule ...`` makes in the job table from another process take effect quickly.
SIGTERM/SIGINT stop it gracefully (crawls get SIGTERM, then SIGKILL after their grace);
a second SIGINT kills the crawls at once; SIGHUP re-reads the sources file.

The executor runs each crawl: ``local`` (a subprocess here, warta.scheduling.runner) or
``scrapyd`` (a job on the least-busy Scrapyd node, warta.scheduling.dispatch). With
Scrapyd, a stop leaves running jobs on their nodes and the next start adopts them.
"""

from __future__ import annotations

import logging
import signal
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from types import FrameType
from typing import TYPE_CHECKING

from apscheduler.schedulers.background import BackgroundScheduler

from warta.config import Config
from warta.scheduling.dispatch import ScrapydOptions, ScrapydRunner
from warta.scheduling.jobs import job_id as source_job_id
from warta.scheduling.jobs import new_scheduler, reconcile, run_once
from warta.scheduling.lock import SchedulerAlreadyRunning, SchedulerLock, pid_alive
from warta.scheduling.runner import CrawlOptions, CrawlRunner, install_runner

if TYPE_CHECKING:
    from storage import CrawlRunRecord, Database

logger = logging.getLogger(__name__)

# Runs left "running" are recent; this many of the newest runs are checked at start.
_RECOVERY_SCAN = 1000

__all__ = ["SchedulerAlreadyRunning", "SchedulerOptions", "SchedulerService"]


@dataclass(frozen=True, slots=True)
class SchedulerOptions:
    """How the service schedules; the crawl-level limits live in CrawlOptions."""

    max_parallel: int = 2  # crawls running at once, across all sources
    misfire_grace_seconds: int = 3600  # a run this late still happens (once), later is skipped
    lock_ttl_seconds: float = 30.0  # a silent scheduler's claim expires after this long
    poll_seconds: float = 2.0  # heartbeat and job-table re-read interval


class SchedulerService:
    """One scheduler process: lock, jobs, crawl runner and the signal-driven main loop."""

    def __init__(
        self,
        *,
        config: Config,
        database: Database,
        crawl: CrawlOptions,
        options: SchedulerOptions | None = None,
        load_config: Callable[[], Config] | None = None,
        scrapyd: ScrapydOptions | None = None,
    ) -> None:
        self.config = config
        self.database = database
        self.options = options or SchedulerOptions()
        self.runner: CrawlRunner | ScrapydRunner = (
            ScrapydRunner(crawl, scrapyd, database) if scrapyd else CrawlRunner(crawl, database)
        )
        self._load_config = load_config
        self._lock = SchedulerLock(database.engine, ttl_seconds=self.options.lock_ttl_seconds)
        self._scheduler: BackgroundScheduler | None = None
        self._stop = threading.Event()
        self._reload = threading.Event()
        self._signals = 0
        self.exit_code = 0

    def run(self) -> int:
        """Serve until stopped; return the process exit code. Raises SchedulerAlreadyRunning."""
        self._lock.acquire()
        previous = self._install_signal_handlers()
        try:
            self._start()
            self._loop()
        finally:
            self._shutdown()
            self._restore_signal_handlers(previous)
        return self.exit_code

    def stop(self) -> None:
        """Ask the main loop to stop (thread-safe; what SIGTERM does)."""
        self._stop.set()

    # -- phases ---------------------------------------------------------------------------

    def _start(self) -> None:
        scheduler = new_scheduler(self.database.engine, max_parallel=self.options.max_parallel)
        self._scheduler = scheduler
        install_runner(self.runner)
        scheduler.start(paused=True)  # nothing fires until recovery has been queued
        self._sync()
        self._recover(scheduler)
        scheduler.resume()
        jobs = sum(1 for j in scheduler.get_jobs() if j.id.startswith("source:"))
        where = "here"
        if isinstance(self.runner, ScrapydRunner):
            where = "on Scrapyd " + ", ".join(node.url for node in self.runner.nodes)
        logger.info(
            "Scheduler started: %d source job(s), at most %d crawl(s) at once, %s",
            jobs,
            self.options.max_parallel,
            where,
        )
        if jobs == 0:
            logger.warning(
                "No enabled source in %s has a schedule: nothing will run until one does "
                "(edit the file, then send SIGHUP or run `warta schedule sync`)",
                self.config.path,
            )

    def _sync(self) -> None:
        assert self._scheduler is not None
        report = reconcile(
            self._scheduler, self.config, misfire_grace_seconds=self.options.misfire_grace_seconds
        )
        logger.info("Jobs reconciled with %s: %s", self.config.path, report.summary())
        for jid, reason in report.broken.items():
            logger.error("Job %s is broken and kept paused: %s", jid, reason)

    def _recover(self, scheduler: BackgroundScheduler) -> None:
        """Runs a crash left "running" become "interrupted"; their sources run again.

        With Scrapyd, jobs still on the nodes are adopted: their sources "run" now, which
        waits for the job already there.
        """
        found = {run.source for run in self._dead_runs()}
        adopted: list[str] = []
        if isinstance(self.runner, ScrapydRunner):
            adopted, lost = self.runner.recover()
            found.update(lost)
        for name in adopted:  # followed to its end (and its record settled), even if paused
            run_once(scheduler, name, reason="adopt")
        sources = sorted(found - set(adopted))
        enabled = {s.name for s in self.config.sources if s.enabled}
        for name in sources:
            job = scheduler.get_job(source_job_id(name))
            if name not in enabled:
                logger.warning("Interrupted run of %s not repeated: source not enabled", name)
            elif job is not None and job.next_run_time is None:
                logger.warning("Interrupted run of %s not repeated: source is paused", name)
            else:
                run_once(scheduler, name, reason="recover")
                logger.warning("Re-running %s, whose last run was interrupted", name)

    def _dead_runs(self) -> list[CrawlRunRecord]:
        """Mark runs whose process is gone from this host as interrupted, and return them.

        Runs recorded on other hosts are left alone: this host cannot tell whether they
        are still alive.
        """
        host = socket.gethostname()
        dead: list[CrawlRunRecord] = []
        for run in self.database.list_runs(limit=_RECOVERY_SCAN):
            if run.status != "running":
                continue
            if run.hostname != host:
                logger.warning(
                    "Run %d of %s is marked running on host %s; not touched from here",
                    run.id,
                    run.source,
                    run.hostname,
                )
                continue
            if pid_alive(run.pid):
                continue
            if not self.database.interrupt_run(
                run.id, f"crawl process {run.pid} died without recording its end"
            ):
                continue  # it recorded its own end meanwhile
            logger.warning(
                "Run %d of %s was left running by a crash: interrupted", run.id, run.source
            )
            dead.append(run)
        return dead

    def _loop(self) -> None:
        assert self._scheduler is not None
        last_renewal = time.monotonic()
        while not self._stop.wait(self.options.poll_seconds):
            try:
                renewed = self._lock.renew()
            except Exception as exc:  # the database may be briefly away; the claim may hold
                renewed = None
                logger.warning("Could not renew the scheduler lock: %s", exc)
            if renewed:
                last_renewal = time.monotonic()
            elif (
                renewed is False or time.monotonic() - last_renewal > self.options.lock_ttl_seconds
            ):
                logger.critical(
                    "Lost the scheduler lock (another scheduler may have taken over); stopping"
                )
                self.exit_code = 1
                break
            if self._reload.is_set():
                self._reload.clear()
                self._reload_config()
            # Re-read the job table: another process may have paused, resumed or queued jobs.
            self._scheduler.wakeup()

    def _reload_config(self) -> None:
        if self._load_config is None:
            return
        try:
            self.config = self._load_config()
        except Exception as exc:
            logger.error("Sources file not reloaded, keeping the previous one: %s", exc)
            return
        self._sync()

    def _shutdown(self) -> None:
        logger.info("Scheduler stopping")
        scheduler = self._scheduler
        if scheduler is not None and scheduler.running:
            scheduler.pause()
        self.runner.stop()
        if scheduler is not None and scheduler.running:
            # Waits for the executor threads, which wait for their crawls (grace, then kill).
            scheduler.shutdown(wait=True)
        install_runner(None)
        try:
            self._lock.release()
        except Exception as exc:
            logger.warning("Could not release the scheduler lock (it will expire): %s", exc)
        logger.info("Scheduler stopped")

    # -- signals --------------------------------------------------------------------------

    def _install_signal_handlers(self) -> dict[int, object]:
        if threading.current_thread() is not threading.main_thread():
            return {}  # embedded use (tests): the caller stops us with stop()
        previous: dict[int, object] = {}
        for sig, handler in (
            (signal.SIGTERM, self._on_stop_signal),
            (signal.SIGINT, self._on_stop_signal),
            (signal.SIGHUP, self._on_reload_signal),
        ):
            previous[sig] = signal.signal(sig, handler)
        return previous

    @staticmethod
    def _restore_signal_handlers(previous: dict[int, object]) -> None:
        for sig, handler in previous.items():
            signal.signal(sig, handler)  # type: ignore[arg-type]

    def _on_stop_signal(self, signum: int, _frame: FrameType | None) -> None:
        self._signals += 1
        if self._signals == 1:
            logger.info("%s received: stopping gracefully", signal.Signals(signum).name)
            self._stop.set()
            self.runner.stop()
        else:
            logger.warning("%s received again: killing running crawls", signal.Signals(signum).name)
            self.runner.kill_all()

    def _on_reload_signal(self, _signum: int, _frame: FrameType | None) -> None:
        self._reload.set()
