"""Application shell (CLI): ``warta stats``, counts over the stored articles and crawl runs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import click

from warta.commands.app import App, pass_app
from warta.output import Column, emit, emit_object, format_option, resolve_format, short_datetime

SOURCE_COLUMNS = (
    Column("source", "source", max_width=30, flex=True),
    Column("articles", "articles", justify="right"),
    Column("last_success_at", "last good crawl", render=short_datetime),
    Column("runs", "runs", justify="right"),
    Column("failed_runs", "failed", justify="right"),
)
LANGUAGE_COLUMNS = (
    Column("language", "lang"),
    Column("articles", "articles", justify="right"),
)
DAY_COLUMNS = (
    Column("day", "day"),
    Column("articles", "articles", justify="right"),
)


@click.command()
@click.option(
    "--days",
    type=click.IntRange(min=1),
    default=14,
    show_default=True,
    help="How many recent days to count articles for.",
)
@format_option(("table", "json"))
@pass_app
def stats(app: App, days: int, fmt: str | None) -> None:
    """Count articles per source, language and day, with each source's crawl health.

    Per source: stored articles, when its last crawl finished successfully, and how
    many of its crawls failed. Days are UTC days of publication (of fetching for an
    undated article).

    \b
    Examples:
        warta stats
        warta stats --days 30 --format json
    """
    chosen = resolve_format(fmt, ("table", "json"))
    today = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    with app.open_database() as database:
        result = database.stats(since=today - timedelta(days=days - 1))
    data = result.to_dict()
    if chosen == "json":
        emit_object(data)
        return
    click.echo(f"{data['total']} articles")
    for title, rows, columns in (
        ("Sources", data["sources"], SOURCE_COLUMNS),
        ("Languages", data["languages"], LANGUAGE_COLUMNS),
        (f"Last {days} days", data["days"], DAY_COLUMNS),
    ):
        click.echo(f"\n{title}")
        emit(rows, "table", columns, empty_message="(none)")
