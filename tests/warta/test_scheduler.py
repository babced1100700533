"""The scheduler: real scheduler processes, real crawls of the demo sites, real time.

Every end-to-end test runs ``python -m warta scheduler`` as its own process
(from a temporary directory, so nothing depends on the working directory) against the
demo server, and reads the outcome from the database the way ``warta runs`` does.
"""

from __future__ import annotations

import itertools
import json
import os
import pickle
import signal
import socket
import subprocess
import sys
import time
import tomllib
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from storage import CrawlRunRecord, Database
from storage.scheduling import JOBS_TABLE, try_acquire_lock
from warta.cli_schedule import schedule_group
from warta.scheduling.jobs import ONCE_PREFIX, control_scheduler, job_id
from warta.scheduling.jobstore import QuarantiningJobStore, inspect_jobs
from warta.scheduling.lock import SchedulerAlreadyRunning, SchedulerLock, pid_alive
from warta.scheduling.runner import SCHEDULER_STOPPING
from warta.scheduling.triggers import ScheduleError, cron_trigger, cron_weekdays

REPO = Path(__file__).resolve().parents[2]
T = TypeVar("T")
# Fast crawls; SLOW ones fetch one page a second, so a test can act while one runs.
FAST = ("--set", "AUTOTHROTTLE_ENABLED=False")
SLOW = ("--set", "AUTOTHROTTLE_ENABLED=False", "--set", "DOWNLOAD_DELAY=1")
# One request in flight at a time: on SIGTERM, Scrapy finishes within about a second.
SLOW_ONE_AT_A_TIME = (*SLOW, "--set", "CONCURRENT_REQUESTS=1")
# Many requests queued in the downloader: Scrapy's graceful stop then takes many seconds.
SLOW_QUEUED = (*SLOW, "--set", "CONCURRENT_REQUESTS_PER_DOMAIN=1")
GRACE = 5.0

pytestmark = pytest.mark.timeout(120)


# -- helpers ---------------------------------------------------------------------------


def wait_for(what: str, probe: Callable[[], T | None], timeout: float, every: float = 0.3) -> T:
    """Poll ``probe`` until it returns something truthy; fail naming ``what`` otherwise."""
    deadline = time.monotonic() + timeout
    while True:
        value = probe()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout:.0f}s waiting for {what}")
        time.sleep(every)


def write_sources(path: Path, sources: list[dict[str, Any]]) -> Path:
    """A sources file from dicts (JSON scalars and string arrays are valid TOML values)."""
    blocks = []
    for source in sources:
        lines = ["[[sources]]"] + [f"{key} = {json.dumps(value)}" for key, value in source.items()]
        blocks.append("\n".join(lines))
    path.write_text("\n\n".join(blocks) + "\n", encoding="utf-8")
    return path


def demo_sources(base_url: str, every: int) -> list[dict[str, Any]]:
    from warta.demo import config_text

    sources: list[dict[str, Any]] = tomllib.loads(config_text(base_url, every_seconds=every))[
        "sources"
    ]
    assert len(sources) >= 2, "the demo must offer at least two sources"
    return sources


def with_interval(source: dict[str, Any], seconds: int) -> dict[str, Any]:
    changed = {k: v for k, v in source.items() if k not in ("every", "schedule")}
    changed["every"] = seconds
    return changed


def runs_of(db: Database, source: str) -> list[CrawlRunRecord]:
    """The source's runs, oldest first."""
    return sorted(db.list_runs(source=source, limit=200), key=lambda r: r.id)


class SchedulerProcess:
    """``warta scheduler`` in its own process, logging to a file."""

    def __init__(self, tmp: Path, env: dict[str, str], *args: str, name: str = "scheduler"):
        self.log_path = tmp / f"{name}.log"
        self._log = self.log_path.open("w")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "warta", "scheduler", *args],
            cwd=tmp,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def stop(self, sig: signal.Signals = signal.SIGTERM, timeout: float = 30) -> float:
        """Signal it and wait for the exit; return how long the exit took."""
        started = time.monotonic()
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        try:
            self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            pytest.fail(f"scheduler did not exit within {timeout}s of {sig.name}:\n{self.log()}")
        self._log.close()
        return time.monotonic() - started

    def started(self) -> bool:
        if self.proc.poll() is not None:
            pytest.fail(f"scheduler exited early ({self.proc.returncode}):\n{self.log()}")
        return "Scheduler started" in self.log()


