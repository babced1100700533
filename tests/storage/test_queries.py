"""Storage: the read API (query_articles, get_article, count_articles) on both backends."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone

from storage.database import Database
from storage.records import PageRecord, StoredArticle

MakeRecord = Callable[..., PageRecord]
T0 = datetime(2026, 5, 1, tzinfo=UTC)


def _ids(articles: list[StoredArticle]) -> list[str]:
    return [a.canonical_url.rsplit("/", 1)[1] for a in articles]


def test_newest_first_by_published_then_fetched(db: Database, record: MakeRecord) -> None:
    db.store_batch(
        [
            record(1, published_at=T0),
            record(2, published_at=T0 + timedelta(days=2)),
            record(3, published_at=T0 + timedelta(days=1)),
        ]
    )
    undated = record(4, fetched_at=T0 + timedelta(days=1, hours=12))
    undated = dataclasses.replace(
        undated, article=dataclasses.replace(undated.article, published_at=None)
    )
    db.store_batch([undated])
    assert _ids(db.query_articles()) == ["2", "4", "3", "1"]
    assert _ids(db.query_articles(limit=2, offset=1)) == ["4", "3"]


def test_text_filter_is_case_insensitive_on_title_and_body(
    db: Database, record: MakeRecord
) -> None:
    db.store_batch(
        [
            record(1, title="OpenAI ships a model", text="Nothing else here."),
            record(2, title="Quiet day", text="The openai team was silent."),
            record(3, title="Other", text="Unrelated story."),
        ]
    )
    assert sorted(_ids(db.query_articles("OPENAI"))) == ["1", "2"]
    assert _ids(db.query_articles("unrelated")) == ["3"]


def test_like_wildcards_in_user_text_match_literally(db: Database, record: MakeRecord) -> None:
    db.store_batch(
        [
            record(1, text="Accuracy rose to 95% on the benchmark."),
            record(2, text="Accuracy rose to 950 on the benchmark."),
            record(3, text="The snake_case name."),
            record(4, text="The snakeXcase name."),
        ]
    )
    assert _ids(db.query_articles("95%")) == ["1"]
    assert _ids(db.query_articles("snake_case")) == ["3"]
    assert db.query_articles("%") != [] and len(db.query_articles("%")) == 1
    assert db.query_articles("' OR 1=1 --") == []


def test_source_lang_and_date_filters_combine(db: Database, record: MakeRecord) -> None:
    db.store_batch(
        [
            record(1, source="alpha", language="en", published_at=T0),
            record(2, source="alpha", language="id", published_at=T0 + timedelta(days=3)),
            record(3, source="beta", language="id", published_at=T0 + timedelta(days=5)),
        ]
    )
    assert sorted(_ids(db.query_articles(source="alpha"))) == ["1", "2"]
    assert sorted(_ids(db.query_articles(lang="ID"))) == ["2", "3"]
    assert _ids(db.query_articles(source="alpha", lang="id")) == ["2"]
    since = T0 + timedelta(days=3)
    assert sorted(_ids(db.query_articles(since=since))) == ["2", "3"]
    assert _ids(db.query_articles(until=since)) == ["1"]
    # The same instant in another zone selects the same rows.
    jakarta = timezone(timedelta(hours=7))
    assert sorted(_ids(db.query_articles(since=since.astimezone(jakarta)))) == ["2", "3"]
    assert db.count_articles() == 3
    assert db.count_articles(source="beta") == 1


def test_get_article_by_id_url_and_url_variant(db: Database, record: MakeRecord) -> None:
    rec = record(1, canonical_url="https://news.example/articles/1")
    db.store_batch([rec])
    article = db.get_article(rec.article.canonical_url)
    assert article is not None
    assert db.get_article(article.id) == article
    assert db.get_article(str(article.id)) == article
    assert db.get_article(rec.article.url) == article  # the URL it was fetched under
    variant = "https://www.news.example/articles/1/?utm_campaign=x#comments"
    assert db.get_article(variant) == article
    assert db.get_article("https://news.example/articles/2") is None
    assert db.get_article(999) is None


def test_aware_utc_datetimes_round_trip(db: Database, record: MakeRecord) -> None:
    jakarta = timezone(timedelta(hours=7))
    published = datetime(2026, 2, 3, 10, 30, 15, 123456, tzinfo=jakarta)
    fetched = datetime(2026, 2, 4, 1, 2, 3, tzinfo=UTC)
    db.store_batch([record(1, published_at=published, fetched_at=fetched)])
    article = db.get_article(record(1).article.canonical_url)
    assert article is not None
    assert article.published_at == published
    assert article.published_at is not None and article.published_at.utcoffset() == timedelta(0)
    assert article.fetched_at == fetched and article.fetched_at.tzinfo is not None
    assert article.to_dict()["published_at"] == "2026-02-03T03:30:15.123456+00:00"


def test_to_dict_carries_the_documented_keys(db: Database, record: MakeRecord) -> None:
    db.store_batch([record(1)])
    data = db.query_articles()[0].to_dict()
    required = {
        "id", "url", "canonical_url", "source", "title", "text", "authors", "published_at",
        "modified_at", "language", "site_name", "description", "tags", "image", "word_count",
        "fetched_at", "content_hash", "version",
    }  # fmt: skip
    assert required <= set(data)
    assert data["authors"] == ["Ada Writer"]
    assert data["modified_at"] is None
