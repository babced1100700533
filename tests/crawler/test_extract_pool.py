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
