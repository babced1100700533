"""The scrapyd executor: real Scrapyd 1.6 nodes on 127.0.0.1, the real egg, one PostgreSQL.

The egg is built the documented way (``scrapyd-deploy --build-egg`` in a copy of the
project) and deployed with ``scrapyd-deploy -a`` to two Scrapyd processes, each with its
own scrapyd.conf, eggs, logs and dbs folders and a free port. The nodes run without the
repository on PYTHONPATH: warta, its migrations and its package data come from the egg.
``warta scheduler`` runs as its own process and dispatches the demo sources to them.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TypeVar

import pytest
from click.testing import CliRunner

from storage import Database
from warta.cli_schedule import schedule_group
from warta.scheduling.dispatch import NO_NODE, ScrapydOptions, ScrapydRunner
from warta.scheduling.runner import CrawlOptions
from warta.scheduling.scrapyd import ScrapydNode, public_url, source_of_job

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
PROJECT = "warta"
T = TypeVar("T")
# Both tests need PostgreSQL: several nodes writing to one SQLite file proves nothing.
on_postgresql = pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)

pytestmark = pytest.mark.timeout(180)


def wait_for(
    what: str,
    probe: Callable[[], T | None],
    timeout: float,
    every: float = 0.3,
    context: Callable[[], str] = str,
) -> T:
    deadline = time.monotonic() + timeout
    while True:
        value = probe()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout:.0f}s waiting for {what}\n{context()}")
        time.sleep(every)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class Node:
    url: str
    folder: Path
    proc: subprocess.Popen[bytes]

    def warta_jobs(self) -> dict[str, str]:
        """job id -> source of the warta jobs this node got (pending, running or finished)."""
        answer = ScrapydNode(self.url).list_jobs(PROJECT)
        jobs = [j for state in ("pending", "running", "finished") for j in answer[state]]
        return {j["id"]: s for j in jobs if (s := source_of_job(j["id"])) is not None}


def start_node(folder: Path, auth: tuple[str, str] | None = None, max_proc: int = 2) -> Node:
    """A Scrapyd process on a free port; with ``auth``, behind basic auth (its URL then
    carries the credentials, as the sources file would)."""
    folder.mkdir(parents=True)
    port = free_port()
    (folder / "scrapyd.conf").write_text(
        "[scrapyd]\n"
        f"eggs_dir = {folder / 'eggs'}\n"
        f"logs_dir = {folder / 'logs'}\n"
        f"dbs_dir = {folder / 'dbs'}\n"
        "poll_interval = 0.2\n"
        f"max_proc = {max_proc}\n"
        + (f"username = {auth[0]}\npassword = {auth[1]}\n" if auth else "")
    )
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "WARTA_CONFIG")}
    env.pop("WARTA_DATABASE_URL", None)  # the scheduler passes it with each job
    env |= {"SCRAPYD_HTTP_PORT": str(port), "SCRAPYD_BIND_ADDRESS": "127.0.0.1"}
    with (folder / "scrapyd.out").open("wb") as out:
        proc = subprocess.Popen(
            [str(BIN / "scrapyd")], cwd=folder, env=env, stdout=out, stderr=subprocess.STDOUT
        )
    credentials = f"{auth[0]}:{auth[1]}@" if auth else ""
    return Node(f"http://{credentials}127.0.0.1:{port}", folder, proc)


def terminate(proc: subprocess.Popen[bytes], timeout: float) -> bool:
    """SIGTERM, then SIGKILL after ``timeout``; True when the process stopped by itself."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        return False
    return True


def stop_node(node: Node) -> None:
    terminate(node.proc, 15)


def node_answers(node: Node) -> bool:
    if node.proc.poll() is not None:
        pytest.fail(f"scrapyd exited: {(node.folder / 'scrapyd.out').read_text()}")
    try:
        ScrapydNode(node.url, timeout=1).daemon_status()
    except Exception:
        return False
    return True


