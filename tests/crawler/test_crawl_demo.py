"""Fetch stage against the bundled demo sites: the spider stores every served article."""

from __future__ import annotations

from pathlib import Path

import pytest
from crawlrun import crawl, crawl_env

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


def test_a_source_may_allow_its_own_network_without_the_environment(
    tmp_path: Path, db_url: str
) -> None:
    """`warta demo config` output crawls as is: its sources allow loopback themselves."""
    import subprocess
    import sys

    env = crawl_env(db_url)
    del env["WARTA_ALLOW_NETWORKS"]
    with serve(0) as server:
        config = tmp_path / "demo.toml"
        config.write_text(config_text(server.base_url))
        done = subprocess.run(
            [sys.executable, "-m", "warta", "--config", str(config), "crawl", "kabar-ai"],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        blocked = config_text(server.base_url).replace('allow_networks = ["127.0.0.1/32"]', "")
        config.write_text(blocked)
        refused = subprocess.run(
            [sys.executable, "-m", "warta", "--config", str(config), "crawl", "neuralwire"],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert done.returncode == 0, done.stderr[-3000:]
    assert refused.returncode != 0
    with Database.open(db_url) as db:
        assert db.count_articles(source="kabar-ai") == 12
        assert db.count_articles(source="neuralwire") == 0
