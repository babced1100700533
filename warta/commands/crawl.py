"""Application shell (CLI): ``warta crawl``, a crawl in this process with a progress display."""

from __future__ import annotations

import tempfile
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from warta.commands.app import App, pass_app
from warta.commands.demo import DEMO_PORT
from warta.output import (
    Column,
    emit,
    format_option,
    mask_url,
    resolve_format,
    sanitize,
    stderr_console,
)

if TYPE_CHECKING:
    from warta.demo.server import DemoServer

SUMMARY_COLUMNS = (
    Column("source", "source", max_width=30),
    Column("status", "status"),
    Column("finish_reason", "reason", max_width=24, flex=True),
    Column("pages", "pages", justify="right"),
    Column("articles_new", "new", justify="right"),
    Column("articles_updated", "updated", justify="right"),
    Column("articles_unchanged", "unchanged", justify="right"),
    Column("errors", "errors", justify="right"),
)
# Outcomes sent by the crawler's page_processed signal (crawler.stats.PAGE_OUTCOMES).
STORED_OUTCOMES = ("new", "updated", "unchanged")
FAILED_OUTCOMES = ("failed", "error")
# crawler.guards: the demo server listens on 127.0.0.1 only.
DEMO_ALLOW_NETWORKS = "127.0.0.1/32"


@click.command()
@click.argument("source_names", nargs=-1, metavar="[SOURCE]...")
@click.option(
    "--demo",
    is_flag=True,
    help=f"Serve the bundled demo sites on 127.0.0.1:{DEMO_PORT} (else a free port) "
    "and crawl them, offline.",
)
@click.option(
    "--url",
    "page_url",
    metavar="URL",
    help="Crawl this one article page instead of the sources' start URLs.",
)
@format_option(help_extra="Applies to the summary.")
@pass_app
def crawl(
    app: App, source_names: tuple[str, ...], demo: bool, page_url: str | None, fmt: str | None
) -> None:
    """Crawl sources now and store their articles; prints a summary per source.

    With no SOURCE, every enabled source in the sources file is crawled. Exits
    non-zero when a source's run failed.

    \b
    Examples:
        warta crawl --demo
        warta crawl
        warta --config demo.toml crawl kabar-ai neuralwire --format json
        warta crawl --url https://example.com/news/2026/01/model-launch
    """
    if demo and page_url:
        raise click.UsageError("--demo and --url cannot be combined")
    chosen = resolve_format(fmt)
    database_url = app.database_url()
    with _config_file(app, demo) as config_path:
        names = _check_sources(config_path, source_names, single_page=page_url is not None)
        # Open (and migrate) before fetching: an unreachable database fails fast.
        with app.open_database():
            pass
        settings = _scrapy_settings(app.verbose)
        if demo:
            # The demo sites are on loopback, which the crawler's SSRF guard refuses otherwise.
            settings["WARTA_ALLOW_NETWORKS"] = DEMO_ALLOW_NETWORKS
        runs = _run_with_progress(app, config_path, names, page_url, database_url, settings)
    emit(runs, chosen, SUMMARY_COLUMNS, empty_message="No crawl ran.")
    click.echo(f"Database: {mask_url(database_url)}", err=True)
    failed = [r for r in runs if r.get("status") != "finished"]
    if failed or not runs:
        raise click.exceptions.Exit(1)


@contextmanager
def _config_file(app: App, demo: bool) -> Iterator[Path]:
    """The sources file to crawl: the configured one, or a demo server's while it runs."""
    if not demo:
        yield app.config_path
        return
    from warta.demo import config_text

    with _demo_server() as server, tempfile.TemporaryDirectory(prefix="warta-demo-") as tmp:
        path = Path(tmp) / "demo-sources.toml"
        path.write_text(config_text(server.base_url), encoding="utf-8")
        click.echo(f"Demo sites serving at {server.base_url}", err=True)
        yield path


def _demo_server() -> DemoServer:
    """The demo on its usual port, so a repeated demo crawl finds the same article URLs
    (and stores nothing twice); any free port when that one is taken."""
    from warta.demo.server import serve

    try:
        return serve(DEMO_PORT)
    except OSError:
        click.echo(
            f"Port {DEMO_PORT} is busy; serving the demo on another port, so its article "
            "URLs differ from earlier demo crawls.",
            err=True,
        )
        return serve(0)


def _check_sources(
    config_path: Path, names: Sequence[str], *, single_page: bool = False
) -> list[str] | None:
    """The source names to crawl (None: every enabled one); unknown names are an error."""
    from warta.config import load_config

    config = load_config(config_path)
    known = [s.name for s in config.sources]
    unknown = [n for n in names if n not in known]
    if unknown:
        raise click.BadParameter(
            f"unknown source {', '.join(map(repr, unknown))}; "
            f"known sources in {config_path}: {', '.join(known) or '(none)'}",
            param_hint="SOURCE",
        )
    if not names and not single_page and not any(s.enabled for s in config.sources):
        raise click.UsageError(f"no enabled sources in {config_path}")
    return list(names) or None


def _run_with_progress(
    app: App,
    config_path: Path,
    names: list[str] | None,
    page_url: str | None,
    database_url: str,
    settings: dict[str, Any],
) -> list[Mapping[str, Any]]:
    """Run the real spider in-process; a live status line on stderr counts the pages."""
    from rich.text import Text

    from crawler.run import run_crawl

    counts: Counter[str] = Counter()
    console = stderr_console()
    app.release_logging()  # Scrapy logs to stderr itself, at the level chosen below
    with console.status("Crawling…") as status:

        def on_page(url: str, outcome: str) -> None:
            counts["pages"] += 1
            counts[outcome] += 1
            stored = sum(counts[o] for o in STORED_OUTCOMES)
            failed = sum(counts[o] for o in FAILED_OUTCOMES)
            # A Text renderable: a URL is shown as-is, never parsed as rich markup.
            line = Text(
                f"Crawling: {counts['pages']} pages, {stored} articles stored "
                f"({counts['new']} new, {failed} errors) · {sanitize(url)}",
                no_wrap=True,
                overflow="ellipsis",
            )
            status.update(line)

        runs = run_crawl(
            sources=names,
            url=page_url,
            config_path=str(config_path),
            database_url=database_url,
            settings=settings,
            on_page=on_page,
        )
    return list(runs)


def _scrapy_settings(verbose: int) -> dict[str, Any]:
    # Scrapy's INFO stream would scroll over the progress line; -v brings it back.
    level = "DEBUG" if verbose > 1 else "INFO" if verbose else "WARNING"
    return {"LOG_LEVEL": level}
