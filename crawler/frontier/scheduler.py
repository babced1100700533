"""Fetch stage: the shared frontier's Scrapy components on scrapy-redis (see crawler.frontier)."""

from __future__ import annotations

import asyncio
import logging
import os
import re
import secrets
import socket
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

from redis.exceptions import RedisError
from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider
from scrapy.utils.asyncio import create_looping_call
from scrapy_redis import connection, defaults
from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.queue import PriorityQueue
from scrapy_redis.scheduler import Scheduler

from crawler import stats as st
from crawler.frontier import POLL_SECONDS, redis_url, scripts, setting

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Frontier:
    """One run of one crawl (spider + sources) in Redis, as seen by one worker.

    `{prefix}:{spider}:{sources}:run` holds the current run id; the run's own keys are
    `{prefix}:{spider}:{sources}:{run}:` + requests, fingerprints, workers (worker id ->
    last heartbeat, Redis clock), seeder, seeded and inflight:{worker id}.
    """

    server: Any  # redis.Redis
    crawl_key: str
    run_id: str
    worker_id: str
    created: bool

    @classmethod
    def join(cls, server: Any, crawl_key: str, worker_id: str, ttl: float) -> Frontier:
        """Join the crawl's current run, or start one (atomic: exactly one worker creates it)."""
        new_id = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime()) + "-" + secrets.token_hex(3)
        keys = [f"{crawl_key}:run"]
        run_id, created = _run(
            server, scripts.JOIN, keys, [new_id, worker_id, int(ttl), crawl_key + ":"]
        )
        return cls(server, crawl_key, _text(run_id), worker_id, created=bool(created))

    def key(self, name: str) -> str:
        return f"{self.crawl_key}:{self.run_id}:{name}"

    @property
    def inflight(self) -> str:
        return self.key("inflight:") + self.worker_id

    def run_keys(self) -> list[str]:
        """The pointer, then the run's keys, in the order the scripts expect."""
        names = ("requests", "workers", "seeded", "fingerprints", "seeder")
        return [f"{self.crawl_key}:run", *(self.key(n) for n in names)]

    def heartbeat(self, ttl: float) -> bool:
        """Say this worker is alive, keep the run's keys; False once the run is over."""
        pointer, requests, workers, *others = self.run_keys()
        keys = [pointer, workers, requests, *others, self.inflight]
        return bool(
            _run(self.server, scripts.HEARTBEAT, keys, [self.run_id, self.worker_id, int(ttl)])
        )

    def recover(self, lease: float) -> int:
        """Requeue what dead workers had taken; returns how many requests."""
        keys = [self.key("workers"), self.key("requests")]
        return int(_run(self.server, scripts.RECOVER, keys, [lease, self.key("inflight:")]))

    def quiet(self, end: bool = False) -> int:
        """1 when nothing is left to do (with end=True: and the run's keys are deleted),
        0 when work is queued or in flight, -1 when the run is already over."""
        args = [self.run_id, "1" if end else "0", self.key("inflight:")]
        return int(_run(self.server, scripts.QUIET, self.run_keys(), args))

    def seed_role(self) -> str:
        """'seed' (this worker seeds), 'wait' (a live worker is seeding) or 'done'."""
        keys = [self.key("seeded"), self.key("seeder"), self.key("workers"), self.run_keys()[0]]
        args = [self.worker_id, self.run_id]
        return _text(_run(self.server, scripts.SEED_ROLE, keys, args))

    def mark_seeded(self, ttl: float) -> None:
        self.server.set(self.key("seeded"), self.worker_id, ex=int(ttl) if ttl > 0 else None)

    def leave(self) -> None:
        self.server.hdel(self.key("workers"), self.worker_id)


class AckedQueue(PriorityQueue):
    """scrapy-redis's priority queue; a pop leaves a copy in the worker's in-flight set."""

    def take(self, inflight: str) -> tuple[Request, bytes] | None:
        data = _run(self.server, scripts.TAKE, [self.key, inflight], [])
        return None if data is None else (self._decode_request(data), data)

    def ack(self, inflight: str, members: list[bytes]) -> None:
        if members:
            self.server.zrem(inflight, *members)

    def give_back(self, inflight: str, taken: dict[Request, bytes]) -> None:
        with self.server.pipeline() as pipe:  # MULTI: both or neither
            for request, data in taken.items():
                pipe.zadd(self.key, {data: -request.priority})  # PriorityQueue's score
            pipe.zrem(inflight, *taken.values())
            pipe.execute()


