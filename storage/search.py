"""Storage stage: ranked full-text search over articles (SQLite FTS5, PostgreSQL tsvector).

SQLite ranks with bm25() over ``articles_fts`` (title weighted over body); PostgreSQL
with ts_rank_cd() over ``article_search`` (title weight A, body B), each article indexed
with its language's text-search configuration. Either way a search first picks the
ids of one page of hits, then reads those articles and highlights their snippets, so
the cost of wide rows and highlighting is paid for one page only.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from storage.filters import ARTICLES, ArticleFilter, when_key
from storage.queries import article_from_row
from storage.records import SearchHit
from storage.search_syntax import SearchQuery

Sort = Literal["relevance", "newest"]
SORTS: tuple[str, ...] = ("relevance", "newest")

# Languages with a PostgreSQL text-search configuration in use; everything else is
# indexed with "simple" (lower-cased words, no stemming). Migration 0003 holds the
# same mapping inside the database (warta_search_config): change both together.
PG_CONFIGS = {"en": "english", "id": "indonesian"}
PG_DEFAULT_CONFIG = "simple"
HIGHLIGHT = ("**", "**")  # Markdown bold: readable in a terminal, in JSON and rendered
SNIPPET_WORDS = 32
_PG_HEADLINE_OPTIONS = (
    f"StartSel={HIGHLIGHT[0]}, StopSel={HIGHLIGHT[1]}, MaxWords={SNIPPET_WORDS}, "
    'MinWords=12, MaxFragments=2, FragmentDelimiter=" … "'
)

FTS = sa.table("articles_fts", sa.column("rowid", sa.Integer))
SEARCH = sa.table(
    "article_search",
    sa.column("article_id", sa.Integer),
    sa.column("config"),
    sa.column("document"),
)
_FTS_NAME: sa.ColumnElement[Any] = sa.literal_column("articles_fts")


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

    def for_row(self) -> sa.ColumnElement[Any]:
        if len(self.configs) == 1:
            return self.tsquery(self.configs[0])
        return sa.case(*((SEARCH.c.config == _regconfig(c), self.tsquery(c)) for c in self.configs))


def _matching(conn: Connection, plan: Plan) -> sa.Select[Any]:
    """(id, score, when) of every article the plan selects; score: higher is better."""
    conditions = plan.filters.conditions(conn.dialect.name)
    if plan.query is None:
        return sa.select(ARTICLES.c.id, sa.null().label("score"), when_key.label("when")).where(
            *conditions
        )
    if conn.dialect.name == "postgresql":
        pg = _PgQuery(plan.query, plan.filters)
        score = sa.func.ts_rank_cd(SEARCH.c.document, pg.for_row())
        return (
            sa.select(ARTICLES.c.id, score.label("score"), when_key.label("when"))
            .select_from(SEARCH.join(ARTICLES, ARTICLES.c.id == SEARCH.c.article_id))
            .where(pg.matches(), *conditions)
        )
    match = sa.text("articles_fts MATCH :fts_query").bindparams(fts_query=plan.query.to_fts5())
    # bm25 is lower-is-better; a title hit weighs four body hits.
    bm25 = -sa.func.bm25(_FTS_NAME, 4.0, 1.0)
    return (
        sa.select(ARTICLES.c.id, bm25.label("score"), when_key.label("when"))
        .select_from(FTS.join(ARTICLES, ARTICLES.c.id == FTS.c.rowid))
        .where(match, *conditions)
    )


def ranked(conn: Connection, plan: Plan) -> sa.Subquery:
    """(id, score, when, duplicates) per hit; with dedupe, the earliest of each story."""
    matching = _matching(conn, plan)
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
    """One page of hits, best first, each with its article and a highlighted snippet."""
    if plan.query is not None and plan.query.is_empty:
        return []
    hits = ranked(conn, plan)
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
    snippets = _snippets(conn, plan, ids) if plan.query is not None else {}
    return [
        SearchHit(
            article=articles[row.id],
            snippet=snippets.get(row.id),
            score=float(row.score) if row.score is not None else None,
            duplicates=int(row.duplicates),
        )
        for row in page
    ]


def iter_hits(conn: Connection, plan: Plan, *, batch: int = 1000) -> Iterator[SearchHit]:
    """Every hit in order, streamed (a server-side cursor on PostgreSQL), no snippets."""
    if plan.query is not None and plan.query.is_empty:
        return
    hits = ranked(conn, plan)
    query = (
        sa.select(ARTICLES, hits.c.score.label("_score"), hits.c.duplicates.label("_duplicates"))
        .join(hits, hits.c.id == ARTICLES.c.id)
        .order_by(*_order(hits, plan))
    )
    result = conn.execution_options(stream_results=True, yield_per=batch).execute(query)
    for row in result:
        yield SearchHit(
            article=article_from_row(row),
            snippet=None,
            score=float(row._score) if row._score is not None else None,
            duplicates=int(row._duplicates),
        )


def _snippets(conn: Connection, plan: Plan, ids: list[int]) -> dict[int, str]:
    assert plan.query is not None
    if conn.dialect.name == "postgresql":
        pg = _PgQuery(plan.query, plan.filters)
        headline = sa.func.ts_headline(
            SEARCH.c.config, ARTICLES.c.text, pg.for_row(), _PG_HEADLINE_OPTIONS
        )
        query = (
            sa.select(ARTICLES.c.id, headline.label("snippet"))
            .select_from(SEARCH.join(ARTICLES, ARTICLES.c.id == SEARCH.c.article_id))
            .where(ARTICLES.c.id.in_(ids))
        )
    else:
        match = sa.text("articles_fts MATCH :fts_query").bindparams(fts_query=plan.query.to_fts5())
        snippet = sa.func.snippet(_FTS_NAME, 1, HIGHLIGHT[0], HIGHLIGHT[1], "…", SNIPPET_WORDS)
        query = (
            sa.select(FTS.c.rowid.label("id"), snippet.label("snippet"))
            .select_from(FTS)
            .where(match, FTS.c.rowid.in_(ids))
        )
    return {row.id: row.snippet for row in conn.execute(query)}
