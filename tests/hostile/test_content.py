"""Hostile web, content side: wrong charsets and script injection, crawled and stored for
real, then rendered the way the CLI renders stored fields (table, JSON, CSV, show)."""

from __future__ import annotations

import json
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import lxml.html
import pytest
from click.testing import CliRunner
from harness import crawl
from server import HostileServer, article, feed_source, serve

from storage.database import Database
from storage.records import StoredArticle
from warta.cli import main

pytestmark = pytest.mark.slow

LATIN1_PARAGRAPHS = [
    "Pemerintah kota Bandung meluncurkan program «Kota Cerdas» untuk layanan publik "
    "berbasis kecerdasan buatan, dengan pusat data yang dijaga pada suhu 18°C.",
    "Menurut kepala dinas, biaya operasional turun ½ dibanding tahun lalu, dan kafé "
    "digital di balai kota kini melayani warga dua belas jam sehari.",
    "Program itu juga melatih 2.000 pegawai negeri agar memahami risiko model bahasa "
    "besar, termasuk bias dan kebocoran data pribadi warga.",
]
CP1252_PARAGRAPHS = [
    "The startup’s chief executive said the model “reads contracts like a lawyer” "
    "and costs a fraction of the incumbent’s service – about €2 per document.",
    "Analysts were less sure… they noted that the benchmark results came from the "
    "company’s own evaluation suite and had not been independently reproduced.",
    "Regulators in Brussels said they would review the claims under the AI Act’s "
    "transparency rules before the product reaches European customers.",
]
XSS_TITLE_HTML = "&lt;script&gt;alert(1)&lt;/script&gt; Lab ships [bold red]model[/] &#27;[2J"
XSS_BODY = (
    "<p>Researchers showed the payload &lt;img src=x onerror=alert(2)&gt; in their slides, "
    "and explained why escaped markup must stay text in every place it is shown.</p>"
    "<script>alert(3)</script>"
    "<p onclick='alert(4)'>The second paragraph carries an event handler attribute and "
    "<a href='javascript:alert(5)'>a javascript link</a> that must not survive cleaning.</p>"
    "<p>A third paragraph has <iframe src='https://evil.example/'></iframe> an iframe and "
    "<a href='https://example.org/ok' onmouseover='alert(6)'>a normal link</a> too.</p>"
    "<p>Finally the article ends with a longer paragraph about open models, evaluation "
    "suites, chips and policy, so that the extractor sees a real body.</p>"
)

PAGES: dict[str, tuple[str, bytes]] = {
    # Latin-1 bytes, no charset anywhere (header or meta).
    "/enc/latin1-id": (
        "text/html",
        (
            "<html lang='id'><head><title>Kota Cerdas «Bandung»</title></head><body><article>"
            "<h1>Kota Cerdas «Bandung»</h1>"
            + "".join(f"<p>{p}</p>" for p in LATIN1_PARAGRAPHS)
            + "</article></body></html>"
        ).encode("latin-1"),
    ),
    # cp1252 bytes (curly quotes, en dash, euro, ellipsis) declared UTF-8 twice.
    "/enc/cp1252-as-utf8": (
        "text/html; charset=utf-8",
        article(
            "Startup’s “lawyer” model",
            "".join(f"<p>{p}</p>" for p in CP1252_PARAGRAPHS),
        ).encode("cp1252"),
    ),
    # Random bytes that no charset reads, wrapped in ordinary markup and declared UTF-8.
    "/enc/undecodable": (
        "text/html; charset=utf-8",
        article("Unreadable", "<p>" + "X" * 8 + "</p>")
        .encode()
        .replace(b"X" * 8, random.Random(7).randbytes(6000).translate(None, bytes(range(32)))),
    ),
    "/xss": ("text/html; charset=utf-8", article(XSS_TITLE_HTML, XSS_BODY).encode()),
}


@dataclass
class ContentCrawl:
    server: HostileServer
    db_url: str


@pytest.fixture(scope="module")
def content(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ContentCrawl]:
    tmp = tmp_path_factory.mktemp("content")
    db_url = f"sqlite:///{tmp / 'content.db'}"
    with serve() as server:
        server.pages.update(PAGES)
        config = tmp / "sources.toml"
        config.write_text(feed_source("content", server.base_url, *PAGES))
        result = crawl(config, db_url)
        assert result.returncode == 0, result.log[-4000:]
        yield ContentCrawl(server, db_url)


def stored(content: ContentCrawl, path: str) -> StoredArticle:
    with Database.open(content.db_url) as db:
        found = db.get_article(content.server.url(path))
    assert found is not None, f"{path} was not stored"
    return found


