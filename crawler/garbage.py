"""Fetch stage: keep Python's cyclic garbage collector off the crawl's hot path.

A crawl's process holds hundreds of thousands of long-lived objects once it runs (Scrapy,
Twisted, SQLAlchemy, lxml and the extractor's modules, settings, compiled statements), and
every full collection walks all of them again; what the crawl allocates per page
(requests, responses, deferreds, items) lives for a few hundred milliseconds, long enough
to survive Python's default first generation (700 allocations) and be walked again in the
older ones. So, once the engine has started:

- the heap is frozen (`gc.freeze`): the start-up objects move to the collector's permanent
  generation and are never walked again;
- the first generation holds up to ``THRESHOLD`` allocations, so most of a page's objects
  are freed by reference counting before a collection ever sees them.

Garbage cycles are still collected, only later (at most ``THRESHOLD`` allocations on).
Measured on a 2,000-page mirror crawl (benchmarks/crawl.py's mirror, 2 cores, `gc.callbacks`
timing): the collector took 1.5-1.7 s of the crawl process's CPU in ~980 collections; with
the heap frozen 1.0-1.3 s; frozen and with this threshold 0.35 s in 33 collections, most of
it the one full collection before the freeze. ``WARTA_GC_FREEZE = False`` leaves the
collector as Python set it.
"""

from __future__ import annotations

import gc

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

# First-generation threshold while a crawl runs (Python's default: 700).
THRESHOLD = 10_000


class FreezeStartupHeap:
    """On engine_started, collect once, freeze what is left and raise the first
    generation's threshold; undo both when the engine stops (see the module docstring)."""

    def __init__(self) -> None:
        self.thresholds: tuple[int, int, int] | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> FreezeStartupHeap:
        if not crawler.settings.getbool("WARTA_GC_FREEZE", True):
            raise NotConfigured
        ext = cls()
        crawler.signals.connect(ext.engine_started, signal=signals.engine_started)
        crawler.signals.connect(ext.engine_stopped, signal=signals.engine_stopped)
        return ext

    def engine_started(self) -> None:
        gc.collect()  # start-up garbage is freed, not frozen for the rest of the crawl
        gc.freeze()
        self.thresholds = gc.get_threshold()
        gc.set_threshold(THRESHOLD, *self.thresholds[1:])

    def engine_stopped(self) -> None:
        # A process may run several crawls (the scheduler, tests): the next one starts
        # with the collector as it was, seeing everything again.
        gc.unfreeze()
        if self.thresholds is not None:
            gc.set_threshold(*self.thresholds)
            self.thresholds = None
