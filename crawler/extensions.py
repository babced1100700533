"""Fetch stage: the crawl-run record, one per source crawled.

On spider_opened a run is started for each source of the crawl; on spider_closed (after the
item pipelines have flushed) each is finished from the per-source stats counters and the
close reason Scrapy reports (not the process exit code).
"""

from __future__ import annotations

import logging
from typing import Any, TypedDict

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.statscollectors import StatsCollector

from crawler import stats as st
from crawler.context import database_url
from storage.database import Database

logger = logging.getLogger(__name__)

# spider.state key (persisted in JOBDIR) holding {source: run id} of the crawl's runs.
RUNS_STATE_KEY = "warta_run_ids"
# Sent after the runs are finished, with run_ids={source: id}; crawler.run listens to it.
runs_recorded = object()


def run_status(finish_reason: str) -> str:
    """Scrapy's close reason -> the run's status."""
    if finish_reason == "finished":
        return "finished"
    if finish_reason == "shutdown":  # Ctrl-C / SIGTERM: a clean but partial crawl
        return "interrupted"
    return "failed"  # closespider_*, cancelled, an exception in the engine...


class CrawlRunRecorder:
    def __init__(self, crawler: Crawler, url: str) -> None:
        self.crawler = crawler
        self.url = url
        self.run_ids: dict[str, int] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlRunRecorder:
        if not crawler.settings.getbool("WARTA_RECORD_RUNS", True):
            raise NotConfigured("WARTA_RECORD_RUNS is off")
        ext = cls(crawler, database_url(crawler.settings))
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def spider_opened(self, spider: Spider) -> None:
        with Database.open(self.url) as db:
            for source in getattr(spider, "source_names", []):
                self.run_ids[source] = db.start_run(source)
        self._link_resumed_runs(spider)

    def _link_resumed_runs(self, spider: Spider) -> None:
        """With a JOBDIR, a resumed crawl's runs name the interrupted runs they continue.

        Each process records its own run (its counts are what it did); `resumed_from` in the
        run's stats ties the pieces together. spider.state is Scrapy's SpiderState, loaded
        from and saved to the job directory.
        """
        state = getattr(spider, "state", None)
        if not isinstance(state, dict):
            return  # no JOBDIR
        stats = self.crawler.stats
        assert stats is not None
        previous: dict[str, int] = state.get(RUNS_STATE_KEY) or {}
        for source, run_id in previous.items():
            if source in self.run_ids:
                stats.set_value(st.source_key(source, "resumed_from"), run_id)
        state[RUNS_STATE_KEY] = dict(self.run_ids)

    def spider_closed(self, spider: Spider, reason: str) -> None:
        if not self.run_ids:
            return
        stats = self.crawler.stats
        assert stats is not None
        # migrate=False: spider_opened already brought the schema to head.
        with Database.open(self.url, migrate=False) as db:
            for source, run_id in self.run_ids.items():
                db.finish_run(run_id, finish_reason=reason, **run_counts(stats, source, reason))
        logger.info("Recorded crawl runs %s (%s)", self.run_ids, reason)
        self.crawler.signals.send_catch_log(runs_recorded, run_ids=dict(self.run_ids))


class RunCounts(TypedDict):
    status: str
    pages: int
    articles_new: int
    articles_updated: int
    articles_unchanged: int
    errors: int
    stats: dict[str, Any]
    error_message: str | None


def run_counts(stats: StatsCollector, source: str, reason: str) -> RunCounts:
    """The finish_run fields of one source, from the stats counters."""
    samples = stats.get_value(st.source_key(source, "error_samples"), [])
    pages = st.source_value(stats, source, st.PAGES)
    errors = st.source_errors(stats, source)
    status = run_status(reason)
    if status == "finished" and pages == 0 and errors:
        # nothing could be fetched (refused, unreachable, DNS): not a successful crawl
        status = "failed"
    return RunCounts(
        status=status,
        pages=pages,
        articles_new=st.source_value(stats, source, "articles/new"),
        articles_updated=st.source_value(stats, source, "articles/updated"),
        articles_unchanged=st.source_value(stats, source, "articles/unchanged"),
        errors=errors,
        stats=st.source_stats(stats, source),
        error_message="; ".join(samples) or None,
    )
