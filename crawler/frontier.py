"""Fetch stage: one crawl run shared by many workers through a frontier in Redis.

With `WARTA_REDIS_URL` set, `scrapy crawl news -a source=NAME` becomes a worker of a shared
crawl: scrapy-redis's scheduler and duplicate filter (pinned, 0.9.1) keep one request queue
and one set of fingerprints in Redis for every worker. Without the setting, nothing changes.
`FrontierAddon` (in ADDONS) switches it on; the five adaptations scrapy-redis needs on
Scrapy 2.19 live here and are explained in docs/frontier.md:

1. seeds come from the spider's `start()`; only a worker that creates (or finds unseeded)
   the run lets them through (`SeedGateMiddleware`);
2. a worker closes only after the queue stayed empty, with nothing in flight on any worker,
   for WARTA_FRONTIER_IDLE_SECONDS (`FrontierScheduler.on_idle`);
3. the queue is never flushed on close (scrapy-redis's SCHEDULER_PERSIST, forced);
4. each run has its own keys: the first worker creates the run id under a per-crawl key
   with SET NX, the worker that sees the run drained deletes it (`Frontier`);
5. a pop moves the request to the worker's in-flight set in one Lua call; it leaves only
   once handled (its links queued, its article stored); a worker whose heartbeat is older
   than WARTA_FRONTIER_LEASE_SECONDS has its in-flight requests put back in the queue.
"""

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
from scrapy.settings import BaseSettings
from scrapy.utils.asyncio import create_looping_call
from scrapy_redis import connection
from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.queue import PriorityQueue
from scrapy_redis.scheduler import Scheduler

from crawler import stats as st

logger = logging.getLogger(__name__)

REDIS_URL_SETTING = "WARTA_REDIS_URL"
# Setting -> default; each is read from the Scrapy setting, else the environment.
DEFAULTS: dict[str, float | str] = {
    "WARTA_REDIS_PREFIX": "warta",
    # A worker stops when the queue stayed empty, with nothing in flight anywhere, this long.
    "WARTA_FRONTIER_IDLE_SECONDS": 30.0,
    # A worker silent for this long is dead: its in-flight requests go back to the queue.
    "WARTA_FRONTIER_LEASE_SECONDS": 60.0,
    "WARTA_FRONTIER_HEARTBEAT_SECONDS": 2.0,
    # A fingerprint older than this no longer blocks its URL; a run nobody touches for this
    # long is forgotten (every key of the run expires).
    "WARTA_FRONTIER_FINGERPRINT_TTL": 24 * 3600.0,
}
# How often an idle worker looks at the shared queue again.
POLL_SECONDS = 0.5


def redis_url(settings: BaseSettings) -> str | None:
    return settings.get(REDIS_URL_SETTING) or os.environ.get(REDIS_URL_SETTING) or None


def _setting(settings: BaseSettings, name: str) -> Any:
    value = settings.get(name) or os.environ.get(name)
    default = DEFAULTS[name]
    return type(default)(value) if value else default


class FrontierAddon:
    """ADDONS entry: with WARTA_REDIS_URL set, plug in the shared frontier."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> FrontierAddon:
        return cls(crawler)

    def update_settings(self, settings: BaseSettings) -> None:
        url = redis_url(settings)
        if not url:
            return
        if getattr(self.crawler.spider, "url_arg", None):
            logger.info("One page (-a url=): the shared frontier is not used")
            return
        settings.set("REDIS_URL", url, priority="addon")
        settings.set("SCHEDULER", "crawler.frontier.FrontierScheduler", priority="addon")
        settings.set("SCHEDULER_PERSIST", True, priority="addon")  # and close() never flushes
        # A request leaves a worker's in-flight set when it has been handled; with one row per
        # transaction its article is then stored, so a kill -9 cannot lose a buffered page.
        settings.set("WARTA_STORE_BATCH_SIZE", 1, priority="spider")
        settings.set_in_component_priority_dict("SPIDER_MIDDLEWARES", SeedGateMiddleware, 5)


# --- Redis side: keys and atomic steps -----------------------------------------------------

# queue -> this worker's in-flight set, in one step (scrapy-redis pops with no trace).
_TAKE = """
local r = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if #r == 0 then return false end
redis.call('ZREM', KEYS[1], r[1])
redis.call('ZADD', KEYS[2], r[2], r[1])
return r[1]
"""
# Seen unless its fingerprint is older than the TTL (ARGV[2] seconds, 0 = never expires).
_SEEN = """
local now = tonumber(redis.call('TIME')[1])
local seen = redis.call('ZSCORE', KEYS[1], ARGV[1])
local ttl = tonumber(ARGV[2])
if seen and (ttl <= 0 or now - tonumber(seen) < ttl) then return 1 end
redis.call('ZADD', KEYS[1], now, ARGV[1])
return 0
"""
# Join the crawl's run, or create it (pointer, seeder) if there is none; register the worker.
# KEYS: pointer; ARGV: new run id, worker id, ttl (0 = keys never expire), run key prefix.
_JOIN = """
local now = redis.call('TIME')[1]
local run = redis.call('GET', KEYS[1])
local created = 0
if not run then
  run = ARGV[1]
  created = 1
  redis.call('SET', KEYS[1], run)
  redis.call('SET', ARGV[4] .. run .. ':seeder', ARGV[2])
