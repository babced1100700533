"""Storage stage: ranked full-text search over articles (SQLite FTS5, PostgreSQL tsvector).

SQLite ranks with bm25() over ``articles_fts`` (title weighted over body); PostgreSQL
with ts_rank() over ``article_search`` (title weight A, body B), each article indexed
with its language's text-search configuration. Both rank by how often the words occur
(ts_rank_cd's proximity covers took a quarter more server CPU on a very common query).
Either way a search first picks the ids of one page of hits, then reads those articles
and highlights their snippets, so the cost of wide rows and highlighting is paid for
one page only.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

import sqlalchemy as sa
from sqlalchemy.dialects.sqlite import base as sqlite_base
from sqlalchemy.engine import Connection, Engine

from storage.filters import ARTICLES, ArticleFilter, when_key
from storage.queries import article_from_row
from storage.records import SearchHit
from storage.search_syntax import SearchQuery
from storage.snippets import Highlighter

Sort = Literal["relevance", "newest"]
SORTS: tuple[str, ...] = ("relevance", "newest")

# Languages with a PostgreSQL text-search configuration in use; everything else is
# indexed with "simple" (lower-cased words, no stemming). Migration 0003 holds the
# same mapping inside the database (warta_search_config): change both together.
PG_CONFIGS = {"en": "english", "id": "indonesian"}
PG_DEFAULT_CONFIG = "simple"
# A query matching more articles than this is ranked among its most recently stored
# RANK_WINDOW matches (the others still count for word statistics): scoring every match
# of a word found in most articles costs far more than a search should, and for news the
# recent matches are the ones wanted. Sorting by newest is always over every match.
RANK_WINDOW = 5_000

FTS = sa.table("articles_fts", sa.column("rowid", sa.Integer))
SEARCH = sa.table(
    "article_search",
    sa.column("article_id", sa.Integer),
    sa.column("config"),
    sa.column("document"),
)
_FTS_NAME: sa.ColumnElement[Any] = sa.literal_column("articles_fts")
SEARCH_KEYS_INDEX = "ix_articles_search_keys"


class SQLiteCompiler(sqlite_base.SQLiteCompiler):
    """SQLite's compiler, rendering table hints (``INDEXED BY``), which it leaves out."""

    def get_from_hint_text(self, table: Any, text: str | None) -> str | None:
        return text


def enable_table_hints(engine: Engine) -> None:
    """Let ``with_hint(..., "sqlite")`` reach SQLite (a no-op on other backends)."""
    if engine.dialect.name == "sqlite":
        engine.dialect.statement_compiler = SQLiteCompiler


@dataclass(frozen=True, slots=True)
class Plan:
    """What to search for, among which articles, in which order."""

    query: SearchQuery | None = None
    filters: ArticleFilter = field(default_factory=ArticleFilter)
    sort: Sort = "relevance"
    dedupe: bool = False


def _configs(filters: ArticleFilter) -> list[str]:
    if filters.lang is not None:
        return [PG_CONFIGS.get(filters.lang.lower(), PG_DEFAULT_CONFIG)]
    return [*PG_CONFIGS.values(), PG_DEFAULT_CONFIG]


def _regconfig(name: str) -> sa.ColumnElement[Any]:
    # ``name`` comes from PG_CONFIGS, never from the user.
    return sa.literal_column(f"'{name}'::regconfig")


class _PgQuery:
    """The tsquery of one search under each configuration an article may be indexed with."""

    def __init__(self, query: SearchQuery, filters: ArticleFilter) -> None:
        self.text = sa.bindparam("websearch", query.to_websearch(), type_=sa.Text)
        self.configs = _configs(filters)

    def tsquery(self, config: str) -> sa.ColumnElement[Any]:
        return sa.func.websearch_to_tsquery(_regconfig(config), self.text)

    def matches(self) -> sa.ColumnElement[bool]:
        # One branch per configuration: each is a GIN index scan (a BitmapOr together),
        # and each article is matched with the query built by its own configuration.
        return sa.or_(
            *(
                sa.and_(
                    SEARCH.c.config == _regconfig(c), SEARCH.c.document.op("@@")(self.tsquery(c))
                )
                for c in self.configs
            )
        )

    def for_row(self, config: sa.ColumnElement[Any]) -> sa.ColumnElement[Any]:
        """The tsquery for a row indexed with ``config``."""
        if len(self.configs) == 1:
            return self.tsquery(self.configs[0])
        return sa.case(*((config == _regconfig(c), self.tsquery(c)) for c in self.configs))


