"""Storage: the Python API (articles, to_dataframe) and the streaming exporters."""

from __future__ import annotations

import csv
import importlib.util
import io
import json
from collections.abc import Callable
from datetime import datetime

import pytest

from storage.database import Database
from storage.export import MissingDependencyError, write_csv, write_json_lines, write_jsonl
from storage.records import PageRecord, StoredArticle

MakeRecord = Callable[..., PageRecord]


@pytest.fixture
def filled(db: Database, record: MakeRecord) -> Database:
    db.store_batch(
        [
            record(n, text=f"Story {n} about {'chips' if n % 3 else 'models'}, café {n}.",
                   language="id" if n % 2 else "en", tags=("Tag, with comma", f"t{n}"))
            for n in range(1, 1201)
        ]
    )  # fmt: skip
    return db


def test_articles_yields_typed_articles_in_query_order(filled: Database) -> None:
    articles = list(filled.articles(query="models", lang="en"))
    assert all(isinstance(a, StoredArticle) for a in articles)
    assert [a.id for a in articles] == [h.article.id for h in filled.search(
        "models", lang="en", limit=None)]  # fmt: skip
    assert articles and all(a.language == "en" and "models" in a.text for a in articles)
    assert len(list(filled.articles())) == 1200  # more rows than one streamed batch


def test_jsonl_and_csv_writers_round_trip(filled: Database) -> None:
    hits = filled.search("chips", sort="newest", limit=None)
    out = io.StringIO()
    assert write_jsonl(filled.iter_rows("chips", sort="newest"), out) == len(hits)
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    expected = [
        {k: v for k, v in h.to_dict().items() if k not in ("snippet", "html")} for h in hits
    ]
    assert rows == expected
    out = io.StringIO()
    write_csv(filled.iter_rows("chips", sort="newest"), out)
    table = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert [json.loads(r["tags"]) for r in table] == [e["tags"] for e in expected]
    assert [r["text"] for r in table] == [e["text"] for e in expected]


TRICKY = 'Back\\slash C:\\new "quoted"\ttab \x01 line\nbreak, emoji \U0001f600 and café.'


@pytest.mark.parametrize(
    ("text", "options"),
    [
        (None, {}),
        ("chips", {"lang": "id"}),
        ("models OR chips", {"dedupe": True, "html": True}),
        ("slash", {"sort": "newest"}),
    ],
)
def test_json_lines_are_the_rows_encoded(
    filled: Database, record: MakeRecord, text: str | None, options: dict[str, object]
) -> None:
    """The JSON lines export (built by PostgreSQL itself) gives exactly iter_rows' objects:
    escapes, non-ASCII text, dates with and without microseconds, scores, lists."""
    filled.store_batch([record(5000, text=TRICKY, title='A "slash" \\ title', tags=("x\\y",))])
    lines = list(filled.iter_json_lines(text, **options))  # type: ignore[arg-type]
    rows = list(filled.iter_rows(text, **options))  # type: ignore[arg-type]
    assert rows and all(line.endswith("\n") and line.count("\n") == 1 for line in lines)
    assert [json.loads(line) for line in lines] == rows
    out = io.StringIO()
    assert write_json_lines(iter(lines), out) == len(rows)
    assert out.getvalue() == "".join(lines)


def test_json_lines_apply_the_filters(filled: Database) -> None:
    """Typed filter values (a naive datetime is UTC) reach the server-built export too."""
    since = datetime(2026, 3, 20, 0, 0)  # naive: taken as UTC
    ids = [json.loads(line)["id"] for line in filled.iter_json_lines("chips", since=since)]
    expected = [h.article.id for h in filled.search("chips", since=since, limit=None)]
    assert ids == expected and 0 < len(ids) < 800


def test_progress_is_reported_while_streaming(filled: Database) -> None:
    seen: list[int] = []
    write_jsonl(filled.iter_rows(), io.StringIO(), progress=seen.append)
    assert seen == [1000]
    seen.clear()  # the path `warta export -f jsonl` takes
    assert write_json_lines(filled.iter_json_lines(), io.StringIO(), progress=seen.append) == 1200
    assert seen == [1000]


def test_to_dataframe_or_a_clear_message(filled: Database) -> None:
    if importlib.util.find_spec("pandas") is None:
        with pytest.raises(MissingDependencyError, match="pip install pandas"):
            filled.to_dataframe("models")
        return
    frame = filled.to_dataframe("models", lang="en")
    assert list(frame["id"]) == [a.id for a in filled.articles(query="models", lang="en")]
    assert str(frame["published_at"].dtype).startswith("datetime64")
