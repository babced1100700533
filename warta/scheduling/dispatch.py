"""Scheduling stage: the ``scrapyd`` executor, one crawl per due source on the least-busy node.

ScrapydRunner has the local CrawlRunner's contract, so APScheduler's thread pool keeps the
same guarantees: at most ``max_parallel`` crawls at once across all nodes, never two of
one source, a time limit (``cancel.json`` with SIGTERM, then SIGKILL after the grace).

The outcome comes from the crawl-run record the crawl wrote in the shared database, never
from Scrapyd: a crawl that failed is still "finished" in ``listjobs.json``. The record is
the first run of the source created after the dispatch (run ids only grow), with the pid
Scrapyd reported when the job was seen running.

A node that cannot be reached (or refuses the job) is skipped, logged when it goes down
and when it comes back, and named in the run record if no node could take the crawl.
Stopping the scheduler leaves running jobs alone: the next scheduler adopts every warta
job it finds on the nodes (job ids name their source) instead of starting another.
"""

from __future__ import annotations

import logging
import socket
import threading
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from warta.scheduling.lock import pid_alive
from warta.scheduling.runner import (
    SCHEDULER_STOPPING,
    TIME_LIMIT,
    CrawlOptions,
    RunOutcome,
    log_outcome,
    settle_run,
)
from warta.scheduling.scrapyd import (
    DEFAULT_TIMEOUT,
    NodeError,
    NodeStatus,
    ScrapydNode,
    new_job_id,
    probe,
    source_of_job,
)

if TYPE_CHECKING:
    from storage import CrawlRunRecord, Database

logger = logging.getLogger(__name__)

NO_NODE = "no scrapyd node"
NODE_LOST = "node unreachable"
_RECOVERY_SCAN = 1000


@dataclass(frozen=True, slots=True)
class ScrapydOptions:
    """Where and how crawls are dispatched; the crawl-level limits live in CrawlOptions."""

    nodes: tuple[str, ...]
    project: str = "warta"
    spider: str = "news"
    # Passed to every job as Scrapy settings; None leaves the node's own environment.
    database_url: str | None = None
    config_path: str | None = None
    poll_seconds: float = 1.0  # how often a running job's state is asked for
    timeout: float = DEFAULT_TIMEOUT  # one HTTP request to a node
    # A job whose node stays unreachable this long past its time limit and grace is lost.
    lost_after: float = 60.0


@dataclass
class _Job:
    node: ScrapydNode
    job_id: str
    source: str
    after_id: int | None  # the source's newest run id before dispatch (None: adopted)
    started: float = field(default_factory=time.monotonic)
    pid: int | None = None
    log_url: str | None = None