def _matching(conn: Connection, plan: Plan, *, window: bool) -> sa.Select[Any]:
    """(id, score, when) of every article the plan selects; score: higher is better."""
    conditions = plan.filters.conditions(conn.dialect.name)
    if plan.query is None:
        return sa.select(ARTICLES.c.id, sa.null().label("score"), when_key.label("when")).where(
            *conditions
        )
    windowed = window and plan.sort == "relevance"
    if conn.dialect.name == "postgresql":
        return _pg_matching(plan.query, plan.filters, conditions, windowed=windowed)
    match = sa.text("articles_fts MATCH :fts_query").bindparams(fts_query=plan.query.to_fts5())
    # bm25 is lower-is-better; a title hit weighs four body hits.
    bm25 = -sa.func.bm25(_FTS_NAME, 4.0, 1.0)
    query = (
        sa.select(ARTICLES.c.id, bm25.label("score"), when_key.label("when"))
        .select_from(FTS.join(ARTICLES, ARTICLES.c.id == FTS.c.rowid))
        .where(match, *conditions)
    )
    if not plan.filters.reads_json:
        # SQLite looks rows up by rowid in the table itself, walking past the long text
        # columns to reach the dates; the covering index holds all a match needs.
        query = query.with_hint(ARTICLES, f"INDEXED BY {SEARCH_KEYS_INDEX}", "sqlite")
    if not windowed:
        return query
    # FTS5 walks its matches in rowid order, so bm25() runs for the window's rows only.
    recent = query.order_by(FTS.c.rowid.desc()).limit(RANK_WINDOW).subquery("recent")
    return sa.select(recent.c.id, recent.c.score, recent.c.when)


def _pg_matching(
    query: SearchQuery,
    filters: ArticleFilter,
    conditions: list[sa.ColumnElement[bool]],
    *,
    windowed: bool,
) -> sa.Select[Any]:
    pg = _PgQuery(query, filters)
    found = (
        sa.select(ARTICLES.c.id, SEARCH.c.document, SEARCH.c.config, when_key.label("when"))
        .select_from(SEARCH.join(ARTICLES, ARTICLES.c.id == SEARCH.c.article_id))
        .where(pg.matches(), *conditions)
    )
    if windowed:
        found = found.order_by(SEARCH.c.article_id.desc()).limit(RANK_WINDOW)
    # Ranked outside the LIMIT so ts_rank() reads the window's documents only.
    hits = found.subquery("found")
    score = sa.func.ts_rank(hits.c.document, pg.for_row(hits.c.config))
    return sa.select(hits.c.id, score.label("score"), hits.c.when)


def ranked(conn: Connection, plan: Plan, *, window: bool = False) -> sa.Subquery:
    """(id, score, when, duplicates) per hit; with dedupe, the earliest of each story.

    ``window``: rank only the RANK_WINDOW most recently stored matches (for one page of a
    search; streams of every hit never use it).
    """
    matching = _matching(conn, plan, window=window)
    if not plan.dedupe:
        return matching.add_columns(sa.literal(0).label("duplicates")).subquery("ranked")
    # Matches first, materialized: SQLite cannot call bm25() under a window function.
    matched = matching.cte("matched").prefix_with("MATERIALIZED")
    story = sa.func.coalesce(ARTICLES.c.cluster_id, -ARTICLES.c.id)
    numbered = (
        sa.select(
            matched.c.id,
            matched.c.score,
            matched.c.when,
            sa.func.row_number()
            .over(partition_by=story, order_by=(matched.c.when.asc(), matched.c.id.asc()))
            .label("position"),
            sa.func.count().over(partition_by=story).label("story_size"),
        )
        .join_from(matched, ARTICLES, ARTICLES.c.id == matched.c.id)
        .subquery("numbered")
    )
    return (
        sa.select(
            numbered.c.id,
            numbered.c.score,
            numbered.c.when,
            (numbered.c.story_size - 1).label("duplicates"),
        )
        .where(numbered.c.position == 1)
        .subquery("ranked")
    )


def _order(hits: sa.Subquery, plan: Plan) -> list[sa.ColumnElement[Any]]:
    newest: list[sa.ColumnElement[Any]] = [hits.c.when.desc(), hits.c.id.desc()]
    if plan.query is not None and plan.sort == "relevance":
        return [hits.c.score.desc(), *newest]
    return newest


