"""Application shell (CLI): ``warta runs``, the crawl-run records."""

from __future__ import annotations

import click

from warta.commands.app import App, pass_app
from warta.output import Column, emit, format_option, resolve_format, short_datetime

RUN_COLUMNS = (
    Column("id", "id", justify="right"),
    Column("source", "source", max_width=24),
    Column("status", "status"),
    Column("started_at", "started", render=short_datetime),
    Column("pages", "pages", justify="right"),
    Column("articles_new", "new", justify="right"),
    Column("articles_updated", "upd", justify="right"),
    Column("articles_unchanged", "same", justify="right"),
    Column("errors", "errors", justify="right"),
    Column("error_message", "error", max_width=60, flex=True),
)


@click.command()
@click.option("--source", "-s", metavar="NAME", help="Only runs of this source.")
@click.option(
    "--limit", type=click.IntRange(min=1), default=50, show_default=True, help="Rows to show."
)
@format_option()
@pass_app
def runs(app: App, source: str | None, limit: int, fmt: str | None) -> None:
    """List crawl runs, newest first, with their outcome and counts.

    \b
    Examples:
        warta runs
        warta runs --source neuralwire --limit 5 --format json
    """
    chosen = resolve_format(fmt)
    with app.open_database() as database:
        records = database.list_runs(source=source, limit=limit)
        emit((r.to_dict() for r in records), chosen, RUN_COLUMNS, empty_message="No crawl runs.")
