"""Re-processing: stored raw pages re-extracted and written back, on SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from click.testing import CliRunner

from pipeline.dedup import content_hash
from pipeline.extract import extract
from storage.database import Database
from storage.records import PageRecord
from warta.cli import main
from warta.demo.site import ExpectedArticle, build_pages, expected_articles
from warta.reprocess import reprocess

BASE = "http://127.0.0.1:8765"
FETCHED = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
NOT_A_PAGE = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4


def _records(count: int) -> list[PageRecord]:
    """Real demo article pages of all three sites in turn, extracted as the crawler would."""
    pages = build_pages(BASE)
    by_site: dict[str, list[ExpectedArticle]] = {}
    for expected in expected_articles(BASE):
        by_site.setdefault(expected.source, []).append(expected)
    interleaved = [a for row in zip(*by_site.values(), strict=False) for a in row]
    records = []
    for expected in interleaved[:count]:
        html = pages[expected.url.removeprefix(BASE)].body
        article = extract(html, expected.url, fetched_at=FETCHED, language_hint=expected.language)
        records.append(PageRecord(article, expected.source, html, FETCHED))
    return records


def _stale(record: PageRecord, text: str) -> PageRecord:
    """The record as an older extractor would have stored it: another body, same raw page."""
    article = dataclasses.replace(record.article, text=text, content_hash=content_hash(text))
    return dataclasses.replace(record, article=article)


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    with Database.open(database_url) as database:
        yield database


@pytest.mark.parametrize("workers", [1, 2])
def test_same_extractor_leaves_every_article_unchanged(db: Database, workers: int) -> None:
    records = _records(6)
    db.store_batch(records)

    report = reprocess(db, batch=4, workers=workers)

    assert (report.pages, report.unchanged) == (6, 6)
    assert (report.updated, report.new, report.errors, report.failed) == (0, 0, 0, 0)
    assert db.count_articles() == 6
    for record in records:
        stored = db.get_article(record.article.canonical_url)
        assert stored is not None and stored.version == 1


def test_stale_body_is_updated_with_a_new_version(db: Database) -> None:
    records = _records(3)
    db.store_batch([_stale(records[0], "What an old extractor kept: a share bar."), *records[1:]])

    report = reprocess(db, batch=2)

    assert (report.pages, report.updated, report.unchanged) == (3, 1, 2)
    stored = db.get_article(records[0].article.canonical_url)
    assert stored is not None
    assert stored.version == 2
    assert stored.text == records[0].article.text
    revisions = db.list_revisions(stored.id)
    assert [r.text for r in revisions] == ["What an old extractor kept: a share bar."]
    assert db.count_articles() == 3


@pytest.mark.parametrize("workers", [1, 2])
def test_reprocessed_bodies_are_clustered_again(db: Database, workers: int) -> None:
    records = _records(3)
    # An older extractor kept only the site's boilerplate: two articles looked the same story.
    boilerplate = records[0].article.text
    db.store_batch([records[0], _stale(records[1], boilerplate), records[2]])
    first, second = (db.get_article(r.article.canonical_url) for r in records[:2])
    assert first is not None and second is not None
    assert first.cluster_id is not None and first.cluster_id == second.cluster_id

    report = reprocess(db, batch=2, workers=workers)

    assert (report.updated, report.unchanged) == (1, 2)
    for record in records:
        stored = db.get_article(record.article.canonical_url)
        assert stored is not None and stored.cluster_id is None


def test_page_that_now_fails_extraction_is_counted_and_kept(db: Database) -> None:
    records = _records(3)
    broken = dataclasses.replace(records[1], raw_html=NOT_A_PAGE)
    db.store_batch([records[0], broken, records[2]])

    report = reprocess(db, batch=10, workers=2)

    assert report.pages == 3
    assert report.errors == 1
    assert report.unchanged == 2
    assert len(report.error_samples) == 1 and records[1].article.url in report.error_samples[0]
    kept = db.get_article(records[1].article.canonical_url)
    assert kept is not None and kept.text == records[1].article.text and kept.version == 1
    assert db.count_articles() == 3


def test_source_and_since_select_pages(db: Database) -> None:
    records = _records(6)
    older = [dataclasses.replace(r, fetched_at=FETCHED - timedelta(days=30)) for r in records[:2]]
    db.store_batch([*older, *records[2:]])
    one = records[0].source

    assert reprocess(db, since=FETCHED - timedelta(days=1)).pages == 4
    assert reprocess(db, source=one).pages == 2  # six pages of three sites, two each
    assert reprocess(db, source="no-such-source").pages == 0


def test_cli_reports_counts_as_json(database_url: str) -> None:
    records = _records(4)
    with Database.open(database_url) as database:
        database.store_batch([_stale(records[0], "An older body."), *records[1:]])

    result = CliRunner().invoke(
        main,
        ["--database", database_url, "reprocess", "--batch", "3", "--workers", "1", "-f", "json"],
    )

    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert (report["pages"], report["updated"], report["unchanged"], report["errors"]) == (
        4,
        1,
        3,
        0,
    )
    with Database.open(database_url) as database:
        assert database.count_articles() == 4