def search(conn: Connection, plan: Plan, *, limit: int | None, offset: int = 0) -> list[SearchHit]:
    """One page of hits, best first, each with its article and a highlighted snippet.

    With a ``limit``, hits by relevance come from the RANK_WINDOW most recently stored
    matches (pages reach that far); ``limit=None`` ranks every match.
    """
    if plan.query is not None and plan.query.is_empty:
        return []
    if plan.query is not None and conn.dialect.name == "postgresql":
        # The planner does not count the cost of decompressing each tsvector, and with a
        # language filter it picks a sequential scan that decompresses every document
        # (six times slower than the GIN index). For this transaction only.
        conn.exec_driver_sql("SET LOCAL enable_seqscan = off")
    # Every page of one search uses the same window, so paging neither skips nor repeats.
    hits = ranked(conn, plan, window=limit is not None)
    page = conn.execute(
        sa.select(hits.c.id, hits.c.score, hits.c.duplicates)
        .order_by(*_order(hits, plan))
        .limit(limit)
        .offset(offset)
    ).all()
    if not page:
        return []
    ids = [row.id for row in page]
    articles = {
        row.id: article_from_row(row)
        for row in conn.execute(sa.select(ARTICLES).where(ARTICLES.c.id.in_(ids)))
    }
    highlight = Highlighter(plan.query.words).snippet if plan.query is not None else None
    return [
        SearchHit(
            article=articles[row.id],
            snippet=highlight(articles[row.id].text) if highlight is not None else None,
            score=float(row.score) if row.score is not None else None,
            duplicates=int(row.duplicates),
        )
        for row in page
    ]


DATE_COLUMNS = ("published_at", "modified_at", "first_seen_at", "fetched_at", "updated_at")
JSON_COLUMNS = ("authors", "tags")


def stream_query(
    conn: Connection,
    plan: Plan,
    *,
    html: bool = True,
    raw_dates: bool = False,
    raw_json: bool = False,
) -> sa.Select[Any]:
    """The columns of every hit, in order, plus ``_score`` and ``_duplicates``.

    ``raw_dates``: SQLite's stored date text as is, not parsed into datetimes.
    ``raw_json``: JSON columns (authors, tags) as their stored JSON text, not decoded.
    """

    def raw(c: sa.Column[Any]) -> bool:
        return (raw_dates and c.name in DATE_COLUMNS) or (raw_json and c.name in JSON_COLUMNS)

    columns: list[sa.ColumnElement[Any]] = [
        sa.type_coerce(c, sa.String).label(c.name) if raw(c) else c
        for c in ARTICLES.c
        if html or c.name != "html"
    ]
    if plan.query is None and not plan.dedupe:
        # Straight off the table: ix_articles_when gives the order without a sort.
        return (
            sa.select(*columns, sa.null().label("_score"), sa.literal(0).label("_duplicates"))
            .where(*plan.filters.conditions(conn.dialect.name))
            .order_by(when_key.desc(), ARTICLES.c.id.desc())
        )
    hits = ranked(conn, plan)
    return (
        sa.select(*columns, hits.c.score.label("_score"), hits.c.duplicates.label("_duplicates"))
        .join_from(ARTICLES, hits, hits.c.id == ARTICLES.c.id)
        .order_by(*_order(hits, plan))
    )


def iter_hits(conn: Connection, plan: Plan, *, batch: int = 1000) -> Iterator[SearchHit]:
    """Every hit in order, streamed (a server-side cursor on PostgreSQL), no snippets."""
    if plan.query is not None and plan.query.is_empty:
        return
    result = conn.execution_options(stream_results=True, yield_per=batch).execute(
        stream_query(conn, plan)
    )
    for row in result:
        yield SearchHit(
            article=article_from_row(row),
            snippet=None,
            score=float(row._score) if row._score is not None else None,
            duplicates=int(row._duplicates),
        )


def iter_rows(
    conn: Connection, plan: Plan, *, html: bool = False, batch: int = 1000
) -> Iterator[dict[str, Any]]:
    """Every hit as the JSON-ready mapping of ``SearchHit.to_dict()`` minus the snippet
    (and minus ``html`` unless asked: the clean text is what exports are for, and the
    HTML doubles their size).

    The export path: it skips the typed objects, which cost more than the encoding.
    """
    if plan.query is not None and plan.query.is_empty:
        return
    sqlite = conn.dialect.name == "sqlite"
    result = conn.execution_options(stream_results=True, yield_per=batch).execute(
        stream_query(conn, plan, html=html, raw_dates=sqlite)
    )
    iso = sqlite_iso if sqlite else datetime.isoformat
    for row in result:
        out = row._asdict()
        for key in DATE_COLUMNS:
            value = out[key]
            if value is not None:
                out[key] = iso(value)
        score = out.pop("_score")
        out["score"] = float(score) if score is not None else None
        out["duplicates"] = int(out.pop("_duplicates"))
        yield out


def sqlite_iso(value: str) -> str:
    """SQLite's naive UTC text ("2026-05-01 09:30:00.000000") as ``datetime.isoformat()``
    writes the aware value ("2026-05-01T09:30:00+00:00"), without parsing it."""
    head, _, micro = value.partition(".")
    text = head.replace(" ", "T", 1)
    if micro.strip("0"):
        text += "." + micro.ljust(6, "0")
    return text + "+00:00"
