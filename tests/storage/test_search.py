"""Storage: ranked full-text search, its syntax, filters and injection safety, on both backends."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from storage import migrate
from storage import search as search_module
from storage.database import Database
from storage.records import PageRecord, SearchHit
from storage.search_syntax import QuerySyntaxError, parse_query

MakeRecord = Callable[..., PageRecord]
T0 = datetime(2026, 5, 1, tzinfo=UTC)

FILLER = [
    "Markets were calm today and the weather stayed mild across the region.",
    "A football club signed a new striker after a long negotiation.",
    "Cuaca di Jakarta cerah sepanjang hari dan lalu lintas lancar.",
    "The city council discussed parking fees and new bicycle lanes.",
]


def _names(hits: list[SearchHit]) -> list[str]:
    return [h.article.canonical_url.rsplit("/", 1)[1] for h in hits]


@pytest.fixture
def corpus(db: Database, record: MakeRecord) -> Database:
    rows = [
        record(
            1,
            title="Open source model released",
            text="The lab released an open source model. Open source weights and open source "
            "training code are available for everyone.",
            authors=("Ada Writer",),
            tags=("Open Source", "models"),
            source="alpha",
            published_at=T0,
        ),
        record(
            2,
            title="Closed models still lead",
            text="Critics say closed source systems still lead; the source of the claim is a "
            "benchmark that is open to question.",
            authors=("Budi Santoso",),
            tags=("models",),
            source="beta",
            published_at=T0 + timedelta(days=1),
        ),
        record(
            3,
            title="Model sumber terbuka dirilis",
            text="Laboratorium merilis model sumber terbuka untuk pengembang di Indonesia.",
            language="id",
            authors=("Budi Santoso",),
            tags=("ai",),
            source="alpha",
            published_at=T0 + timedelta(days=2),
        ),
        record(
            4,
            title="Chip export rules",
            text="New export rules for chips were announced; 95% of vendors complied.",
            authors=("Cara 100%_Sure",),
            tags=("chips",),
            source="beta",
            published_at=T0 + timedelta(days=3),
        ),
    ]
    rows += [
        record(10 + i, title=f"Filler {i}", text=text, published_at=T0 - timedelta(days=i + 1))
        for i, text in enumerate(FILLER)
    ]
    db.store_batch(rows)
    return db


def test_ranking_puts_the_on_topic_article_first(corpus: Database) -> None:
    hits = corpus.search("open source")
    assert _names(hits)[:2] == ["1", "2"]
    assert hits[0].score is not None and hits[1].score is not None
    assert hits[0].score > hits[1].score


def test_newest_sort_ignores_relevance(corpus: Database) -> None:
    assert _names(corpus.search("open source", sort="newest")) == ["2", "1"]


def test_snippets_highlight_the_matched_words(corpus: Database) -> None:
    hit = corpus.search('"open source"')[0]
    assert hit.snippet is not None and "**" in hit.snippet
    assert "open source" in hit.snippet.replace("**", "").lower()
    assert hit.to_dict()["snippet"] == hit.snippet


def test_phrase_or_and_exclude(corpus: Database) -> None:
    assert _names(corpus.search('"open source"')) == ["1"]
    assert sorted(_names(corpus.search('"closed source" OR chips'))) == ["2", "4"]
    assert _names(corpus.search("source -closed")) == ["1"]
    assert _names(corpus.search("terbuka laboratorium")) == ["3"]


def test_diacritics_and_case_are_folded(corpus: Database, record: MakeRecord) -> None:
    corpus.store_batch([record(30, text="Le café de l'IA ouvre à Paris.", language="fr")])
    assert _names(corpus.search("CAFÉ")) == ["30"]
    if corpus.backend == "sqlite":  # unicode61 remove_diacritics; PostgreSQL needs unaccent
        assert _names(corpus.search("CAFE")) == ["30"]


def test_filters_combine_with_search(corpus: Database) -> None:
    assert sorted(_names(corpus.search("model", source="alpha"))) == ["1", "3"]
    assert _names(corpus.search("model", source="alpha", lang="id")) == ["3"]
    assert _names(corpus.search("source", author="budi")) == ["2"]
    assert _names(corpus.search("model", tag="open source")) == ["1"]
    assert _names(corpus.search(None, tag="MODELS", since=T0 + timedelta(hours=1))) == ["2"]
    assert sorted(_names(corpus.search("source", until=T0 + timedelta(days=2)))) == ["1", "2"]
    assert corpus.search("model", source="beta", lang="id") == []


def test_like_wildcards_in_filters_match_literally(corpus: Database) -> None:
    assert _names(corpus.search(None, author="100%_sure")) == ["4"]
    assert corpus.search(None, author="100%%sure") == []
    assert corpus.search(None, author="%") != [] and len(corpus.search(None, author="%")) == 1
    assert corpus.search(None, tag="%") == []


def test_rank_window_limits_pages_never_streams(
    db: Database, record: MakeRecord, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search_module, "RANK_WINDOW", 3)
    # Stored first, so outside a window of the 3 newest matches, but the best match.
    db.store_batch([record(1, title="Robot robot", text="Robot robot robot robot.")])
    db.store_batch([record(n, text=f"One robot among many other words {n}.") for n in range(2, 7)])
    assert _names(db.search("robot", limit=None))[0] == "1"  # every match ranked
    page = _names(db.search("robot", limit=2))
    assert "1" not in page and set(page) <= {"4", "5", "6"}
    rest = _names(db.search("robot", limit=2, offset=2))
    assert len(rest) == 1 and set(page + rest) == {"4", "5", "6"}  # pages stay in the window
    streamed = [a.canonical_url for a in db.articles("robot")]
    assert len(streamed) == 6 and streamed[0].endswith("/1")  # streams rank every match


def test_limit_and_offset_page_through_hits(corpus: Database) -> None:
    everything = _names(corpus.search("model OR source", limit=None))
    assert len(everything) == 3
    assert _names(corpus.search("model OR source", limit=2)) == everything[:2]
    assert _names(corpus.search("model OR source", limit=2, offset=2)) == everything[2:]


@pytest.mark.parametrize(
    "payload",
    [
        "' OR 1=1 --",
        "x' UNION SELECT id, url FROM articles --",
        "'; DROP TABLE articles; --",
        "* OR NEAR(model source)",
        "title:model",
        "model*",
        "^model",
        "% _",
    ],
)
def test_injection_payloads_return_no_extra_rows(corpus: Database, payload: str) -> None:
    hits = corpus.search(payload, limit=None)
    words = {w for w in parse_query(payload).to_websearch().replace('"', " ").lower().split()}
    for hit in hits:  # any hit really contains every searched word
        body = f"{hit.article.title} {hit.article.text}".lower()
        assert all(w in body for w in words), (payload, hit.article.title)
    assert len(hits) <= 3
    assert corpus.count_articles() == 8  # nothing was dropped or changed


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('"open source', "unbalanced quote"),
        ("model OR", "OR needs"),
        ("OR model", "OR needs"),
        ("-model", "not only what to exclude"),
        ("model OR -source", "cannot be one side of OR"),
    ],
)
def test_invalid_syntax_is_a_clear_error(corpus: Database, text: str, message: str) -> None:
    with pytest.raises(QuerySyntaxError, match=message):
        corpus.search(text)


def test_index_follows_updates_and_deletes(corpus: Database, record: MakeRecord) -> None:
    corpus.store_batch([record(4, title="Chip export rules", text="Now about quantum sensors.")])
    assert _names(corpus.search("quantum")) == ["4"]
    assert corpus.search("vendors complied") == []
    with corpus.engine.begin() as conn:
        conn.execute(sa.text("DELETE FROM articles WHERE canonical_url LIKE '%/4'"))
    assert corpus.search("quantum") == []


def test_indonesian_is_not_stemmed_as_english(corpus: Database, record: MakeRecord) -> None:
    # "merilis" must not match "rilis", nor "pengembang" "kembang": exact words only.
    assert corpus.search("kembang") == []
    assert _names(corpus.search("pengembang")) == ["3"]


def test_articles_latest_view_has_one_row_per_canonical_url(
    corpus: Database, record: MakeRecord
) -> None:
    corpus.store_batch([record(1, text="A revised body for the first article.")])
    with corpus.engine.connect() as conn:
        rows = conn.execute(
            sa.text("SELECT canonical_url, version FROM articles_latest ORDER BY id")
        ).all()
    urls = [r.canonical_url for r in rows]
    assert len(urls) == len(set(urls)) == corpus.count_articles()
    assert dict(rows)["https://news.example/articles/1"] == 2


def test_search_survives_a_later_table_rebuild(
    database_url: str, tmp_path: Path, record: MakeRecord
) -> None:
    """A later batch migration rebuilding ``articles`` keeps the index and its triggers."""
    scripts = tmp_path / "migrations"
    shutil.copytree(migrate.MIGRATIONS_DIR, scripts, ignore=shutil.ignore_patterns("__pycache__"))
    (scripts / "versions" / "9001_rebuild.py").write_text(
        _REBUILD.format(head=migrate.head_revision())
    )
    with Database.open(database_url) as db:
        db.store_batch([record(1, text="Before the rebuild: quantum sensors.")])
        assert migrate.upgrade(db.engine, script_location=scripts) is True
        db.store_batch([record(2, text="After the rebuild: quantum networks.")])
        db.store_batch([record(1, text="Edited after the rebuild: photonic chips.")])
        assert _names(db.search("quantum")) == ["2"]
        assert _names(db.search("photonic")) == ["1"]
        with db.engine.connect() as conn:
            indexes = {i["name"] for i in sa.inspect(conn).get_indexes("articles")}
            if db.backend == "sqlite":  # not reflected there: look in the schema itself
                indexes |= set(
                    conn.exec_driver_sql(
                        "SELECT name FROM sqlite_master WHERE type = 'index'"
                    ).scalars()
                )
        assert "ix_articles_when" in indexes


_REBUILD = """
import sqlalchemy as sa
from alembic import op

revision = "9001_rebuild"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    recreate = "always" if op.get_context().dialect.name == "sqlite" else "auto"
    with op.batch_alter_table("articles", recreate=recreate) as batch:
        batch.add_column(sa.Column("rebuild_probe", sa.Integer(), nullable=True))


def downgrade() -> None:
    pass
"""
