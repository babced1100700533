"""Fetch stage: run the real `news` spider in-process (used by `warta crawl` and the demo).

Scrapy runs on the Twisted reactor, which cannot be restarted: `run_crawl` can be called
ONCE per Python process. Callers that need several crawls (the scheduler, tests) run each
one in a fresh subprocess.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from typing import Any

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings
from scrapy.utils.project import get_project_settings

from crawler import stats as st
from crawler.context import load_crawl_config, parse_names, select_sources
from crawler.extensions import runs_recorded
from crawler.spiders.news import NewsSpider
from storage.database import Database

logger = logging.getLogger(__name__)

PageCallback = Callable[[str, str], None]


def crawl_settings(
    *,
    config_path: str | None = None,
    database_url: str | None = None,
    settings: dict[str, Any] | None = None,
) -> Settings:
    """warta's Scrapy settings from any working directory, with the caller's overrides."""
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "crawler.settings")
    project = get_project_settings()
    project.setdict(settings or {}, priority="cmdline")
    if config_path:
        project.set("WARTA_CONFIG", config_path, priority="cmdline")
    if database_url:
        project.set("WARTA_DATABASE_URL", database_url, priority="cmdline")
    return project


def run_crawl(
    *,
    sources: list[str] | None = None,
    url: str | None = None,
    config_path: str | None = None,
    database_url: str | None = None,
    settings: dict[str, Any] | None = None,
    on_page: PageCallback | None = None,
) -> list[dict[str, Any]]:
    """Crawl the given sources (default: every enabled one) or one article `url`.

    Returns one crawl-run dict per source (the keys of CrawlRunRecord.to_dict()).
    Raises ConfigError / UnknownSourceError before anything is fetched.
    """
    project = crawl_settings(config_path=config_path, database_url=database_url, settings=settings)
    names = parse_names(sources)
    if names or not url:
        # Fail here, with a clear message, rather than inside the reactor.
        select_sources(load_crawl_config(project), names)

    process = CrawlerProcess(project)
    crawler = process.create_crawler(NewsSpider)
    run_ids: dict[str, int] = {}

    def on_runs(**kwargs: Any) -> None:
        run_ids.update(kwargs["run_ids"])

    def on_processed(**kwargs: Any) -> None:
        if on_page is not None:
            on_page(kwargs["url"], kwargs["outcome"])

    # The receivers are locals that outlive process.start(): the signal manager holds them weakly.
    crawler.signals.connect(on_runs, signal=runs_recorded)
    crawler.signals.connect(on_processed, signal=st.page_processed)
    process.crawl(crawler, source=",".join(names) or None, url=url)
    process.start()
    return _run_dicts(project.get("WARTA_DATABASE_URL"), run_ids)


def _run_dicts(url: str | None, run_ids: dict[str, int]) -> list[dict[str, Any]]:
    if not run_ids:
        return []
    wanted = set(run_ids.values())
    with Database.open(url) as db:
        runs = [
            run.to_dict()
            for source in run_ids
            for run in db.list_runs(source=source, limit=50)
            if run.id in wanted
        ]
    return sorted(runs, key=lambda r: r["id"])
