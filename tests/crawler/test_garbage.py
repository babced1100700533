"""crawler/garbage.py: the start-up heap is frozen while the engine runs, then given back."""

from __future__ import annotations

import gc
import weakref

import pytest
from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.utils.test import get_crawler

from crawler.garbage import THRESHOLD, FreezeStartupHeap


class Node:
    def __init__(self) -> None:
        self.other: Node | None = None


def test_a_running_engine_freezes_the_heap_and_a_stopped_one_restores_the_collector() -> None:
    before = gc.get_threshold()
    # Scrapy's own extensions are left out: they need a running reactor.
    crawler = get_crawler(settings_dict={"WARTA_GC_FREEZE": True, "EXTENSIONS_BASE": {}})
    extension = FreezeStartupHeap.from_crawler(crawler)  # signals hold it weakly
    crawler.signals.send_catch_log(signals.engine_started)
    try:
        assert gc.get_freeze_count() > 1000  # the modules, settings... of this process
        assert gc.get_threshold() == (THRESHOLD, *before[1:])
        # Garbage made while the engine runs is still collected.
        a, b = Node(), Node()
        a.other, b.other = b, a
        gone = weakref.ref(a)
        del a, b
        gc.collect()
        assert gone() is None
    finally:
        crawler.signals.send_catch_log(signals.engine_stopped)
    assert extension.thresholds is None
    assert gc.get_freeze_count() == 0
    assert gc.get_threshold() == before


def test_the_setting_leaves_the_collector_alone() -> None:
    crawler = get_crawler(settings_dict={"WARTA_GC_FREEZE": False})
    with pytest.raises(NotConfigured):
        FreezeStartupHeap.from_crawler(crawler)
