"""Tests for the CLI's shared output path: formats, plain-text safety, masking, times."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime

import pytest

from warta.commands.params import parse_when
from warta.output import (
    Column,
    emit,
    fit_widths,
    mask_passwords,
    mask_url,
    resolve_format,
    sanitize,
    short_datetime,
)

ROWS = [
    {
        "id": 1,
        "title": 'Model, "quoted" launch',
        "authors": ["Ann Lee", "Budi"],
        "published_at": datetime(2026, 1, 2, 10, 30, tzinfo=UTC),
        "image": None,
    },
    {
        "id": 2,
        "title": "Kabar AI: peluncuran\nbaru",
        "authors": [],
        "published_at": None,
        "image": "https://x.test/i.png",
    },
]
COLUMNS = (Column("id", "id"), Column("title", "title"))


def test_piped_output_defaults_to_json_and_explicit_choice_wins() -> None:
    # pytest captures stdout, so it is not a terminal here
    assert resolve_format(None) == "json"
    assert resolve_format("CSV") == "csv"
    assert resolve_format(None, ("text", "json")) == "json"


def test_json_is_one_array_with_iso_dates(capsys: pytest.CaptureFixture[str]) -> None:
    assert emit(ROWS, "json", COLUMNS) == 2
    data = json.loads(capsys.readouterr().out)
    assert [row["id"] for row in data] == [1, 2]
    assert data[0]["published_at"] == "2026-01-02T10:30:00+00:00"
    assert data[0]["authors"] == ["Ann Lee", "Budi"]
    assert data[1]["title"] == "Kabar AI: peluncuran\nbaru"


def test_json_of_nothing_is_an_empty_array(capsys: pytest.CaptureFixture[str]) -> None:
    assert emit([], "json", COLUMNS) == 0
    assert json.loads(capsys.readouterr().out) == []


def test_jsonl_is_one_object_per_line(capsys: pytest.CaptureFixture[str]) -> None:
    emit(iter(ROWS), "jsonl", COLUMNS)
    lines = capsys.readouterr().out.splitlines()
    assert [json.loads(line)["id"] for line in lines] == [1, 2]


def test_csv_round_trips_lists_quotes_and_newlines(capsys: pytest.CaptureFixture[str]) -> None:
    emit(ROWS, "csv", COLUMNS)
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [r["id"] for r in rows] == ["1", "2"]
    assert rows[0]["title"] == 'Model, "quoted" launch'
    assert json.loads(rows[0]["authors"]) == ["Ann Lee", "Budi"]
    assert rows[0]["image"] == ""
    assert rows[1]["title"] == "Kabar AI: peluncuran\nbaru"


def test_table_shows_markup_and_escapes_as_inert_text(capsys: pytest.CaptureFixture[str]) -> None:
    rows = [{"id": 7, "title": "[bold red]pwned[/] \x1b[2J\x1b]0;title\x07 \u202eevil"}]
    emit(rows, "table", COLUMNS)
    out = capsys.readouterr().out
    assert "[bold red]pwned[/]" in out
    assert "\x1b" not in out and "\x07" not in out and "\u202e" not in out


def test_table_of_nothing_says_so_on_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    emit([], "table", COLUMNS, empty_message="No articles match.")
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "No articles match." in captured.err


def test_sanitize_drops_controls_but_keeps_words_and_joiners() -> None:
    assert sanitize("a\x1b[31mb\x00c\u200bd\tz") == "a[31mbcd z"
    assert sanitize("line1\nline2", keep_newlines=True) == "line1\nline2"
    assert sanitize("line1\nline2") == "line1 line2"
    assert sanitize("क्\u200dष") == "क्\u200dष"


def test_short_datetime() -> None:
    assert short_datetime("2026-01-02T10:30:00+00:00") == "2026-01-02 10:30"
    assert short_datetime(datetime(2026, 1, 2, tzinfo=UTC)) == "2026-01-02 00:00"
    assert short_datetime(None) == ""


def test_database_passwords_are_masked() -> None:
    masked = mask_url("postgresql+psycopg://warta:s3cret%40pw@db.example:5432/news")
    assert "s3cret" not in masked
    assert masked == "postgresql+psycopg://warta:***@db.example:5432/news"
    assert mask_url("sqlite:////tmp/warta.db") == "sqlite:////tmp/warta.db"
    text = "could not connect to postgresql://u:hunter2@h/db and mysql://a:b@c/d"
    assert (
        mask_passwords(text) == "could not connect to postgresql://u:***@h/db and mysql://a:***@c/d"
    )


NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("7d", datetime(2026, 3, 3, 12, 0, tzinfo=UTC)),
        ("24h", datetime(2026, 3, 9, 12, 0, tzinfo=UTC)),
        ("30m", datetime(2026, 3, 10, 11, 30, tzinfo=UTC)),
        ("2w", datetime(2026, 2, 24, 12, 0, tzinfo=UTC)),
        ("2026-01-31", datetime(2026, 1, 31, tzinfo=UTC)),
        ("2026-01-31T08:00", datetime(2026, 1, 31, 8, 0, tzinfo=UTC)),
        ("2026-01-31T08:00+07:00", datetime(2026, 1, 31, 1, 0, tzinfo=UTC)),
        ("2026-01-31T08:00:00Z", datetime(2026, 1, 31, 8, 0, tzinfo=UTC)),
    ],
)
def test_parse_when(text: str, expected: datetime) -> None:
    parsed = parse_when(text, now=NOW)
    assert parsed == expected
    assert parsed.utcoffset() is not None and parsed.utcoffset().total_seconds() == 0  # type: ignore[union-attr]


@pytest.mark.parametrize("text", ["yesterday", "7x", "2026-13-01", "", "-3d"])
def test_parse_when_rejects_garbage_with_a_hint(text: str) -> None:
    with pytest.raises(ValueError, match="relative age"):
        parse_when(text, now=NOW)


def test_narrow_terminals_shrink_flexible_columns_first() -> None:
    columns = (
        Column("id", "id"),
        Column("published", "published"),
        Column("title", "title", flex=True),
    )
    cells = [["12345", "2026-01-02 10:30", "A rather long title that will not fit at all"]]
    wide = fit_widths(columns, cells, 200)
    assert wide == [5, 16, 44]
    narrow = fit_widths(columns, cells, 50)
    assert narrow[:2] == [5, 16]
    assert sum(narrow) + 3 * len(columns) + 1 == 50
    # never below the minimum, even when nothing fits
    assert fit_widths(columns, cells, 10)[2] == 3


def test_table_rows_stay_on_one_line_with_an_ellipsis(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "40")
    rows = [{"id": 1, "title": "A rather long title that will not fit at all"}]
    emit(rows, "table", (Column("id", "id"), Column("title", "title", flex=True)))
    out = capsys.readouterr().out
    body = [line for line in out.splitlines() if "rather" in line]
    assert len(body) == 1 and "…" in body[0]
    assert all(len(line) <= 40 for line in out.splitlines())