@pytest.fixture
def env(tmp_path: Path, sqlite_url: str) -> dict[str, str]:
    out = dict(os.environ)
    out["WARTA_DATABASE_URL"] = sqlite_url
    out["WARTA_CONFIG"] = str(tmp_path / "sources.toml")
    # The crawler refuses private and loopback addresses unless allowed; the demo is local.
    out["WARTA_ALLOW_NETWORKS"] = "127.0.0.1/32"
    out["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), out.get("PYTHONPATH")) if p)
    return out


@pytest.fixture
def db(sqlite_url: str) -> Iterator[Database]:
    database = Database.open(sqlite_url)
    yield database
    database.close()


@pytest.fixture
def schedulers(tmp_path: Path) -> Iterator[list[SchedulerProcess]]:
    """Scheduler processes a test starts; any still alive at the end are killed."""
    started: list[SchedulerProcess] = []
    yield started
    for s in started:
        if s.proc.poll() is None:
            s.proc.kill()
            s.proc.wait()


def cli(args: list[str], env: dict[str, str]) -> Any:
    result = CliRunner().invoke(schedule_group, args, env=env, catch_exceptions=False)
    return result


def listing(env: dict[str, str]) -> dict[str, dict[str, Any]]:
    result = cli(["list", "--format", "json"], env)
    assert result.exit_code == 0, result.output
    return {row["source"]: row for row in json.loads(result.stdout)}


# -- cron expressions ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "expected"),
    [
        ("*", "*"),
        ("0", "sun"),
        ("7", "sun"),
        ("1-5", "mon,tue,wed,thu,fri"),
        ("0-6", "sun,mon,tue,wed,thu,fri,sat"),
        ("*/2", "sun,tue,thu,sat"),
        ("sat,0", "sun,sat"),
        ("mon-wed", "mon,tue,wed"),
    ],
)
def test_cron_weekdays_mean_what_crontab_means(field: str, expected: str) -> None:
    assert cron_weekdays(field) == expected


def test_cron_sunday_fires_on_a_sunday() -> None:
    trigger = cron_trigger("30 6 * * 0")
    wednesday = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
    fire = trigger.get_next_fire_time(None, wednesday)
    assert fire == datetime(2026, 11, 29, 6, 30, tzinfo=UTC)
    assert fire.strftime("%A") == "Sunday"


@pytest.mark.parametrize("expression", ["* * * *", "61 * * * *", "* * * * 8", "* * * * x-y"])
def test_bad_cron_expressions_are_refused_with_the_expression(expression: str) -> None:
    with pytest.raises(ScheduleError, match="cron"):
        cron_trigger(expression)


# -- the lock, on both backends ------------------------------------------------------------


def test_lock_refuses_a_live_scheduler_and_takes_over_a_dead_one(database_url: str) -> None:
    with Database.open(database_url) as database:
        # A scheduler on another machine: only its heartbeat says whether it lives.
        remote = SchedulerLock(database.engine, ttl_seconds=1.0)
        remote.hostname = "another-host"
        remote.acquire()
        local = SchedulerLock(database.engine, ttl_seconds=30)
        with pytest.raises(SchedulerAlreadyRunning, match="already running on this database"):
            local.acquire()
        assert remote.renew()
        # `remote` stops renewing (as after kill -9): its claim expires and is taken over.
        time.sleep(1.3)
        local.acquire()
        assert not remote.renew(), "a scheduler whose claim was taken over must learn it"
        with pytest.raises(SchedulerAlreadyRunning):
            remote.acquire()
        local.release()
        remote.acquire()  # released: free for anyone
        remote.release()


def test_lock_of_a_dead_process_on_this_host_is_taken_over_at_once(database_url: str) -> None:
    gone = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        check=True,
        capture_output=True,
        text=True,
    )
    dead_pid = int(gone.stdout)
    with Database.open(database_url) as database:
        acquired, _ = try_acquire_lock(
            database.engine,
            holder="killed-scheduler",
            hostname=socket.gethostname(),
            pid=dead_pid,
            ttl=timedelta(hours=1),
        )
        assert acquired
        SchedulerLock(database.engine, ttl_seconds=30).acquire()


def test_lock_left_by_an_earlier_process_with_our_pid_is_taken_over(database_url: str) -> None:
    # A restarted container: same hostname, and the scheduler is PID 1 again.
    with Database.open(database_url) as database:
        try_acquire_lock(
            database.engine,
            holder="previous-incarnation",
            hostname=socket.gethostname(),
            pid=os.getpid(),
            ttl=timedelta(hours=1),
        )
        SchedulerLock(database.engine, ttl_seconds=30).acquire()


# -- the job table, edited through the CLI -------------------------------------------------


