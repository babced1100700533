"""Hostile web: the SSRF and scheme guards, the Retry-After parser, the binary check, the
failure classifier — as units, then through a real crawl with no allowlist."""

from __future__ import annotations

import ipaddress
from datetime import UTC, datetime
from pathlib import Path

import pytest
from harness import crawl
from scrapy.settings import Settings
from server import HostileServer, feed_source
from twisted.internet.error import DNSLookupError

from crawler.content import binary_reason
from crawler.guards import (
    GuardedResolver,
    allowed_networks,
    literal_address,
    parse_networks,
    refused_reason,
)
from crawler.retry import retry_after_seconds
from storage.database import Database

LOOPBACK_ONLY = parse_networks("127.0.0.1/32")


@pytest.mark.parametrize(
    ("host", "address"),
    [
        ("127.0.0.1", "127.0.0.1"),
        ("2130706433", "127.0.0.1"),  # decimal
        ("0x7f000001", "127.0.0.1"),  # hex
        ("0x7f.0.0.1", "127.0.0.1"),
        ("0177.0.0.1", "127.0.0.1"),  # octal
        ("127.1", "127.0.0.1"),  # short form
        ("[::1]", "::1"),
        ("::ffff:169.254.169.254", "::ffff:a9fe:a9fe"),
        ("example.com", None),
        ("1.example.com", None),
    ],
)
def test_every_spelling_of_an_ip_literal_is_recognised(host: str, address: str | None) -> None:
    found = literal_address(host)
    assert (str(found) if found else None) == address


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("127.0.0.2", "loopback"),
        ("::1", "loopback"),
        ("10.1.2.3", "private"),
        ("192.168.0.1", "private"),
        ("172.16.5.4", "private"),
        ("fd00::1", "private"),
        ("169.254.169.254", "link-local"),
        ("fe80::1", "link-local"),
        ("224.0.0.1", "multicast"),
        ("ff02::1", "multicast"),
        ("0.0.0.0", "unspecified"),
        ("240.0.0.1", "reserved"),
        ("100.64.0.1", "non-public"),  # carrier-grade NAT
        ("::ffff:127.0.0.1", "loopback"),  # IPv4-mapped IPv6
    ],
)
def test_non_public_addresses_are_refused(address: str, reason: str) -> None:
    refused = refused_reason(ipaddress.ip_address(address), ())
    assert refused is not None and refused.startswith(reason), refused


def test_public_addresses_pass_and_the_allowlist_lets_chosen_ranges_through() -> None:
    assert refused_reason(ipaddress.ip_address("93.184.216.34"), ()) is None
    assert refused_reason(ipaddress.ip_address("2606:2800:220:1::1"), ()) is None
    assert refused_reason(ipaddress.ip_address("127.0.0.1"), LOOPBACK_ONLY) is None
    assert refused_reason(ipaddress.ip_address("127.0.0.2"), LOOPBACK_ONLY) is not None
    assert refused_reason(ipaddress.ip_address("::ffff:127.0.0.1"), LOOPBACK_ONLY) is None


def test_allowlist_comes_from_the_setting_else_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("WARTA_ALLOW_NETWORKS", "10.0.0.0/8, ::1/128")
    assert [str(n) for n in allowed_networks(Settings())] == ["10.0.0.0/8", "::1/128"]
    settings = Settings({"WARTA_ALLOW_NETWORKS": "192.168.1.0/24"})
    assert [str(n) for n in allowed_networks(settings)] == ["192.168.1.0/24"]
    monkeypatch.delenv("WARTA_ALLOW_NETWORKS")
    assert allowed_networks(Settings()) == ()


def test_a_bad_allowlist_entry_is_named() -> None:
    with pytest.raises(ValueError, match=r"WARTA_ALLOW_NETWORKS: 'localhost' is not a CIDR"):
        parse_networks("127.0.0.1/32,localhost")


