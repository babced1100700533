"""Application shell (CLI): ``warta reprocess``, re-extract stored pages without the network."""

from __future__ import annotations

from datetime import datetime

import click

from warta.commands.app import App, pass_app
from warta.commands.params import WHEN
from warta.output import emit_object, format_option, resolve_format

REPROCESS_FORMATS = ("text", "json")


@click.command()
@click.option("--source", "-s", metavar="NAME", help="Only pages of this source.")
@click.option(
    "--since", type=WHEN, metavar="WHEN", help="Only pages fetched since (7d, 2026-01-31)."
)
@click.option(
    "--batch",
    type=click.IntRange(min=1),
    default=200,
    show_default=True,
    help="Pages per read and per write transaction.",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="Extraction processes. Default: one per available core.",
)
@format_option(REPROCESS_FORMATS)
@pass_app
def reprocess(
    app: App,
    source: str | None,
    since: datetime | None,
    batch: int,
    workers: int | None,
    fmt: str | None,
) -> None:
    """Re-extract every stored raw page with the current extractor and store the result.

    Use it after upgrading warta: no page is fetched again. An article whose text the
    extractor now reads differently is "updated" (new version, earlier one kept); the
    same text is "unchanged". A page the extractor now rejects is counted as an error
    and its stored article is left as it was.

    \b
    Examples:
        warta reprocess
        warta reprocess --source kabar-ai --since 30d --workers 2
        warta reprocess --format json
    """
    from warta.reprocess import SourceHints, default_workers
    from warta.reprocess import reprocess as run_reprocess

    chosen = resolve_format(fmt, REPROCESS_FORMATS)
    hints = {
        s.name: SourceHints(s.language, tuple(s.remove_selectors)) for s in app.config().sources
    }
    console_progress = chosen == "text"
    with app.open_database() as database:
        report = run_reprocess(
            database,
            hints=hints,
            source=source,
            since=since,
            batch=batch,
            workers=workers or default_workers(),
            on_batch=(
                (lambda r: click.echo(f"  {r.pages} pages ({r.pages_per_second:.0f}/s)", err=True))
                if console_progress
                else None
            ),
        )
    if chosen == "json":
        emit_object(report.to_dict())
        return
    click.echo(
        f"Reprocessed {report.pages} pages in {report.seconds:.1f} s "
        f"({report.pages_per_second:.0f} pages/s): {report.updated} updated, "
        f"{report.unchanged} unchanged, {report.new} new, {report.errors} extraction errors, "
        f"{report.failed} store failures"
    )
    for sample in report.error_samples:
        click.echo(f"  {sample}", err=True)
