"""Fetch stage against the bundled demo sites: the spider stores every served article."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import crawl

from storage.database import Database
from warta.demo import ARTICLE_COUNT, article_urls, config_text, disallowed_urls, serve

pytestmark = pytest.mark.slow


def test_demo_crawl_stores_every_served_article_and_nothing_disallowed(
    tmp_path: Path, db_url: str
) -> None:
    with serve(0) as server:
        config = tmp_path / "demo.toml"
        config.write_text(config_text(server.base_url))
        crawl(config, db_url)
        served = article_urls(server.base_url)
        forbidden = disallowed_urls(server.base_url)

    assert len(served) == ARTICLE_COUNT
    with Database.open(db_url) as db:
        assert db.count_articles() == ARTICLE_COUNT
        missing = [url for url in served if db.get_article(url) is None]
        leaked = [url for url in forbidden if db.get_article(url) is not None]
        runs = db.list_runs()
    assert missing == []
    assert leaked == []
    assert runs and all(r.status == "finished" and r.errors == 0 for r in runs), [
        r.to_dict() for r in runs
    ]
    assert sum(r.articles_new for r in runs) == ARTICLE_COUNT
