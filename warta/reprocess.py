"""Application shell (re-processing): re-extract stored raw pages and write the results back.

After an extractor upgrade, every stored article can be rebuilt from the raw HTML kept in
``raw_pages`` without touching the network. Pages are streamed from the database in
chunks, extracted (in worker processes when more than one core is asked for) and written
back with ``Database.store_batch``: a body the new extractor reads differently becomes
"updated" (version + 1, the previous revision kept), the same body stays "unchanged".
A page the extractor now rejects is counted and reported; its stored article is left as
it was, never deleted.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from itertools import islice

from pipeline.extract import extract
from pipeline.types import Article, ExtractionError
from storage.database import Database
from storage.freshness import stored_hashes
from storage.records import PageRecord, RawPage

logger = logging.getLogger(__name__)

MAX_ERROR_SAMPLES = 5


@dataclass(frozen=True, slots=True)
class SourceHints:
    """What the sources file says about a source's pages (the crawler passes the same)."""

    language: str | None = None
    remove_selectors: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Task:
    """One raw page to extract: plain values only, so it pickles cheaply to a worker."""

    url: str
    html: bytes
    fetched_at: datetime
    language: str | None
    remove_selectors: tuple[str, ...]


# A worker returns, per task, the article or the reason it could not be extracted.
Extracted = Article | str


@dataclass(slots=True)
class ReprocessReport:
    """What a re-processing run did."""

    pages: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: int = 0  # rows the database refused
    errors: int = 0  # pages the extractor rejected (their stored article is kept)
    seconds: float = 0.0
    error_samples: list[str] = field(default_factory=list)

    @property
    def pages_per_second(self) -> float:
        return self.pages / self.seconds if self.seconds > 0 else 0.0

    def to_dict(self) -> dict[str, object]:
        return {
            "pages": self.pages,
            "new": self.new,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "failed": self.failed,
            "errors": self.errors,
            "seconds": round(self.seconds, 3),
            "pages_per_second": round(self.pages_per_second, 1),
            "error_samples": list(self.error_samples),
        }

    def add_sample(self, message: str) -> None:
        if len(self.error_samples) < MAX_ERROR_SAMPLES:
            self.error_samples.append(message)


def default_workers() -> int:
    """The cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def extract_chunk(tasks: Sequence[Task]) -> list[Extracted]:
    """Extract every task; an error becomes its message (runs in a worker process)."""
    out: list[Extracted] = []
    for task in tasks:
        try:
            out.append(
                extract(
                    task.html,
                    task.url,
                    fetched_at=task.fetched_at,
                    language_hint=task.language,
                    remove_selectors=task.remove_selectors,
                )
            )
        except ExtractionError as exc:
            out.append(f"extraction failed for {task.url}: {exc}")
        except Exception as exc:  # an extractor bug must not stop the whole run
            logger.exception("Extractor bug on %s", task.url)
            out.append(f"extractor crashed for {task.url}: {type(exc).__name__}: {exc}")
    return out


def reprocess(
    db: Database,
    *,
    hints: Mapping[str, SourceHints] | None = None,
    source: str | None = None,
    since: datetime | None = None,
    batch: int = 200,
    workers: int = 1,
    on_batch: Callable[[ReprocessReport], None] | None = None,
) -> ReprocessReport:
    """Re-extract the stored raw pages (of ``source``, fetched at or after ``since``).

    Memory stays flat: at most ``workers + 1`` batches are in flight. ``on_batch`` is
    called with the running report after each batch is written.
    """
    if batch < 1:
        raise ValueError("batch must be at least 1")
    report = ReprocessReport()
    started = time.perf_counter()
    pages = _selected(db.iter_raw_pages(source=source, chunk=batch), since)
    chunks = _chunks(pages, batch)
    hints = hints or {}
    if workers <= 1:
        for chunk in chunks:
            _store(db, chunk, extract_chunk(_tasks(chunk, hints)), report)
            _progress(report, started, on_batch)
    else:
        # spawn: the parent holds database connections and threads that must not be forked.
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            for chunk, extracted in _in_flight(pool, chunks, hints, depth=workers + 1):
                _store(db, chunk, extracted, report)
                _progress(report, started, on_batch)
    report.seconds = time.perf_counter() - started
    return report


def _progress(
    report: ReprocessReport, started: float, on_batch: Callable[[ReprocessReport], None] | None
) -> None:
    report.seconds = time.perf_counter() - started
    if on_batch is not None:
        on_batch(report)


def _selected(pages: Iterable[RawPage], since: datetime | None) -> Iterator[RawPage]:
    for page in pages:
        if since is None or page.fetched_at >= since:
            yield page


def _chunks(pages: Iterator[RawPage], size: int) -> Iterator[list[RawPage]]:
    while chunk := list(islice(pages, size)):
        yield chunk


def _tasks(chunk: Sequence[RawPage], hints: Mapping[str, SourceHints]) -> list[Task]:
    tasks = []
    for page in chunk:
        hint = hints.get(page.source) or SourceHints()
        tasks.append(
            Task(page.url, page.html, page.fetched_at, hint.language, hint.remove_selectors)
        )
    return tasks


def _in_flight(
    pool: Executor,
    chunks: Iterator[list[RawPage]],
    hints: Mapping[str, SourceHints],
    *,
    depth: int,
) -> Iterator[tuple[list[RawPage], list[Extracted]]]:
    """Results in input order, with at most ``depth`` chunks submitted and not yet consumed."""
    pending: deque[tuple[list[RawPage], Future[list[Extracted]]]] = deque()
    for chunk in chunks:
        pending.append((chunk, pool.submit(extract_chunk, _tasks(chunk, hints))))
        if len(pending) >= depth:
            done, future = pending.popleft()
            yield done, future.result()
    while pending:
        done, future = pending.popleft()
        yield done, future.result()


def _store(
    db: Database, chunk: Sequence[RawPage], extracted: Sequence[Extracted], report: ReprocessReport
) -> None:
    records: list[PageRecord] = []
    for page, result in zip(chunk, extracted, strict=True):
        report.pages += 1
        if isinstance(result, str):
            report.errors += 1
            report.add_sample(result)
            logger.warning("%s", result)
            continue
        records.append(PageRecord(result, page.source, page.html, page.fetched_at, page.status))
    # The same body as stored is "unchanged" without a write: store_batch would only
    # rewrite the same raw page and the same fetch time.
    with db.engine.connect() as conn:
        hashes = stored_hashes(conn, [r.article.canonical_url for r in records])
    same = [r for r in records if hashes.get(r.article.canonical_url) == r.article.content_hash]
    report.unchanged += len(same)
    records = [r for r in records if hashes.get(r.article.canonical_url) != r.article.content_hash]
    stored = db.store_batch(records)
    report.new += stored.count("new")
    report.updated += stored.count("updated")
    report.unchanged += stored.count("unchanged")
    report.failed += stored.count("failed")
    for url, message in stored.errors:
        report.add_sample(f"store failed for {url}: {message}")
