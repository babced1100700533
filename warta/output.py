"""Application shell (CLI): one set of output options and one output path for every command.

Formats: ``table`` (rich, for people), ``json`` (an array), ``jsonl`` (one object a line)
and ``csv``. With no ``--format`` a command prints a table when stdout is a terminal and
JSON when it is piped, so ``warta query ai | jq`` needs no flag.

Everything here treats user-controlled strings (titles, URLs, bodies from the web) as
plain data: rich markup is never interpreted and control characters never reach the
terminal through a table.
"""

from __future__ import annotations

import csv
import json
import re
import sys
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal, TypeVar

import click

from storage.export import csv_cell

FORMATS: tuple[str, ...] = ("table", "json", "jsonl", "csv")
F = TypeVar("F", bound=Callable[..., Any])

# Format characters that reorder or hide text (bidi overrides, zero-width marks other than
# the joiners some scripts need); they can make a table cell lie about its content.
_KEEP_FORMAT_CHARS = {"\u200c", "\u200d"}
_URL_PASSWORD = re.compile(r"(?P<head>[a-zA-Z][a-zA-Z0-9+.\-]*://[^:/@\s]*:)[^@\s]*(?P<at>@)")


def format_option(formats: Sequence[str] = FORMATS, *, help_extra: str = "") -> Callable[[F], F]:
    """The shared ``--format/-f`` option; the value is None when the user did not choose."""
    names = "|".join(formats)
    help_text = (
        f"Output format ({names}). Default: {formats[0]} on a terminal, "
        f"{_piped_default(formats)} when piped."
    )
    if help_extra:
        help_text += " " + help_extra
    return click.option(
        "--format",
        "-f",
        "fmt",
        type=click.Choice(list(formats), case_sensitive=False),
        default=None,
        help=help_text,
    )


def _piped_default(formats: Sequence[str]) -> str:
    return "json" if "json" in formats else formats[0]


def resolve_format(fmt: str | None, formats: Sequence[str] = FORMATS) -> str:
    """The chosen format, else the human one on a terminal and JSON when piped."""
    if fmt:
        return fmt.lower()
    return formats[0] if stdout_is_terminal() else _piped_default(formats)


def stdout_is_terminal() -> bool:
    try:
        return sys.stdout.isatty()
    except (AttributeError, ValueError):  # replaced or closed stdout
        return False


# --- plain-text safety ------------------------------------------------------------


def sanitize(value: str, *, keep_newlines: bool = False) -> str:
    """Drop control and bidi/format characters; tabs (and newlines unless kept) -> space."""
    out: list[str] = []
    for ch in value:
        if ch == "\n" and keep_newlines:
            out.append(ch)
        elif ch in "\t\n\r\v\f":
            out.append(" ")
        elif ch in _KEEP_FORMAT_CHARS:
            out.append(ch)
        elif unicodedata.category(ch) in ("Cc", "Cf"):
            continue
        else:
            out.append(ch)
    return "".join(out)


def mask_url(url: str) -> str:
    """A database URL with any password replaced by ***, safe for messages and logs."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        return make_url(url).render_as_string(hide_password=True)
    except (ArgumentError, ValueError):
        return mask_passwords(url)


def mask_passwords(text: str) -> str:
    """Replace the password part of every ``scheme://user:password@`` in free text."""
    return _URL_PASSWORD.sub(r"\g<head>***\g<at>", text)


# --- values -----------------------------------------------------------------------


def json_default(value: object) -> object:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, tuple | set | frozenset):
        return list(value)
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    raise TypeError(f"cannot serialize {type(value).__name__} to JSON")


def dumps(value: object, *, indent: int | None = None) -> str:
    return json.dumps(value, ensure_ascii=False, indent=indent, default=json_default)


