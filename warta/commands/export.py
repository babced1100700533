"""Application shell (CLI): ``warta export``, every matching article streamed to a file."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import IO, Any

import click

from warta.commands.app import App, UserError, pass_app
from warta.commands.articles import filter_options

EXPORT_FORMATS = ("jsonl", "csv", "parquet")


@click.command()
@click.argument("text", required=False)
@filter_options
@click.option(
    "--format",
    "-f",
    "fmt",
    type=click.Choice(EXPORT_FORMATS, case_sensitive=False),
    default="jsonl",
    show_default=True,
    help="jsonl: one JSON object a line; csv: lists JSON-encoded; parquet: needs pyarrow.",
)
@click.option(
    "--output",
    "-o",
    metavar="FILE",
    type=click.Path(dir_okay=False, writable=True, allow_dash=True),
    default="-",
    help="Where to write (default: stdout; parquet needs a file).",
)
@click.option("--html", is_flag=True, help="Also export the cleaned HTML of each body.")
@pass_app
def export(
    app: App,
    text: str | None,
    search: dict[str, Any],
    fmt: str,
    output: str,
    html: bool,
) -> None:
    """Export every matching article, streamed in constant memory.

    Takes the same TEXT and filters as `warta query` (no limit): the rows are the
    objects `warta query` prints, without the snippet (and without the HTML body
    unless --html). A running count goes to stderr.

    \b
    Examples:
        warta export -o articles.jsonl
        warta export "open source" --lang id --since 30d -f csv -o hits.csv
        warta export --source kabar-ai --dedupe -f parquet -o kabar.parquet
    """
    from storage.export import (
        MissingDependencyError,
        write_csv,
        write_json_lines,
        write_parquet,
    )
    from storage.search_syntax import QuerySyntaxError

    fmt = fmt.lower()
    if fmt == "parquet" and output == "-":
        raise UserError("parquet is a binary format: name a file with -o FILE")
    progress = _Progress()
    with app.open_database() as database:
        try:
            if fmt == "parquet":  # typed values: real timestamps in the file
                count = write_parquet(
                    database.iter_hits(text or None, **search),
                    output,
                    html=html,
                    progress=progress,
                )
            else:

                def write(out: IO[str]) -> int:
                    if fmt == "jsonl":
                        lines = database.iter_json_lines(text or None, html=html, **search)
                        return write_json_lines(lines, out, progress=progress)
                    rows = database.iter_rows(text or None, html=html, **search)
                    return write_csv(rows, out, progress=progress)

                if output == "-":
                    count = write(sys.stdout)
                    sys.stdout.flush()
                else:
                    # newline="": the csv module writes its own line ends.
                    with open(output, "w", encoding="utf-8", newline="") as out:
                        count = write(out)
        except QuerySyntaxError as exc:
            raise UserError(f"cannot search for {text!r}: {exc}") from exc
        except MissingDependencyError as exc:
            raise UserError(str(exc)) from exc
    progress.done(count, None if output == "-" else Path(output))


class _Progress:
    """A running count on stderr, redrawn in place on a terminal, silent otherwise."""

    def __init__(self) -> None:
        self.started = time.monotonic()
        self.live = _stderr_is_terminal()

    def __call__(self, count: int) -> None:
        if self.live:
            rate = count / max(time.monotonic() - self.started, 1e-9)
            click.echo(f"\rexported {count:,} articles ({rate:,.0f}/s)", err=True, nl=False)

    def done(self, count: int, path: Path | None) -> None:
        seconds = time.monotonic() - self.started
        where = f" to {path}" if path else ""
        prefix = "\r" if self.live else ""
        click.echo(f"{prefix}exported {count:,} articles{where} in {seconds:.1f}s", err=True)


def _stderr_is_terminal() -> bool:
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False