def test_sync_adds_changes_and_removes_jobs_and_keeps_pauses(
    tmp_path: Path, database_url: str
) -> None:
    env = {"WARTA_DATABASE_URL": database_url, "WARTA_CONFIG": str(tmp_path / "s.toml")}
    feed = {"kind": "feed", "start_urls": ["http://127.0.0.1:9/feed.xml"]}
    write_sources(
        tmp_path / "s.toml",
        [
            {"name": "alpha", **feed, "every": 60},
            {"name": "beta", **feed, "schedule": "0 6 * * *"},
            {"name": "gamma", **feed, "every": 60},
            {"name": "manual", **feed},
        ],
    )
    result = cli(["sync"], env)
    assert result.exit_code == 0, result.output
    assert "3 added" in result.output
    rows = listing(env)
    assert rows["alpha"]["state"] == "scheduled"
    assert rows["manual"]["state"] == "no schedule"
    assert rows["beta"]["next_run_at"].endswith("06:00:00+00:00")
    assert cli(["pause", "gamma"], env).exit_code == 0

    write_sources(
        tmp_path / "s.toml",
        [
            {"name": "alpha", **feed, "every": 7200},  # changed
            {"name": "gamma", **feed, "every": 90},  # changed while paused
            {"name": "delta", **feed, "every": 60},  # new
            {"name": "manual", **feed, "enabled": False},
        ],  # beta removed
    )
    before = datetime.now(UTC)
    result = cli(["sync"], env)
    assert result.exit_code == 0, result.output
    assert "added: source:delta" in result.output
    assert "changed: source:alpha" in result.output
    assert "removed: source:beta" in result.output
    rows = listing(env)
    assert set(rows) == {"alpha", "gamma", "delta", "manual"}
    next_alpha = datetime.fromisoformat(rows["alpha"]["next_run_at"])
    assert next_alpha - before > timedelta(minutes=110), "the new interval takes effect"
    assert rows["gamma"]["state"] == "paused" and rows["gamma"]["next_run_at"] is None
    assert rows["gamma"]["schedule"] == "every 90s"
    assert rows["manual"]["state"] == "disabled"
    # A second sync with no change touches nothing.
    assert "0 added, 0 changed, 0 removed, 3 unchanged" in cli(["sync"], env).output


def test_pause_resume_and_run_now_edit_the_job_table(tmp_path: Path, sqlite_url: str) -> None:
    env = {"WARTA_DATABASE_URL": sqlite_url, "WARTA_CONFIG": str(tmp_path / "s.toml")}
    feed = {"kind": "feed", "start_urls": ["http://127.0.0.1:9/feed.xml"]}
    write_sources(tmp_path / "s.toml", [{"name": "alpha", **feed, "every": 600}])
    assert cli(["sync"], env).exit_code == 0
    assert cli(["pause", "alpha"], env).exit_code == 0
    assert listing(env)["alpha"]["state"] == "paused"
    result = cli(["run-now", "alpha"], env)
    assert result.exit_code == 0 and "Queued" in result.output
    row = listing(env)["alpha"]
    assert row["state"] == "paused", "run-now runs once without un-pausing"
    assert datetime.fromisoformat(row["next_run_at"]) <= datetime.now(UTC)
    assert cli(["resume", "alpha"], env).exit_code == 0
    assert listing(env)["alpha"]["state"] == "scheduled"
    unknown = cli(["pause", "nope"], env)
    assert unknown.exit_code == 1 and "unknown source 'nope'" in unknown.output


def test_list_counts_consecutive_failures_and_shows_the_last_error(
    tmp_path: Path, database_url: str
) -> None:
    env = {"WARTA_DATABASE_URL": database_url, "WARTA_CONFIG": str(tmp_path / "s.toml")}
    feed = {"kind": "feed", "start_urls": ["http://127.0.0.1:9/feed.xml"], "every": 600}
    write_sources(tmp_path / "s.toml", [{"name": "alpha", **feed}, {"name": "beta", **feed}])
    with Database.open(database_url) as database:
        for status, reason, pages, error in [
            ("failed", "closespider_errorcount", 0, "old failure"),
            ("finished", "finished", 5, None),
            ("finished", "finished", 0, "Connection refused for http://127.0.0.1:9/feed.xml"),
            ("interrupted", "shutdown", 2, None),
            ("failed", "no run record", 0, "crawl process exited with code 1"),
        ]:
            run = database.start_run("alpha")
            database.finish_run(
                run,
                status=status,
                finish_reason=reason,
                pages=pages,
                articles_new=0,
                articles_updated=0,
                articles_unchanged=0,
                errors=1,
                error_message=error,
            )
        database.start_run("alpha")  # one running now: not a failure, not a success
        run = database.start_run("beta")
        database.finish_run(
            run,
            status="finished",
            finish_reason="finished",
            pages=1,
            articles_new=1,
            articles_updated=0,
            articles_unchanged=0,
            errors=0,
        )
    rows = listing(env)
    # The start URL down (no page fetched, an error) counts as a failure too; a run
    # stopped on purpose (SIGTERM: "shutdown") neither breaks nor extends the streak.
    assert rows["alpha"]["consecutive_failures"] == 2
    assert rows["alpha"]["last_error"] == "crawl process exited with code 1"
    assert rows["alpha"]["last_status"] == "running"
    assert rows["beta"]["consecutive_failures"] == 0 and rows["beta"]["last_error"] is None
    assert rows["beta"]["last_status"] == "finished"
    assert rows["alpha"]["state"] == "not synced"  # no job until `warta schedule sync`


