"""Storage: idempotent batch upserts keyed by canonical URL, on SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
import threading
import zlib
from collections.abc import Callable
from datetime import timedelta

import pytest
import sqlalchemy as sa

from storage.database import Database
from storage.records import PageRecord

if sys.version_info >= (3, 14):
    from compression import zstd
else:
    from backports import zstd

MakeRecord = Callable[..., PageRecord]


def _raw_row_count(db: Database, table: str) -> int:
    with db.engine.connect() as conn:
        return int(
            conn.execute(sa.select(sa.func.count()).select_from(sa.table(table))).scalar_one()
        )


def test_new_unchanged_updated_keeps_earlier_revision(db: Database, record: MakeRecord) -> None:
    first = db.store_batch([record(1), record(2)])
    assert [o for _, o in first.outcomes] == ["new", "new"]
    assert first.errors == []

    again = db.store_batch([record(1), record(2)])
    assert [o for _, o in again.outcomes] == ["unchanged", "unchanged"]

    later = record(1).fetched_at + timedelta(days=2)
    edited = record(1, text="A corrected body.\n\nWith a new paragraph.", fetched_at=later)
    changed = db.store_batch([edited, record(2)])
    assert [o for _, o in changed.outcomes] == ["updated", "unchanged"]

    article = db.get_article(record(1).article.canonical_url)
    assert article is not None
    assert article.version == 2
    assert article.text == "A corrected body.\n\nWith a new paragraph."
    assert article.fetched_at == later
    revisions = db.list_revisions(article.id)
    assert [(r.version, r.text) for r in revisions] == [(1, record(1).article.text)]
    assert revisions[0].content_hash == record(1).article.content_hash
    assert db.count_articles() == 2


def test_outcomes_are_keyed_by_page_url_in_input_order(db: Database, record: MakeRecord) -> None:
    records = [record(3), record(1), record(2)]
    result = db.store_batch(records)
    assert [url for url, _ in result.outcomes] == [r.article.url for r in records]


def test_unchanged_body_refreshes_fetched_at_only(db: Database, record: MakeRecord) -> None:
    db.store_batch([record(1)])
    later = record(1).fetched_at + timedelta(hours=5)
    db.store_batch([record(1, fetched_at=later, title="A retitled page, same body")])
    article = db.get_article(record(1).article.canonical_url)
    assert article is not None
    assert article.fetched_at == later
    assert article.version == 1
    assert article.first_seen_at == record(1).fetched_at


def test_same_crawl_twice_adds_no_rows(db: Database, record: MakeRecord) -> None:
    crawl = [record(n) for n in range(25)]
    db.store_batch(crawl)
    counts = {t: _raw_row_count(db, t) for t in ("articles", "article_revisions", "raw_pages")}
    result = db.store_batch(crawl)
    assert result.count("unchanged") == 25
    assert {t: _raw_row_count(db, t) for t in counts} == counts
    assert counts == {"articles": 25, "article_revisions": 0, "raw_pages": 25}


def test_tracking_variants_of_one_url_are_one_article(db: Database, record: MakeRecord) -> None:
    canonical = "https://news.example/articles/7"
    a = record(7, url=canonical + "?utm_source=twitter", canonical_url=canonical)
    b = record(7, url=canonical + "?utm_source=mail", canonical_url=canonical)
    result = db.store_batch([a, b])
    assert [o for _, o in result.outcomes] == ["new", "unchanged"]
    assert db.count_articles() == 1


def test_two_versions_of_one_article_in_one_batch(db: Database, record: MakeRecord) -> None:
    result = db.store_batch([record(1), record(1, text="Second take on the story.")])
    assert [o for _, o in result.outcomes] == ["new", "updated"]
    article = db.get_article(record(1).article.canonical_url)
    assert article is not None and article.version == 2


def test_raw_html_is_stored_compressed_and_round_trips(db: Database, record: MakeRecord) -> None:
    raw = ("<html><body>" + "<div class='share'>Share</div>" * 500 + "</body></html>").encode()
    raw += "é ©".encode()
    db.store_batch([record(1, raw_html=raw)])
    article = db.get_article(record(1).article.canonical_url)
    assert article is not None

    page = db.get_raw_page(article.id)
    assert page is not None
    assert page.html == raw
    assert page.url == record(1).article.url
    with db.engine.connect() as conn:
        stored = conn.execute(sa.text("SELECT html, compression FROM raw_pages")).one()
    assert len(stored.html) < len(raw) / 10
    # A standard zstd frame: any zstd tool reads the raw pages, not only warta.
    assert stored.compression == "zstd" and zstd.decompress(stored.html) == raw

    newer = b"<html><body><p>re-rendered</p></body></html>"
    db.store_batch([record(1, raw_html=newer, fetched_at=article.fetched_at + timedelta(1))])
    page = db.get_raw_page(article.id)
    assert page is not None and page.html == newer
    assert _raw_row_count(db, "raw_pages") == 1


@pytest.mark.parametrize(
    ("codec", "compress"),
    [
        ("zstd", lambda raw: zstd.compress(raw, level=19)),
        ("zlib", lambda raw: zlib.compress(raw, 9)),
    ],
)
def test_a_page_compressed_by_the_extractor_is_stored_as_given(
    db: Database, record: MakeRecord, codec: str, compress: Callable[[bytes], bytes]
) -> None:
    raw = b"<html><body>" + b"<p>worker</p>" * 300 + b"</body></html>"
    compressed = compress(raw)  # any level: the crawler's workers make one
    db.store_batch([dataclasses.replace(record(1, raw_html=raw), compressed_html=compressed)])
    article = db.get_article(record(1).article.canonical_url)
    assert article is not None
    page = db.get_raw_page(article.id)
    assert page is not None and page.html == raw
    with db.engine.connect() as conn:
        row = conn.execute(sa.text("SELECT html, size, compression FROM raw_pages")).one()
    assert bytes(row.html) == compressed and row.size == len(raw)
    assert row.compression == codec


def test_pages_stored_as_zlib_by_earlier_versions_are_still_read(
    db: Database, record: MakeRecord
) -> None:
    raw = b"<html><body>" + b"<p>kept since 2025</p>" * 200 + b"</body></html>"
    db.store_batch([record(1, raw_html=raw)])
    with db.engine.begin() as conn:  # how warta before zstd wrote every raw page
        conn.execute(
            sa.text("UPDATE raw_pages SET compression = 'zlib', html = :html"),
            {"html": zlib.compress(raw, 3)},
        )
    article = db.get_article(record(1).article.canonical_url)
    assert article is not None
    page = db.get_raw_page(article.id)
    assert page is not None and page.html == raw
    assert [p.html for p in db.iter_raw_pages()] == [raw]  # what `warta reprocess` reads


def test_a_bad_row_fails_alone(db: Database, record: MakeRecord) -> None:
    # The schema rejects a negative word count (CHECK constraint) on both backends.
    bad = dataclasses.replace(
        record(2), article=dataclasses.replace(record(2).article, word_count=-1)
    )
    result = db.store_batch([record(1), bad, record(3)])
    assert [o for _, o in result.outcomes] == ["new", "failed", "new"]
    assert len(result.errors) == 1
    url, message = result.errors[0]
    assert url == bad.article.url
    assert "IntegrityError" in message and "word_count" in message
    assert db.count_articles() == 2
    assert db.get_article(bad.article.canonical_url) is None


def test_an_out_of_range_value_fails_alone(db: Database, record: MakeRecord) -> None:
    huge = dataclasses.replace(record(2).article, reading_time_minutes=2**70)
    result = db.store_batch([record(1), dataclasses.replace(record(2), article=huge)])
    assert [o for _, o in result.outcomes] == ["new", "failed"]
    assert result.errors and result.errors[0][0] == huge.url
    assert db.count_articles() == 1


def test_nul_bytes_and_lone_surrogates_are_removed(db: Database, record: MakeRecord) -> None:
    rec = record(1, title="Ti\x00tle", description="D\udc00esc")
    text = "Clean\x00 text with a broken \ud83d escape."
    rec = dataclasses.replace(rec, article=dataclasses.replace(rec.article, text=text))
    result = db.store_batch([rec])
    assert result.errors == []
    article = db.get_article(rec.article.canonical_url)
    assert article is not None
    assert article.text == "Clean text with a broken  escape."
    assert article.title == "Title"
    assert article.description == "Desc"


def test_json_fields_round_trip(db: Database, record: MakeRecord) -> None:
    rec = record(1, tags=("LLM", "open source"), authors=("Sari", "Budi"), section="Tech")
    db.store_batch([rec])
    article = db.get_article(rec.article.canonical_url)
    assert article is not None
    assert article.tags == ("LLM", "open source")
    assert article.authors == ("Sari", "Budi")
    data = article.to_dict()
    assert data["tags"] == ["LLM", "open source"] and data["authors"] == ["Sari", "Budi"]


def test_racing_writers_never_create_two_rows(database_url: str, record: MakeRecord) -> None:
    """Two writers (own engines, own connections) storing the same pages at the same time."""
    records = [record(n) for n in range(40)]
    databases = [Database.open(database_url), Database.open(database_url)]
    results = []
    barrier = threading.Barrier(2)

    def write(db: Database, batch_size: int) -> None:
        barrier.wait()
        for start in range(0, len(records), batch_size):
            results.append(db.store_batch(records[start : start + batch_size]))

    threads = [
        threading.Thread(target=write, args=(databases[0], 5)),
        threading.Thread(target=write, args=(databases[1], 8)),
    ]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
        outcomes = [o for r in results for _, o in r.outcomes]
        assert [r.errors for r in results if r.errors] == []
        assert outcomes.count("new") == 40
        assert outcomes.count("unchanged") == 40
        assert databases[0].count_articles() == 40
    finally:
        for database in databases:
            database.close()


_WRITER_PROCESS = """
import sys
from datetime import UTC, datetime
from pipeline.dedup import content_hash
from pipeline.types import Article
from storage.database import Database
from storage.records import PageRecord