end
redis.call('HSET', ARGV[4] .. run .. ':workers', ARGV[2], now)
if tonumber(ARGV[3]) > 0 then
  for _, name in ipairs({'seeder', 'workers'}) do
    redis.call('EXPIRE', ARGV[4] .. run .. ':' .. name, ARGV[3])
  end
  redis.call('EXPIRE', KEYS[1], ARGV[3])
end
return {run, created}
"""
# Which part this worker plays in seeding: the seeder, 'wait' for a live seeder, or 'done'.
# A seeder that died (dropped from workers by _RECOVER) is replaced by the asking worker.
# KEYS: seeded, seeder, workers; ARGV: worker id.
_SEED_ROLE = """
if redis.call('EXISTS', KEYS[1]) == 1 then return 'done' end
local seeder = redis.call('GET', KEYS[2])
if seeder == ARGV[1] then return 'seed' end
if seeder and redis.call('HEXISTS', KEYS[3], seeder) == 1 then return 'wait' end
redis.call('SET', KEYS[2], ARGV[1], 'KEEPTTL')
return 'seed'
"""
# KEYS: run pointer, workers, then keys whose TTL to refresh. 0 when the run is over.
_HEARTBEAT = """
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[2], ARGV[2], redis.call('TIME')[1])
if tonumber(ARGV[3]) > 0 then
  for i = 1, #KEYS do redis.call('EXPIRE', KEYS[i], ARGV[3]) end
end
return 1
"""
# Put the in-flight requests of every worker silent for more than ARGV[1] s back in the queue.
_RECOVER = """
local now = tonumber(redis.call('TIME')[1])
local moved = 0
local beats = redis.call('HGETALL', KEYS[1])
for i = 1, #beats, 2 do
  if now - tonumber(beats[i + 1]) > tonumber(ARGV[1]) then
    local key = ARGV[2] .. beats[i]
    local taken = redis.call('ZRANGE', key, 0, -1, 'WITHSCORES')
    for j = 1, #taken, 2 do
      redis.call('ZADD', KEYS[2], taken[j + 1], taken[j])
      moved = moved + 1
    end
    redis.call('DEL', key)
    redis.call('HDEL', KEYS[1], beats[i])
  end
end
return moved
"""
# Quiet: seeded, queue empty, no worker holds a request. ARGV[2] = 1 ends the run if quiet.
# KEYS: the run's keys (Frontier.run_keys); ARGV: run id, end?, in-flight key prefix.
_QUIET = """
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return -1 end
if redis.call('EXISTS', KEYS[4]) == 0 or redis.call('ZCARD', KEYS[2]) > 0 then return 0 end
local ids = redis.call('HKEYS', KEYS[3])
for _, id in ipairs(ids) do
  if redis.call('ZCARD', ARGV[3] .. id) > 0 then return 0 end
end
if ARGV[2] == '1' then
  for _, id in ipairs(ids) do redis.call('DEL', ARGV[3] .. id) end
  redis.call('DEL', unpack(KEYS))
