"""Storage stage: group near-duplicate articles into story clusters as they are written.

Each new or changed body gets a MinHash signature (``pipeline.similarity``) and its LSH
bucket keys. Articles sharing a bucket are candidates; those whose estimated Jaccard
similarity reaches ``NEAR_DUPLICATE`` (0.8), and those with the very same body
(``content_hash``) under another URL, join one ``story_clusters`` row through
``articles.cluster_id``. Clusters that a new article bridges are merged; an article
whose new body no longer matches leaves its cluster, and a cluster left with one
article is dissolved.

A batch is linked with a handful of statements, not a handful per article: its
candidates, same-body articles and current clusters are read at once, and articles are
then placed one by one, in id order, exactly as if each had been signed and placed
alone (an article placed earlier in the batch is seen with its new signature, a later
one with its old). A record extracted with its signature (``PageRecord.signature``,
signed in the crawler's extraction worker) is not signed again.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

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
_BODY_COLUMNS = (ARTICLES.c.id, ARTICLES.c.text, ARTICLES.c.content_hash, ARTICLES.c.cluster_id)

# Statements run for every batch are built once: building one (and its cache key) costs
# more than running it. Their IN lists are expanding parameters named "values".
_VALUES: sa.BindParameter[Any] = sa.bindparam("values", expanding=True)
_WRITTEN_BODIES = sa.select(ARTICLES.c.canonical_url, *_BODY_COLUMNS).where(
    ARTICLES.c.canonical_url.in_(_VALUES)
)
_BODIES = sa.select(*_BODY_COLUMNS).where(ARTICLES.c.id.in_(_VALUES))
_SAME_BODY = sa.select(ARTICLES.c.id, ARTICLES.c.content_hash).where(
    ARTICLES.c.content_hash.in_(_VALUES)
)
_HOLDERS = (
    sa.select(BANDS.c.bucket, BANDS.c.article_id, SIGNATURES.c.minhash)
    .join(SIGNATURES, SIGNATURES.c.article_id == BANDS.c.article_id)
    .where(BANDS.c.bucket.in_(_VALUES))
)
_DELETE_BANDS = sa.delete(BANDS).where(BANDS.c.article_id.in_(_VALUES))
_DELETE_SIGNATURES = sa.delete(SIGNATURES).where(SIGNATURES.c.article_id.in_(_VALUES))
_INSERT_SIGNATURES = sa.insert(SIGNATURES)
_INSERT_BANDS = sa.insert(BANDS)


@dataclass(slots=True)
class _Body:
    """One article to (re)link: its stored body's signature, bucket keys and cluster."""

    id: int
    content_hash: str
    cluster_id: int | None
    sig: Signature
    keys: list[tuple[int, int]]


def link_written(
    conn: Connection, records: Sequence[PageRecord], outcomes: Sequence[Outcome]
) -> None:
    """Sign and cluster the articles a batch wrote as new or updated (same transaction)."""
    written: dict[str, list[PageRecord]] = {}
    for r, o in zip(records, outcomes, strict=True):
        if o in ("new", "updated"):
            written.setdefault(clean_text(r.article.canonical_url), []).append(r)
    if not written:
        return
    bodies = []
    for chunk in _chunks(sorted(written)):
        for row in conn.execute(_WRITTEN_BODIES, {"values": chunk}):
            bodies.append(_body(row, _signed(written[row.canonical_url], row.text)))
    _link(conn, sorted(bodies, key=lambda b: b.id))


def _signed(records: Sequence[PageRecord], stored_text: str) -> Signature | None:
    """The precomputed signature of the record whose text is the one stored, if any."""
    for r in reversed(records):  # the last write of a URL in a batch is the stored one
        if r.signature is not None and r.article.text == stored_text:
            return r.signature
    return None


def link_articles(conn: Connection, article_ids: Iterable[int]) -> None:
    """(Re)compute the signature of each article and place it in its story cluster."""
    order = list(dict.fromkeys(article_ids))
    found = {}
    for chunk in _chunks(order):
        found.update({row.id: _body(row, None) for row in conn.execute(_BODIES, {"values": chunk})})
    _link(conn, [found[i] for i in order if i in found])