url, order, batch = sys.argv[1], sys.argv[2], int(sys.argv[3])
numbers = list(range(60))
if order == "reversed":
    numbers.reverse()
records = []
for n in numbers:
    text = f"Shared story number {n}."
    article = Article(
        url=f"https://news.example/s/{n}", canonical_url=f"https://news.example/s/{n}",
        text=text, content_hash=content_hash(text), word_count=4,
    )
    records.append(PageRecord(article, "race", b"<p>x</p>", datetime.now(UTC)))
with Database.open(url) as db:
    new = failed = 0
    for start in range(0, len(records), batch):
        result = db.store_batch(records[start : start + batch])
        new += result.count("new")
        failed += result.count("failed")
print(new, failed)
"""


def test_two_crawl_processes_store_every_article_once(database_url: str) -> None:
    Database.open(database_url).close()  # migrated up front, as the CLI does
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _WRITER_PROCESS, database_url, order, batch],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for order, batch in (("forward", "7"), ("reversed", "5"))
    ]
    outputs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], [err for _, err in outputs]
    counts = [tuple(int(x) for x in out.split()) for out, _ in outputs]
    assert sum(new for new, _ in counts) == 60
    assert [failed for _, failed in counts] == [0, 0]
    with Database.open(database_url) as db:
        assert db.count_articles(source="race") == 60


def test_json_is_stored_readable_for_sql_users(db: Database, record: MakeRecord) -> None:
    db.store_batch([record(1, authors=("José Ortega",), tags=("kecerdasan buatan", "ü"))])
    with db.engine.connect() as conn:
        authors, tags = conn.execute(sa.text("SELECT authors, tags FROM articles")).one()
    if isinstance(authors, str):  # SQLite hands back the stored text
        assert authors == '["José Ortega"]'
        assert tags == '["kecerdasan buatan", "ü"]'
    else:  # PostgreSQL JSONB comes back decoded
        assert authors == ["José Ortega"] and tags == ["kecerdasan buatan", "ü"]


def test_iter_raw_pages_streams_every_page_for_reextraction(
    db: Database, record: MakeRecord
) -> None:
    db.store_batch([record(n, source="alpha" if n % 2 else "beta") for n in range(7)])
    pages = list(db.iter_raw_pages(chunk=2))
    assert [p.url for p in pages] == [record(n).article.url for n in range(7)]
    assert pages[3].html == record(3).raw_html and pages[3].source == "alpha"
    alpha = [p.url for p in db.iter_raw_pages(source="alpha", chunk=2)]
    assert alpha == [record(n).article.url for n in (1, 3, 5)]


def test_a_junk_language_value_does_not_cost_the_article(db: Database, record: MakeRecord) -> None:
    rec = record(1, language="en-US-x-some-very-long-private-use-tag")
    result = db.store_batch([rec])
    assert result.errors == [] and result.count("new") == 1
    article = db.get_article(rec.article.canonical_url)
    assert article is not None and article.language is None