def test_a_job_that_cannot_be_imported_is_kept_reported_and_repaired(
    tmp_path: Path, sqlite_url: str
) -> None:
    env = {"WARTA_DATABASE_URL": sqlite_url, "WARTA_CONFIG": str(tmp_path / "s.toml")}
    feed = {"kind": "feed", "start_urls": ["http://127.0.0.1:9/feed.xml"]}
    write_sources(
        tmp_path / "s.toml",
        [{"name": "alpha", **feed, "every": 60}, {"name": "beta", **feed, "every": 60}],
    )
    assert cli(["sync"], env).exit_code == 0
    with Database.open(sqlite_url) as database:
        # As after an upgrade that renamed the job function.
        jobs = sa.table(JOBS_TABLE, sa.column("id"), sa.column("job_state"))
        with database.engine.begin() as conn:
            for jid in (job_id("alpha"), job_id("beta")):
                blob = conn.execute(
                    sa.select(jobs.c.job_state).where(jobs.c.id == jid)
                ).scalar_one()
                state = pickle.loads(blob)
                state["func"] = "warta.gone_module:crawl"
                conn.execute(
                    sa.update(jobs).where(jobs.c.id == jid).values(job_state=pickle.dumps(state))
                )
        with control_scheduler(database.engine) as scheduler:
            assert scheduler.get_jobs() == []  # APScheduler's own store would delete them here
            store = scheduler._lookup_jobstore("default")
            assert isinstance(store, QuarantiningJobStore)
            assert set(store.broken) == {job_id("alpha"), job_id("beta")}
        stored = {j.id: j for j in inspect_jobs(database.engine)}
        assert set(stored) == {job_id("alpha"), job_id("beta")}, "nothing was deleted"
        assert all(j.next_run_time is None for j in stored.values()), "quarantined, not due"
    rows = listing(env)
    assert rows["alpha"]["state"] == rows["beta"]["state"] == "broken"

    # beta leaves the sources file: its broken job is reported, never silently dropped.
    write_sources(tmp_path / "s.toml", [{"name": "alpha", **feed, "every": 60}])
    result = cli(["sync"], env)
    assert result.exit_code == 1
    assert "repaired: source:alpha" in result.output
    assert "BROKEN (kept, paused): source:beta" in result.output
    assert "warta.gone_module" in result.output
    rows = listing(env)
    assert rows["alpha"]["state"] == "scheduled"
    assert rows["beta"]["state"] == "broken"


# -- the service, end to end ---------------------------------------------------------------


@pytest.mark.slow
def test_two_sources_run_repeatedly_on_schedule_and_never_overlap(
    tmp_path: Path, demo_url: str, env: dict[str, str], db: Database, schedulers: list[Any]
) -> None:
    sources = [with_interval(s, 3) for s in demo_sources(demo_url, every=3)[:2]]
    write_sources(Path(env["WARTA_CONFIG"]), sources)
    names = [s["name"] for s in sources]
    proc = SchedulerProcess(tmp_path, env, "--max-parallel", "2", "--poll", "0.5", *FAST)
    schedulers.append(proc)

    def enough_runs() -> bool:
        proc.started()
        return all(sum(r.status == "finished" for r in runs_of(db, name)) >= 3 for name in names)

    wait_for("3 finished runs of each source", enough_runs, timeout=75)
    assert proc.stop() < GRACE + 10
    assert proc.proc.returncode == 0, proc.log()
    for name in names:
        runs = [r for r in runs_of(db, name) if r.finished_at is not None]
        if runs and runs[-1].finish_reason == SCHEDULER_STOPPING:
            # The stop may land mid-crawl: that last run is recorded as cut short, not lost.
            assert runs[-1].status == "interrupted", runs[-1].to_dict()
            runs = runs[:-1]
        assert all(r.status == "finished" for r in runs), [r.to_dict() for r in runs]
        assert all(r.pages > 0 and r.errors == 0 for r in runs), [r.to_dict() for r in runs]
        for earlier, later in itertools.pairwise(runs):
            assert earlier.finished_at is not None
            assert later.started_at >= earlier.finished_at, f"{name}: runs overlap"
    # Three crawls of the same sites stored each of their articles, once.
    from pipeline import canonicalize_url
    from warta.demo import article_urls

    served = {
        canonicalize_url(u) for u in article_urls(demo_url) if any(f"/{n}/" in u for n in names)
    }
    stored = db.query_articles(limit=10_000)
    assert sorted(a.canonical_url for a in stored) == sorted(served)
    assert "Traceback" not in proc.log()