def _body(row: Any, sig: Signature | None) -> _Body:
    if sig is None:
        sig = signature(row.text)
    return _Body(row.id, row.content_hash, row.cluster_id, sig, band_keys(sig))


def _chunks(values: Sequence[Any]) -> Iterator[Sequence[Any]]:
    """IN lists well below SQLite's bound-parameter limit."""
    for start in range(0, len(values), _IN_CHUNK):
        yield values[start : start + _IN_CHUNK]


def _link(conn: Connection, bodies: Sequence[_Body]) -> None:
    """Store the bodies' signatures, then place each article in turn (``bodies`` order)."""
    if not bodies:
        return
    now = datetime.now(UTC)
    same_body = _same_body(conn, {b.content_hash for b in bodies})
    holders, stored = _bucket_holders(conn, {k for b in bodies for _, k in b.keys})
    _store_signatures(conn, bodies, now)

    signed: dict[int, Signature] = {}  # placed in this batch: their new signature counts
    new_holders: dict[int, list[int]] = {}
    stale = False  # once clusters changed, each article's own cluster is read again
    for body in bodies:
        related = same_body.get(body.content_hash, set()) - {body.id}
        compared: set[int] = set()
        for _, bucket in body.keys:  # most buckets are nobody else's
            if bucket in holders:
                compared.update(o for o in holders[bucket] if o not in signed)
            if bucket in new_holders:
                compared.update(new_holders[bucket])
        compared.discard(body.id)
        related.update(
            other
            for other in compared
            if similarity(body.sig, signed.get(other) or stored[other]) >= NEAR_DUPLICATE
        )
        signed[body.id] = body.sig
        for _, bucket in body.keys:
            new_holders.setdefault(bucket, []).append(body.id)
        current = body.cluster_id
        if stale:
            current = conn.execute(
                sa.select(ARTICLES.c.cluster_id).where(ARTICLES.c.id == body.id)
            ).scalar_one()
        if current is None and not related:
            continue
        _place(conn, body.id, current, related, now)
        stale = True


def _same_body(conn: Connection, hashes: set[str]) -> dict[str, set[int]]:
    """Every stored article per content hash (the batch's own included)."""
    found: dict[str, set[int]] = {}
    for chunk in _chunks(sorted(hashes)):
        for article_id, content_hash in conn.execute(_SAME_BODY, {"values": chunk}):
            found.setdefault(content_hash, set()).add(article_id)
    return found


def _bucket_holders(
    conn: Connection, buckets: set[int]
) -> tuple[dict[int, list[int]], dict[int, Signature]]:
    """Before this batch's signatures are stored: which articles hold each bucket, and
    their signatures."""
    holders: dict[int, list[int]] = {}
    stored: dict[int, Signature] = {}
    for chunk in _chunks(sorted(buckets)):
        for bucket, article_id, minhash in conn.execute(_HOLDERS, {"values": chunk}):
            holders.setdefault(bucket, []).append(article_id)
            if article_id not in stored:
                stored[article_id] = Signature.from_bytes(minhash)
    return holders, stored


def _store_signatures(conn: Connection, bodies: Sequence[_Body], now: datetime) -> None:
    ids = sorted(b.id for b in bodies)
    for chunk in _chunks(ids):
        conn.execute(_DELETE_BANDS, {"values": chunk})
        conn.execute(_DELETE_SIGNATURES, {"values": chunk})
    conn.execute(
        _INSERT_SIGNATURES,
        [{"article_id": b.id, "minhash": b.sig.to_bytes(), "computed_at": now} for b in bodies],
    )
    bands = [
        {"band": band, "bucket": bucket, "article_id": b.id}
        for b in bodies
        for band, bucket in b.keys
    ]
    if bands:
        conn.execute(_INSERT_BANDS, bands)


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
