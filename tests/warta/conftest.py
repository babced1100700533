"""Fixtures shared by the CLI, scheduler and Scrapyd tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest


@pytest.fixture
def demo_url() -> Iterator[str]:
    """The offline demo sites, served on a free port for one test."""
    from warta.demo.server import serve

    server = serve(port=0)
    try:
        yield server.base_url
    finally:
        server.shutdown()