@pytest.mark.slow
def test_max_parallel_caps_crawls_across_all_sources(
    tmp_path: Path, demo_url: str, env: dict[str, str], db: Database, schedulers: list[Any]
) -> None:
    sources = [with_interval(s, 1) for s in demo_sources(demo_url, every=1)[:3]]
    write_sources(Path(env["WARTA_CONFIG"]), sources)
    proc = SchedulerProcess(tmp_path, env, "--max-parallel", "1", "--poll", "0.5", *FAST)
    schedulers.append(proc)

    def finished_runs() -> list[CrawlRunRecord] | None:
        proc.started()
        runs = [r for r in db.list_runs(limit=100) if r.status == "finished"]
        return runs if len(runs) >= 3 else None

    wait_for("three finished crawls", finished_runs, timeout=60)
    proc.stop()
    runs = sorted((r for r in db.list_runs(limit=100) if r.finished_at), key=lambda r: r.started_at)
    assert len({r.source for r in runs}) >= 2, "several sources took turns"
    for earlier, later in itertools.pairwise(runs):
        assert earlier.finished_at is not None
        assert later.started_at >= earlier.finished_at, "two crawls ran at once"


@pytest.mark.slow
def test_a_crawl_killed_under_a_live_scheduler_is_recorded_as_interrupted(
    tmp_path: Path, demo_url: str, env: dict[str, str], db: Database, schedulers: list[Any]
) -> None:
    source = with_interval(demo_sources(demo_url, every=3600)[0], 3600)
    name = source["name"]
    write_sources(Path(env["WARTA_CONFIG"]), [source])
    assert cli(["sync"], env).exit_code == 0
    assert cli(["run-now", name], env).exit_code == 0
    proc = SchedulerProcess(tmp_path, env, "--poll", "0.5", *SLOW_QUEUED)
    schedulers.append(proc)

    def running() -> CrawlRunRecord | None:
        proc.started()
        return next((r for r in runs_of(db, name) if r.status == "running"), None)

    run = wait_for("a running crawl", running, timeout=30)
    assert run.pid is not None
    os.kill(run.pid, signal.SIGKILL)  # the OOM killer, say
    record = wait_for(
        "the killed run to be recorded",
        lambda: next((r for r in runs_of(db, name) if r.status != "running"), None),
        timeout=15,
    )
    assert (record.id, record.status, record.finish_reason) == (run.id, "interrupted", "killed")
    assert "SIGKILL" in (record.error_message or "")
    assert proc.proc.poll() is None, "the scheduler carries on"
    proc.stop()
    assert proc.proc.returncode == 0, proc.log()


@pytest.mark.slow
def test_sigterm_mid_crawl_stops_within_the_grace_period_and_records_the_run(
    tmp_path: Path, demo_url: str, env: dict[str, str], db: Database, schedulers: list[Any]
) -> None:
    source = with_interval(demo_sources(demo_url, every=1)[0], 1)
    write_sources(Path(env["WARTA_CONFIG"]), [source])
    proc = SchedulerProcess(
        tmp_path, env, "--grace", str(GRACE), "--poll", "0.5", *SLOW_ONE_AT_A_TIME
    )
    schedulers.append(proc)

    def running() -> CrawlRunRecord | None:
        proc.started()
        return next((r for r in runs_of(db, source["name"]) if r.status == "running"), None)

    run = wait_for("a running crawl", running, timeout=30)
    time.sleep(1.5)  # well into the crawl (one page a second)
    took = proc.stop(signal.SIGTERM)
    assert took < GRACE + 5, f"took {took:.1f}s to stop"
    assert proc.proc.returncode == 0, proc.log()
    record = db.get_run(run.id)
    assert record is not None, run
    # The crawl recorded its own end: Scrapy's graceful stop, not a kill.
    assert (record.status, record.finish_reason) == ("interrupted", "shutdown"), record
    assert record.finished_at is not None
    assert run.pid is not None and not pid_alive(run.pid), "the crawl process is gone"
    assert "stopping gracefully" in proc.log()
    assert "ignored SIGTERM" not in proc.log()


