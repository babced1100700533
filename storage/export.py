"""Storage stage: stream search hits out as JSON lines, CSV or Parquet, in constant memory.

Rows are the JSON objects ``warta query`` prints (without the snippet, and without the
HTML body unless asked): the same keys,
ISO 8601 UTC dates, lists as lists (JSON-encoded inside a CSV cell). Parquet needs
pyarrow and a pandas DataFrame needs pandas; neither is a dependency of warta, so both
are imported on use and their absence is a clear error.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime
from typing import IO, Any

from storage.records import SearchHit, StoredArticle

FORMATS = ("jsonl", "csv", "parquet")
PARQUET_BATCH = 5000
Progress = Callable[[int], None]


class MissingDependencyError(RuntimeError):
    """An optional package this feature needs is not installed."""


def export_row(hit: SearchHit) -> dict[str, Any]:
    """The exported mapping of one hit: the query's JSON object minus its snippet."""
    row = hit.to_dict()
    del row["snippet"]
    return row


def _counted(rows: Iterable[dict[str, Any]], progress: Progress | None) -> Iterator[dict[str, Any]]:
    for count, row in enumerate(rows, start=1):
        yield row
        if progress is not None and count % 1000 == 0:
            progress(count)


def write_jsonl(
    rows: Iterable[dict[str, Any]], out: IO[str], *, progress: Progress | None = None
) -> int:
    """One JSON object per line (rows from ``Database.iter_rows``); return how many."""
    count = 0
    dumps = json.JSONEncoder(ensure_ascii=False).encode
    for row in _counted(rows, progress):
        out.write(dumps(row))
        out.write("\n")
        count += 1
    return count


def write_json_lines(
    lines: Iterable[str], out: IO[str], *, progress: Progress | None = None
) -> int:
    """Lines already encoded (from ``Database.iter_json_lines``), written as they come;
    return how many."""
    count = 0
    write = out.write
    for count, line in enumerate(lines, start=1):
        write(line)
        if progress is not None and count % 1000 == 0:
            progress(count)
    return count


# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection);
# a leading apostrophe makes it plain text there and is the common, visible convention.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> str:
    """One CSV cell: lists/mappings JSON-encoded (they round-trip), dates ISO 8601, and
    text that a spreadsheet would run as a formula prefixed with an apostrophe."""
    if value is None:
        return ""
    if isinstance(value, list | tuple | dict):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, datetime | date):
        return value.isoformat()
    text = str(value)
    if isinstance(value, str) and text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


def write_csv(
    rows: Iterable[dict[str, Any]], out: IO[str], *, progress: Progress | None = None
) -> int:
    """A header, then one row per hit (lists JSON-encoded so they round-trip)."""
    writer: csv.DictWriter[str] | None = None
    count = 0
    for row in _counted(rows, progress):
        if writer is None:
            writer = csv.DictWriter(out, fieldnames=list(row))
            writer.writeheader()
        writer.writerow({k: csv_cell(v) for k, v in row.items()})
        count += 1
    return count


def write_parquet(
    hits: Iterable[SearchHit],
    path: str,
    *,
    html: bool = False,
    progress: Progress | None = None,
) -> int:
    """A Parquet file written in row groups of PARQUET_BATCH rows (needs pyarrow).

    Dates are real UTC timestamps and lists are lists of strings, so pandas, DuckDB
    or Spark read typed columns.
    """
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise MissingDependencyError(
            "Parquet export needs the pyarrow package, which is not installed "
            "(pip install pyarrow); JSON lines and CSV need nothing extra"
        ) from None
    schema = _parquet_schema(pa, html=html)
    count = 0
    with pq.ParquetWriter(path, schema) as writer:
        batch: list[dict[str, Any]] = []
        for hit in hits:
            batch.append(_typed_row(hit, schema.names))
            count += 1
            if progress is not None and count % 1000 == 0:
                progress(count)
            if len(batch) >= PARQUET_BATCH:
                writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                batch = []
        if batch:
            writer.write_table(pa.Table.from_pylist(batch, schema=schema))
    return count


def _parquet_schema(pa: Any, *, html: bool) -> Any:
    fields = []
    for name, annotation in StoredArticle.__annotations__.items():
        if name == "html" and not html:
            continue
        kind = str(annotation)
        if "datetime" in kind:
            arrow = pa.timestamp("us", tz="UTC")
        elif "tuple" in kind:
            arrow = pa.list_(pa.string())
        elif kind.startswith("int"):
            arrow = pa.int64()
        else:
            arrow = pa.string()
        fields.append(pa.field(name, arrow))
    fields += [pa.field("score", pa.float64()), pa.field("duplicates", pa.int64())]
    return pa.schema(fields)


def _typed_row(hit: SearchHit, names: list[str]) -> dict[str, Any]:
    row: dict[str, Any] = {}
    for name in names[:-2]:  # the article's columns, then score and duplicates
        value = getattr(hit.article, name)
        row[name] = list(value) if isinstance(value, tuple) else value
    row["score"] = hit.score
    row["duplicates"] = hit.duplicates
    return row


def to_dataframe(hits: Iterable[SearchHit]) -> Any:
    """A pandas DataFrame with one row per hit and datetime columns parsed (needs pandas)."""
    try:
        import pandas as pd
    except ImportError:
        raise MissingDependencyError(
            "Database.to_dataframe needs the pandas package, which is not installed "
            "(pip install pandas); Database.articles() yields the same rows without it"
        ) from None
    frame = pd.DataFrame.from_records([export_row(h) for h in hits])
    for column in ("published_at", "modified_at", "fetched_at", "first_seen_at", "updated_at"):
        if column in frame:
            frame[column] = pd.to_datetime(frame[column], utc=True)
    return frame