def test_resolver_refuses_an_answer_in_a_refused_network() -> None:
    # The last line against DNS rebinding: what the connection would really go to.
    resolver = GuardedResolver.__new__(GuardedResolver)
    resolver.allowed = LOOPBACK_ONLY
    assert resolver._check("127.0.0.1", "demo.local") == "127.0.0.1"
    assert resolver._check("93.184.216.34", "example.com") == "93.184.216.34"
    with pytest.raises(DNSLookupError, match=r"rebind\.example resolves to a refused private"):
        resolver._check("10.0.0.7", "rebind.example")


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        (b"120", 120.0),
        ("0", 0.0),
        ("Wed, 25 Nov 2026 12:01:00 GMT", 60.0),
        ("Wed, 25 Nov 2026 11:00:00 GMT", 0.0),  # in the past: now
        ("soon", None),
        (None, None),
    ],
)
def test_retry_after_accepts_seconds_and_http_dates(
    value: bytes | str | None, seconds: float | None
) -> None:
    now = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
    assert retry_after_seconds(value, now) == seconds


@pytest.mark.parametrize(
    ("body", "binary"),
    [
        (b"<html><body><p>Berita hari ini</p></body></html>", False),
        ("<p>Ekonomi digital — “AI” tumbuh</p>".encode(), False),
        ("<p>UTF-16 page</p>".encode("utf-16"), False),
        (b"", False),
        (b"\x89PNG\r\n\x1a\n" + bytes(100), True),
        (b"%PDF-1.7\n", True),
        (b"\x1f\x8b\x08\x00" + bytes(50), True),
        (b"<html>" + b"\x00" * 10 + b"x" * 2000, True),
        (b"<p>hi</p>" + bytes(range(1, 9)) * 200, True),
        # Tabs, LF, FF and CR are text, however many; the 5% control limit is exclusive.
        (b"<p>" + b"\t\n\x0c\r" * 500 + b"x" * 100, False),
        (b"\x01" * 5 + b"x" * 95, False),
        (b"\x01" * 6 + b"x" * 94, True),
        (b"\t" * 50 + b"\x7f" * 6 + b"x" * 44, True),
    ],
)
def test_binary_bodies_are_told_from_pages(body: bytes, binary: bool) -> None:
    assert (binary_reason(body) is not None) is binary


# --- through a real crawl, with no allowlist ------------------------------------------------


@pytest.mark.slow
def test_without_an_allowlist_every_form_of_loopback_is_refused_before_connecting(
    hostile: HostileServer, tmp_path: Path, db_url: str
) -> None:
    port = hostile.port
    hosts = {
        "literal": "127.0.0.1",
        "name": "localhost",  # refused after DNS resolution
        "decimal": "2130706433",
        "hex": "0x7f.0.0.1",
        "ipv6": "[::1]",
        "mapped": "[::ffff:127.0.0.1]",
    }
    config = tmp_path / "sources.toml"
    config.write_text(
        "\n".join(feed_source(name, f"http://{host}:{port}", "/ok") for name, host in hosts.items())
    )
    result = crawl(config, db_url, allow=None)
    assert result.returncode == 0, result.log[-3000:]

    assert hostile.hits == []  # nothing reached the server, not even robots.txt
    with Database.open(db_url) as db:
        runs = {r.source: r for r in db.list_runs()}
    assert set(runs) == set(hosts)
    for name, run in runs.items():
        assert run.stats and run.stats.get("errors/blocked") == 1, (name, run)
        assert "loopback address" in (run.error_message or ""), (name, run.error_message)
    assert "name resolving to a loopback address" in (runs["name"].error_message or "")


@pytest.mark.slow
@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "data:text/html,<p>secret</p>", "ftp://127.0.0.1/x"]
)
def test_non_http_start_url_is_refused(tmp_path: Path, db_url: str, url: str) -> None:
    config = tmp_path / "sources.toml"
    config.write_text(feed_source("unused", "http://example.invalid", "/") + "enabled = false\n")
    result = crawl(config, db_url, "-a", f"url={url}")
    assert result.returncode == 0, result.log[-3000:]
    with Database.open(db_url) as db:
        [run] = db.list_runs()
        assert db.count_articles() == 0
    assert run.stats and run.stats.get("errors/blocked") == 1, run
    assert "is not http(s)" in (run.error_message or "")
    assert "root:" not in result.log  # /etc/passwd was never read