def cell_text(value: object) -> str:
    """A value as one line of plain text for a table cell."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return ", ".join(cell_text(v) for v in value)
    return sanitize(str(value))


def short_datetime(value: object) -> str:
    """'2026-01-02T10:30:00+00:00' -> '2026-01-02 10:30' (tables have little room)."""
    if value is None:
        return ""
    text = value.isoformat() if isinstance(value, datetime) else str(value)
    match = re.match(r"^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}))?", text)
    if not match:
        return cell_text(text)
    day, clock = match.groups()
    return f"{day} {clock}" if clock else day


def csv_value(value: object) -> str:
    """CSV cells are flat and inert: the one rule export uses too (storage.export.csv_cell)."""
    return csv_cell(value)


# --- rendering --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Column:
    """One table column: which key, its header, and how to fit it on a terminal."""

    key: str
    header: str
    max_width: int | None = None
    justify: Literal["left", "right"] = "left"
    render: Callable[[object], str] = cell_text
    # Flexible columns (titles, messages) give up width first on a narrow terminal.
    flex: bool = False


def emit(
    rows: Iterable[Mapping[str, Any]],
    fmt: str,
    columns: Sequence[Column],
    *,
    empty_message: str = "Nothing found.",
) -> int:
    """Write rows to stdout in the chosen format; return how many were written."""
    if fmt == "json":
        return _emit_json(rows)
    if fmt == "jsonl":
        return _emit_jsonl(rows)
    if fmt == "csv":
        return _emit_csv(rows)
    if fmt == "table":
        return _emit_table(list(rows), columns, empty_message)
    raise click.UsageError(f"unknown output format {fmt!r}")


def emit_object(obj: Mapping[str, Any]) -> None:
    """One record as indented JSON (``show``, ``extract``)."""
    click.echo(dumps(obj, indent=2))


def _emit_json(rows: Iterable[Mapping[str, Any]]) -> int:
    # Streamed, one object per line inside the array: valid JSON that still greps well.
    out = sys.stdout
    count = 0
    for row in rows:
        out.write(("[" if count == 0 else ",\n ") + dumps(row))
        count += 1
    out.write("[]\n" if count == 0 else "]\n")
    out.flush()
    return count


def _emit_jsonl(rows: Iterable[Mapping[str, Any]]) -> int:
    out = sys.stdout
    count = 0
    for row in rows:
        out.write(dumps(row) + "\n")
        count += 1
    out.flush()
    return count


def _emit_csv(rows: Iterable[Mapping[str, Any]]) -> int:
    out = sys.stdout
    writer: csv.DictWriter[str] | None = None
    count = 0
    for row in rows:
        if writer is None:
            writer = csv.DictWriter(out, fieldnames=list(row), extrasaction="ignore")
            writer.writeheader()
        writer.writerow({k: csv_value(v) for k, v in row.items()})
        count += 1
    out.flush()
    return count


def _emit_table(rows: list[Mapping[str, Any]], columns: Sequence[Column], empty: str) -> int:
    from rich.table import Table
    from rich.text import Text

    if not rows:
        click.echo(empty, err=True)
        return 0
    cells = [[sanitize(col.render(row.get(col.key))) for col in columns] for row in rows]
    console = stdout_console()
    widths = fit_widths(columns, cells, console.width)
    table = Table(show_header=True, header_style="bold")
    for col, width in zip(columns, widths, strict=True):
        # One line per row: a cell too long for its column ends with an ellipsis.
        table.add_column(
            col.header, justify=col.justify, width=width, overflow="ellipsis", no_wrap=True
        )
    for line in cells:
        # Text objects are never parsed for markup: "[bold]x[/]" in a title stays literal.
        table.add_row(*(Text(cell) for cell in line))
    console.print(table)
    return len(rows)


MIN_FLEX_WIDTH = 3


def fit_widths(columns: Sequence[Column], cells: list[list[str]], total: int) -> list[int]:
    """Column widths for a terminal ``total`` cells wide.

    Fixed columns (ids, dates, counts) keep their natural width; the flexible ones give
    up width, widest first, until the table fits (never below MIN_FLEX_WIDTH).
    """
    from rich.cells import cell_len

    widths = []
    for i, col in enumerate(columns):
        width = max([cell_len(col.header), *(cell_len(line[i]) for line in cells)])
        widths.append(min(width, col.max_width) if col.max_width else width)
    room = total - (3 * len(columns) + 1)  # borders and one space of padding each side
    room -= sum(w for w, col in zip(widths, columns, strict=True) if not col.flex)
    flexible = [i for i, col in enumerate(columns) if col.flex]
    while flexible and sum(widths[i] for i in flexible) > max(room, 0):
        widest = max(flexible, key=lambda i: widths[i])
        if widths[widest] <= MIN_FLEX_WIDTH:
            break
        widths[widest] -= 1
    return widths


def stdout_console() -> Any:
    """A rich console on the current stdout that never interprets markup or emoji codes."""
    from rich.console import Console

    return Console(file=sys.stdout, markup=False, emoji=False, highlight=False)


def stderr_console() -> Any:
    from rich.console import Console

    return Console(stderr=True, markup=False, emoji=False, highlight=False)
