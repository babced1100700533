"""Storage stage: export rows as JSON lines, built by PostgreSQL and streamed with COPY.

The export path of ``warta export -f jsonl``. On PostgreSQL each row is encoded by the
server (``row_to_json``, in C) and the lines arrive through ``COPY ... TO STDOUT``, which
keeps the server producing while the client writes; a cursor would wait for each batch,
and encoding in Python costs more than the server spends. The objects equal what
``iter_rows`` + ``json`` give (same keys in the same order, ISO 8601 UTC dates like
``datetime.isoformat()``, the same floats); only the whitespace between tokens differs.
SQLite rows are encoded in Python, straight from the row tuples: stored dates and JSON
lists are spliced in as text, strings go through the json module's C string encoder.
"""

from __future__ import annotations

from collections.abc import Iterator
from json.encoder import encode_basestring  # C; non-ASCII kept as is
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from storage.filters import ARTICLES
from storage.search import DATE_COLUMNS, JSON_COLUMNS, Plan, sqlite_iso, stream_query

# datetime.isoformat() of the aware UTC value: microseconds only when there are some.
_ISO_FORMAT = 'YYYY-MM-DD"T"HH24:MI:SS.US"+00:00"'


def iter_json_lines(conn: Connection, plan: Plan, *, html: bool = False) -> Iterator[str]:
    """Every hit as one JSON object and a newline: ``iter_rows``'s mappings, encoded."""
    if conn.dialect.name != "postgresql":
        yield from _sqlite_json_lines(conn, plan, html=html)
        return
    if plan.query is not None and plan.query.is_empty:
        return
    # Floats as their shortest exact text (the default since PostgreSQL 12), as Python
    # writes them, whatever the server's configuration says.
    conn.exec_driver_sql("SET LOCAL extra_float_digits = 1")
    compiled = _json_query(conn, plan, html=html).compile(dialect=conn.dialect)
    params = _bound_parameters(compiled, conn.dialect)
    driver = conn.connection.driver_connection
    encoding = driver.info.encoding  # type: ignore[union-attr]
    with (
        driver.cursor() as cursor,  # type: ignore[union-attr]
        cursor.copy(f"COPY ({compiled.string}) TO STDOUT", params) as copy,
    ):
        # One message per row. COPY's text format escapes backslashes (JSON escapes
        # every other character it would touch: tabs, newlines, control characters).
        for data in copy:
            yield bytes(data).decode(encoding).replace("\\\\", "\\")


def _json_query(conn: Connection, plan: Plan, *, html: bool) -> sa.Select[Any]:
    """``SELECT row_to_json(row)`` over ``stream_query``'s rows, in its order."""
    stream = stream_query(conn, plan, html=html)
    values: list[sa.ColumnElement[Any]] = []
    for column in stream.selected_columns:
        name = column.name
        if name in DATE_COLUMNS:
            text = sa.func.to_char(sa.func.timezone("UTC", column), _ISO_FORMAT)
            values.append(sa.func.replace(text, ".000000+", "+").label(name))
        elif name == "_score":  # a real: its shortest text is what the driver reads too
            values.append(column.label("score"))
        elif name == "_duplicates":
            values.append(column.label("duplicates"))
        else:
            values.append(column)
    # A lateral subquery names the row's fields (row_to_json of ROW(...) would not).
    row = sa.select(*values).correlate_except(None).lateral("row")
    return stream.with_only_columns(
        sa.func.row_to_json(sa.literal_column(row.name)), maintain_column_froms=True
    ).join(row, sa.true())


def _bound_parameters(compiled: sa.Compiled, dialect: sa.Dialect) -> dict[str, Any]:
    """The statement's parameters as the driver gets them (typed values converted)."""
    params = compiled.construct_params(escape_names=False) or {}
    escaped = getattr(compiled, "escaped_bind_names", None) or {}
    out: dict[str, Any] = {}
    for name, value in params.items():
        processor = compiled.binds[name].type.bind_processor(dialect)  # type: ignore[attr-defined]
        out[escaped.get(name, name)] = processor(value) if processor is not None else value
    return out


def _sqlite_json_lines(
    conn: Connection, plan: Plan, *, html: bool, batch: int = 1000
) -> Iterator[str]:
    """``iter_rows``'s objects as JSON lines, without building them (SQLite)."""
    if plan.query is not None and plan.query.is_empty:
        return
    query = stream_query(conn, plan, html=html, raw_dates=True, raw_json=True)
    result = conn.execution_options(stream_results=True, yield_per=batch).execute(query)
    names = [{"_score": "score", "_duplicates": "duplicates"}.get(k, k) for k in result.keys()]  # noqa: SIM118
    kinds = [_kind(n) for n in names]
    heads = [("{" if i == 0 else ", ") + encode_basestring(n) + ": " for i, n in enumerate(names)]
    columns = list(zip(heads, kinds, strict=True))
    for row in result:
        parts = []
        for (head, kind), value in zip(columns, row, strict=True):
            if value is None:
                parts.append(head + "null")
            elif kind == _TEXT:
                parts.append(head + encode_basestring(value))
            elif kind == _DATE:
                parts.append(head + '"' + sqlite_iso(value) + '"')
            elif kind == _JSON:
                parts.append(head + value)  # the stored JSON text of a list
            elif kind == _FLOAT:
                parts.append(head + repr(float(value)))
            else:
                parts.append(head + repr(int(value)))
        parts.append("}\n")
        yield "".join(parts)


_TEXT, _DATE, _JSON, _FLOAT, _INT = range(5)


def _kind(name: str) -> int:
    if name in DATE_COLUMNS:
        return _DATE
    if name in JSON_COLUMNS:
        return _JSON
    if name == "score":
        return _FLOAT
    column = ARTICLES.c.get(name)
    if name == "duplicates" or (column is not None and column.type.python_type is int):
        return _INT
    return _TEXT
