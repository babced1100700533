"""Fetch stage: one crawl run shared by many workers through a frontier in Redis.

With `WARTA_REDIS_URL` set, `scrapy crawl news -a source=NAME` becomes a worker of a shared
crawl: scrapy-redis's scheduler and duplicate filter (pinned, 0.9.1) keep one request queue
and one set of fingerprints in Redis for every worker. Without the setting, nothing changes.
`FrontierAddon` (in ADDONS) switches it on. The five adaptations scrapy-redis needs on
Scrapy 2.19 live in crawler/frontier/scheduler.py (Lua steps: scripts.py) and are explained
in docs/frontier.md:

1. seeds come from the spider's `start()`; only the worker that created the run (or one
   that replaces a seeder that died) lets them through (`SeedGateMiddleware`);
2. a worker closes only after the queue stayed empty, with nothing in flight on any worker,
   for WARTA_FRONTIER_IDLE_SECONDS (`FrontierScheduler.on_idle`);
3. the queue is never flushed on close (scrapy-redis's SCHEDULER_PERSIST, forced);
4. each run has its own keys: the first worker creates the run id under a per-crawl key
   in one atomic step, the worker that sees the run drained deletes it (`Frontier`);
5. a pop moves the request to the worker's in-flight set in one Lua call; it leaves only
   once handled (its links queued, its article stored); a worker whose heartbeat is older
   than WARTA_FRONTIER_LEASE_SECONDS has its in-flight requests put back in the queue.
"""

from __future__ import annotations

import logging
import os
from typing import Any

from scrapy.crawler import Crawler
from scrapy.settings import BaseSettings

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


def setting(settings: BaseSettings, name: str) -> Any:
    """A frontier setting: the Scrapy setting, else the environment, else DEFAULTS."""
    value = settings.get(name) or os.environ.get(name)
    default = DEFAULTS[name]
    return type(default)(value) if value else default


class FrontierAddon:
    """ADDONS entry: with WARTA_REDIS_URL set, plug in the shared frontier.

    This module imports neither redis nor scrapy-redis (the optional `cluster` extra), so
    every crawl can load the add-on; the components live in crawler.frontier.scheduler.
    """

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
        try:  # the `cluster` extra: scrapy-redis and redis
            from crawler.frontier.scheduler import SeedGateMiddleware
        except ImportError as exc:
            raise RuntimeError(
                f"{REDIS_URL_SETTING} is set but the shared frontier needs scrapy-redis and "
                f"redis (pip install 'warta[cluster]'): {exc}"
            ) from exc
        scheduler = "crawler.frontier.scheduler.FrontierScheduler"
        settings.set("SCHEDULER", scheduler, priority="addon")
        settings.set("SCHEDULER_PERSIST", True, priority="addon")  # and close() never flushes
        # A request leaves a worker's in-flight set when it has been handled; with one row per
        # transaction its article is then stored, so a kill -9 cannot lose a buffered page.
        settings.set("WARTA_STORE_BATCH_SIZE", 1, priority="spider")
        settings.set_in_component_priority_dict("SPIDER_MIDDLEWARES", SeedGateMiddleware, 5)
