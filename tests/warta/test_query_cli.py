"""CLI: `warta query` search and filters, `show --revisions`, `stats`, `export` (both backends)."""

from __future__ import annotations

import csv
import importlib.util
import io
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from pipeline.dedup import content_hash
from pipeline.types import Article
from storage.database import Database
from storage.records import PageRecord
from warta.cli import main

NOW = datetime.now(UTC).replace(microsecond=0)
PRESS = (
    "The ministry announced new rules for data centres on Monday. Operators must report "
    "energy use every quarter, publish water consumption, and register new sites with the "
    "regional office before construction starts. The rules take effect in March and apply "
    "to every facility larger than five megawatts, including those already operating."
)
STORIES = [
    # name, source, lang, days ago, title, body, authors, tags
    ("open", "ai-daily", "en", 1, "Open source model released",
     "The lab released an open source model. Open source weights are available.",
     ("Ann Lee",), ("open source", "models")),
    ("closed", "ai-daily", "en", 2, "Closed models lead benchmarks",
     "Closed source systems still lead; critics question the source of the data.",
     ("Budi Santoso",), ("models",)),
    ("terbuka", "kabar-ai", "id", 3, "Model sumber terbuka dirilis",
     "Laboratorium merilis model sumber terbuka untuk para pengembang.",
     ("Budi Santoso",), ("ai",)),
    ("rules-a", "ai-daily", "en", 5, "Data centre rules", PRESS, ("Wire",), ("policy",)),
    ("rules-b", "kabar-ai", "en", 4, "New rules for data centres",
     "From our desk: " + PRESS + " Read more on our site.", ("Desk",), ("policy",)),
]  # fmt: skip


def _record(name: str, source: str, lang: str, days: int, title: str, body: str,
            authors: tuple[str, ...], tags: tuple[str, ...]) -> PageRecord:  # fmt: skip
    url = f"https://{source}.example/{name}"
    article = Article(
        url=url,
        canonical_url=url,
        text=body,
        title=title,
        authors=authors,
        tags=tags,
        language=lang,
        published_at=NOW - timedelta(days=days),
        word_count=len(body.split()),
        content_hash=content_hash(body),
    )
    return PageRecord(article, source, f"<p>{body}</p>".encode(), NOW)


@pytest.fixture
def filled(database_url: str) -> str:
    with Database.open(database_url) as db:
        db.store_batch([_record(*story) for story in STORIES])
        db.store_batch([_record("open", "ai-daily", "en", 1, "Open source model released",
                                "The lab released an open source model, now with a paper.",
                                ("Ann Lee",), ("open source", "models"))])  # fmt: skip
        for source, status in (("ai-daily", "finished"), ("kabar-ai", "failed")):
            run_id = db.start_run(source)
            db.finish_run(run_id, status=status, finish_reason=status, pages=1,
                          articles_new=1, articles_updated=0, articles_unchanged=0,
                          errors=int(status == "failed"))  # fmt: skip
    return database_url


def run(url: str, *args: str) -> Result:
    return CliRunner().invoke(main, ["--database", url, *args])


def query(url: str, *args: str) -> list[dict[str, object]]:
    result = run(url, "query", *args, "--format", "json")
    assert result.exit_code == 0, result.output
    rows: list[dict[str, object]] = json.loads(result.stdout)
    return rows


def names(rows: list[dict[str, object]]) -> list[str]:
    return [str(r["url"]).rsplit("/", 1)[1] for r in rows]


def test_query_ranks_and_carries_highlighted_snippets(filled: str) -> None:
    rows = query(filled, "source")
    assert names(rows) == ["open", "closed"]  # the title and body hit before the body-only one
    assert float(str(rows[0]["score"])) > float(str(rows[1]["score"]))
    snippet = str(rows[0]["snippet"])
    assert "**" in snippet and "open" in snippet.lower()
    table = CliRunner().invoke(
        main, ["--database", filled, "query", "paper", "-f", "table"], env={"COLUMNS": "100"}
    )
    assert "snippet" in table.stdout and "**paper**" in table.stdout


def test_query_syntax_and_filters(filled: str) -> None:
    assert names(query(filled, '"open source"')) == ["open"]
    assert sorted(names(query(filled, "laboratorium OR benchmarks"))) == ["closed", "terbuka"]
    assert names(query(filled, "source -closed")) == ["open"]
    assert names(query(filled, "--author", "budi", "--lang", "id")) == ["terbuka"]
    assert names(query(filled, "--tag", "POLICY", "--source", "kabar-ai")) == ["rules-b"]
    assert names(query(filled, "rules", "--sort", "newest")) == ["rules-b", "rules-a"]
    assert names(query(filled, "--since", "2d")) == ["open"]


