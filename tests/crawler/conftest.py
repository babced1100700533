"""Fixtures for the fetch stage: the fixture site and its sources file (runner: crawlrun.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from crawlsite import FixtureSite, serve_site, sources_toml


@pytest.fixture
def site() -> Iterator[FixtureSite]:
    s = serve_site()
    yield s
    s.shutdown()


@pytest.fixture
def config_file(site: FixtureSite, tmp_path: Path) -> Path:
    path = tmp_path / "sources.toml"
    path.write_text(sources_toml(site.base_url))
    return path


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'crawl.db'}"