@pytest.mark.slow
@pytest.mark.parametrize(
    ("settings", "grace", "how"),
    [
        # Stops within the grace after SIGTERM: the crawl records its end, then the runner
        # says why it stopped.
        (SLOW_ONE_AT_A_TIME, 10, "stopped at the 6s time limit"),
        # Too slow to stop (many requests queued): SIGKILL after a 1 s grace.
        (SLOW_QUEUED, 1, "SIGKILL"),
    ],
    ids=["graceful", "killed"],
)
def test_a_crawl_over_its_time_limit_is_stopped_and_recorded(
    tmp_path: Path,
    demo_url: str,
    env: dict[str, str],
    db: Database,
    schedulers: list[Any],
    settings: tuple[str, ...],
    grace: int,
    how: str,
) -> None:
    source = with_interval(demo_sources(demo_url, every=1)[0], 3600)
    write_sources(Path(env["WARTA_CONFIG"]), [source])
    name = source["name"]
    assert cli(["sync"], env).exit_code == 0
    assert cli(["run-now", name], env).exit_code == 0
    proc = SchedulerProcess(
        tmp_path, env, "--time-limit", "6", "--grace", str(grace), "--poll", "0.5", *settings
    )
    schedulers.append(proc)

    def ended() -> CrawlRunRecord | None:
        proc.started()
        return next((r for r in runs_of(db, name) if r.finish_reason == "time limit"), None)

    record = wait_for("the run to end at its time limit", ended, timeout=40)
    assert record.status == "interrupted", record
    assert how in (record.error_message or ""), record
    assert record.finished_at is not None
    assert (record.finished_at - record.started_at).total_seconds() < 6 + grace + 3
    assert record.pid is not None and not pid_alive(record.pid)
    assert len(runs_of(db, name)) == 1
    proc.stop()


@pytest.mark.slow
def test_after_downtime_an_overdue_source_runs_once_not_once_per_missed_tick(
    tmp_path: Path, demo_url: str, env: dict[str, str], db: Database, schedulers: list[Any]
) -> None:
    # The scheduler and its first crawl must both start within one interval (scheduler
    # and crawl start-up took up to ~7 s each on a loaded 2-core machine).
    every = 16
    source = with_interval(demo_sources(demo_url, every=every)[0], every)
    name = source["name"]
    write_sources(Path(env["WARTA_CONFIG"]), [source])
    assert cli(["sync"], env).exit_code == 0
    with control_scheduler(db.engine) as scheduler:
        job = scheduler.get_job(job_id(name))
        assert job is not None
        first_tick = job.next_run_time
    # The scheduler is "down" for two ticks; it starts before the third.
    time.sleep(max(0.0, (first_tick - datetime.now(UTC)).total_seconds()) + every + 1)
    third_tick = first_tick + timedelta(seconds=2 * every)
    proc = SchedulerProcess(tmp_path, env, "--poll", "0.5", "--misfire-grace", "600", *FAST)
    schedulers.append(proc)
    wait_for("the scheduler", proc.started, timeout=15)
    assert datetime.now(UTC) < third_tick, "the machine was too slow to test this"
    # Two missed ticks, run one after the other, would both start before the third tick.
    time.sleep(max(0.0, (third_tick - datetime.now(UTC)).total_seconds()) - 0.3)
    started = [r for r in runs_of(db, name) if r.started_at < third_tick]
    proc.stop()
    assert len(started) == 1, [r.to_dict() for r in started]
    with control_scheduler(db.engine) as scheduler:
        job = scheduler.get_job(job_id(name))
        assert job is not None
        assert (job.coalesce, job.max_instances, job.misfire_grace_time) == (True, 1, 600)


