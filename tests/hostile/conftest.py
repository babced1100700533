"""Fixtures for the hostile-web tests: the hostile server and a database per test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from server import HostileServer, serve


@pytest.fixture
def hostile() -> Iterator[HostileServer]:
    with serve() as server:
        yield server


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'hostile.db'}"