end
return 1
"""


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
        run_id, created = _run(server, _JOIN, keys, [new_id, worker_id, int(ttl), crawl_key + ":"])
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
        return bool(_run(self.server, _HEARTBEAT, keys, [self.run_id, self.worker_id, int(ttl)]))

    def recover(self, lease: float) -> int:
        """Requeue what dead workers had taken; returns how many requests."""
        keys = [self.key("workers"), self.key("requests")]
        return int(_run(self.server, _RECOVER, keys, [lease, self.key("inflight:")]))

    def quiet(self, end: bool = False) -> int:
        """1 when nothing is left to do (with end=True: and the run's keys are deleted),
        0 when work is queued or in flight, -1 when the run is already over."""
        args = [self.run_id, "1" if end else "0", self.key("inflight:")]
        return int(_run(self.server, _QUIET, self.run_keys(), args))

    def seed_role(self) -> str:
        """'seed' (this worker seeds), 'wait' (a live worker is seeding) or 'done'."""
        keys = [self.key("seeded"), self.key("seeder"), self.key("workers")]
        return _text(_run(self.server, _SEED_ROLE, keys, [self.worker_id]))

    def mark_seeded(self, ttl: float) -> None:
        self.server.set(self.key("seeded"), self.worker_id, ex=int(ttl) if ttl > 0 else None)

    def leave(self) -> None:
        self.server.hdel(self.key("workers"), self.worker_id)


class AckedQueue(PriorityQueue):
    """scrapy-redis's priority queue; a pop leaves a copy in the worker's in-flight set."""

    def take(self, inflight: str) -> tuple[Request, bytes] | None:
        data = _run(self.server, _TAKE, [self.key, inflight], [])
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
        return bool(_run(self.server, _SEEN, [self.key], [fp, self.ttl]))


class FrontierScheduler(Scheduler):
    """scrapy-redis's scheduler on one run's keys, with acknowledged pops and a shared end."""

    def __init__(self, server: Any, crawler: Crawler) -> None:
        super().__init__(server, persist=True, queue_cls=f"{__name__}.AckedQueue")
        self.crawler = crawler
        self.stats = crawler.stats
        settings = crawler.settings
        self.prefix = _SAFE.sub("_", str(_setting(settings, "WARTA_REDIS_PREFIX")))
        self.idle_seconds = float(_setting(settings, "WARTA_FRONTIER_IDLE_SECONDS"))
        self.lease = float(_setting(settings, "WARTA_FRONTIER_LEASE_SECONDS"))
        self.beat = float(_setting(settings, "WARTA_FRONTIER_HEARTBEAT_SECONDS"))
        self.ttl = float(_setting(settings, "WARTA_FRONTIER_FINGERPRINT_TTL"))
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
        server = connection.from_settings(crawler.settings)
        server.ping()  # fail now, not at the first request
        return cls(server, crawler)

    def open(self, spider: Spider) -> None:
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
        busy = _engine_requests(self.crawler)
        done = [r for r in self.taken if r not in busy]
        self.queue.ack(self.frontier.inflight, [self.taken.pop(r) for r in done])

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

    def on_idle(self, spider: Spider) -> None:
        """Keep an idle worker open until the whole run stayed quiet for the idle time."""
        assert self.frontier is not None
        self.settle()
        state = -1 if self.run_over else self.frontier.quiet()
        if state == -1:
            logger.info("Frontier: run %s is over", self.frontier.run_id)
            return
        now = time.monotonic()
        if state == 0:
            self.quiet_since = None
        elif self.quiet_since is None:
            self.quiet_since = now
        elif now - self.quiet_since >= self.idle_seconds and self.frontier.quiet(end=True):
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


def _engine_requests(crawler: Crawler) -> set[Request]:
    """Requests the engine is downloading or whose output it is still handling.

    Scrapy has no signal for "request fully handled" (items through the pipelines, new
    requests scheduled); the engine slot's in-progress set is exactly that (Scrapy 2.19).
    """
    slot = getattr(crawler.engine, "_slot", None)
    return slot.inprogress if slot is not None else set()


def _wake(crawler: Crawler, delay: float = 0) -> None:
    """Ask the engine to look at the scheduler again (else it does every 5 s by itself)."""
    slot = getattr(crawler.engine, "_slot", None)
    if slot is not None:
        slot.nextcall.schedule(delay)
