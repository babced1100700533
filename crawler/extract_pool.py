"""Fetch stage -> pipeline: extraction in worker processes once a crawl is big enough to pay.

`ExtractPipeline` (crawler/pipelines.py) hands pages to an `ExtractionPool` once a crawl
has fetched or scheduled more than `WARTA_EXTRACT_POOL_AFTER` article pages (the workers
then start while the pages download): while workers parse and clean pages,
the reactor keeps downloading and the store pipeline keeps writing, so a backfill uses
every core, and the usual scheduled crawl of a feed never starts a worker. Scrapy's
scraper slot limit (`SCRAPER_SLOT_MAX_ACTIVE_SIZE`) bounds how many pages wait for a
worker, so memory stays flat. A worker that dies is not fatal: the pool falls back to
in-process extraction for the rest of the crawl.

Workers (crawler/extract_worker.py) are plain processes on a Unix socket that the
reactor reads and writes like any connection: no threads in the crawl's process (a
`ProcessPoolExecutor`'s feeder threads took the GIL from the reactor and let the worker
run dry), and a few pages are queued at each worker (`WINDOW`), which so never waits for
the next; the rest wait as they are, not as copies in socket buffers, and go to whichever
worker answers first.
While the workers start (imports, language models: a second or two), pages are still
extracted in process if this process has extracted pages already (a crawl that grew past
`WARTA_EXTRACT_POOL_AFTER` pages); workers started for a backfill before the first page
(or with `WARTA_EXTRACT_POOL_AFTER` = 0) are waited for: loading the extractor here as
well cost the crawl's process more CPU than the wait saved (2,000-page mirror crawl).

The body's MinHash signature (for story clusters, storage/clusters.py) is computed
where the page is extracted, in a worker or in process alike, and a worker also
compresses the raw page as storage keeps it, so the reactor's process does neither.
"""

from __future__ import annotations

import contextlib
import logging
import os
import pickle
import socket
import subprocess
import sys
from collections import deque
from typing import TYPE_CHECKING, Any

from crawler import extract_worker as wire
from crawler.items import FetchedPage
from pipeline.extract import extract
from pipeline.similarity import Signature, signature
from pipeline.types import Article

if TYPE_CHECKING:  # workers import no Scrapy or Twisted (~30 MB RSS)
    from scrapy.settings import BaseSettings
    from twisted.internet.defer import Deferred
    from twisted.internet.protocol import Factory, Protocol
    from twisted.python.failure import Failure

logger = logging.getLogger(__name__)

# Pages sent to one worker and not answered yet (about 4 ms of work each).
WINDOW = 8
# Send buffer of each end of a worker's socket (the kernel caps it at net.core.wmem_max):
# a whole window of ~85 KB pages waits in the kernel, not in Twisted's buffer, so a
# worker never waits for the reactor to write its next page, nor to read its answers.
SOCKET_BUFFER = 1 << 20


