"""End to end: the README's demo through the real CLI — crawl over HTTP, store, query."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from pipeline.urls import canonicalize_url
from warta.demo import ARTICLE_COUNT, expected_articles

pytestmark = pytest.mark.slow

WARTA = [sys.executable, "-m", "warta"]


def _warta(args: list[str], database_url: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("WARTA_")}
    env["WARTA_DATABASE_URL"] = database_url
    return subprocess.run(
        [*WARTA, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=240
    )


def _query_all(database_url: str, cwd: Path) -> list[dict[str, object]]:
    done = _warta(["query", "--limit", "1000", "--format", "json"], database_url, cwd)
    assert done.returncode == 0, done.stderr
    rows: list[dict[str, object]] = json.loads(done.stdout)
    return rows


def test_demo_crawl_then_query_through_the_cli(database_url: str, tmp_path: Path) -> None:
    first = _warta(["crawl", "--demo", "--format", "json"], database_url, tmp_path)
    assert first.returncode == 0, first.stderr
    runs = json.loads(first.stdout)
    assert {r["source"] for r in runs} == {"kabar-ai", "neuralwire", "modelbeat"}
    assert all(r["status"] == "finished" and r["errors"] == 0 for r in runs), runs
    assert sum(r["articles_new"] for r in runs) == ARTICLE_COUNT

    rows = _query_all(database_url, tmp_path)
    assert len(rows) == ARTICLE_COUNT
    port = urlsplit(str(rows[0]["url"])).port
    by_url = {row["canonical_url"]: row for row in rows}
    for want in expected_articles(f"http://127.0.0.1:{port}"):
        got = by_url.get(canonicalize_url(want.url))
        assert got is not None, f"{want.url} not stored"
        assert got["title"] == want.title, want.url
        assert got["source"] == want.source
        assert got["language"] == want.language, want.url
        assert got["authors"] == list(want.authors), want.url
        assert got["published_at"] == want.published_at.isoformat(), want.url
        assert got["text"] == want.text, want.url
        for widget in want.must_not_contain:
            assert widget not in str(got["text"]), f"{want.url} keeps widget text {widget!r}"

    # the same crawl again stores nothing new: every article is kept exactly once
    second = _warta(["crawl", "--demo", "--format", "json"], database_url, tmp_path)
    assert second.returncode == 0, second.stderr
    again = json.loads(second.stdout)
    assert sum(r["articles_new"] for r in again) == 0
    assert sum(r["articles_updated"] for r in again) == 0
    assert len(_query_all(database_url, tmp_path)) == ARTICLE_COUNT

    ranked = _warta(["query", "model", "--lang", "en", "--format", "jsonl"], database_url, tmp_path)
    assert ranked.returncode == 0, ranked.stderr
    hits = [json.loads(line) for line in ranked.stdout.splitlines()]
    assert hits and all(h["language"] == "en" for h in hits)
    assert all("model" in (str(h["title"]) + str(h["text"])).lower() for h in hits)

    listed = _warta(["runs", "--format", "json"], database_url, tmp_path)
    assert listed.returncode == 0, listed.stderr
    assert len(json.loads(listed.stdout)) == 6
