"""Fetch stage -> pipeline: extraction in worker processes stores exactly what in-process does.

A real crawl of the fixture site with the pool switched on from the first page
(`WARTA_EXTRACT_POOL_AFTER=0`), compared with a crawl extracting in process.
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


def _stored(db_url: str) -> tuple[dict[str, tuple[str, str]], list[dict[str, Any]]]:
    with Database.open(db_url) as db:
        articles = {
            a.canonical_url: (a.content_hash, a.title or "") for a in db.query_articles(limit=None)
        }
        runs = [r.to_dict() for r in db.list_runs()]
    return articles, runs


def test_pooled_crawl_stores_the_same_articles_and_counts_bad_pages(
    site: FixtureSite, config_file: Path, tmp_path: Path
) -> None:
    in_process = f"sqlite:///{tmp_path / 'in-process.db'}"
    pooled = f"sqlite:///{tmp_path / 'pooled.db'}"
    crawl(config_file, in_process)
    result = crawl(config_file, pooled, *POOLED)

    expected, expected_runs = _stored(in_process)
    got, runs = _stored(pooled)
    assert "Extracting in 2 worker processes" in result.log
    assert got == expected and len(got) > 0
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
