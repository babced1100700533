"""Fetch stage -> pipeline: extraction in worker processes stores exactly what in-process does.

A real crawl of the fixture site with the pool switched on from the first page
(`WARTA_EXTRACT_POOL_AFTER=0`), compared with a crawl extracting in process: the same
articles, counts and story clusters (the workers sign the bodies for clustering; the
fixture's article pages are near-duplicates of each other, around the 0.8 threshold).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from crawlrun import crawl
from crawlsite import FixtureSite

from storage.database import Database

pytestmark = pytest.mark.slow

POOLED = ("-s", "WARTA_EXTRACT_POOL_AFTER=0", "-s", "WARTA_EXTRACT_WORKERS=2")


Stories = set[frozenset[str]]


def _stored(db_url: str) -> tuple[dict[str, tuple[str, str]], list[dict[str, Any]], Stories]:
    with Database.open(db_url) as db:
        stored = db.query_articles(limit=None)
        runs = [r.to_dict() for r in db.list_runs()]
    articles = {a.canonical_url: (a.content_hash, a.title or "") for a in stored}
    clusters: dict[int, set[str]] = {}
    for a in stored:
        if a.cluster_id is not None:
            clusters.setdefault(a.cluster_id, set()).add(a.canonical_url)
    # Cluster ids depend on the order pages were stored in; their members do not.
    return articles, runs, {frozenset(members) for members in clusters.values()}


def test_pooled_crawl_stores_the_same_articles_and_counts_bad_pages(
    site: FixtureSite, config_file: Path, tmp_path: Path
) -> None:
    in_process = f"sqlite:///{tmp_path / 'in-process.db'}"
    pooled = f"sqlite:///{tmp_path / 'pooled.db'}"
    crawl(config_file, in_process)
    result = crawl(config_file, pooled, *POOLED)

    expected, expected_runs, expected_stories = _stored(in_process)
    got, runs, stories = _stored(pooled)
    assert "Extracting in 2 worker processes" in result.log
    assert got == expected and len(got) > 0
    assert stories == expected_stories and len(stories) > 0
    by_source = {r["source"]: r for r in runs}
    for run in expected_runs:
        pooled_run = by_source[run["source"]]
        # The broken pages of the fixture site are extraction errors in both, never lost.
        assert (pooled_run["articles_new"], pooled_run["errors"]) == (
            run["articles_new"],
            run["errors"],
        ), (pooled_run, run)
    # The empty page of the fixture site fails extraction, in a worker as in process.
    assert _extract_errors(runs) == _extract_errors(expected_runs) >= 1


def _extract_errors(runs: list[dict[str, Any]]) -> int:
    return sum(int((r["stats"] or {}).get("errors/extract", 0)) for r in runs)


# Child processes: each has its own asyncio reactor, as in a crawl, runs its ``main()``
# and prints a JSON line.
_CHILD_HEAD = """
import asyncio, json, sys
from datetime import UTC, datetime
from twisted.internet import asyncioreactor
asyncioreactor.install()
from twisted.internet import defer, reactor
from crawler.extract_pool import ExtractionPool
from crawler.items import FetchedPage

PAGE = (
    "<html><head><title>Pool test</title></head><body><article><h1>Pool test</h1>"
    + "<p>A paragraph long enough to be the body of a news article, page {n}.</p>" * 12
    + "</article></body></html>"
)

def page(n):
    return FetchedPage(url=f"https://news.example/a/{n}", source="s",
                       body=PAGE.format(n=n).encode(), fetched_at=datetime.now(UTC))

"""
_CHILD_TAIL = """
def run():
    d = defer.Deferred.fromFuture(asyncio.ensure_future(main()))
    d.addErrback(lambda f: f.printTraceback(file=sys.stdout))
    d.addBoth(lambda _: reactor.stop())

reactor.callWhenRunning(run)
reactor.run()
"""


def _run_child(main: str) -> dict[str, Any]:
    import json
    import subprocess
    import sys

    repo = Path(__file__).resolve().parents[2]
    script = _CHILD_HEAD + main + _CHILD_TAIL
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=repo, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    result["stderr"] = done.stderr
    return result


_DYING_WORKER = """
async def main():
    pool = ExtractionPool(workers=1, after=0)
    assert pool.take()
    first = await pool.extract(page(1))  # waits for the worker to start
    worker = pool.started[0]
    worker.process.kill()
    worker.process.wait()
    # Both are sent to the dead worker before the reactor sees it is gone.
    second, after = await asyncio.gather(pool.extract(page(2)), pool.extract(page(3)))
    pool.shutdown()
    json.dump({"first": first[0].canonical_url, "compressed": first[2] is not None,
               "second": second[0].canonical_url, "third": after[0].canonical_url,
               "broken": pool.broken, "take": pool.take()}, sys.stdout)

"""


def test_a_dead_worker_loses_no_page() -> None:
    """A worker killed with pages in flight: those pages and every later one are extracted
    in process, and the pool is never used again."""
    result = _run_child(_DYING_WORKER)
    stderr = result.pop("stderr")
    assert result == {
        "first": "https://news.example/a/1",
        "compressed": True,
        "second": "https://news.example/a/2",
        "third": "https://news.example/a/3",
        "broken": True,
        "take": False,
    }, stderr
    assert "An extraction worker died" in stderr


_WARM_UP = """
async def main():
    backfill = ExtractionPool(workers=1, after=5)
    backfill.foresee(6)  # a sitemap listed more pages than `after` before any page came
    waits = backfill.take()
    first = await backfill.extract(page(1))
    backfill.shutdown()
    grown = ExtractionPool(workers=1, after=2)
    takes = [grown.take() for _ in range(3)]  # the third page starts the workers
    grown.shutdown()
    json.dump({"waits": waits, "in_worker": first[2] is not None,
               "url": first[0].canonical_url, "grown": takes}, sys.stdout)

"""


def test_a_backfill_waits_for_the_workers_and_a_grown_crawl_does_not() -> None:
    """Workers started for a backfill before its first page get every page (this process
    does not load the extractor as well); a crawl that grew past `after` pages goes on
    extracting in process while its workers start."""
    result = _run_child(_WARM_UP)
    stderr = result.pop("stderr")
    assert result == {
        "waits": True,
        "in_worker": True,
        "url": "https://news.example/a/1",
        "grown": [False, False, False],
    }, stderr
