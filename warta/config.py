"""Application shell: the typed, validated sources file (TOML).

    load_config(path) -> Config                     raises ConfigError naming file, key, line
    find_config_path(explicit: str | None) -> Path  (--config, then WARTA_CONFIG, then default)
    load_default_config(explicit=None) -> Config

File format (see warta/sources.example.toml for a commented example) -- one
``[[sources]]`` table per source, and an optional ``[scheduler]`` table; no other
top-level key is allowed:

    [[sources]]
    name = "kabar-ai"                  # required; unique; lowercase slug [a-z0-9][a-z0-9_-]*
    kind = "feed"                      # required; "feed" (RSS/Atom), "sitemap" (incl. sitemap
                                       # indexes, .xml.gz and Google News), or "listing"
    start_urls = ["https://..."]       # required; one or more http(s) URLs
    allowed_domains = ["example.com"]  # optional; default: hosts of start_urls without "www."
    language = "id"                    # optional ISO 639-1 hint
    schedule = "*/30 * * * *"          # optional 5-field cron (UTC), or instead:
    every = "30m"                      # optional interval: integer seconds, "900s", "15m",
                                       # "1h", "1d" or combinations like "1h30m"
    article_pattern = "/\\d{4}/\\d{2}/" # regex an article URL must match (searched, not
                                       # anchored); required for kind "listing"
    remove_selectors = [".promo-box"]  # optional extra CSS selectors removed before extraction
    enabled = true                     # optional, default true
    allow_networks = ["127.0.0.1/32"]  # optional CIDRs this source may reach although
                                       # private/loopback addresses are refused (demo, intranet)

``schedule`` and ``every`` are mutually exclusive; a source with neither is only
crawled on demand.

The optional ``[scheduler]`` table says where ``warta scheduler`` runs the crawls
(``warta scheduler --executor/--scrapyd-node`` or WARTA_EXECUTOR/WARTA_SCRAPYD_NODES
override it; see docs/deploy.md):

    [scheduler]
    executor = "scrapyd"               # "local" (default): a subprocess on this machine;
                                       # "scrapyd": a job on the least-busy Scrapyd node
    scrapyd_nodes = ["http://crawl1:6800", "http://crawl2:6800"]  # required for "scrapyd"
    scrapyd_project = "warta"          # the project name the egg was deployed under
    crawl_config = "/etc/warta/sources.toml"  # the sources file's path on the nodes;
                                       # default: this file's own path
    crawl_database_url = "postgresql+psycopg://warta@db/warta"  # the database the nodes
                                       # write to; default: the scheduler's; "" = the
                                       # nodes' own WARTA_DATABASE_URL

Every problem found is reported, each as
``FILE:LINE: sources[N].KEY (source 'NAME'): what is wrong`` where N counts
``[[sources]]`` tables from 0.
"""

from __future__ import annotations

import difflib
import ipaddress
import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

SourceKind = Literal["feed", "sitemap", "listing"]
ExecutorKind = Literal["local", "scrapyd"]

DEFAULT_CONFIG_PATH = Path(__file__).with_name("sources.toml")
ENV_CONFIG = "WARTA_CONFIG"
LOCAL_CONFIG_NAME = "warta.toml"


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
    # Networks (CIDRs) this source may reach although crawls refuse private and loopback
    # addresses; for sites on an intranet or the local demo. Trusted operator config.
    allow_networks: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SchedulerSettings:
    """Where `warta scheduler` runs crawls: here (local) or on Scrapyd nodes."""

    executor: ExecutorKind = "local"
    scrapyd_nodes: tuple[str, ...] = ()
    scrapyd_project: str = "warta"
    crawl_config: str | None = None  # None: the scheduler's own sources file path
    crawl_database_url: str | None = None  # None: the scheduler's; "": the nodes' own


@dataclass(frozen=True, slots=True)
class Config:
    path: Path
    sources: tuple[Source, ...]
    scheduler: SchedulerSettings = field(default_factory=SchedulerSettings)

    def source(self, name: str) -> Source:
        for s in self.sources:
            if s.name == name:
                return s
        raise KeyError(name)


class ConfigError(Exception):
    """A sources file that cannot be used; the message names the file, key and line."""

    def __init__(
        self,
        message: str,
        *,
        path: Path | None = None,
        key: str | None = None,
        line: int | None = None,
    ) -> None:
        super().__init__(message)
        self.path = path
        self.key = key  # first offending key path, e.g. "sources[3].schedule"
        self.line = line  # 1-based line of the first problem, when known


# --- validation models (internal; converted to the frozen dataclasses above) ---------------

