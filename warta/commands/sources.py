"""Application shell (CLI): ``warta sources``, the configured sources."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from warta.commands.app import App, pass_app
from warta.output import Column, emit, format_option, resolve_format

if TYPE_CHECKING:
    from warta.config import Schedule, Source

SOURCE_COLUMNS = (
    Column("name", "name", max_width=30, flex=True),
    Column("kind", "kind"),
    Column("language", "lang"),
    Column("schedule", "schedule"),
    Column("enabled", "enabled"),
    Column("start_urls", "start URLs", max_width=80, flex=True),
)


def describe_schedule(schedule: Schedule) -> str:
    if schedule.cron:
        return f"cron {schedule.cron}"
    if schedule.every_seconds:
        return f"every {schedule.every_seconds}s"
    return "manual"


def source_row(source: Source) -> dict[str, object]:
    return {
        "name": source.name,
        "kind": source.kind,
        "language": source.language,
        "schedule": describe_schedule(source.schedule),
        "cron": source.schedule.cron,
        "every_seconds": source.schedule.every_seconds,
        "enabled": source.enabled,
        "start_urls": list(source.start_urls),
        "allowed_domains": list(source.allowed_domains),
        "article_pattern": source.article_pattern,
        "remove_selectors": list(source.remove_selectors),
    }


@click.command()
@click.option("--enabled", "only_enabled", is_flag=True, help="Only enabled sources.")
@format_option()
@pass_app
def sources(app: App, only_enabled: bool, fmt: str | None) -> None:
    """List the sources in the sources file (see --config on `warta`).

    \b
    Examples:
        warta sources
        warta --config my-sources.toml sources --format json
    """
    config = app.config()
    chosen = resolve_format(fmt)
    rows = [source_row(s) for s in config.sources if s.enabled or not only_enabled]
    emit(rows, chosen, SOURCE_COLUMNS, empty_message=f"No sources in {config.path}.")
    if chosen == "table":
        click.echo(f"Sources file: {config.path}", err=True)