class ExtractorCrashed(Exception):
    """An unexpected exception inside a worker; ``args[1]`` is the worker's traceback."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else "extractor crashed"


# An extracted article and the MinHash signature of its text.
Signed = tuple[Article, Signature]


def extract_page(item: FetchedPage) -> Signed:
    """`pipeline.extract` on one fetched page, as the crawler calls it, and its signature."""
    article = extract(
        item.body,
        item.url,
        fetched_at=item.fetched_at,
        language_hint=item.language_hint or item.hints.language,
        remove_selectors=item.remove_selectors,
        content_type=item.content_type,
    )
    return article, signature(article.text)


class WorkerDied(Exception):
    """The worker a page was sent to ended before answering."""


# What a page becomes: its article, the signature of its text and, from a worker, the
# raw page compressed as storage keeps it (None: storage compresses it).
Extracted = tuple[Article, Signature, bytes | None]


def default_workers() -> int:
    """Two, or one on a single core. The crawl's own process (Scrapy, the database
    writes) spends about as much CPU on a page as a worker, so two workers keep it busy;
    on two cores the second takes the time the crawl's process leaves idle (2,000-page
    mirror crawl, benchmarks/crawl.py: 13.5-16.7 s with one worker, 10.6-15.5 s with two).
    """
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, 2))


class _Worker:
    """One worker process and the pages sent to it, answered in any order."""

    def __init__(self, pool: ExtractionPool, process: subprocess.Popen[bytes] | None) -> None:
        self.pool = pool
        self.process = process  # the first worker's; the others are its forks
        self.transport: Any = None  # the socket's Twisted connection (twisted.internet.unix)
        self.pending: dict[int, Deferred[Extracted]] = {}
        self.ready = False
        self.alive = True

    def send(self, task_id: int, task: tuple[Any, ...], deferred: Deferred[Extracted]) -> None:
        assert self.transport is not None
        self.pending[task_id] = deferred
        self.transport.write(wire.frame((task_id, *task)))

    def received(self, message: tuple[Any, ...]) -> None:
        task_id, status, payload = message
        if task_id == wire.READY:
            self.ready = True
            self.pool.dispatch()
            return
        deferred = self.pending.pop(task_id)
        self.pool.dispatch()  # the next page goes out before this one is stored
        if status == wire.OK:
            deferred.callback(payload)
        elif status == wire.FAILED:
            deferred.errback(payload)
        else:
            deferred.errback(ExtractorCrashed(*payload))

    def lost(self) -> None:
        self.alive = False
        pending, self.pending = self.pending, {}
        for deferred in pending.values():
            deferred.errback(WorkerDied())
        self.pool.worker_lost()

    def end_input(self) -> None:
        """No more pages: the worker exits once it has read what was sent."""
        transport, self.transport = self.transport, None
        sock = getattr(transport, "socket", None)  # gone once the connection is lost
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_WR)
            transport.loseConnection()

    def wait(self, timeout: float) -> None:
        """Wait for the first worker's process (it reaps its forks); kill it if it hangs."""
        if self.process is None:
            return
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def _factory(worker: _Worker) -> Factory:
    from twisted.internet.protocol import Factory

    class WorkerFactory(Factory):
        def buildProtocol(self, addr: Any) -> Protocol:
            return _protocol(worker)

    return WorkerFactory()


def _protocol(worker: _Worker) -> Protocol:
    from twisted.internet.protocol import Protocol

    class WorkerConnection(Protocol):
        """Frames from the worker's socket (see crawler/extract_worker.py)."""

        def __init__(self) -> None:
            self.buffer = bytearray()

        def dataReceived(self, data: bytes) -> None:
            buffer = self.buffer
            buffer += data
            while len(buffer) >= wire.HEADER:
                end = wire.HEADER + int.from_bytes(buffer[: wire.HEADER], "big")
                if len(buffer) < end:
                    return
                message = pickle.loads(bytes(buffer[wire.HEADER : end]))
                del buffer[:end]
                worker.received(message)

        def connectionLost(self, reason: Failure | None = None) -> None:
            worker.lost()

    return WorkerConnection()