def test_query_dedupe_returns_one_row_per_story(filled: str) -> None:
    assert sorted(names(query(filled, "data centres"))) == ["rules-a", "rules-b"]
    rows = query(filled, "data centres", "--dedupe")
    assert names(rows) == ["rules-a"]  # the earliest of the two reprints
    assert rows[0]["duplicates"] == 1


@pytest.mark.parametrize("text", ['"open source', "open OR", "-closed"])
def test_invalid_search_syntax_exits_2_with_a_message(filled: str, text: str) -> None:
    result = run(filled, "query", "--", text)
    assert result.exit_code == 2
    assert "cannot search for" in result.output and "Traceback" not in result.output


@pytest.mark.parametrize(
    "payload", ["' OR 1=1 --", "x' UNION SELECT url FROM articles --", "NEAR(open source)"]
)
def test_injection_payloads_find_nothing_extra(filled: str, payload: str) -> None:
    rows = query(filled, payload, "--limit", "100")
    assert len(rows) <= 2  # "NEAR(open source)" finds the two open/source articles at most
    assert len(query(filled, "--limit", "100")) == len(STORIES)


def test_show_revisions(filled: str) -> None:
    first = query(filled, '"open source"')[0]
    text = run(filled, "show", str(first["id"]), "--revisions", "-f", "text").stdout
    assert "Revisions (2 versions):" in text
    assert "v1" in text and "v2" in text and "(current)" in text
    data = json.loads(run(filled, "show", str(first["id"]), "--revisions", "-f", "json").stdout)
    assert [r["version"] for r in data["revisions"]] == [1]
    assert "open source model. Open source weights" in data["revisions"][0]["text"]


def test_stats_counts_sources_languages_days_and_runs(filled: str) -> None:
    result = run(filled, "stats", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["total"] == len(STORIES)
    sources = {s["source"]: s for s in data["sources"]}
    assert sources["ai-daily"]["articles"] == 3 and sources["kabar-ai"]["articles"] == 2
    assert sources["ai-daily"]["last_success_at"] is not None
    assert sources["ai-daily"]["failed_runs"] == 0
    assert sources["kabar-ai"]["last_success_at"] is None
    assert sources["kabar-ai"]["failed_runs"] == 1
    assert {(x["language"], x["articles"]) for x in data["languages"]} == {("en", 4), ("id", 1)}
    assert sum(d["articles"] for d in data["days"]) == len(STORIES)
    table = run(filled, "stats", "-f", "table").stdout
    assert "ai-daily" in table and "Languages" in table


def _exported(rows: list[dict[str, object]], html: bool = False) -> list[dict[str, object]]:
    """Query rows as export writes them: no snippet, and no HTML unless --html."""
    dropped = {"snippet"} if html else {"snippet", "html"}
    return [{k: v for k, v in r.items() if k not in dropped} for r in rows]


@pytest.mark.parametrize(
    "args", [(), ("source",), ("rules", "--dedupe"), ("--lang", "en", "--sort", "newest")]
)
def test_jsonl_export_round_trips_the_query(filled: str, tmp_path: Path, args: tuple[str]) -> None:
    out = tmp_path / "out.jsonl"
    result = run(filled, "export", *args, "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "exported" in result.stderr
    exported = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert exported == _exported(query(filled, *args, "--limit", "1000"))
    assert exported
    run(filled, "export", *args, "--html", "-o", str(out))
    with_html = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert with_html == _exported(query(filled, *args, "--limit", "1000"), html=True)


def test_csv_export_round_trips_the_query(filled: str) -> None:
    result = run(filled, "export", "model", "-f", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    expected = query(filled, "model", "--limit", "1000")
    assert [int(r["id"]) for r in rows] == [r["id"] for r in expected]
    assert [json.loads(r["authors"]) for r in rows] == [r["authors"] for r in expected]
    assert [r["text"] for r in rows] == [r["text"] for r in expected]


def test_parquet_export_round_trips_or_names_the_missing_package(
    filled: str, tmp_path: Path
) -> None:
    out = tmp_path / "out.parquet"
    result = run(filled, "export", "-f", "parquet", "-o", str(out))
    if importlib.util.find_spec("pyarrow") is None:
        assert result.exit_code == 2
        assert "pyarrow" in result.output and "pip install pyarrow" in result.output
        return
    import pyarrow.parquet as pq

    assert result.exit_code == 0, result.output
    table = pq.read_table(out).to_pylist()
    expected = query(filled, "--limit", "1000")
    assert [r["id"] for r in table] == [r["id"] for r in expected]
    assert [r["authors"] for r in table] == [r["authors"] for r in expected]


def test_parquet_to_stdout_is_refused(filled: str) -> None:
    result = run(filled, "export", "-f", "parquet")
    assert result.exit_code == 2 and "-o FILE" in result.output