class FrontierDupeFilter(RFPDupeFilter):
    """scrapy-redis's duplicate filter on warta's fingerprints, which expire after a TTL.

    The fingerprint is the crawl's REQUEST_FINGERPRINTER_CLASS (canonical URL), so all
    workers and a single-machine crawl agree on what a duplicate is.
    """

    def __init__(self, server: Any, key: str, crawler: Crawler, ttl: float) -> None:
        super().__init__(server, key, debug=crawler.settings.getbool("DUPEFILTER_DEBUG"))
        self.fingerprinter = crawler.request_fingerprinter
        self.ttl = int(ttl)

    def request_fingerprint(self, request: Request) -> str:
        return self.fingerprinter.fingerprint(request).hex()

    def request_seen(self, request: Request) -> bool:
        fp = self.request_fingerprint(request)
        return bool(_run(self.server, scripts.SEEN, [self.key], [fp, self.ttl]))


class FrontierScheduler(Scheduler):
    """scrapy-redis's scheduler on one run's keys, with acknowledged pops and a shared end."""

    def __init__(self, server: Any, crawler: Crawler) -> None:
        super().__init__(server, persist=True, queue_cls=f"{__name__}.AckedQueue")
        self.crawler = crawler
        self.stats = crawler.stats
        settings = crawler.settings
        self.prefix = _SAFE.sub("_", str(setting(settings, "WARTA_REDIS_PREFIX")))
        self.idle_seconds = float(setting(settings, "WARTA_FRONTIER_IDLE_SECONDS"))
        self.lease = float(setting(settings, "WARTA_FRONTIER_LEASE_SECONDS"))
        self.beat = float(setting(settings, "WARTA_FRONTIER_HEARTBEAT_SECONDS"))
        self.ttl = float(setting(settings, "WARTA_FRONTIER_FINGERPRINT_TTL"))
        self.worker_id = f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(2)}"
        self.frontier: Frontier | None = None
        self.taken: dict[Request, bytes] = {}  # popped here, not handled yet
        self.quiet_since: float | None = None
        self.run_over = False
        self.requeued = 0
        self.ticker = create_looping_call(self.tick)
        crawler.signals.connect(self.on_idle, signal=signals.spider_idle)
        crawler.signals.connect(self.on_opened, signal=signals.spider_opened)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> FrontierScheduler:
        # Not through scrapy-redis's REDIS_URL setting: Scrapy logs overridden settings, and
        # the URL may carry a password.
        params = {**defaults.REDIS_PARAMS, **crawler.settings.getdict("REDIS_PARAMS")}
        server = connection.get_redis(url=redis_url(crawler.settings), **params)
        server.ping()  # fail now, not at the first request
        return cls(server, crawler)

    def open(self, spider: Spider) -> None:
        if not isinstance(_engine_requests(self.crawler), set):
            raise RuntimeError("this Scrapy has no engine slot in-progress set: acks impossible")
        crawl = ",".join(sorted(getattr(spider, "source_names", None) or ["all"]))
        crawl_key = f"{self.prefix}:{spider.name}:{_SAFE.sub('_', crawl)}"
        self.frontier = frontier = Frontier.join(self.server, crawl_key, self.worker_id, self.ttl)
        frontier.heartbeat(self.ttl)
        self.queue_key = frontier.key("requests")
        self.df = FrontierDupeFilter(
            self.server, frontier.key("fingerprints"), self.crawler, self.ttl
        )
        super().open(spider)
        logger.info(
            "Frontier: %s run %s as worker %s (%d requests queued)",
            "started" if frontier.created else "joined",
            frontier.run_id,
            self.worker_id,
            len(self.queue),
        )
        self.ticker.start(self.beat, now=False)

    def on_opened(self, spider: Spider) -> None:
        # After stats.open_spider(); the per-source keys land in each crawl-run record.
        assert self.frontier is not None
        self.set_stat("run", self.frontier.run_id)
        self.set_stat("worker", self.worker_id)

    def set_stat(self, key: str, value: Any) -> None:
        """warta/frontier/KEY and, for the crawl-run records, each source's frontier/KEY."""
        self.stats.set_value(f"warta/frontier/{key}", value)
        for source in getattr(self.spider, "source_names", []):
            self.stats.set_value(st.source_key(source, f"frontier/{key}"), value)

    def enqueue_request(self, request: Request) -> bool:
        """scrapy-redis's, without the `spider=` stats argument Scrapy 2.19 deprecates."""
        if not request.dont_filter and self.df.request_seen(request):
            self.df.log(request, self.spider)
            return False
        self.stats.inc_value("scheduler/enqueued/redis")
        self.queue.push(request)
        return True

    def next_request(self) -> Request | None:
        assert self.frontier is not None
        taken = self.queue.take(self.frontier.inflight)
        if taken is None:
            return None
        request, data = taken
        self.taken[request] = data
        self.stats.inc_value("scheduler/dequeued/redis")
        return request

    def close(self, reason: str) -> None:
        """Never flush (other workers go on); give back what was not handled, then leave."""
        if self.ticker.running:
            self.ticker.stop()
        if self.frontier is None:
            return
        self.settle()
        if self.taken:  # not expected: the engine drains its requests before closing
            self.queue.give_back(self.frontier.inflight, self.taken)
        self.frontier.leave()

    # --- acknowledgements, heartbeats and the shared end of the run ----------------------

    def settle(self) -> None:
        """Acknowledge the requests the engine has finished with (links queued, item stored)."""
        assert self.frontier is not None
        busy = _engine_requests(self.crawler) or set()
        done = [r for r in self.taken if r not in busy]
        self.queue.ack(self.frontier.inflight, [self.taken[r] for r in done])
        for request in done:  # only once Redis has them: a failed ack is retried
            del self.taken[request]

    def tick(self) -> None:
        """Every WARTA_FRONTIER_HEARTBEAT_SECONDS: acknowledge, say alive, rescue the dead."""
        assert self.frontier is not None
        try:
            self.settle()
            if not self.frontier.heartbeat(self.ttl):
                self.run_over = True
            moved = self.frontier.recover(self.lease)
        except RedisError as exc:  # Redis away for a moment: try again at the next beat
            logger.warning("Frontier: heartbeat failed: %s", exc)
            return
        if moved:
            logger.warning("Frontier: requeued %d requests of a silent worker", moved)
            self.requeued += moved
            self.set_stat("requeued", self.requeued)
            _wake(self.crawler)

    def quiet(self, end: bool = False) -> int:
        """Frontier.quiet after acknowledging; a Redis error counts as "not quiet"."""
        assert self.frontier is not None
        try:
            self.settle()
            return self.frontier.quiet(end)
        except RedisError as exc:  # cannot tell: never close on it
            logger.warning("Frontier: cannot check the run: %s", exc)
            return 0

    def on_idle(self, spider: Spider) -> None:
        """Keep an idle worker open until the whole run stayed quiet for the idle time."""
        assert self.frontier is not None
        state = -1 if self.run_over else self.quiet()
        if state == -1:
            logger.info("Frontier: run %s is over", self.frontier.run_id)
            return
        now = time.monotonic()
        if state == 0:
            self.quiet_since = None
        elif self.quiet_since is None:
            self.quiet_since = now
        elif now - self.quiet_since >= self.idle_seconds and self.quiet(end=True):
            # 1: this worker ended the run; -1: another one just did.
            logger.info("Frontier: run %s drained", self.frontier.run_id)
            return
        _wake(self.crawler, POLL_SECONDS)
        raise DontCloseSpider


