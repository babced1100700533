"""Application shell (CLI): ``warta scheduler`` (the service) and ``warta schedule ...``.

The ``schedule`` commands edit the scheduler's job table in the database directly, so they
work whether or not a scheduler is running; a running one picks the change up within a
few seconds.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import click

from warta.commands.app import App, pass_app
from warta.output import Column, emit, format_option, resolve_format, short_datetime

if TYPE_CHECKING:
    from apscheduler.schedulers.background import BackgroundScheduler

    from storage import Database
    from warta.config import Config


def relative_time(value: object) -> str:
    """An ISO time as "in 4m" / "12s ago" (a table has little room); else short_datetime."""
    if not isinstance(value, str):
        return short_datetime(value)
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        return short_datetime(value)
    seconds = (when - datetime.now(UTC)).total_seconds()
    amount = abs(seconds)
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if amount >= 2 * size:
            text = f"{amount // size:.0f}{unit}"
            break
    else:
        text = f"{amount:.0f}s"
    return f"in {text}" if seconds >= 0 else f"{text} ago"


# The table keeps what a glance needs; --format json has every field (finish reason too).
STATUS_COLUMNS = (
    Column("source", "source", max_width=22),
    Column("schedule", "schedule", max_width=18),
    Column("state", "state"),
    Column("next_run_at", "next", render=relative_time),
    Column("last_run_at", "last", render=relative_time),
    Column("last_status", "outcome"),
    Column("consecutive_failures", "fails", justify="right"),
    Column("last_error", "error", max_width=30),
)


NODE_COLUMNS = (
    Column("url", "node", max_width=30),
    Column("state", "state"),
    Column("running", "run", justify="right"),
    Column("pending", "queued", justify="right"),
    Column("warta_jobs", "warta jobs", max_width=24),
    Column("error", "error", max_width=40),
)


def _parse_nodes(
    _ctx: click.Context, _param: click.Parameter, values: tuple[str, ...]
) -> tuple[str, ...]:
    from warta.config import check_node_url

    urls = [url for value in values for url in value.replace(",", " ").split()]
    try:
        return tuple(check_node_url(url) for url in urls)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from exc


def executor_choice(
    config: Config, executor: str | None, nodes: tuple[str, ...]
) -> tuple[str, tuple[str, ...]]:
    """The executor and nodes in force: options/env first, then the [scheduler] table.

    Nodes given as an option (or WARTA_SCRAPYD_NODES) replace the file's and, without an
    explicit executor, mean ``scrapyd``.
    """
    chosen_nodes = nodes or config.scheduler.scrapyd_nodes
    chosen = executor or ("scrapyd" if nodes else config.scheduler.executor)
    if chosen == "scrapyd" and not chosen_nodes:
        raise click.UsageError(
            "the scrapyd executor needs node URLs: --scrapyd-node URL, WARTA_SCRAPYD_NODES, "
            f"or scrapyd_nodes in the [scheduler] table of {config.path}"
        )
    return chosen, chosen_nodes


def scrapyd_node_option(help_text: str) -> Any:
    return click.option(
        "--scrapyd-node",
        "scrapyd_nodes",
        metavar="URL",
        multiple=True,
        envvar="WARTA_SCRAPYD_NODES",
        callback=_parse_nodes,
        help=help_text,
    )


def _parse_setting(
    _ctx: click.Context, _param: click.Parameter, values: tuple[str, ...]
) -> tuple[tuple[str, str], ...]:
    pairs = []
    for value in values:
        key, sep, setting = value.partition("=")
        if not sep or not key.strip():
            raise click.BadParameter(f"expected KEY=VALUE, got {value!r}")
        pairs.append((key.strip(), setting))
    return tuple(pairs)


@click.command("scheduler")
@click.option(
    "--max-parallel",
    type=click.IntRange(min=1),
    default=2,
    show_default=True,
    help="Crawls running at once, across all sources.",
)
@click.option(
    "--time-limit",
    type=click.FloatRange(min=1),
    default=1800,
    show_default=True,
    help="Seconds a crawl may run before it gets SIGTERM.",
)
@click.option(
    "--grace",
    type=click.FloatRange(min=0),
    default=30,
    show_default=True,
    help="Seconds between a crawl's SIGTERM and SIGKILL.",
)
@click.option(
    "--misfire-grace",
    type=click.IntRange(min=1),
    default=3600,
    show_default=True,
    help="After downtime, an overdue source still runs (once) if at most this many seconds late.",
)
@click.option(
    "--lock-timeout",
    type=click.FloatRange(min=3),
    default=30,
    show_default=True,
    help="Seconds without a heartbeat after which a dead scheduler's lock is taken over.",
)
@click.option(
    "--poll",
    type=click.FloatRange(min=0.2),
    default=2,
    show_default=True,
    help="Seconds between heartbeats and re-reads of the job table.",
)
@click.option(
    "--crawl-log-level",
    type=click.Choice(["DEBUG", "INFO", "WARNING", "ERROR"], case_sensitive=False),
    default="WARNING",
    show_default=True,
    help="Log level of the crawl processes, whose lines are relayed to stderr.",
)
@click.option(
    "--set",
    "crawl_settings",
    metavar="KEY=VALUE",
    multiple=True,
    callback=_parse_setting,
    help="A Scrapy setting for every crawl (repeatable), e.g. --set DOWNLOAD_DELAY=1.",
)
@click.option(
    "--executor",
    type=click.Choice(["local", "scrapyd"]),
    default=None,
    envvar="WARTA_EXECUTOR",
    help="Where crawls run: local (a process on this machine) or scrapyd (a job on the "
    "least-busy Scrapyd node). Default: the [scheduler] table of the sources file, else local.",
)
@scrapyd_node_option(
    "A Scrapyd node URL for the scrapyd executor (repeatable; WARTA_SCRAPYD_NODES takes "
    "several, space-separated). Replaces the file's scrapyd_nodes and implies --executor scrapyd."
)
@pass_app
def scheduler_command(
    app: App,
    max_parallel: int,
    time_limit: float,
    grace: float,
    misfire_grace: int,
    lock_timeout: float,
    poll: float,
    crawl_log_level: str,
    crawl_settings: tuple[tuple[str, str], ...],
    executor: str | None,
    scrapyd_nodes: tuple[str, ...],
) -> None:
    """Run the crawl scheduler in the foreground (a service for systemd or a container).

    Every enabled source with a schedule is crawled on time, each run in its own process,
    never two of the same source at once. Logs go to stderr. SIGTERM or Ctrl-C stops it
    gracefully; SIGHUP re-reads the sources file. Only one scheduler may run per database.

    With --executor scrapyd each due crawl becomes a job on the least-busy Scrapyd node
    (unreachable nodes are skipped and logged); the outcome still comes from the crawl-run
    records in the shared database. See docs/deploy.md.

    \b
    Example (offline trial with the demo sites, which live on loopback,
    an address crawls refuse unless WARTA_ALLOW_NETWORKS allows it):
        warta demo serve --port 8800 &
        warta demo config --port 8800 --every 10 > demo.toml
        WARTA_CONFIG=demo.toml WARTA_ALLOW_NETWORKS=127.0.0.1/32 warta scheduler

    \b
    Example (two Scrapyd crawl nodes writing to one PostgreSQL database):
        export WARTA_DATABASE_URL=postgresql+psycopg://warta@db/warta
        warta scheduler --scrapyd-node http://crawl1:6800 --scrapyd-node http://crawl2:6800
    """
    from warta.config import load_config
    from warta.scheduler import SchedulerAlreadyRunning, SchedulerOptions, SchedulerService
    from warta.scheduling.dispatch import ScrapydOptions
    from warta.scheduling.runner import CrawlOptions

    if poll * 3 > lock_timeout:
        # Heartbeats must come several times per lock timeout, or a live claim expires.
        raise click.BadParameter(
            f"--poll ({poll:g}s) must be at most a third of --lock-timeout ({lock_timeout:g}s)",
            param_hint="--poll",
        )
    _configure_logging(app.verbose)
    config = app.config()
    config_path = str(app.config_path.resolve())
    database_url = app.database_url()
    crawl = CrawlOptions(
        database_url=database_url,
        config_path=config_path,
        time_limit=time_limit,
        grace=grace,
        log_level=crawl_log_level.upper(),
        settings=crawl_settings,
    )
    options = SchedulerOptions(
        max_parallel=max_parallel,
        misfire_grace_seconds=misfire_grace,
        lock_ttl_seconds=lock_timeout,
        poll_seconds=poll,
    )
    chosen, nodes = executor_choice(config, executor, scrapyd_nodes)
    scrapyd = None
    if chosen == "scrapyd":
        settings = config.scheduler
        node_database = settings.crawl_database_url
        scrapyd = ScrapydOptions(
            nodes=nodes,
            project=settings.scrapyd_project,
            database_url=database_url if node_database is None else (node_database or None),
            config_path=settings.crawl_config or config_path,
            poll_seconds=min(poll, 2.0),
        )
    with app.open_database() as database:
        service = SchedulerService(
            config=config,
            database=database,
            crawl=crawl,
            options=options,
            load_config=lambda: load_config(config_path),
            scrapyd=scrapyd,
        )
        try:
            code = service.run()
        except SchedulerAlreadyRunning as exc:
            raise click.ClickException(str(exc)) from exc
    sys.exit(code)


def _configure_logging(verbose: int) -> None:
    # A service logs by default; `warta -v` may already have configured the root logger.
    logging.basicConfig(
        level=logging.DEBUG if verbose > 1 else logging.INFO,
        stream=sys.stderr,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    if verbose < 2:
        # APScheduler logs every submission at INFO; warta logs each crawl's outcome itself.
        logging.getLogger("apscheduler").setLevel(logging.WARNING)


@click.group("schedule")
def schedule_group() -> None:
    """Inspect and steer the scheduler's jobs (works with or without a running scheduler).

    \b
    Examples:
        warta schedule list
        warta schedule sync
        warta schedule pause techcrunch-ai
        warta schedule run-now techcrunch-ai
    """


@contextmanager
def _jobs(app: App) -> Iterator[tuple[Database, BackgroundScheduler]]:
    from warta.scheduling.jobs import control_scheduler

    with app.open_database() as database, control_scheduler(database.engine) as scheduler:
        yield database, scheduler


@schedule_group.command("list")
@format_option()
@pass_app
def list_command(app: App, fmt: str | None) -> None:
    """Show each source's schedule, next run, last run, last outcome and failures in a row.

    \b
    Examples:
        warta schedule list
        warta schedule list --format json | jq '.[] | select(.consecutive_failures > 0)'
    """
    from warta.scheduling.jobstore import inspect_jobs
    from warta.scheduling.lock import describe_lock
    from warta.scheduling.status import source_statuses

    chosen = resolve_format(fmt)
    config = app.config()
    with app.open_database() as database:
        rows = source_statuses(config, inspect_jobs(database.engine), database)
        if chosen == "table":
            click.echo(describe_lock(database.engine), err=True)
            if config.scheduler.executor == "scrapyd":
                click.echo(_nodes_line(config), err=True)
        emit((r.to_dict() for r in rows), chosen, STATUS_COLUMNS, empty_message="No sources.")


def _probe_nodes(config: Config, nodes: tuple[str, ...]) -> list[dict[str, Any]]:
    from warta.scheduling.scrapyd import ScrapydNode, probe

    project = config.scheduler.scrapyd_project
    return [probe(ScrapydNode(url, timeout=3), project).to_dict() for url in nodes]


def _nodes_line(config: Config) -> str:
    parts = []
    for row in _probe_nodes(config, config.scheduler.scrapyd_nodes):
        if row["state"] == "ok":
            parts.append(f"{row['url']} ok ({row['running']} running, {row['pending']} pending)")
        else:
            parts.append(f"{row['url']} {row['state'].upper()}: {row['error']}")
    return "scrapyd nodes: " + "; ".join(parts)


@schedule_group.command("nodes")
@scrapyd_node_option("A node to ask (repeatable); default: the [scheduler] table's scrapyd_nodes.")
@format_option()
@pass_app
def nodes_command(app: App, scrapyd_nodes: tuple[str, ...], fmt: str | None) -> None:
    """Ask each Scrapyd node how busy it is and which warta jobs it holds.

    Exits with status 1 when a node cannot be reached (or refuses the project), so a
    monitoring check can run it as is.

    \b
    Examples:
        warta schedule nodes
        warta schedule nodes --scrapyd-node http://crawl1:6800 --format json
    """
    config = app.config()
    _executor, nodes = executor_choice(config, "scrapyd", scrapyd_nodes)
    rows = _probe_nodes(config, nodes)
    emit(rows, resolve_format(fmt), NODE_COLUMNS, empty_message="No nodes.")
    if any(row["state"] != "ok" for row in rows):
        sys.exit(1)


@schedule_group.command("sync")
@pass_app
def sync_command(app: App) -> None:
    """Reconcile the jobs with the sources file: add, reschedule and remove source jobs.

    A running scheduler does this at start and on SIGHUP; run it after editing the file.
    Paused sources stay paused.

    \b
    Example:
        warta --config sources.toml schedule sync
    """
    from warta.scheduling.jobs import reconcile

    config = app.config()
    with _jobs(app) as (_database, scheduler):
        report = reconcile(scheduler, config)
    for label, ids in (
        ("added", report.added),
        ("changed", report.changed),
        ("removed", report.removed),
        ("repaired", report.repaired),
    ):
        for jid in ids:
            click.echo(f"{label}: {jid}")
    for jid, reason in report.broken.items():
        click.echo(f"BROKEN (kept, paused): {jid}: {reason}", err=True)
    for name, reason in report.errors.items():
        click.echo(f"bad schedule, not scheduled: {name}: {reason}", err=True)
    click.echo(f"Synced with {config.path}: {report.summary()}")
    if report.broken or report.errors:
        sys.exit(1)


def _require_source(app: App, name: str) -> None:
    config = app.config()
    if name not in {s.name for s in config.sources}:
        known = ", ".join(s.name for s in config.sources) or "none"
        raise click.ClickException(f"unknown source {name!r} in {config.path} (known: {known})")


@schedule_group.command("pause")
@click.argument("source")
@pass_app
def pause_command(app: App, source: str) -> None:
    """Stop scheduling SOURCE until `warta schedule resume SOURCE` (a running crawl finishes).

    \b
    Example:
        warta schedule pause techcrunch-ai
    """
    from apscheduler.jobstores.base import JobLookupError

    from warta.scheduling.jobs import pause_source

    _require_source(app, source)
    with _jobs(app) as (_database, scheduler):
        try:
            pause_source(scheduler, source)
        except JobLookupError as exc:
            raise click.ClickException(_no_job(source)) from exc
    click.echo(f"Paused {source}.")


@schedule_group.command("resume")
@click.argument("source")
@pass_app
def resume_command(app: App, source: str) -> None:
    """Schedule SOURCE again after a pause (its next run follows its schedule).

    \b
    Example:
        warta schedule resume techcrunch-ai
    """
    from apscheduler.jobstores.base import JobLookupError

    from warta.scheduling.jobs import resume_source

    _require_source(app, source)
    with _jobs(app) as (_database, scheduler):
        try:
            resume_source(scheduler, source)
        except JobLookupError as exc:
            raise click.ClickException(_no_job(source)) from exc
        job = scheduler.get_job(f"source:{source}")
    when = job.next_run_time.isoformat() if job and job.next_run_time else "not scheduled"
    click.echo(f"Resumed {source}; next run {when}.")


@schedule_group.command("run-now")
@click.argument("source")
@pass_app
def run_now_command(app: App, source: str) -> None:
    """Crawl SOURCE as soon as possible, once, without changing its schedule.

    The running scheduler starts it within a few seconds (or at its next start); it
    never overlaps a crawl of the same source already running.

    \b
    Example:
        warta schedule run-now techcrunch-ai
    """
    from warta.scheduling.jobs import run_once
    from warta.scheduling.lock import describe_lock

    _require_source(app, source)
    if not app.config().source(source).enabled:
        raise click.ClickException(f"source {source!r} is disabled in {app.config().path}")
    with _jobs(app) as (database, scheduler):
        run_once(scheduler, source, reason="run-now")
        state = describe_lock(database.engine)
    click.echo(f"Queued a run of {source} ({state}).")


def _no_job(source: str) -> str:
    return (
        f"source {source!r} has no scheduled job (disabled, no schedule, or not synced yet: "
        f"run `warta schedule sync`)"
    )


if __name__ == "__main__":
    _main = click.Group(commands=[scheduler_command, schedule_group])
    _main(prog_name="python -m warta.cli_schedule")