@pytest.mark.slow
def test_kill_9_mid_run_then_restart_reruns_the_interrupted_source_without_duplicates(
    tmp_path: Path, demo_url: str, env: dict[str, str], db: Database, schedulers: list[Any]
) -> None:
    source = with_interval(demo_sources(demo_url, every=1)[0], 1)
    name = source["name"]
    config = Path(env["WARTA_CONFIG"])
    write_sources(config, [source])
    first = SchedulerProcess(tmp_path, env, "--poll", "0.5", *SLOW_QUEUED, name="first")
    schedulers.append(first)

    def running() -> CrawlRunRecord | None:
        first.started()
        return next((r for r in runs_of(db, name) if r.status == "running"), None)

    lost = wait_for("a running crawl", running, timeout=30)
    time.sleep(1.5)
    first.proc.kill()  # SIGKILL: no clean-up at all
    first.proc.wait()
    assert lost.pid is not None
    wait_for("the orphaned crawl to die with its scheduler", lambda: not pid_alive(lost.pid), 10)
    assert db.get_run(lost.id).status == "running"  # type: ignore[union-attr]

    # Restart with a schedule that will not fire soon: only crash recovery can re-run it.
    write_sources(config, [with_interval(source, 3600)])
    second = SchedulerProcess(tmp_path, env, "--poll", "0.5", *FAST, name="second")
    schedulers.append(second)

    def rerun() -> CrawlRunRecord | None:
        second.started()
        return next(
            (r for r in runs_of(db, name) if r.id > lost.id and r.status == "finished"), None
        )

    wait_for("the interrupted source to be re-run", rerun, timeout=45)
    second.stop()
    assert second.proc.returncode == 0, second.log()
    record = db.get_run(lost.id)
    assert record is not None and record.status == "interrupted"
    assert f"Re-running {name}" in second.log()
    # The interrupted crawl plus its re-run stored every article of the site, each once.
    from pipeline import canonicalize_url
    from warta.demo import article_urls

    served = {canonicalize_url(u) for u in article_urls(demo_url) if f"/{name}/" in u}
    stored = db.query_articles(source=name, limit=10_000)
    assert sorted(a.canonical_url for a in stored) == sorted(served)
    assert db.count_articles(source=name) == len(served)


