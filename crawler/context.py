"""Fetch stage: where a crawl gets its sources file, its sources and its database.

Precedence, for both: the Scrapy setting (`-s WARTA_CONFIG=...`, `run_crawl(...)`), else the
environment, else the documented default (warta.config.find_config_path /
storage.default_database_url).
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit

from scrapy.settings import BaseSettings

from warta.config import Config, Source, find_config_path, load_config

# Source name used for `-a url=` pages whose host matches no configured source.
ADHOC_SOURCE_PREFIX = "url:"


class UnknownSourceError(ValueError):
    """A source name asked for on the command line is not in the sources file."""


def database_url(settings: BaseSettings) -> str:
    from storage.database import (
        default_database_url,
    )  # reads WARTA_DATABASE_URL from the environment

    return settings.get("WARTA_DATABASE_URL") or default_database_url()


def load_crawl_config(settings: BaseSettings, explicit: str | None = None) -> Config:
    """Load the sources file: explicit path, else setting WARTA_CONFIG, else env/default."""
    return load_config(find_config_path(explicit or settings.get("WARTA_CONFIG")))


def parse_names(names: str | Iterable[str] | None) -> list[str]:
    """`-a source=a,b` or a list from run_crawl -> ["a", "b"]."""
    if names is None:
        return []
    parts = names.split(",") if isinstance(names, str) else list(names)
    return [p.strip() for p in parts if p.strip()]


def select_sources(config: Config, names: Iterable[str]) -> list[Source]:
    """The sources to crawl: the named ones (enabled or not), else every enabled one."""
    wanted = list(names)
    if not wanted:
        return [s for s in config.sources if s.enabled]
    known = {s.name: s for s in config.sources}
    missing = [n for n in wanted if n not in known]
    if missing:
        raise UnknownSourceError(
            f"unknown source(s) {', '.join(missing)} in {config.path}; "
            f"known: {', '.join(sorted(known)) or '(none)'}"
        )
    return [known[n] for n in dict.fromkeys(wanted)]


def source_domains(source: Source) -> tuple[str, ...]:
    """Allowed domains of a source; when none are configured, the hosts of its start URLs."""
    if source.allowed_domains:
        return source.allowed_domains
    hosts = (urlsplit(u).hostname for u in source.start_urls)
    return tuple(dict.fromkeys(h for h in hosts if h))


def host_allowed(host: str, domains: Iterable[str]) -> bool:
    """Same rule as Scrapy's OffsiteMiddleware: the domain itself or any subdomain of it."""
    host = host.lower().rstrip(".")
    for domain in domains:
        d = domain.lower().strip(".")
        if host == d or host.endswith("." + d):
            return True
    return False


def source_for_url(config: Config, url: str) -> str:
    """Name the source a single `-a url=` page belongs to; else `url:<host>`.

    Among the sources whose domains allow the host, the one whose start URL shares the
    longest prefix with the page wins (several sites can live on one host, as in the demo).
    """
    host = urlsplit(url).hostname or ""
    matches = [s for s in config.sources if host and host_allowed(host, source_domains(s))]
    if not matches:
        return ADHOC_SOURCE_PREFIX + host

    def shared_prefix(source: Source) -> int:
        return max((_shared_prefix(url, s) for s in source.start_urls), default=0)

    return max(matches, key=shared_prefix).name


def _shared_prefix(a: str, b: str) -> int:
    return next(
        (i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b))
    )