@pytest.fixture(scope="module")
def egg(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The egg scrapyd-deploy builds from a copy of the project (the checkout stays clean)."""
    project = tmp_path_factory.mktemp("project")
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in ("warta", "crawler", "pipeline", "storage"):
        shutil.copytree(REPO / name, project / name, ignore=ignore)
    for name in ("pyproject.toml", "setup.py", "scrapy.cfg", "README.md"):
        shutil.copy(REPO / name, project / name)
    out = project.parent / "warta.egg"
    subprocess.run(
        [str(BIN / "scrapyd-deploy"), "--build-egg", str(out)],
        cwd=project,
        check=True,
        capture_output=True,
    )
    return out


def deploy_egg(
    egg: Path, nodes: list[Node], folder: Path, auth: tuple[str, str] | None = None
) -> None:
    """``scrapyd-deploy -a`` of the egg to every node, as docs/deploy.md shows (with
    ``auth``, the credentials go in each deploy target)."""
    folder.mkdir()
    credentials = f"username = {auth[0]}\npassword = {auth[1]}\n" if auth else ""
    (folder / "scrapy.cfg").write_text(
        "[settings]\ndefault = crawler.settings\n\n"
        + "\n".join(
            f"[deploy:node{i}]\nurl = {public_url(node.url)}/\nproject = {PROJECT}\n" + credentials
            for i, node in enumerate(nodes, 1)
        )
    )
    result = subprocess.run(
        [str(BIN / "scrapyd-deploy"), "-a", "--egg", str(egg), "--version", "1"],
        cwd=folder,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr + result.stdout


@pytest.fixture(scope="module")
def nodes(tmp_path_factory: pytest.TempPathFactory, egg: Path) -> Iterator[list[Node]]:
    """Two Scrapyd nodes with the egg deployed to both by ``scrapyd-deploy -a``."""
    root = tmp_path_factory.mktemp("scrapyd")
    started = [start_node(root / "node1"), start_node(root / "node2")]
    try:
        for node in started:
            wait_for(f"scrapyd at {node.url}", partial(node_answers, node), timeout=30)
        deploy_egg(egg, started, root / "deploy")
        yield started
    finally:
        for node in started:
            stop_node(node)


class Scheduler:
    """``warta scheduler`` in its own process, logging to a file."""

    def __init__(self, tmp: Path, env: dict[str, str], *args: str) -> None:
        self.log_path = tmp / "scheduler.log"
        with self.log_path.open("wb") as out:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "warta", "scheduler", *args],
                cwd=tmp,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
            )

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def alive(self) -> bool:
        if self.proc.poll() is not None:
            pytest.fail(f"scheduler exited early ({self.proc.returncode}):\n{self.log()}")
        return True

    def stop(self) -> None:
        if not terminate(self.proc, 30):
            pytest.fail(f"scheduler did not stop:\n{self.log()}")


@pytest.fixture
def schedulers() -> Iterator[list[Scheduler]]:
    started: list[Scheduler] = []
    yield started
    for s in started:
        if s.proc.poll() is None:
            s.proc.kill()
            s.proc.wait()


def scheduler_env(tmp_path: Path, database_url: str, config: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("WARTA_")}
    env["WARTA_DATABASE_URL"] = database_url
    env["WARTA_CONFIG"] = str(config)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH")) if p)
    return env


def demo_config(path: Path, demo_url: str, scheduler_table: str = "") -> list[str]:
    """The demo sources file (one-off runs only), plus a [scheduler] table; source names."""
    import tomllib

    from warta.demo import config_text

    text = config_text(demo_url)
    path.write_text(text + "\n" + scheduler_table, encoding="utf-8")
    return [s["name"] for s in tomllib.loads(text)["sources"]]


def queue_runs(env: dict[str, str], names: list[str]) -> None:
    runner = CliRunner()
    for args in (["sync"], *(["run-now", name] for name in names)):
        result = runner.invoke(schedule_group, args, env=env, catch_exceptions=False)
        assert result.exit_code == 0, result.output


def settled(scheduler: Scheduler, names: list[str]) -> bool:
    """The scheduler saw every source's job end and read its run record."""
    scheduler.alive()
    log = scheduler.log()
    return all(f"Crawl of {name} finished (" in log for name in names)


def settle_and_stop(scheduler: Scheduler, names: list[str], timeout: float) -> None:
    """Wait until the scheduler has settled a run of every source, then stop it."""
    wait_for(
        f"the scheduler to settle a run of each of {names}",
        lambda: settled(scheduler, names),
        timeout=timeout,
        context=scheduler.log,
    )
    scheduler.stop()


def assert_every_article_once(database: Database, demo_url: str, names: list[str]) -> None:
    from pipeline import canonicalize_url
    from warta.demo import article_urls

    served = sorted(
        canonicalize_url(u) for u in article_urls(demo_url) if any(f"/{n}/" in u for n in names)
    )
    stored = sorted(a.canonical_url for a in database.query_articles(limit=None))
    assert stored == served


# -- the egg ---------------------------------------------------------------------------------


@pytest.mark.slow
def test_the_egg_holds_every_package_its_data_and_the_scrapy_entry_point(
    egg: Path, nodes: list[Node]
) -> None:
    with zipfile.ZipFile(egg) as archive:
        names = set(archive.namelist())
        entry_points = archive.read("EGG-INFO/entry_points.txt").decode()
    for package in ("warta", "crawler", "pipeline", "storage"):
        assert f"{package}/__init__.py" in names
    for data in (
        "warta/sources.toml",
        "warta/demo/site.py",
        "crawler/spiders/news.py",
        "storage/migrations/env.py",
        "storage/migrations/script.py.mako",
        "storage/migrations/versions/0001_initial.py",
    ):
        assert data in names, data
    assert not any(n.startswith(("tests/", "benchmarks/")) for n in names)
    assert "settings = crawler.settings" in entry_points
    for node in nodes:
        spiders = ScrapydNode(node.url)._call("listspiders.json", {"project": PROJECT})
        assert spiders["spiders"] == ["news"]
    # Imported from the zip, as Scrapyd does: the bundled sources list and the migrations
    # (which Alembic can read only from real files) still load.
    script = (
        "import warta.config as c, storage.migrate as m; "
        "print(c.__file__); print(len(c.load_default_config().sources)); "
        "print(m.head_revision())"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("WARTA_")}
    env["PYTHONPATH"] = str(egg)
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=egg.parent, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    where, sources, head = done.stdout.split()
    assert where.startswith(str(egg)), "warta came from the egg"
    assert int(sources) > 0 and head.startswith("00")


# -- two nodes, one database -----------------------------------------------------------------


@pytest.mark.slow
@on_postgresql
def test_two_nodes_share_the_sources_and_store_every_article_once(
    tmp_path: Path,
    database_url: str,
    demo_url: str,
    nodes: list[Node],
    schedulers: list[Scheduler],
) -> None:
    urls = json.dumps([node.url for node in nodes])
    table = f'[scheduler]\nexecutor = "scrapyd"\nscrapyd_nodes = {urls}\n'
    config = tmp_path / "sources.toml"
    names = demo_config(config, demo_url, table)
    env = scheduler_env(tmp_path, database_url, config)
    queue_runs(env, names)
    before = [node.warta_jobs() for node in nodes]

    scheduler = Scheduler(tmp_path, env, "--max-parallel", "3", "--poll", "0.5")
    schedulers.append(scheduler)
    with Database.open(database_url) as database:
        settle_and_stop(scheduler, names, timeout=75)
        assert scheduler.proc.returncode == 0, scheduler.log()
        runs = [r for name in names for r in database.list_runs(source=name)]
        assert len(runs) == len(names), [r.to_dict() for r in runs]
        for run in runs:
            assert run.status == "finished", run.to_dict()
            assert run.pages > 0 and run.errors == 0, run.to_dict()
        assert_every_article_once(database, demo_url, names)

    # The work landed on both nodes, each source once.
    new_jobs = [
        {job: source for job, source in node.warta_jobs().items() if job not in old}
        for node, old in zip(nodes, before, strict=True)
    ]
    assert all(new_jobs), f"a node got no crawl: {new_jobs}"
    assert sorted(s for jobs in new_jobs for s in jobs.values()) == sorted(names)
    log = scheduler.log()
    for node in nodes:
        assert f"dispatched to {node.url}" in log
    assert "Traceback" not in log


@pytest.mark.slow
@on_postgresql
def test_an_unreachable_node_is_skipped_and_a_restarted_scheduler_adopts_the_running_job(
    tmp_path: Path,
    database_url: str,
    demo_url: str,
    nodes: list[Node],
    schedulers: list[Scheduler],
) -> None:
    dead = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    live = nodes[1]
    config = tmp_path / "sources.toml"
    name = demo_config(config, demo_url)[0]
    env = scheduler_env(tmp_path, database_url, config)
    # Nodes from the environment (no [scheduler] table): the dead one first, so only
    # skipping it keeps the crawl from going there.
    env["WARTA_SCRAPYD_NODES"] = f"{dead} {live.url}"
    queue_runs(env, [name])
    before = [node.warta_jobs() for node in nodes]
    # One page a second: the crawl outlives the first scheduler.
    slow = ("--set", "AUTOTHROTTLE_ENABLED=False", "--set", "DOWNLOAD_DELAY=1")
    first = Scheduler(tmp_path, env, "--poll", "0.5", *slow)
    schedulers.append(first)
    with Database.open(database_url) as database:

        def crawling() -> bool:
            first.alive()
            return any(r.status == "running" for r in database.list_runs())

        wait_for("a crawl under way", crawling, timeout=45, context=first.log)
        # The dead node is skipped and reported; the live one got the work.
        log = first.log()
        assert f"Scrapyd node {dead} skipped" in log
        assert f"Crawl of {name} dispatched to {live.url}" in log
        result = CliRunner().invoke(schedule_group, ["nodes", "--format", "json"], env=env)
        assert result.exit_code == 1, "a monitoring check fails while a node is down"
        states = {row["url"]: row for row in json.loads(result.stdout)}
        assert states[dead]["state"] == "unreachable" and "refused" in states[dead]["error"]
        assert states[live.url]["state"] == "ok" and states[live.url]["warta_jobs"] == name

        # A scheduler stopped mid-crawl leaves the job running; the next one adopts it
        # (no second job of the source) and still enforces the time limit with cancel.json.
        first.stop()
        assert "left running as Scrapyd job" in first.log()
        second = Scheduler(tmp_path, env, "--poll", "0.5", "--time-limit", "3", "--grace", "10")
        schedulers.append(second)
        wait_for(
            "the adopted crawl to be stopped at the time limit",
            lambda: second.alive() and f"Crawl of {name} interrupted" in second.log(),
            timeout=45,
            context=second.log,
        )
        second.stop()
        (run,) = database.list_runs(source=name)
        # Stopped gracefully, or killed after the grace if Scrapy's stop took longer.
        assert run.status == "interrupted" and run.finish_reason == "time limit", run.to_dict()
        assert run.error_message is not None and "time limit" in run.error_message
    assert "adopted, not started again" in second.log()
    new = [
        {j: s for j, s in node.warta_jobs().items() if j not in old}
        for node, old in zip(nodes, before, strict=True)
    ]
    assert new == [{}, new[1]] and list(new[1].values()) == [name], "one job, on the live node"


def test_with_no_node_reachable_the_run_is_recorded_as_failed_with_the_reasons(
    tmp_path: Path, sqlite_url: str
) -> None:
    dead = [f"http://127.0.0.1:{free_port()}", f"http://127.0.0.1:{free_port()}"]
    crawl = CrawlOptions(database_url=sqlite_url, config_path=str(tmp_path / "s.toml"))
    with Database.open(sqlite_url) as database:
        runner = ScrapydRunner(crawl, ScrapydOptions(nodes=tuple(dead)), database)
        outcome = runner.run("alpha")
        assert outcome.status == "failed" and outcome.finish_reason == NO_NODE
        (run,) = database.list_runs(source="alpha")
    assert run.status == "failed" and run.finish_reason == NO_NODE
    assert run.error_message is not None
    for url in dead:
        assert url in run.error_message
    assert "Connection refused" in run.error_message


def test_schedule_list_names_an_unreachable_node_of_the_sources_file(
    tmp_path: Path, sqlite_url: str
) -> None:
    dead = f"http://127.0.0.1:{free_port()}"
    config = tmp_path / "sources.toml"
    config.write_text(
        '[[sources]]\nname = "alpha"\nkind = "feed"\nstart_urls = ["http://127.0.0.1:9/f"]\n'
        f'\n[scheduler]\nexecutor = "scrapyd"\nscrapyd_nodes = ["{dead}"]\n'
    )
    env = {"WARTA_DATABASE_URL": sqlite_url, "WARTA_CONFIG": str(config)}
    result = CliRunner().invoke(schedule_group, ["list", "--format", "table"], env=env)
    assert result.exit_code == 0, result.output
    assert f"scrapyd nodes: {dead} UNREACHABLE" in result.stderr


# -- a node behind basic auth ----------------------------------------------------------------


@pytest.mark.slow
def test_a_node_behind_basic_auth_is_deployed_to_and_asked_with_the_credentials_of_its_url(
    tmp_path: Path, sqlite_url: str, egg: Path
) -> None:
    user, secret = "warta", "s3cret-Pa55"
    node = start_node(tmp_path / "node", auth=(user, secret))
    try:
        wait_for(f"scrapyd at {public_url(node.url)}", partial(node_answers, node), timeout=30)
        # The documented deploy: the credentials in the deploy target of scrapy.cfg.
        deploy_egg(egg, [node], tmp_path / "deploy", auth=(user, secret))

        env = {"WARTA_DATABASE_URL": sqlite_url}
        runner = CliRunner()
        ok = runner.invoke(
            schedule_group, ["nodes", "--scrapyd-node", node.url, "--format", "json"], env=env
        )
        assert ok.exit_code == 0, ok.output
        [row] = json.loads(ok.stdout)
        assert row["state"] == "ok" and row["url"] == public_url(node.url), row
        assert secret not in ok.output

        # Without the credentials, or with wrong ones, the node refuses: reported, exit 1,
        # and the password given is not echoed.
        wrong = node.url.replace(secret, "not-the-Pa55")
        for url in (public_url(node.url), wrong):
            refused = runner.invoke(
                schedule_group, ["nodes", "--scrapyd-node", url, "--format", "json"], env=env
            )
            assert refused.exit_code == 1, refused.output
            [row] = json.loads(refused.stdout)
            assert row["state"] == "error" and "HTTP 401" in row["error"], row
            assert "not-the-Pa55" not in refused.output
    finally:
        stop_node(node)


# -- a job still queued on its node when the scheduler restarts ----------------------------


@pytest.mark.slow
@on_postgresql
def test_a_restarted_scheduler_adopts_a_job_still_queued_on_its_node_and_settles_it_once(
    tmp_path: Path, database_url: str, demo_url: str, egg: Path, schedulers: list[Scheduler]
) -> None:
    # One crawl at a time on the node: the second source's job waits in Scrapyd's queue.
    node = start_node(tmp_path / "node", max_proc=1)
    try:
        wait_for(f"scrapyd at {node.url}", partial(node_answers, node), timeout=30)
        deploy_egg(egg, [node], tmp_path / "deploy")
        config = tmp_path / "sources.toml"
        names = demo_config(config, demo_url)[:2]
        env = scheduler_env(tmp_path, database_url, config)
        env["WARTA_SCRAPYD_NODES"] = node.url
        queue_runs(env, names)
        # One page a second: the running crawl outlives the first scheduler by far, so the
        # queued job is still queued when the second scheduler looks.
        slow = ("--set", "AUTOTHROTTLE_ENABLED=False", "--set", "DOWNLOAD_DELAY=1")
        first = Scheduler(tmp_path, env, "--poll", "0.5", "--max-parallel", "2", *slow)
        schedulers.append(first)

        def one_running_one_queued() -> bool:
            first.alive()
            jobs = ScrapydNode(node.url).list_jobs(PROJECT)
            running = [j for j in jobs["running"] if source_of_job(j["id"])]
            pending = [j for j in jobs["pending"] if source_of_job(j["id"])]
            return len(running) == 1 and len(pending) == 1

        wait_for("one job running, one queued", one_running_one_queued, 45, context=first.log)
        first.stop()
        assert first.log().count("left running as Scrapyd job") == 2, first.log()

        second = Scheduler(tmp_path, env, "--poll", "0.5", "--max-parallel", "2")
        schedulers.append(second)
        settle_and_stop(second, names, timeout=120)
        log = second.log()
        assert log.count("adopted, not started again") == 2, log
        assert "dispatched to" not in log, "an adopted source was crawled a second time"
        assert "Traceback" not in log
        with Database.open(database_url) as database:
            runs = [r for name in names for r in database.list_runs(source=name)]
            assert sorted(r.source for r in runs) == sorted(names), [r.to_dict() for r in runs]
            for run in runs:
                assert run.status == "finished" and run.errors == 0, run.to_dict()
            assert_every_article_once(database, demo_url, names)
        assert sorted(node.warta_jobs().values()) == sorted(names), "one job per source"
    finally:
        stop_node(node)
