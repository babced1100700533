"""Sources file: loading, defaults, and errors that name the file, key and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from warta.config import (
    DEFAULT_CONFIG_PATH,
    ConfigError,
    Schedule,
    find_config_path,
    load_config,
    load_default_config,
    parse_interval,
)

GOOD = """\
# two sources
[[sources]]
name = "kabar-ai"
kind = "feed"
start_urls = ["https://www.kabar.example/feed/"]
language = "ID"
schedule = "*/30 * * * *"

[[sources]]
name = "wire"
kind = "listing"
start_urls = ["https://wire.example/ai/", "https://news.wire.example/ai/"]
every = "1h30m"
article_pattern = "/\\\\d{4}/"
remove_selectors = [".promo", "div.ad > span"]
enabled = false
"""


def write(tmp_path: Path, text: str, name: str = "warta.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def error_for(tmp_path: Path, text: str) -> ConfigError:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert str(path) in str(info.value)
    return info.value


def test_good_file_becomes_typed_sources(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, GOOD))
    kabar, wire = config.sources
    assert kabar.name == "kabar-ai"
    assert kabar.kind == "feed"
    assert kabar.start_urls == ("https://www.kabar.example/feed/",)
    assert kabar.allowed_domains == ("kabar.example",)  # default: hosts without www.
    assert kabar.language == "id"
    assert kabar.schedule == Schedule(cron="*/30 * * * *")
    assert kabar.enabled is True
    assert wire.allowed_domains == ("wire.example", "news.wire.example")
    assert wire.schedule == Schedule(every_seconds=5400)
    assert wire.article_pattern == "/\\d{4}/"
    assert wire.remove_selectors == (".promo", "div.ad > span")
    assert wire.enabled is False
    assert config.source("wire") is wire
    with pytest.raises(KeyError):
        config.source("missing")


@pytest.mark.parametrize(
    ("value", "seconds"),
    [(900, 900), ("900", 900), ("900s", 900), ("15m", 900), ("1h", 3600), ("1d", 86400)],
)
def test_interval_forms(value: int | str, seconds: int) -> None:
    assert parse_interval(value) == seconds


@pytest.mark.parametrize("value", [0, -5, "15x", "m15", "", "1.5h"])
def test_bad_intervals_rejected(value: int | str) -> None:
    with pytest.raises(ValueError):
        parse_interval(value)


def source_block(extra: str, name: str = "second", kind: str = "feed") -> str:
    return (
        '[[sources]]\nname = "first"\nkind = "feed"\nstart_urls = ["https://a.example/feed"]\n\n'
        f'[[sources]]\nname = "{name}"\nkind = "{kind}"\n'
        'start_urls = ["https://b.example/"]\n' + extra
    )


@pytest.mark.parametrize(
    ("extra", "kind", "key", "line", "words"),
    [
        ('schedule = "61 * * * *"\n', "feed", "sources[1].schedule", 10, "cron"),
        ('schedule = "* * * *"\n', "feed", "sources[1].schedule", 10, "5 fields"),
        ('colour = "red"\n', "feed", "sources[1].colour", 10, "unknown key"),
        ("", "listing", "sources[1].article_pattern", 6, "required"),
        ('article_pattern = "(unclosed"\n', "feed", "sources[1].article_pattern", 10, "regular"),
        ('remove_selectors = ["div["]\n', "feed", "sources[1].remove_selectors", 10, "CSS"),
        ('every = "soon"\n', "feed", "sources[1].every", 10, "interval"),
        ('every = 60\nschedule = "0 * * * *"\n', "feed", "sources[1].every", 10, "not both"),
        ("enabled = 1\n", "feed", "sources[1].enabled", 10, "boolean"),
        ('language = "indonesian"\n', "feed", "sources[1].language", 10, "ISO 639-1"),
        (
            'allowed_domains = ["https://b.example"]\n',
            "feed",
            "sources[1].allowed_domains",
            10,
            "domain",
        ),
        ("", "rss", "sources[1].kind", 8, "'feed'"),
        ('allow_networks = ["10.0.0.0/33"]\n', "feed", "sources[1].allow_networks", 10, "network"),
    ],
)
def test_errors_name_file_key_line_and_source(
    tmp_path: Path, extra: str, kind: str, key: str, line: int, words: str
) -> None:
    error = error_for(tmp_path, source_block(extra, kind=kind))
    message = str(error)
    assert f"warta.toml:{line}: {key} (source 'second')" in message
    assert words in message
    assert (error.key, error.line) == (key, line)


def test_misspelt_key_gets_a_suggestion(tmp_path: Path) -> None:
    error = error_for(tmp_path, source_block('shedule = "0 * * * *"\n'))
    assert "sources[1].shedule (source 'second'): unknown key; did you mean 'schedule'?" in str(
        error
    )


def test_duplicate_name_points_at_second_use(tmp_path: Path) -> None:
    error = error_for(tmp_path, source_block("", name="first"))
    assert "warta.toml:7: sources[1].name (source 'first')" in str(error)
    assert "duplicate" in str(error)


def test_missing_required_key(tmp_path: Path) -> None:
    text = '[[sources]]\nname = "x"\nstart_urls = ["https://a.example/"]\n'
    error = error_for(tmp_path, text)
    assert "warta.toml:1: sources[0].kind (source 'x'): required key is missing" in str(error)


def test_bad_start_url(tmp_path: Path) -> None:
    text = '[[sources]]\nname = "x"\nkind = "feed"\nstart_urls = ["ftp://a.example/"]\n'
    error = error_for(tmp_path, text)
    assert "warta.toml:4: sources[0].start_urls" in str(error)


def test_bad_name(tmp_path: Path) -> None:
    text = '[[sources]]\nname = "Kabar AI"\nkind = "feed"\nstart_urls = ["https://a.example/"]\n'
    assert "warta.toml:2: sources[0].name" in str(error_for(tmp_path, text))


def test_all_problems_are_reported(tmp_path: Path) -> None:
    error = error_for(tmp_path, source_block('schedule = "bad"\ncolour = 1\n'))
    message = str(error)
    assert message.startswith("2 problems")
    assert "sources[1].schedule" in message and "sources[1].colour" in message


def test_unknown_top_level_key(tmp_path: Path) -> None:
    error = error_for(tmp_path, 'title = "mine"\n\n' + source_block(""))
    assert "warta.toml:1: title: unknown key" in str(error)


def test_toml_syntax_error_carries_line(tmp_path: Path) -> None:
    error = error_for(tmp_path, '[[sources]]\nname = "x"\nkind = \n')
    assert "warta.toml:3: invalid TOML" in str(error)
    assert "line 3, column" in str(error)
    assert error.line == 3


def test_no_sources(tmp_path: Path) -> None:
    assert "no [[sources]] table" in str(error_for(tmp_path, "# empty\n"))


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        load_config(tmp_path / "nope.toml")


def test_find_config_path_precedence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("WARTA_CONFIG", raising=False)
    assert find_config_path() == DEFAULT_CONFIG_PATH
    local = write(tmp_path, GOOD)
    assert find_config_path().resolve() == local.resolve()
    env = write(tmp_path, GOOD, "env.toml")
    monkeypatch.setenv("WARTA_CONFIG", str(env))
    assert find_config_path() == env
    assert find_config_path("explicit.toml") == Path("explicit.toml")
    assert load_default_config().path == env


def test_bundled_default_list() -> None:
    config = load_config(DEFAULT_CONFIG_PATH)
    enabled = [s for s in config.sources if s.enabled]
    assert len(enabled) >= 12
    assert {s.language for s in enabled} >= {"en", "id"}
    assert len({s.name for s in config.sources}) == len(config.sources)
    for source in enabled:
        assert source.start_urls[0].startswith("https://")
        assert source.allowed_domains
        assert source.schedule.cron or source.schedule.every_seconds


def test_example_file_loads() -> None:
    config = load_config(DEFAULT_CONFIG_PATH.with_name("sources.example.toml"))
    assert {s.kind for s in config.sources} == {"feed", "listing"}