def text_fields(a: StoredArticle) -> str:
    return "\n".join([a.title or "", a.text, a.description or "", *a.authors])


# --- encoding -----------------------------------------------------------------------------


def test_latin1_indonesian_page_without_charset_decodes_cleanly(content: ContentCrawl) -> None:
    a = stored(content, "/enc/latin1-id")
    assert "\ufffd" not in text_fields(a)
    assert a.title == "Kota Cerdas «Bandung»"
    for snippet in ("«Kota Cerdas»", "18°C", "turun ½", "kafé"):
        assert snippet in a.text, snippet


def test_cp1252_page_declared_utf8_decodes_cleanly(content: ContentCrawl) -> None:
    a = stored(content, "/enc/cp1252-as-utf8")
    assert "\ufffd" not in text_fields(a)
    assert a.title == "Startup’s “lawyer” model"
    for snippet in ("startup’s", "“reads contracts like a lawyer”", "– about €2", "sure…"):
        assert snippet in a.text, snippet


def test_a_page_no_charset_decodes_is_counted_and_not_stored(content: ContentCrawl) -> None:
    with Database.open(content.db_url) as db:
        assert db.get_article(content.server.url("/enc/undecodable")) is None
        (run,) = db.list_runs(source="content")
    assert run.status == "finished"
    assert (run.stats or {}).get("errors/extract") == 1, run.stats
    assert "undecodable page" in (run.error_message or "")
    assert content.server.url("/enc/undecodable") in (run.error_message or "")


# --- script injection ----------------------------------------------------------------------

# The ESC (&#27;) is dropped as a control character; the rest is literal text.
PAYLOAD_TEXT = "<script>alert(1)</script> Lab ships [bold red]model[/] [2J"
ACTIVE_TAGS = {"script", "iframe", "object", "embed", "style", "form", "meta", "link", "base"}


def active_parts(html: str) -> list[str]:
    """What a browser would run in `html`: active elements, on* handlers, javascript: URLs."""
    found = []
    for el in lxml.html.fragment_fromstring(html, create_parent="div").iter():
        if not isinstance(el.tag, str):
            continue
        if el.tag in ACTIVE_TAGS:
            found.append(el.tag)
        for name, value in el.attrib.items():
            if name.lower().startswith("on"):
                found.append(f"{el.tag}@{name}")
            if re.sub(r"[\s\x00-\x1f]", "", value).lower().startswith(("javascript:", "data:")):
                found.append(f"{el.tag}@{name}={value}")
    return found


def test_escaped_markup_is_kept_as_text_and_stored_html_is_inert(content: ContentCrawl) -> None:
    a = stored(content, "/xss")
    # What the page showed its readers, as text: the escaped tags, no terminal escape.
    assert a.title == PAYLOAD_TEXT
    assert "<img src=x onerror=alert(2)>" in a.text
    assert "alert(3)" not in a.text  # a real script is not article text
    assert active_parts(a.html) == [], a.html
    # The escaped payload stays escaped in the HTML: it is text there too.
    assert "&lt;img src=x onerror=alert(2)&gt;" in a.html
    assert not any(ord(ch) < 32 and ch not in "\n\t" for ch in text_fields(a))


def cli(db_url: str, *args: str) -> str:
    runner = CliRunner(env={"COLUMNS": "250"})  # wide enough for the whole title
    result = runner.invoke(main, ["--database", db_url, *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_cli_table_shows_the_payload_as_literal_text(content: ContentCrawl) -> None:
    out = cli(content.db_url, "query", "ships", "--format", "table")
    assert "\x1b" not in out  # no terminal escape reaches the screen
    # rich markup in a title is printed, not interpreted (no style swallowed the brackets)
    assert PAYLOAD_TEXT in out, out


def test_cli_json_and_show_carry_the_payload_as_data(content: ContentCrawl) -> None:
    [row] = json.loads(cli(content.db_url, "query", "ships", "--format", "json"))
    assert row["title"] == PAYLOAD_TEXT
    shown = json.loads(cli(content.db_url, "show", str(row["id"])))
    assert shown["title"] == PAYLOAD_TEXT
    assert "\x1b" not in json.dumps(shown)


def test_cli_csv_neutralises_spreadsheet_formulas(tmp_path: Path) -> None:
    from warta.output import csv_value

    for payload in ('=HYPERLINK("https://evil.example","click")', "+1+cmd", "-2+3", "@SUM(A1)"):
        assert csv_value(payload) == "'" + payload
    assert csv_value("Model launch = big news") == "Model launch = big news"
    assert csv_value(["a", "b"]) == '["a", "b"]'
    assert csv_value(-3) == "-3"  # numbers are data, not formulas