class ScrapydRunner:
    """Dispatches crawls to Scrapyd nodes and completes their records from the database."""

    def __init__(self, crawl: CrawlOptions, scrapyd: ScrapydOptions, database: Database) -> None:
        if not scrapyd.nodes:
            raise ValueError("the scrapyd executor needs at least one node URL")
        self.options = crawl
        self.scrapyd = scrapyd
        self.database = database
        self.nodes = [ScrapydNode(url, timeout=scrapyd.timeout) for url in scrapyd.nodes]
        self._lock = threading.Lock()
        self._active: dict[str, _Job | None] = {}
        self._adopted: dict[str, _Job] = {}
        self._last_used: dict[str, float] = {}
        self._claims: dict[str, int] = {}  # dispatches under way, not yet in daemonstatus
        self._down: dict[str, str] = {}
        self._stopping = threading.Event()

    # -- control, from the scheduler's main thread -------------------------------------

    def stop(self) -> None:
        """Dispatch nothing more; running jobs are left to finish on their nodes."""
        self._stopping.set()

    def kill_all(self) -> None:
        """Cancel every job this scheduler is waiting for, with SIGKILL (a second Ctrl-C)."""
        self._stopping.set()
        with self._lock:
            jobs = [job for job in self._active.values() if job is not None]
        for job in jobs:
            self._cancel(job, "KILL")

    def running_sources(self) -> list[str]:
        with self._lock:
            return sorted(self._active)

    # -- recovery, before any job fires --------------------------------------------------

    def recover(self) -> tuple[list[str], list[str]]:
        """Adopt warta jobs left on the nodes; mark runs whose job is gone as interrupted.

        Returns the adopted sources (their next run waits for the job already there
        instead of dispatching another) and the sources of the interrupted runs.
        """
        live: dict[str, _Job] = {}
        node_names: set[str] = set()
        unreachable: list[str] = []
        for node in self.nodes:
            status = probe(node, self.scrapyd.project)
            self._note(status)
            if not status.reachable:
                unreachable.append(node.url)
                continue
            if status.node_name:
                node_names.add(status.node_name)
            for source, job in self._live_jobs(node).items():
                live[source] = job
        with self._lock:
            self._adopted = dict(live)
        for source, job in sorted(live.items()):
            logger.warning(
                "Scrapyd job %s of %s is still on %s: adopted, not started again",
                job.job_id,
                source,
                job.node.url,
            )
        lost = self._mark_lost_runs(node_names, set(live)) if not unreachable else []
        if unreachable:
            logger.warning(
                "Runs left running on unreachable node(s) %s are not judged until they answer",
                ", ".join(unreachable),
            )
        return sorted(live), sorted(set(lost))

    def _live_jobs(self, node: ScrapydNode) -> dict[str, _Job]:
        try:
            jobs = node.list_jobs(self.scrapyd.project)
        except NodeError:
            return {}
        found: dict[str, _Job] = {}
        for state in ("pending", "running"):
            for entry in jobs.get(state, []):
                job_id = str(entry.get("id", ""))
                source = source_of_job(job_id)
                if source is None:
                    continue
                # A pending job has not recorded a run yet: its run will be newer than these.
                after = self._newest_run_id(source) if state == "pending" else None
                found[source] = _Job(node, job_id, source, after, pid=entry.get("pid"))
        return found

    def _mark_lost_runs(self, node_names: set[str], live: set[str]) -> list[str]:
        here = socket.gethostname()
        lost: list[str] = []
        for run in self.database.list_runs(limit=_RECOVERY_SCAN):
            if run.status != "running" or run.hostname not in node_names or run.source in live:
                continue
            if run.hostname == here and pid_alive(run.pid):
                continue  # a crawl on this machine that Scrapyd did not start
            if not self.database.interrupt_run(
                run.id, f"no Scrapyd job of {run.source} is left on {run.hostname}"
            ):
                continue  # it recorded its own end meanwhile
            logger.warning(
                "Run %d of %s on %s has no Scrapyd job any more: interrupted",
                run.id,
                run.source,
                run.hostname,
            )
            lost.append(run.source)
        return lost

    # -- one crawl, in an executor thread ------------------------------------------------

    def run(self, source: str) -> RunOutcome:
        if self._stopping.is_set():
            return RunOutcome(source, "skipped", SCHEDULER_STOPPING, None, None, 0.0)
        with self._lock:
            if source in self._active:
                logger.warning("Crawl of %s skipped: the previous one is still running", source)
                return RunOutcome(source, "skipped", "already running", None, None, 0.0)
            self._active[source] = None
            adopted = self._adopted.pop(source, None)
        try:
            job = adopted or self._dispatch(source)
            if isinstance(job, RunOutcome):
                log_outcome(job)
                return job
            with self._lock:
                self._active[source] = job
            outcome = self._follow(job)
        finally:
            with self._lock:
                self._active.pop(source, None)
        log_outcome(outcome)
        return outcome

    def _dispatch(self, source: str) -> _Job | RunOutcome:
        """Schedule the crawl on the least-busy reachable node; skip (and report) the rest."""
        statuses = [probe(node) for node in self.nodes]
        skipped: list[str] = []
        for status in statuses:
            self._note(status)
            if not status.reachable:
                skipped.append(f"{status.url} ({status.error})")
        by_url = {node.url: node for node in self.nodes}
        reachable = [s for s in statuses if s.reachable]
        settings = self._job_settings()
        while reachable:
            with self._lock:  # pick and claim at once: simultaneous dispatches spread out
                status = min(
                    reachable,
                    key=lambda s: (
                        s.load + self._claims.get(s.url, 0),
                        self._last_used.get(s.url, 0.0),
                    ),
                )
                self._claims[status.url] = self._claims.get(status.url, 0) + 1
                self._last_used[status.url] = time.monotonic()
            reachable.remove(status)
            node = by_url[status.url]
            try:
                job = self._schedule(node, source, settings)
            finally:
                with self._lock:
                    self._claims[status.url] -= 1
            if isinstance(job, str):
                skipped.append(f"{node.url} ({job})")
                continue
            logger.info(
                "Crawl of %s dispatched to %s as job %s (%d running/pending there)%s",
                source,
                node.url,
                job.job_id,
                status.load,
                "; skipped " + ", ".join(skipped) if skipped else "",
            )
            return job
        message = "no Scrapyd node could take the crawl: " + "; ".join(skipped)
        logger.error("Crawl of %s not started: %s", source, message)
        run_id = self.database.start_run(source)
        self.database.finish_run(
            run_id,
            status="failed",
            finish_reason=NO_NODE,
            pages=0,
            articles_new=0,
            articles_updated=0,
            articles_unchanged=0,
            errors=1,
            error_message=message,
        )
        return RunOutcome(source, "failed", NO_NODE, run_id, None, 0.0, error_message=message)

    def _schedule(self, node: ScrapydNode, source: str, settings: dict[str, str]) -> _Job | str:
        """The job on ``node``, or why the node did not take it."""
        after_id = self._newest_run_id(source)
        job_id = new_job_id(source)
        args = {"source": source}
        try:
            node.schedule(self.scrapyd.project, self.scrapyd.spider, job_id, settings, args)
        except NodeError as exc:
            # A timeout may hide a job the node did accept: ask before trying another node,
            # or the source would be crawled twice.
            try:
                accepted = node.job_state(self.scrapyd.project, job_id) is not None
            except NodeError:
                accepted = False
            if not accepted:
                self._note(NodeStatus(node.url, reachable=False, error=str(exc)))
                return str(exc)
            logger.warning("Job %s on %s was accepted despite: %s", job_id, node.url, exc)
        return _Job(node, job_id, source, after_id)

    def _job_settings(self) -> dict[str, str]:
        settings = {"LOG_LEVEL": self.options.log_level}
        if self.scrapyd.database_url:
            settings["WARTA_DATABASE_URL"] = self.scrapyd.database_url
        if self.scrapyd.config_path:
            settings["WARTA_CONFIG"] = self.scrapyd.config_path
        settings.update(self.options.settings)
        return settings

    def _follow(self, job: _Job) -> RunOutcome:
        """Wait for the job to leave its node, enforcing the time limit; then settle it."""
        deadline = job.started + self.options.time_limit
        stop_reason: str | None = None
        terminated_at = 0.0
        killed = False
        unreachable_since: float | None = None
        how = "ended"
        while True:
            if self._stopping.wait(self.scrapyd.poll_seconds):
                logger.info(
                    "Crawl of %s left running as Scrapyd job %s on %s; the next scheduler "
                    "adopts it",
                    job.source,
                    job.job_id,
                    job.node.url,
                )
                return RunOutcome(job.source, "skipped", SCHEDULER_STOPPING, None, None, 0.0)
            now = time.monotonic()
            try:
                state = job.node.job_state(self.scrapyd.project, job.job_id)
            except NodeError as exc:
                if unreachable_since is None:
                    unreachable_since = now
                    self._note(NodeStatus(job.node.url, reachable=False, error=str(exc)))
                limit = deadline + self.options.grace + self.scrapyd.lost_after
                if now >= limit:
                    stop_reason = stop_reason or NODE_LOST
                    how = f"was lost: its node has not answered for {now - unreachable_since:.0f}s"
                    break
                continue
            if unreachable_since is not None:
                unreachable_since = None
                self._note(NodeStatus(job.node.url, reachable=True))
            if state is not None:
                job.pid = state.pid or job.pid
                job.log_url = state.log_url or job.log_url
            if state is None or state.state == "finished":
                break
            if stop_reason is None and now >= deadline:
                stop_reason = TIME_LIMIT
                logger.warning(
                    "Crawl of %s (job %s on %s): time limit after %.0fs; cancelling "
                    "(SIGKILL in %.0fs)",
                    job.source,
                    job.job_id,
                    job.node.url,
                    now - job.started,
                    self.options.grace,
                )
                self._cancel(job, "TERM")
                terminated_at = now
            elif stop_reason and not killed and now - terminated_at >= self.options.grace:
                logger.error("Crawl of %s ignored its cancel; SIGKILL", job.source)
                self._cancel(job, "KILL")
                killed = True
        if stop_reason and stop_reason != NODE_LOST:
            how += f" after the {stop_reason}"
        return settle_run(
            self.database,
            job.source,
            self._find_record(job),
            what=f"Scrapyd job {job.job_id} on {job.node.url}",
            how=how,
            stop_reason=stop_reason,
            time_limit=self.options.time_limit,
            seconds=time.monotonic() - job.started,
            detail=f"see {job.log_url}" if job.log_url else "",
        )

    def _cancel(self, job: _Job, signal: str) -> None:
        try:
            job.node.cancel(self.scrapyd.project, job.job_id, signal)
        except NodeError as exc:
            logger.error("Could not cancel job %s of %s: %s", job.job_id, job.source, exc)

    def _find_record(self, job: _Job) -> CrawlRunRecord | None:
        """The run the job's crawl wrote: created after the dispatch, by its pid if known."""
        runs = self.database.list_runs(source=job.source, limit=20)  # newest first
        if job.after_id is not None:
            runs = [r for r in runs if r.id > job.after_id]
        if job.pid is not None:
            match = next((r for r in runs if r.pid == job.pid), None)
            if match is not None or job.after_id is None:
                return match
        if job.after_id is None:
            return None
        return min(runs, key=lambda r: r.id, default=None)

    def _newest_run_id(self, source: str) -> int:
        runs = self.database.list_runs(source=source, limit=1)
        return runs[0].id if runs else 0

    def _note(self, status: NodeStatus) -> None:
        """Log a node going down or coming back (once per change, not per poll)."""
        with self._lock:
            was_down = status.url in self._down
            if status.reachable:
                self._down.pop(status.url, None)
            else:
                self._down[status.url] = status.error or "unreachable"
        if status.reachable and was_down:
            logger.warning("Scrapyd node %s answers again", status.url)
        elif not status.reachable and not was_down:
            logger.warning("Scrapyd node %s skipped: %s", status.url, status.error)

    def unreachable_nodes(self) -> dict[str, str]:
        """Nodes found unreachable at the last contact, with the error."""
        with self._lock:
            return dict(self._down)