@pytest.mark.slow
def test_a_second_scheduler_on_the_same_database_is_refused(
    tmp_path: Path, database_url: str, env: dict[str, str], schedulers: list[Any]
) -> None:
    env = {**env, "WARTA_DATABASE_URL": database_url}
    feed = {"kind": "feed", "start_urls": ["http://127.0.0.1:9/feed.xml"], "every": 3600}
    write_sources(Path(env["WARTA_CONFIG"]), [{"name": "alpha", **feed}])
    first = SchedulerProcess(tmp_path, env, "--poll", "0.5", name="first")
    schedulers.append(first)
    wait_for("the first scheduler", first.started, timeout=30)
    second = subprocess.run(
        [sys.executable, "-m", "warta", "scheduler"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert second.returncode == 1
    assert "another warta scheduler is already running on this database" in second.stderr
    assert f"pid {first.proc.pid}" in second.stderr
    assert first.proc.poll() is None, "the first scheduler is unaffected"
    assert first.stop() < 10 and first.proc.returncode == 0
    # Once the first has stopped, a new scheduler may start.
    third = SchedulerProcess(tmp_path, env, "--poll", "0.5", name="third")
    schedulers.append(third)
    wait_for("a scheduler after the first stopped", third.started, timeout=30)
    third.stop()


@pytest.mark.slow
def test_repeated_failures_of_a_source_are_visible_with_the_error(
    tmp_path: Path, env: dict[str, str], schedulers: list[Any]
) -> None:
    dead = {"name": "dead", "kind": "feed", "start_urls": ["http://127.0.0.1:9/feed.xml"]}
    write_sources(Path(env["WARTA_CONFIG"]), [{**dead, "every": 1}])
    proc = SchedulerProcess(tmp_path, env, "--poll", "0.5", "--set", "RETRY_ENABLED=False")
    schedulers.append(proc)

    def failing() -> dict[str, Any] | None:
        proc.started()
        row = listing(env)["dead"]
        return row if row["consecutive_failures"] >= 2 else None

    row = wait_for("two failed runs", failing, timeout=45)
    proc.stop()
    assert "127.0.0.1:9" in row["last_error"]
    assert "Connection" in row["last_error"] or "refused" in row["last_error"]
    assert "Crawl of dead" in proc.log()


@pytest.mark.slow
def test_sighup_reloads_the_sources_file(
    tmp_path: Path, env: dict[str, str], db: Database, schedulers: list[Any]
) -> None:
    feed = {"kind": "feed", "start_urls": ["http://127.0.0.1:9/feed.xml"], "every": 3600}
    config = Path(env["WARTA_CONFIG"])
    write_sources(config, [{"name": "alpha", **feed}])
    proc = SchedulerProcess(tmp_path, env, "--poll", "0.5")
    schedulers.append(proc)
    wait_for("the scheduler", proc.started, timeout=30)
    write_sources(config, [{"name": "beta", **feed}])
    proc.proc.send_signal(signal.SIGHUP)
    wait_for(
        "the reloaded jobs",
        lambda: {j.id for j in inspect_jobs(db.engine)} == {job_id("beta")},
        timeout=15,
    )
    assert proc.proc.poll() is None
    proc.stop()
    assert proc.proc.returncode == 0, proc.log()


@pytest.mark.slow
def test_run_now_and_sync_reach_a_running_scheduler(
    tmp_path: Path,
    demo_url: str,
    database_url: str,
    env: dict[str, str],
    schedulers: list[Any],
) -> None:
    # On both backends: jobs, lock, crawl-run records and articles all in PostgreSQL too.
    env = {**env, "WARTA_DATABASE_URL": database_url}
    db = Database.open(database_url)
    try:
        _run_now_and_sync(tmp_path, demo_url, env, db, schedulers)
    finally:
        db.close()


def _run_now_and_sync(
    tmp_path: Path, demo_url: str, env: dict[str, str], db: Database, schedulers: list[Any]
) -> None:
    demo = demo_sources(demo_url, every=3600)
    alpha, beta = with_interval(demo[0], 3600), with_interval(demo[1], 2)
    config = Path(env["WARTA_CONFIG"])
    write_sources(config, [alpha])
    proc = SchedulerProcess(tmp_path, env, "--poll", "0.5", *FAST)
    schedulers.append(proc)
    wait_for("the scheduler", proc.started, timeout=30)

    assert cli(["run-now", alpha["name"]], env).exit_code == 0
    wait_for(  # a whole crawl, start-up included: slow on a loaded 2-core machine
        "the run-now crawl",
        lambda: any(r.status == "finished" for r in runs_of(db, alpha["name"])),
        timeout=90,
    )
    assert not any(j.id.startswith(ONCE_PREFIX) for j in inspect_jobs(db.engine))

    write_sources(config, [alpha, beta])  # a source is added to the file ...
    result = cli(["sync"], env)  # ... and `warta schedule sync` picks it up
    assert f"added: source:{beta['name']}" in result.output
    wait_for(
        "a crawl of the newly added source",
        lambda: any(r.status == "finished" for r in runs_of(db, beta["name"])),
        timeout=30,
    )
    rows = listing(env)
    assert rows[beta["name"]]["last_status"] == "finished"
    assert rows[alpha["name"]]["consecutive_failures"] == 0
    proc.stop()
    assert proc.proc.returncode == 0, proc.log()


# -- the executor setting ------------------------------------------------------------------

FEED_SOURCE = '[[sources]]\nname = "alpha"\nkind = "feed"\nstart_urls = ["http://127.0.0.1:9/f"]\n'


def test_the_scheduler_table_chooses_the_executor_and_its_errors_name_the_line(
    tmp_path: Path,
) -> None:
    from warta.config import ConfigError, load_config

    path = tmp_path / "s.toml"
    path.write_text(FEED_SOURCE)
    assert load_config(path).scheduler.executor == "local", "local unless the file says so"
    path.write_text(
        FEED_SOURCE + '\n[scheduler]\nexecutor = "scrapyd"\n'
        'scrapyd_nodes = ["http://crawl1:6800/", "http://u:p@crawl2:6800"]\n'
    )
    settings = load_config(path).scheduler
    assert settings.executor == "scrapyd"
    assert settings.scrapyd_nodes == ("http://crawl1:6800", "http://u:p@crawl2:6800")
    assert settings.scrapyd_project == "warta" and settings.crawl_database_url is None

    for table, message in [
        ('executor = "scrapyd"\n', ":6: scheduler.scrapyd_nodes: required"),
        ('executor = "scrapyd"\nscrapyd_nodes = ["crawl1:6800"]\n', ":8: scheduler.scrapyd_nodes"),
        ('executor = "remote"\n', ":7: scheduler.executor"),
        ('scrapyd_node = ["http://a:6800"]\n', "did you mean 'scrapyd_nodes'?"),
    ]:
        path.write_text(FEED_SOURCE + "\n[scheduler]\n" + table)
        with pytest.raises(ConfigError, match=message.replace("?", r"\?")):
            load_config(path)


def test_scrapyd_without_nodes_is_refused_before_the_scheduler_starts(
    tmp_path: Path, sqlite_url: str
) -> None:
    from warta.cli import main

    (tmp_path / "s.toml").write_text(FEED_SOURCE)
    env = {"WARTA_DATABASE_URL": sqlite_url, "WARTA_CONFIG": str(tmp_path / "s.toml")}
    result = CliRunner().invoke(main, ["scheduler", "--executor", "scrapyd"], env=env)
    assert result.exit_code == 2
    assert "the scrapyd executor needs node URLs" in result.output
    bad = CliRunner().invoke(main, ["scheduler", "--scrapyd-node", "crawl1:6800"], env=env)
    assert bad.exit_code == 2 and "not a Scrapyd node URL" in bad.output
