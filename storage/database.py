"""Storage stage: the Database API every other part of warta uses (writes, runs, queries)."""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any, Self

import sqlalchemy as sa
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import Connection, Engine

from storage import clusters, migrate, queries, search_json
from storage import search as searching
from storage.engine import create_engine, normalize_url, writer
from storage.filters import ArticleFilter
from storage.models import RUN_STATUSES, CrawlRunRow
from storage.records import (
    CrawlRunRecord,
    Outcome,
    PageRecord,
    RawPage,
    Revision,
    SearchHit,
    StoredArticle,
    StoreResult,
)
from storage.sanitize import clean_optional, clean_text
from storage.search import SORTS, Plan, Sort
from storage.search_syntax import parse_query
from storage.stats import Stats
from storage.stats import collect as collect_stats
from storage.upsert import write_batch

logger = logging.getLogger(__name__)

RUNS: sa.Table = CrawlRunRow.__table__  # type: ignore[assignment]


def default_database_url() -> str:
    """``WARTA_DATABASE_URL``, else a SQLite file under $XDG_DATA_HOME/warta (dir created)."""
    url = os.environ.get("WARTA_DATABASE_URL")
    if url:
        return url
    data_home = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    directory = Path(data_home) / "warta"
    directory.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{directory / 'warta.db'}"


def _ensure_sqlite_dir(url: str) -> None:
    parsed = normalize_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)


def _must_propagate(exc: BaseException, dialect: str) -> bool:
    """Errors about the database itself, not the row: retrying row by row cannot help."""
    if isinstance(exc, sa_exc.DBAPIError) and exc.connection_invalidated:
        return True
    # On SQLite an OperationalError means "locked", "disk I/O" or similar, never bad data.
    return dialect == "sqlite" and isinstance(exc, sa_exc.OperationalError)


def _describe(exc: BaseException) -> str:
    if isinstance(exc, sa_exc.DBAPIError) and exc.orig is not None:
        message = str(exc.orig)
    else:
        message = str(exc)
    first_line = message.strip().splitlines()[0] if message.strip() else ""
    return f"{type(exc).__name__}: {first_line}"


