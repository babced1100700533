"""Storage stage: group near-duplicate articles into story clusters as they are written.

Each new or changed body gets a MinHash signature (``pipeline.similarity``) and its LSH
bucket keys. Articles sharing a bucket are candidates; those whose estimated Jaccard
similarity reaches ``NEAR_DUPLICATE`` (0.8), and those with the very same body
(``content_hash``) under another URL, join one ``story_clusters`` row through
``articles.cluster_id``. Clusters that a new article bridges are merged; an article
whose new body no longer matches leaves its cluster, and a cluster left with one
article is dissolved.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from pipeline.similarity import NEAR_DUPLICATE, Signature, band_keys, signature, similarity
from storage.filters import ARTICLES
from storage.models import ArticleSignatureRow, SignatureBandRow, StoryClusterRow
from storage.records import Outcome, PageRecord
from storage.sanitize import clean_text

logger = logging.getLogger(__name__)

SIGNATURES: sa.Table = ArticleSignatureRow.__table__  # type: ignore[assignment]
BANDS: sa.Table = SignatureBandRow.__table__  # type: ignore[assignment]
CLUSTERS: sa.Table = StoryClusterRow.__table__  # type: ignore[assignment]
_IN_CHUNK = 500


def link_written(
    conn: Connection, records: Sequence[PageRecord], outcomes: Sequence[Outcome]
) -> None:
    """Sign and cluster the articles a batch wrote as new or updated (same transaction)."""
    keys = [
        clean_text(r.article.canonical_url)
        for r, o in zip(records, outcomes, strict=True)
        if o in ("new", "updated")
    ]
    if not keys:
        return
    ids: list[int] = []
    for start in range(0, len(keys), _IN_CHUNK):
        chunk = sorted(set(keys[start : start + _IN_CHUNK]))
        query = sa.select(ARTICLES.c.id).where(ARTICLES.c.canonical_url.in_(chunk))
        ids.extend(conn.execute(query).scalars())
    link_articles(conn, sorted(set(ids)))


# Built once: per-article statements differ only in their bound values.
_BODY = sa.select(ARTICLES.c.text, ARTICLES.c.content_hash, ARTICLES.c.cluster_id).where(
    ARTICLES.c.id == sa.bindparam("article_id")
)
_SAME_BODY = sa.select(ARTICLES.c.id).where(
    ARTICLES.c.content_hash == sa.bindparam("content_hash"),
    ARTICLES.c.id != sa.bindparam("article_id"),
)
_CANDIDATES = sa.select(SIGNATURES.c.article_id, SIGNATURES.c.minhash).where(
    SIGNATURES.c.article_id.in_(
        sa.select(BANDS.c.article_id)
        .where(BANDS.c.bucket.in_(sa.bindparam("buckets", expanding=True)))
        .distinct()
    ),
    SIGNATURES.c.article_id != sa.bindparam("article_id"),
)

_DELETE_BANDS = sa.delete(BANDS).where(BANDS.c.article_id == sa.bindparam("article_id"))
_DELETE_SIGNATURE = sa.delete(SIGNATURES).where(
    SIGNATURES.c.article_id == sa.bindparam("article_id")
)
_INSERT_SIGNATURE = sa.insert(SIGNATURES)
_INSERT_BANDS = sa.insert(BANDS)


def link_articles(conn: Connection, article_ids: Iterable[int]) -> None:
    """(Re)compute the signature of each article and place it in its story cluster."""
    now = datetime.now(UTC)
    for article_id in article_ids:
        row = conn.execute(_BODY, {"article_id": article_id}).first()
        if row is None:
            continue
        sig = signature(row.text)
        keys = band_keys(sig)
        _store_signature(conn, article_id, sig, keys, now)
        related = set(
            conn.execute(
                _SAME_BODY, {"content_hash": row.content_hash, "article_id": article_id}
            ).scalars()
        )
        if keys:
            candidates = conn.execute(
                _CANDIDATES, {"buckets": [bucket for _, bucket in keys], "article_id": article_id}
            )
            related |= {
                other
                for other, minhash in candidates
                if similarity(sig, Signature.from_bytes(minhash)) >= NEAR_DUPLICATE
            }
        _place(conn, article_id, row.cluster_id, related, now)


def _store_signature(
    conn: Connection,
    article_id: int,
    sig: Signature,
    keys: list[tuple[int, int]],
    now: datetime,
) -> None:
    conn.execute(_DELETE_BANDS, {"article_id": article_id})
    conn.execute(_DELETE_SIGNATURE, {"article_id": article_id})
    conn.execute(
        _INSERT_SIGNATURE, {"article_id": article_id, "minhash": sig.to_bytes(), "computed_at": now}
    )
    if keys:
        conn.execute(
            _INSERT_BANDS,
            [{"band": band, "bucket": bucket, "article_id": article_id} for band, bucket in keys],
        )


def _place(
    conn: Connection, article_id: int, current: int | None, related: set[int], now: datetime
) -> None:
    if current is not None:
        _leave(conn, article_id, current, now)
    if not related:
        return
    clusters = set(
        conn.execute(
            sa.select(ARTICLES.c.cluster_id)
            .where(ARTICLES.c.id.in_(sorted(related)), ARTICLES.c.cluster_id.is_not(None))
            .distinct()
        ).scalars()
    )
    if clusters:
        target = min(clusters)
    else:
        target = conn.execute(
            sa.insert(CLUSTERS)
            .values(article_count=0, created_at=now, updated_at=now)
            .returning(CLUSTERS.c.id)
        ).scalar_one()
    members = sa.or_(
        ARTICLES.c.id.in_([article_id, *sorted(related)]),
        ARTICLES.c.cluster_id.in_(sorted(clusters)),
    )
    conn.execute(sa.update(ARTICLES).where(members).values(cluster_id=target))
    merged = sorted(clusters - {target})
    if merged:
        logger.debug("Merging story clusters %s into %d", merged, target)
        conn.execute(sa.delete(CLUSTERS).where(CLUSTERS.c.id.in_(merged)))
    _recount(conn, target, now)


def _leave(conn: Connection, article_id: int, cluster_id: int, now: datetime) -> None:
    conn.execute(sa.update(ARTICLES).where(ARTICLES.c.id == article_id).values(cluster_id=None))
    _recount(conn, cluster_id, now)


def _recount(conn: Connection, cluster_id: int, now: datetime) -> None:
    """Store the cluster's size; a story told by one article is no cluster any more."""
    count = conn.execute(
        sa.select(sa.func.count()).where(ARTICLES.c.cluster_id == cluster_id)
    ).scalar_one()
    if count <= 1:
        conn.execute(
            sa.update(ARTICLES).where(ARTICLES.c.cluster_id == cluster_id).values(cluster_id=None)
        )
        conn.execute(sa.delete(CLUSTERS).where(CLUSTERS.c.id == cluster_id))
        return
    conn.execute(
        sa.update(CLUSTERS)
        .where(CLUSTERS.c.id == cluster_id)
        .values(article_count=count, updated_at=now)
    )


def unsigned_article_ids(conn: Connection, *, after: int, limit: int) -> list[int]:
    """Articles stored before signatures existed (or by a bulk load), by id."""
    query = (
        sa.select(ARTICLES.c.id)
        .outerjoin(SIGNATURES, SIGNATURES.c.article_id == ARTICLES.c.id)
        .where(SIGNATURES.c.article_id.is_(None), ARTICLES.c.id > after)
        .order_by(ARTICLES.c.id)
        .limit(limit)
    )
    return list(conn.execute(query).scalars())