class ExtractionPool:
    """Worker processes for `pipeline.extract`, started lazily after ``after`` pages."""

    def __init__(self, workers: int, after: int) -> None:
        self.workers = workers
        self.after = after
        self.seen = 0
        self.started: list[_Worker] = []
        self.broken = False
        # Started for a backfill before this process extracted a page: pages wait for
        # the workers rather than load the extractor here too.
        self.foreseen = False
        self.next_id = 0
        self.waiting: deque[tuple[int, tuple[Any, ...], Deferred[Extracted]]] = deque()

    @classmethod
    def from_settings(cls, settings: BaseSettings) -> ExtractionPool | None:
        """None when switched off (``WARTA_EXTRACT_WORKERS = -1``)."""
        workers = settings.getint("WARTA_EXTRACT_WORKERS", 0)
        if workers < 0:
            return None
        return cls(workers or default_workers(), settings.getint("WARTA_EXTRACT_POOL_AFTER", 100))

    def take(self) -> bool:
        """Count one page; True when it should go to a worker (started here, when due)."""
        self.seen += 1
        if self.broken:
            return False
        if not self.started:
            if self.seen <= self.after:
                return False
            self.start()
        return self.after == 0 or self.foreseen or any(w.ready for w in self.started if w.alive)

    def foresee(self, scheduled: int) -> None:
        """``scheduled`` article pages are on their way: start the workers now when that
        is more than ``after`` (a sitemap of a backfill), so they are warm when the pages
        come."""
        if scheduled > self.after and not self.started and not self.broken:
            self.foreseen = self.seen == 0
            self.start()

    async def extract(self, item: FetchedPage) -> Extracted:
        """Extract and sign ``item`` in a worker; raises what `pipeline.extract` raises
        (`ExtractorCrashed` for an unexpected error)."""
        from scrapy.utils.defer import maybe_deferred_to_future
        from twisted.internet.defer import Deferred

        if self.broken or not any(w.alive for w in self.started):
            return (*extract_page(item), None)
        self.next_id += 1
        task = (
            item.body,
            item.url,
            item.fetched_at,
            item.language_hint or item.hints.language,
            tuple(item.remove_selectors),
            item.content_type,
        )
        deferred: Deferred[Extracted] = Deferred()
        self.waiting.append((self.next_id, task, deferred))
        self.dispatch()
        try:
            return await maybe_deferred_to_future(deferred)
        except ExtractorCrashed as exc:
            logger.error("Extractor bug on %s, in a worker:\n%s", item.url, exc.args[-1])
            raise
        except WorkerDied:
            if not self.broken:
                logger.warning("An extraction worker died; extracting in process from now on")
            self.broken = True
            return (*extract_page(item), None)

    def dispatch(self) -> None:
        """Send waiting pages to workers with room (ready ones first): each worker has at
        most WINDOW pages sent, so it never waits for the next while the others wait here,
        as FetchedPages, not as copies in a socket buffer."""
        while self.waiting:
            open_ = [w for w in self.started if w.alive and len(w.pending) < WINDOW]
            if not open_:
                return
            worker = min(open_, key=lambda w: (not w.ready, len(w.pending)))
            worker.send(*self.waiting.popleft())

    def worker_lost(self) -> None:
        """A worker ended: pages not yet sent are extracted in process (as are its own)."""
        waiting, self.waiting = self.waiting, deque()
        for _, _, deferred in waiting:
            deferred.errback(WorkerDied())

    def start(self) -> None:
        from twisted.internet import reactor

        # A fresh interpreter (no fork of this process: the reactor's state and open
        # database connections stay here), with this process's import path; it forks the
        # further workers itself once the extractor is loaded.
        code = (
            f"import sys; sys.path[:] = {sys.path!r}; "
            "from crawler.extract_worker import main; main([int(a) for a in sys.argv[1:]])"
        )
        pairs = [socket.socketpair() for _ in range(self.workers)]
        for pair in pairs:
            for end in pair:  # a window of pages, and of answers, in the kernel's buffer
                end.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, SOCKET_BUFFER)
        try:
            theirs = [b.fileno() for _, b in pairs]
            process = subprocess.Popen(
                [sys.executable, "-c", code, *map(str, theirs)],
                stdin=subprocess.DEVNULL,
                pass_fds=theirs,
            )
            for n, (ours, _) in enumerate(pairs):
                worker = _Worker(self, process if n == 0 else None)
                worker.transport = reactor.adoptStreamConnection(
                    ours.fileno(), socket.AF_UNIX, _factory(worker)
                )
                self.started.append(worker)
        finally:
            for ours, their in pairs:
                ours.close()
                their.close()
        logger.info("Extracting in %d worker processes from now on", self.workers)

    def shutdown(self, timeout: float = 30.0) -> None:
        workers, self.started = self.started, []
        for worker in workers:  # every input ended first: the first worker waits for its forks
            worker.end_input()
        for worker in workers:
            worker.wait(timeout)
