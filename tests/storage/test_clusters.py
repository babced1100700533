"""Storage: near-duplicate stories cluster at write time, different stories stay apart."""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa

from pipeline.similarity import shingles, signature, similarity
from storage.database import Database
from storage.records import PageRecord, StoredArticle

MakeRecord = Callable[..., PageRecord]
T0 = datetime(2026, 6, 1, tzinfo=UTC)

_VOCABULARY = [
    "model",
    "lab",
    "release",
    "weights",
    "benchmark",
    "training",
    "data",
    "chip",
    "export",
    "policy",
    "startup",
    "funding",
    "investor",
    "cloud",
    "compute",
    "agent",
    "robot",
    "vision",
    "speech",
    "safety",
    "rule",
    "court",
    "license",
    "open",
    "closed",
    "pemerintah",
    "peraturan",
    "kecerdasan",
    "buatan",
    "perusahaan",
    "rintisan",
    "pendanaan",
    "pusat",
    "data",
]


def _story(seed: int, words: int = 220) -> str:
    rng = random.Random(seed)
    return " ".join(rng.choice(_VOCABULARY) + str(rng.randint(0, 40)) for _ in range(words))


def _reprint(text: str, seed: int) -> str:
    """The same press release on another site: its own intro and footer, one word changed."""
    words = text.split()
    words[len(words) // 2] = "edited"
    return f"Site {seed} reports: " + " ".join(words) + f" Follow site {seed} for more news."


def _by_name(db: Database) -> dict[str, StoredArticle]:
    return {a.canonical_url.rsplit("/", 1)[1]: a for a in db.query_articles(limit=None)}


def test_signature_estimates_jaccard() -> None:
    a, b = _story(1), _reprint(_story(1), 7)
    exact = len(shingles(a) & shingles(b)) / len(shingles(a) | shingles(b))
    assert abs(similarity(signature(a), signature(b)) - exact) < 0.1
    assert similarity(signature(a), signature(_story(2))) < 0.1


def test_reprints_share_a_cluster_and_other_stories_stay_apart(
    db: Database, record: MakeRecord
) -> None:
    press = _story(1)
    db.store_batch(
        [
            record(1, text=press, source="alpha", published_at=T0),
            record(2, text=_reprint(press, 2), source="beta", published_at=T0 + timedelta(hours=3)),
            record(3, text=_story(2), source="beta", published_at=T0 + timedelta(hours=1)),
        ]
    )
    # A later batch sees the earlier one.
    db.store_batch([record(4, text=_reprint(press, 4), published_at=T0 + timedelta(hours=5))])
    stored = _by_name(db)
    cluster = stored["1"].cluster_id
    assert cluster is not None
    assert stored["2"].cluster_id == cluster and stored["4"].cluster_id == cluster
    assert stored["3"].cluster_id is None
    with db.engine.connect() as conn:
        count = conn.execute(
            sa.text("SELECT article_count FROM story_clusters WHERE id = :id"), {"id": cluster}
        ).scalar_one()
    assert count == 3


def test_same_body_under_two_urls_is_one_story(db: Database, record: MakeRecord) -> None:
    body = "A short wire story: the lab released its model today."
    db.store_batch([record(1, text=body), record(2, text=body, source="mirror")])
    stored = _by_name(db)
    assert stored["1"].cluster_id is not None
    assert stored["1"].cluster_id == stored["2"].cluster_id


def test_changed_body_leaves_its_cluster(db: Database, record: MakeRecord) -> None:
    press = _story(5)
    db.store_batch([record(1, text=press), record(2, text=_reprint(press, 2))])
    assert _by_name(db)["2"].cluster_id is not None
    db.store_batch([record(2, text=_story(6))])
    stored = _by_name(db)
    assert stored["1"].cluster_id is None and stored["2"].cluster_id is None
    with db.engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM story_clusters")).scalar_one() == 0


def test_a_bridging_article_merges_two_clusters(db: Database, record: MakeRecord) -> None:
    a, b = _story(10, 200), _story(11, 200)
    db.store_batch([record(1, text=a), record(2, text=a), record(3, text=b), record(4, text=b)])
    stored = _by_name(db)
    assert stored["1"].cluster_id != stored["3"].cluster_id
    # Exact copies of both bodies, linked through one article each: same content hash.
    db.store_batch([record(5, text=a)])
    assert len({_by_name(db)[n].cluster_id for n in "125"}) == 1


def test_dedupe_returns_the_earliest_of_each_story(db: Database, record: MakeRecord) -> None:
    press = _story(20)
    db.store_batch(
        [
            record(1, text=press + " robot", published_at=T0 + timedelta(hours=2)),
            record(2, text=_reprint(press, 2) + " robot", published_at=T0),
            record(3, text=_reprint(press, 3) + " robot", published_at=T0 + timedelta(hours=4)),
            record(4, text=_story(21) + " robot", published_at=T0 + timedelta(hours=1)),
        ]
    )
    hits = db.search("robot", dedupe=True, sort="newest", limit=None)
    names = [h.article.canonical_url.rsplit("/", 1)[1] for h in hits]
    assert names == ["4", "2"]
    assert [h.duplicates for h in hits] == [0, 2]
    assert len(db.search("robot", limit=None)) == 4


def test_link_stories_signs_bulk_loaded_articles(db: Database, record: MakeRecord) -> None:
    body = _story(30)
    db.store_batch([record(1, text=body), record(2, text=_reprint(body, 2))])
    with db.engine.begin() as conn:  # as a bulk load or a pre-0003 database would leave it
        conn.execute(sa.text("DELETE FROM article_signatures"))
        conn.execute(sa.text("UPDATE articles SET cluster_id = NULL"))
        conn.execute(sa.text("DELETE FROM story_clusters"))
    assert db.link_stories() == 2
    stored = _by_name(db)
    assert stored["1"].cluster_id is not None and stored["1"].cluster_id == stored["2"].cluster_id
    assert db.link_stories() == 0


def test_a_batch_clusters_as_its_records_stored_one_by_one(
    tmp_path: Path, record: MakeRecord
) -> None:
    """Linking a batch at once places each article as if it had been written alone."""
    press, other = _story(40), _story(41)
    first = [record(1, text=press), record(2, text=_reprint(press, 2)), record(3, text=other)]
    # Article 2 moves to the other story, 4 reprints the first, 5 copies 3 exactly,
    # 6 is the same URL as 1 written twice in the batch.
    second = [
        record(2, text=_reprint(other, 2)),
        record(4, text=_reprint(press, 4)),
        record(5, text=other),
        record(6, text=_story(42), canonical_url="https://news.example/articles/1"),
        record(7, text=_reprint(_story(42), 7)),
    ]
    stories = []
    for name, batches in (("batch", [second]), ("one-by-one", [[r] for r in second])):
        with Database.open(f"sqlite:///{tmp_path / name}.db") as db:
            db.store_batch(first)
            for batch in batches:
                db.store_batch(batch)
            stories.append(_stories(db))
    assert stories[0] == stories[1] == {frozenset({"2", "3", "5"}), frozenset({"1", "7"})}


def test_a_signature_of_text_storage_cleans_is_not_trusted(
    db: Database, record: MakeRecord
) -> None:
    """A record signed before storage removed control characters is signed again."""
    body = _story(50)
    # NUL between words splits them as a space does, until storage removes it.
    joined = body.replace(" ", "\x00")
    signed = dataclasses.replace(record(2, text=joined), signature=signature(joined))
    db.store_batch([record(1, text=body), signed])
    stored = _by_name(db)
    assert " " not in stored["2"].text
    assert stored["1"].cluster_id is None and stored["2"].cluster_id is None


def _stories(db: Database) -> set[frozenset[str]]:
    members: dict[int, set[str]] = {}
    for name, article in _by_name(db).items():
        if article.cluster_id is not None:
            members.setdefault(article.cluster_id, set()).add(name)
    return {frozenset(m) for m in members.values()}