_NAME_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,62}$")
_LANG_RE = re.compile(r"^[a-z]{2}$")
_DOMAIN_RE = re.compile(
    r"^(?=.{1,253}$)[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$"
)
_INTERVAL_RE = re.compile(r"^(?:\d+[smhd])+$")
_INTERVAL_PART_RE = re.compile(r"(\d+)([smhd])")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_interval(value: int | str) -> int:
    """Seconds in an ``every`` value: 900, "900s", "15m", "1h30m"; ValueError if malformed."""
    if isinstance(value, int):
        seconds = value
    else:
        text = value.strip().lower().replace(" ", "")
        if text.isdigit():
            seconds = int(text)
        elif _INTERVAL_RE.match(text):
            seconds = sum(int(n) * _UNIT_SECONDS[u] for n, u in _INTERVAL_PART_RE.findall(text))
        else:
            raise ValueError(
                f"invalid interval {value!r}: use seconds (900) or a duration like '15m', '1h'"
            )
    if seconds <= 0:
        raise ValueError(f"interval must be positive, got {value!r}")
    return seconds


def _check_cron(expr: str) -> str:
    from apscheduler.triggers.cron import CronTrigger

    expr = " ".join(expr.split())
    if len(expr.split(" ")) != 5:
        raise ValueError(
            f"invalid cron expression {expr!r}: expected 5 fields "
            "(minute hour day month day-of-week)"
        )
    try:
        CronTrigger.from_crontab(expr, timezone="UTC")
    except ValueError as exc:
        raise ValueError(f"invalid cron expression {expr!r}: {exc}") from None
    return expr


def _check_css(selector: str) -> str:
    from cssselect import HTMLTranslator, SelectorError

    try:
        HTMLTranslator().css_to_xpath(selector)
    except SelectorError as exc:
        raise ValueError(f"invalid CSS selector {selector!r}: {exc}") from None
    return selector


def _check_url(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"not an absolute http(s) URL: {url!r}")
    return url


