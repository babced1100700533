"""Application shell: the typed, validated sources file (TOML).

Contract (the loader is filled in by the config work):
    load_config(path) -> Config                     raises ConfigError naming file, key, line
    find_config_path(explicit: str | None) -> Path  (--config, then WARTA_CONFIG, then default)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

SourceKind = Literal["feed", "sitemap", "listing"]


@dataclass(frozen=True, slots=True)
class Schedule:
    """When a source is crawled: a cron expression or a fixed interval in seconds."""

    cron: str | None = None
    every_seconds: int | None = None


@dataclass(frozen=True, slots=True)
class Source:
    name: str
    kind: SourceKind
    start_urls: tuple[str, ...]
    allowed_domains: tuple[str, ...] = ()
    language: str | None = None
    schedule: Schedule = field(default_factory=Schedule)
    # listing: regex an article link must match; sitemap/feed: optional URL filter
    article_pattern: str | None = None
    remove_selectors: tuple[str, ...] = ()
    enabled: bool = True


@dataclass(frozen=True, slots=True)
class Config:
    path: Path
    sources: tuple[Source, ...]

    def source(self, name: str) -> Source:
        for s in self.sources:
            if s.name == name:
                return s
        raise KeyError(name)


class ConfigError(Exception):
    """A sources file that cannot be used; the message names the file, key and line."""
