"""Test helper: run real `scrapy crawl news` subprocesses against the hostile server.

Each crawl runs under a tiny parent process that reports the crawl's peak memory
(`resource.getrusage(RUSAGE_CHILDREN).ru_maxrss`), so a test can bound it.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
LOOPBACK = "127.0.0.1/32"
# Short bounds so attacks cost seconds: a 2 s download timeout, quick backoff.
FAST = {
    "AUTOTHROTTLE_ENABLED": "False",
    "DOWNLOAD_TIMEOUT": "2",
    "WARTA_RETRY_BACKOFF_BASE": "0.2",
    "WARTA_RETRY_MAX_DELAY": "5",
    "LOG_LEVEL": "INFO",
}
MEASURE = (
    "import resource, subprocess, sys\n"
    "rc = subprocess.call(sys.argv[1:])\n"
    "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
    "print(f'PEAK_RSS_KB={peak}', file=sys.stderr)\n"
    "sys.exit(rc)\n"
)


@dataclass
class CrawlResult:
    returncode: int
    log: str
    seconds: float

    @property
    def peak_rss_mb(self) -> float:
        match = re.search(r"PEAK_RSS_KB=(\d+)", self.log)
        assert match, "the measuring parent printed no peak"
        return int(match.group(1)) / 1024


def crawl_env(db_url: str, allow: str | None = LOOPBACK) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("WARTA_")}
    env["WARTA_DATABASE_URL"] = db_url
    if allow is not None:
        env["WARTA_ALLOW_NETWORKS"] = allow
    return env


def scrapy_command(config: Path, *args: str, settings: dict[str, str] | None = None) -> list[str]:
    sets = [
        x for key, value in {**FAST, **(settings or {})}.items() for x in ("-s", f"{key}={value}")
    ]
    return [sys.executable, "-m", "scrapy", "crawl", "news", "-a", f"config={config}", *sets, *args]


def crawl(
    config: Path,
    db_url: str,
    *args: str,
    settings: dict[str, str] | None = None,
    allow: str | None = LOOPBACK,
    timeout: float = 120,
) -> CrawlResult:
    """One crawl in a subprocess, as `scrapy crawl news` from the repository root."""
    started = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-c", MEASURE, *scrapy_command(config, *args, settings=settings)],
        cwd=REPO,
        env=crawl_env(db_url, allow),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    return CrawlResult(proc.returncode, proc.stdout + proc.stderr, time.monotonic() - started)


def start_crawl(
    config: Path,
    db_url: str,
    *args: str,
    settings: dict[str, str] | None = None,
    allow: str | None = LOOPBACK,
) -> subprocess.Popen[str]:
    """A crawl subprocess to signal or kill; its output is collected on communicate()."""
    return subprocess.Popen(
        scrapy_command(config, *args, settings=settings),
        cwd=REPO,
        env=crawl_env(db_url, allow),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def wait_for(condition: Callable[[], bool], timeout: float = 60, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)