class SeedGateMiddleware:
    """Spider middleware: the spider's start() seeds the run on one worker only.

    Scrapy 2.13+ iterates `start()` (no longer `start_requests()`). The worker that created
    the run iterates it; the others wait (taking requests meanwhile) until the run is
    seeded and never iterate it, unless the seeder dies first: then one of them takes over,
    and the duplicate filter drops the seeds already queued.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SeedGateMiddleware:
        return cls(crawler)

    async def process_start(self, start: AsyncIterator[Any]) -> AsyncIterator[Any]:
        scheduler = self.crawler.engine.scheduler
        if not isinstance(scheduler, FrontierScheduler) or scheduler.frontier is None:
            async for item_or_request in start:
                yield item_or_request
            return
        frontier = scheduler.frontier
        while (role := frontier.seed_role()) == "wait":
            await asyncio.sleep(POLL_SECONDS)
        if role == "done":
            logger.info("Frontier: run %s is seeded; taking requests only", frontier.run_id)
            return
        try:
            async for item_or_request in start:
                yield item_or_request
        except Exception:
            frontier.mark_seeded(scheduler.ttl)  # what start() gave is all there will be
            raise
        frontier.mark_seeded(scheduler.ttl)
        self.crawler.stats.set_value("warta/frontier/seeded", True)
        logger.info("Frontier: seeded run %s", frontier.run_id)


# Source names are slugs; anything else would clash with scrapy-redis's "%" key templates.
_SAFE = re.compile(r"[^A-Za-z0-9._,:-]")


def _run(server: Any, script: str, keys: list[str], args: list[Any]) -> Any:
    """Run a Lua script (EVALSHA, loaded on first use): one atomic step on the server."""
    return server.register_script(script)(keys=keys, args=args)


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


def _engine_requests(crawler: Crawler) -> set[Request] | None:
    """Requests the engine is downloading or whose output it is still handling.

    Scrapy has no signal for "request fully handled" (items through the pipelines, new
    requests scheduled); the engine slot's in-progress set is exactly that (Scrapy 2.19).
    """
    slot = getattr(crawler.engine, "_slot", None)
    return getattr(slot, "inprogress", None)


def _wake(crawler: Crawler, delay: float = 0) -> None:
    """Ask the engine to look at the scheduler again (else it does every 5 s by itself)."""
    slot = getattr(crawler.engine, "_slot", None)
    if slot is not None:
        slot.nextcall.schedule(delay)