class _SourceModel(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    name: str
    kind: SourceKind
    start_urls: list[str]
    allowed_domains: list[str] | None = None
    language: str | None = None
    schedule: str | None = None
    every: int | str | None = None
    article_pattern: str | None = None
    remove_selectors: list[str] = []
    enabled: bool = True
    allow_networks: list[str] = []

    @field_validator("name")
    @classmethod
    def _name(cls, v: str) -> str:
        if not _NAME_RE.match(v):
            raise ValueError(
                f"invalid name {v!r}: use a lowercase slug (letters, digits, '-', '_')"
            )
        return v

    @field_validator("start_urls")
    @classmethod
    def _start_urls(cls, v: list[str]) -> list[str]:
        if not v:
            raise ValueError("at least one start URL is required")
        return [_check_url(u) for u in v]

    @field_validator("allowed_domains")
    @classmethod
    def _domains(cls, v: list[str] | None) -> list[str] | None:
        if v is None:
            return None
        out = []
        for d in v:
            d = d.strip().lower()
            if not _DOMAIN_RE.match(d):
                raise ValueError(f"invalid domain {d!r}: give a bare host name (no scheme/port)")
            out.append(d)
        return out

    @field_validator("language")
    @classmethod
    def _language(cls, v: str | None) -> str | None:
        if v is not None and not _LANG_RE.match(v.lower()):
            raise ValueError(f"invalid language {v!r}: use a two-letter ISO 639-1 code")
        return v.lower() if v else v

    @field_validator("schedule")
    @classmethod
    def _schedule(cls, v: str | None) -> str | None:
        return _check_cron(v) if v is not None else None

    @field_validator("every")
    @classmethod
    def _every(cls, v: int | str | None) -> int | None:
        return parse_interval(v) if v is not None else None

    @field_validator("article_pattern")
    @classmethod
    def _pattern(cls, v: str | None) -> str | None:
        if v is None:
            return None
        try:
            re.compile(v)
        except re.error as exc:
            raise ValueError(f"invalid regular expression {v!r}: {exc}") from None
        return v

    @field_validator("remove_selectors")
    @classmethod
    def _selectors(cls, v: list[str]) -> list[str]:
        return [_check_css(s) for s in v]

    @field_validator("allow_networks")
    @classmethod
    def _networks(cls, v: list[str]) -> list[str]:
        out = []
        for cidr in v:
            try:
                out.append(str(ipaddress.ip_network(cidr.strip(), strict=False)))
            except ValueError as exc:
                raise ValueError(f"invalid network {cidr!r}: {exc}") from None
        return out

    def to_source(self) -> Source:
        domains = self.allowed_domains
        if domains is None:
            hosts = (urlsplit(u).hostname or "" for u in self.start_urls)
            domains = list(dict.fromkeys(h.removeprefix("www.") for h in hosts if h))
        every = self.every if isinstance(self.every, int) else None
        return Source(
            name=self.name,
            kind=self.kind,
            start_urls=tuple(self.start_urls),
            allowed_domains=tuple(domains),
            language=self.language,
            schedule=Schedule(cron=self.schedule, every_seconds=every),
            article_pattern=self.article_pattern,
            remove_selectors=tuple(self.remove_selectors),
            enabled=self.enabled,
            allow_networks=tuple(self.allow_networks),
        )


class _SchedulerModel(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    executor: ExecutorKind = "local"
    scrapyd_nodes: list[str] = []
    scrapyd_project: str = "warta"
    crawl_config: str | None = None
    crawl_database_url: str | None = None

    @field_validator("scrapyd_nodes")
    @classmethod
    def _nodes(cls, v: list[str]) -> list[str]:
        return [check_node_url(u) for u in v]

    @field_validator("scrapyd_project")
    @classmethod
    def _project(cls, v: str) -> str:
        if not _NAME_RE.match(v):
            raise ValueError(f"invalid project name {v!r}: use a lowercase slug")
        return v

    def to_settings(self) -> SchedulerSettings:
        return SchedulerSettings(
            executor=self.executor,
            scrapyd_nodes=tuple(self.scrapyd_nodes),
            scrapyd_project=self.scrapyd_project,
            crawl_config=self.crawl_config,
            crawl_database_url=self.crawl_database_url,
        )


def check_node_url(url: str) -> str:
    """A Scrapyd node's base URL (http(s)://HOST:PORT[/PREFIX]), without a trailing slash."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"not a Scrapyd node URL (http://HOST:PORT): {url!r}")
    return url.strip().rstrip("/")


class _FileModel(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    sources: list[_SourceModel]
    scheduler: _SchedulerModel = _SchedulerModel()


# --- locating problems in the file text ------------------------------------------------------

_HEADER_RE = re.compile(r"^\s*\[")
_SOURCES_HEADER_RE = re.compile(r"^\s*\[\[\s*sources\s*\]\]")


def _line_of(text: str, loc: tuple[str | int, ...]) -> int | None:
    """1-based line for a key path; tomllib keeps no positions, so scan the text."""
    lines = text.splitlines()
    if len(loc) >= 2 and loc[0] == "sources" and isinstance(loc[1], int):
        headers = [i for i, ln in enumerate(lines) if _SOURCES_HEADER_RE.match(ln)]
        if loc[1] >= len(headers):
            return _key_line(lines, "sources", 0, len(lines))
        start = headers[loc[1]]
        end = next((i for i in range(start + 1, len(lines)) if _HEADER_RE.match(lines[i])), None)
        if len(loc) >= 3 and isinstance(loc[2], str):
            found = _key_line(lines, loc[2], start + 1, end or len(lines))
            if found:
                return found
        return start + 1
    if len(loc) >= 2 and loc[0] == "scheduler" and isinstance(loc[1], str):
        table = _table_line(lines, "scheduler")  # 1-based: the first line after the header
        if table is not None:
            stop = next((i for i in range(table, len(lines)) if _HEADER_RE.match(lines[i])), None)
            return _key_line(lines, loc[1], table, stop or len(lines)) or table
    if loc and isinstance(loc[0], str):
        return _key_line(lines, loc[0], 0, len(lines)) or _table_line(lines, loc[0])
    return None


def _key_line(lines: list[str], key: str, start: int, end: int) -> int | None:
    pattern = re.compile(rf"^\s*[\"']?{re.escape(key)}[\"']?\s*=")
    for i in range(start, end):
        if pattern.match(lines[i]):
            return i + 1
    return None


def _table_line(lines: list[str], key: str) -> int | None:
    pattern = re.compile(rf"^\s*\[\[?\s*{re.escape(key)}\s*[\].]")
    for i, ln in enumerate(lines):
        if pattern.match(ln):
            return i + 1
    return None


def _key_path(loc: tuple[str | int, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


def _describe(err: Any) -> str:
    msg = str(err["msg"])
    msg = msg.removeprefix("Value error, ")
    if err["type"] == "extra_forbidden":
        return "unknown key" + _suggestion(err["loc"])
    if err["type"] == "missing":
        return "required key is missing"
    if err["type"] == "literal_error":
        return f"{msg}; got {err.get('input')!r}"
    return msg


def _clean_loc(loc: tuple[str | int, ...]) -> tuple[str | int, ...]:
    # pydantic adds the member type of a union ("int", "str") to the location
    return tuple(p for p in loc if p not in ("int", "str", "function-after[_every(), union]"))


@dataclass(frozen=True, slots=True)
class _Issue:
    loc: tuple[str | int, ...]
    message: str


def _suggestion(loc: tuple[str | int, ...]) -> str:
    key = loc[-1]
    model: type[BaseModel] = _SourceModel if len(loc) >= 3 else _FileModel
    if loc[0] == "scheduler" and len(loc) == 2:
        model = _SchedulerModel
    if not isinstance(key, str):
        return ""
    close = difflib.get_close_matches(key, list(model.model_fields), n=1)
    return f"; did you mean {close[0]!r}?" if close else ""


def _issues_from_validation(exc: ValidationError) -> list[_Issue]:
    return [_Issue(_clean_loc(tuple(err["loc"])), _describe(err)) for err in exc.errors()]


def _cross_field_issues(model: _FileModel) -> list[_Issue]:
    """Checks that span keys or sources, reported at the key a user has to change."""
    issues: list[_Issue] = []
    seen: dict[str, int] = {}
    for i, src in enumerate(model.sources):
        if src.schedule is not None and src.every is not None:
            issues.append(
                _Issue(
                    ("sources", i, "every"), "give either 'schedule' (cron) or 'every', not both"
                )
            )
        if src.kind == "listing" and not src.article_pattern:
            issues.append(_Issue(("sources", i, "article_pattern"), "required for kind 'listing'"))
        if src.name in seen:
            issues.append(
                _Issue(
                    ("sources", i, "name"),
                    f"duplicate name {src.name!r}, already used by sources[{seen[src.name]}]",
                )
            )
        seen.setdefault(src.name, i)
    if not model.sources:
        issues.append(_Issue(("sources",), "no sources listed"))
    if model.scheduler.executor == "scrapyd" and not model.scheduler.scrapyd_nodes:
        issues.append(
            _Issue(("scheduler", "scrapyd_nodes"), "required (at least one URL) for 'scrapyd'")
        )
    return issues


def _config_error(path: Path, text: str, data: Any, issues: list[_Issue]) -> ConfigError:
    lines: list[str] = []
    for issue in issues:
        key = _key_path(issue.loc) or "(top level)"
        line = _line_of(text, issue.loc)
        where = f"{path}:{line}" if line else str(path)
        name = _source_name(data, issue.loc)
        named = f" (source {name!r})" if name else ""
        lines.append(f"{where}: {key}{named}: {issue.message}")
    first = issues[0]
    message = lines[0] if len(lines) == 1 else f"{len(lines)} problems:\n" + "\n".join(lines)
    return ConfigError(message, path=path, key=_key_path(first.loc), line=_line_of(text, first.loc))


def _source_name(data: Any, loc: tuple[str | int, ...]) -> str | None:
    if len(loc) >= 2 and loc[0] == "sources" and isinstance(loc[1], int):
        try:
            name = data["sources"][loc[1]].get("name")
        except (KeyError, IndexError, TypeError, AttributeError):
            return None
        return name if isinstance(name, str) else None
    return None


# --- public API ----------------------------------------------------------------------------

_TOML_POS_RE = re.compile(r"\(at line (\d+), column (\d+)\)")


def parse_config(text: str, path: Path) -> Config:
    """Validate TOML text; `path` is only used in messages and stored on the Config."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = _TOML_POS_RE.search(str(exc))
        line = int(m.group(1)) if m else None
        where = f"{path}:{line}" if line else str(path)
        raise ConfigError(f"{where}: invalid TOML: {exc}", path=path, line=line) from None
    if "sources" not in data:
        raise _config_error(path, text, data, [_Issue(("sources",), "no [[sources]] table found")])
    try:
        model = _FileModel.model_validate(data)
    except ValidationError as exc:
        raise _config_error(path, text, data, _issues_from_validation(exc)) from None
    issues = _cross_field_issues(model)
    if issues:
        raise _config_error(path, text, data, issues)
    return Config(
        path=path,
        sources=tuple(s.to_source() for s in model.sources),
        scheduler=model.scheduler.to_settings(),
    )


def load_config(path: str | Path) -> Config:
    """Read and validate a sources file; any problem raises ConfigError."""
    path = Path(path)
    try:
        text = _read_text(path)
    except FileNotFoundError:
        raise ConfigError(f"{path}: sources file not found", path=path) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read sources file: {exc}", path=path) from None
    return parse_config(text, path)


def _read_text(path: Path) -> str:
    if path == DEFAULT_CONFIG_PATH and not path.is_file():
        # warta imported from a zip (a Scrapyd node runs the egg as is): package data
        from importlib.resources import files

        return files("warta").joinpath(path.name).read_text(encoding="utf-8")
    return path.read_text(encoding="utf-8")


def find_config_path(explicit: str | Path | None = None) -> Path:
    """--config FILE, then $WARTA_CONFIG, then ./warta.toml, then the bundled curated list."""
    if explicit:
        return Path(explicit)
    env = os.environ.get(ENV_CONFIG)
    if env:
        return Path(env)
    local = Path.cwd() / LOCAL_CONFIG_NAME
    if local.is_file():
        return local
    return DEFAULT_CONFIG_PATH


def load_default_config(explicit: str | Path | None = None) -> Config:
    return load_config(find_config_path(explicit))