class Database:
    """warta's database: open it with ``Database.open(url)``; use it as a context manager."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        searching.enable_table_hints(engine)
        self._writer = writer(engine)

    @classmethod
    def open(cls, url: str | None = None, *, migrate: bool = True) -> Database:
        """Connect to ``url`` (default: ``default_database_url()``) and migrate to head."""
        url = url or default_database_url()
        _ensure_sqlite_dir(url)
        db = cls(create_engine(url))
        if migrate:
            try:
                db.upgrade()
            except BaseException:
                db.close()
                raise
        return db

    @property
    def url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    @property
    def backend(self) -> str:
        return self.engine.dialect.name

    def upgrade(self, revision: str = "head") -> bool:
        """Apply pending migrations; True when the schema changed."""
        return migrate.upgrade(self.engine, revision)

    def schema_revision(self) -> str | None:
        return migrate.current_revision(self.engine)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # -- writes ---------------------------------------------------------------------------

    def store_batch(self, records: Sequence[PageRecord]) -> StoreResult:
        """Upsert ``records`` in one transaction; on failure retry them one by one.

        A row the database rejects becomes a "failed" outcome plus an entry in
        ``errors``; errors about the database itself (unreachable, locked) propagate.
        """
        result = StoreResult()
        if not records:
            return result
        # Outside the try: failing to connect says nothing about any row.
        with self._writer.connect() as conn:
            try:
                with conn.begin():
                    outcomes = write_batch(conn, records)
                    clusters.link_written(conn, records, outcomes)
            except Exception as exc:  # a row-level failure, unless proven otherwise
                if _must_propagate(exc, self.backend):
                    raise
                if len(records) == 1:
                    outcomes = [self._fail(records[0], exc, result)]
                else:
                    logger.warning(
                        "Batch of %d failed (%s); retrying row by row",
                        len(records),
                        _describe(exc),
                    )
                    outcomes = [self._store_one(conn, record, result) for record in records]
        result.outcomes = [(r.article.url, o) for r, o in zip(records, outcomes, strict=True)]
        return result

    def _store_one(self, conn: Connection, record: PageRecord, result: StoreResult) -> Outcome:
        try:
            with conn.begin():
                outcome = write_batch(conn, [record])[0]
                clusters.link_written(conn, [record], [outcome])
                return outcome
        except Exception as exc:
            if _must_propagate(exc, self.backend):
                raise
            return self._fail(record, exc, result)

    @staticmethod
    def _fail(record: PageRecord, exc: BaseException, result: StoreResult) -> Outcome:
        message = _describe(exc)
        logger.warning("Could not store %s: %s", record.article.url, message)
        result.errors.append((record.article.url, message))
        return "failed"

    def link_stories(self, *, chunk: int = 500) -> int:
        """Sign and cluster articles that have no signature yet (stored before migration
        0003, or bulk-loaded); return how many. Each chunk is one short write."""
        done = after = 0
        while True:
            with self._writer.begin() as conn:
                ids = clusters.unsigned_article_ids(conn, after=after, limit=chunk)
                clusters.link_articles(conn, ids)
            done += len(ids)
            if len(ids) < chunk:
                return done
            after = ids[-1]

    # -- crawl runs -----------------------------------------------------------------------

    def start_run(self, source: str) -> int:
        """Record a crawl of ``source`` starting now; return its id."""
        values = {
            "source": clean_text(source),
            "status": "running",
            "started_at": datetime.now(UTC),
            "pages": 0,
            "articles_new": 0,
            "articles_updated": 0,
            "articles_unchanged": 0,
            "errors": 0,
            "hostname": socket.gethostname(),
            "pid": os.getpid(),
        }
        with self._writer.begin() as conn:
            run_id = conn.execute(sa.insert(RUNS).values(values).returning(RUNS.c.id)).scalar_one()
        return int(run_id)

    def finish_run(
        self,
        run_id: int,
        *,
        status: str,
        finish_reason: str | None,
        pages: int,
        articles_new: int,
        articles_updated: int,
        articles_unchanged: int,
        errors: int,
        stats: dict[str, Any] | None = None,
        error_message: str | None = None,
    ) -> None:
        """Record how crawl ``run_id`` ended."""
        if status not in RUN_STATUSES:
            raise ValueError(f"unknown run status {status!r}; expected one of {RUN_STATUSES}")
        values = {
            "status": status,
            "finished_at": datetime.now(UTC),
            "finish_reason": clean_optional(finish_reason),
            "pages": pages,
            "articles_new": articles_new,
            "articles_updated": articles_updated,
            "articles_unchanged": articles_unchanged,
            "errors": errors,
            "stats": queries.json_safe(stats) if stats is not None else None,
            "error_message": clean_optional(error_message),
        }
        with self._writer.begin() as conn:
            updated = conn.execute(sa.update(RUNS).where(RUNS.c.id == run_id).values(values))
        if updated.rowcount != 1:
            raise KeyError(f"no crawl run with id {run_id}")

    def interrupt_run(self, run_id: int, message: str) -> bool:
        """Mark one run still "running" as "interrupted", keeping its counts and stats.

        Returns False when the run had ended meanwhile (its own record then stands).
        """
        with self._writer.begin() as conn:
            updated = conn.execute(
                sa.update(RUNS)
                .where(RUNS.c.id == run_id, RUNS.c.status == "running")
                .values(
                    status="interrupted",
                    finished_at=datetime.now(UTC),
                    finish_reason="interrupted",
                    error_message=clean_optional(message),
                )
            )
        return updated.rowcount == 1

    def mark_interrupted_runs(
        self, *, source: str | None = None, keep_live: bool = False
    ) -> list[int]:
        """Mark runs still "running" as "interrupted" (after a crash); return their ids.

        With ``keep_live``, runs whose process is still alive on this host, and runs
        started on other hosts, are left alone.
        """
        with self._writer.begin() as conn:
            query = sa.select(RUNS.c.id, RUNS.c.hostname, RUNS.c.pid).where(
                RUNS.c.status == "running"
            )
            if source is not None:
                query = query.where(RUNS.c.source == source)
            rows = conn.execute(query.order_by(RUNS.c.id)).all()
            if keep_live:
                host = socket.gethostname()
                rows = [r for r in rows if r.hostname == host and not _pid_alive(r.pid)]
            ids = [int(r.id) for r in rows]
            if ids:
                conn.execute(
                    sa.update(RUNS)
                    .where(RUNS.c.id.in_(ids), RUNS.c.status == "running")
                    .values(
                        status="interrupted",
                        finished_at=datetime.now(UTC),
                        finish_reason="interrupted",
                        error_message="the crawl stopped without recording its end",
                    )
                )
        if ids:
            logger.warning("Marked %d crawl run(s) as interrupted: %s", len(ids), ids)
        return ids

    def get_run(self, run_id: int) -> CrawlRunRecord | None:
        with self.engine.connect() as conn:
            return queries.get_run(conn, run_id)

    def list_runs(self, source: str | None = None, limit: int = 50) -> list[CrawlRunRecord]:
        """Crawl runs, newest first."""
        with self.engine.connect() as conn:
            return queries.list_runs(conn, source=source, limit=limit)

    # -- queries --------------------------------------------------------------------------

    def query_articles(
        self,
        text: str | None = None,
        *,
        source: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        lang: str | None = None,
        limit: int | None = 20,
        offset: int = 0,
    ) -> list[StoredArticle]:
        """Articles matching every given filter, newest first (``limit=None``: all)."""
        with self.engine.connect() as conn:
            return queries.query_articles(
                conn,
                text=text,
                source=source,
                since=since,
                until=until,
                lang=lang,
                limit=limit,
                offset=offset,
            )

    def search(
        self,
        text: str | None = None,
        *,
        sort: Sort = "relevance",
        dedupe: bool = False,
        limit: int | None = 20,
        offset: int = 0,
        **filters: Any,
    ) -> list[SearchHit]:
        """Ranked full-text search: one page of hits with highlighted snippets.

        ``text`` uses web-search syntax (words, "a phrase", OR, -exclude) and raises
        ``QuerySyntaxError`` when it cannot be understood; ``filters`` are the fields of
        ``ArticleFilter`` (source, lang, since, until, author, tag). Without text, or
        with ``sort="newest"``, hits come newest first.
        """
        plan = self._plan(text, sort=sort, dedupe=dedupe, filters=filters)
        with self.engine.connect() as conn:
            return searching.search(conn, plan, limit=limit, offset=offset)

    def iter_hits(
        self,
        text: str | None = None,
        *,
        sort: Sort = "relevance",
        dedupe: bool = False,
        **filters: Any,
    ) -> Iterator[SearchHit]:
        """Every hit of a search, in order, streamed in constant memory (no snippets)."""
        plan = self._plan(text, sort=sort, dedupe=dedupe, filters=filters)
        with self.engine.connect() as conn:
            yield from searching.iter_hits(conn, plan)

    def iter_rows(
        self,
        text: str | None = None,
        *,
        sort: Sort = "relevance",
        dedupe: bool = False,
        html: bool = False,
        **filters: Any,
    ) -> Iterator[dict[str, Any]]:
        """Every hit as a JSON-ready mapping (the export path), streamed in constant memory;
        the ``html`` column only when asked."""
        plan = self._plan(text, sort=sort, dedupe=dedupe, filters=filters)
        with self.engine.connect() as conn:
            yield from searching.iter_rows(conn, plan, html=html)

    def iter_json_lines(
        self,
        text: str | None = None,
        *,
        sort: Sort = "relevance",
        dedupe: bool = False,
        html: bool = False,
        **filters: Any,
    ) -> Iterator[str]:
        """``iter_rows``'s mappings as JSON text, one line each (newline included): the
        JSON lines export. PostgreSQL builds them itself (see ``storage.search_json``)."""
        plan = self._plan(text, sort=sort, dedupe=dedupe, filters=filters)
        with self.engine.connect() as conn:
            yield from search_json.iter_json_lines(conn, plan, html=html)

    def articles(
        self,
        query: str | None = None,
        *,
        sort: Sort = "relevance",
        dedupe: bool = False,
        **filters: Any,
    ) -> Iterator[StoredArticle]:
        """Every matching article as a StoredArticle, streamed.

        >>> for article in db.articles(query="open source", lang="id", since=week_ago):
        ...     print(article.title)
        """
        for hit in self.iter_hits(query, sort=sort, dedupe=dedupe, **filters):
            yield hit.article

    def to_dataframe(
        self, query: str | None = None, *, sort: Sort = "relevance", **filters: Any
    ) -> Any:
        """A pandas DataFrame of the matching articles (needs pandas installed)."""
        from storage.export import to_dataframe

        return to_dataframe(self.iter_hits(query, sort=sort, **filters))

    @staticmethod
    def _plan(text: str | None, *, sort: Sort, dedupe: bool, filters: dict[str, Any]) -> Plan:
        if sort not in SORTS:
            raise ValueError(f"unknown sort {sort!r}; expected one of {SORTS}")
        query = parse_query(text) if text and text.strip() else None
        return Plan(query=query, filters=ArticleFilter(**filters), sort=sort, dedupe=dedupe)

    def stats(self, *, since: datetime | None = None) -> Stats:
        """Articles per source, language and day; last good crawl and failures per source."""
        with self.engine.connect() as conn:
            return collect_stats(conn, since=since)

    def get_article(self, id_or_url: str | int) -> StoredArticle | None:
        """By id, by URL, or by any URL that canonicalizes to a stored one."""
        with self.engine.connect() as conn:
            return queries.get_article(conn, id_or_url)

    def count_articles(self, source: str | None = None) -> int:
        with self.engine.connect() as conn:
            return queries.count_articles(conn, source=source)

    def list_revisions(self, article_id: int) -> list[Revision]:
        """Earlier bodies of an article, oldest first."""
        with self.engine.connect() as conn:
            return queries.list_revisions(conn, article_id)

    def get_raw_page(self, article_id: int) -> RawPage | None:
        """The latest raw HTML fetched for an article, decompressed."""
        with self.engine.connect() as conn:
            return queries.get_raw_page(conn, article_id)

    def iter_raw_pages(self, *, source: str | None = None, chunk: int = 200) -> Iterator[RawPage]:
        """Every stored raw page (for re-extraction without re-crawling), in article order.

        Read in chunks, each in its own short read, so memory stays flat and writers are
        never held up.
        """
        after = 0
        while True:
            with self.engine.connect() as conn:
                pages = queries.raw_pages_after(conn, after, source=source, limit=chunk)
            yield from pages
            if len(pages) < chunk:
                return
            after = pages[-1].article_id


def _pid_alive(pid: int | None) -> bool:
    if pid is None:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # exists, owned by someone else
    return True
