"""Fetch stage: per-source accounting (stats keys) and the per-page progress signal.

Every counter is kept twice: `warta/<key>` for the whole crawl and
`warta/source/<name>/<key>` for the crawl-run record of one source.
"""

from __future__ import annotations

from typing import Any

from scrapy.statscollectors import StatsCollector

# Sent once per article page with url=, source= and outcome= (one of PAGE_OUTCOMES).
# crawler.run.run_crawl connects its on_page callback to it.
page_processed = object()
PAGE_OUTCOMES = ("new", "updated", "unchanged", "failed", "error")

# Counter names (suffixes after warta/ and warta/source/<name>/).
PAGES = "pages"
ERRORS_EXTRACT = "errors/extract"
ERRORS_STORE = "articles/failed"  # a row the database refused
ERRORS_HTTP = "errors/http"
ERRORS_DOWNLOAD = "errors/download"
ERRORS_PARSE = "errors/parse"  # unreadable feed or sitemap
ERRORS_SPIDER = "errors/spider"  # a spider callback raised
ERRORS_BLOCKED = "errors/blocked"  # a non-http(s) URL or a refused network (crawler.guards)
ERRORS_REDIRECT = "errors/redirect"  # a redirect loop or a chain beyond REDIRECT_MAX_TIMES
ERRORS_TOO_LARGE = "errors/too_large"  # body or decompressed body beyond DOWNLOAD_MAXSIZE
ERRORS_CONTENT = "errors/content"  # binary data served as a page (crawler.content)
BOUNDS_DEPTH = "bounds/depth"  # links not followed: deeper than DEPTH_LIMIT
BOUNDS_BUDGET = "bounds/budget"  # requests not made: the source's page budget was spent
BOUNDS_URL_LENGTH = "bounds/url_length"  # links longer than URLLENGTH_LIMIT (2,083)
IGNORED = "ignored"  # robots.txt and other refused downloads: policy, not an error
OFFSITE = "offsite"  # links to hosts outside the source's allowed domains
ERROR_KEYS = (
    ERRORS_EXTRACT,
    ERRORS_STORE,
    ERRORS_HTTP,
    ERRORS_DOWNLOAD,
    ERRORS_PARSE,
    ERRORS_SPIDER,
    ERRORS_BLOCKED,
    ERRORS_REDIRECT,
    ERRORS_TOO_LARGE,
    ERRORS_CONTENT,
)
MAX_ERROR_SAMPLES = 5


def source_key(source: str, key: str) -> str:
    return f"warta/source/{source}/{key}"


def count(stats: StatsCollector, source: str, key: str, n: int = 1) -> None:
    """Add n to the crawl-wide and the per-source counter."""
    if n:
        stats.inc_value(f"warta/{key}", n)
        stats.inc_value(source_key(source, key), n)


def source_value(stats: StatsCollector, source: str, key: str) -> int:
    return int(stats.get_value(source_key(source, key), 0))


def source_errors(stats: StatsCollector, source: str) -> int:
    return sum(source_value(stats, source, key) for key in ERROR_KEYS)


def record_error(stats: StatsCollector, source: str, key: str, message: str) -> None:
    """Count an error and keep its first few messages for the crawl-run record."""
    count(stats, source, key)
    samples_key = source_key(source, "error_samples")
    samples: list[str] = list(stats.get_value(samples_key, []))
    if len(samples) < MAX_ERROR_SAMPLES:
        samples.append(message)
        stats.set_value(samples_key, samples)


def source_stats(stats: StatsCollector, source: str) -> dict[str, Any]:
    """The per-source counters, without the prefix (stored with the crawl run)."""
    prefix = source_key(source, "")
    all_stats = stats.get_stats()
    return {k[len(prefix) :]: v for k, v in all_stats.items() if k.startswith(prefix)}
