"""Fetch-stage tests: run the real spider as a user would (`python -m scrapy crawl news`)."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
# Fast but otherwise default settings: AutoThrottle's 1 s start delay only slows tests.
LOOPBACK = "127.0.0.1/32"
FAST = ("-s", "AUTOTHROTTLE_ENABLED=False", "-s", "LOG_LEVEL=INFO")


@dataclass
class CrawlResult:
    returncode: int
    log: str


def crawl_env(db_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env["WARTA_DATABASE_URL"] = db_url
    # The fixture site is on loopback, which the SSRF guard refuses unless allowed.
    env["WARTA_ALLOW_NETWORKS"] = LOOPBACK
    env.pop("WARTA_CONFIG", None)
    return env


def scrapy(*args: str, db_url: str, timeout: float = 120) -> CrawlResult:
    """Run `python -m scrapy ARGS` from the repository root, as a user would."""
    proc = subprocess.run(
        [sys.executable, "-m", "scrapy", *args],
        cwd=REPO,
        env=crawl_env(db_url),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    return CrawlResult(proc.returncode, proc.stdout + proc.stderr)


def crawl(config: Path, db_url: str, *args: str) -> CrawlResult:
    result = scrapy("crawl", "news", "-a", f"config={config}", *FAST, *args, db_url=db_url)
    assert result.returncode == 0, result.log[-4000:]
    return result
