"""Tests for the ``warta`` CLI through click's runner (and a few real subprocesses)."""

from __future__ import annotations

import csv
import io
import json
import os
import shlex
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

from warta.cli import main

REPO = Path(__file__).resolve().parents[2]
WARTA_BIN = Path(sys.executable).parent / "warta"

PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Open model released | AI Daily</title>
<meta property="og:site_name" content="AI Daily">
<meta name="author" content="Ann Lee">
<meta property="article:published_time" content="2026-01-05T09:00:00Z">
</head><body><article><h1>Open model released</h1>
<p>The lab released an open model today, with weights and a paper describing training.</p>
<p>Researchers said the model matches larger systems on several public benchmarks.</p>
</article></body></html>"""


def run(*args: str, input: str | bytes | None = None, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(main, list(args), input=input, env=env, catch_exceptions=False)


# --- every command documented ------------------------------------------------------


def _walk(group: click.Group, prefix: tuple[str, ...]) -> Iterator[tuple[str, ...]]:
    for name, command in sorted(group.commands.items()):
        yield (*prefix, name)
        if isinstance(command, click.Group):
            yield from _walk(command, (*prefix, name))


ALL_COMMANDS = [(), *_walk(main, ())]


@pytest.mark.parametrize("path", ALL_COMMANDS, ids=lambda p: " ".join(p) or "warta")
def test_every_command_has_help_with_an_example(path: tuple[str, ...]) -> None:
    result = run(*path, "--help")
    assert result.exit_code == 0, result.output
    assert "Example" in result.stdout, f"`warta {' '.join(path)} --help` shows no example"
    examples = result.stdout.split("Example", 1)[1].split("Options:", 1)[0]
    # an example line runs the command it documents (options may come in between)
    assert any(_runs(line, path) for line in examples.splitlines()), examples


def _runs(line: str, path: tuple[str, ...]) -> bool:
    words = iter(line.split("warta", 1)[1].split()) if "warta" in line else iter(())
    return "warta" in line and all(name in words for name in path)


def _example_argvs(help_text: str) -> Iterator[list[str]]:
    """The warta argument lists of the example lines in a help text."""
    examples = help_text.split("Example", 1)[1].split("Options:", 1)[0]
    for line in examples.splitlines()[1:]:
        if "$(" in line:  # command substitution: the inner command is shown elsewhere
            continue
        lexer = shlex.shlex(line, posix=True, punctuation_chars=True)
        lexer.whitespace_split = True
        lexer.commenters = "#"
        words: list[str] = []
        for token in [*lexer, "|"]:
            if token and set(token) <= set("|&;<>()"):  # the end of one simple command
                if "warta" in words:
                    yield words[words.index("warta") + 1 :]
                words = []
            else:
                words.append(token)


def _parse(argv: list[str]) -> None:
    """Parse argv down the command tree like click would, without running anything."""
    command: click.Command = main
    ctx = main.make_context("warta", list(argv))
    while isinstance(command, click.Group):
        rest = [*getattr(ctx, "_protected_args", ()), *ctx.args]
        if not rest:
            return
        name, sub, args = command.resolve_command(ctx, rest)
        assert sub is not None and name is not None
        command, ctx = sub, sub.make_context(name, args, parent=ctx)


@pytest.mark.parametrize("path", ALL_COMMANDS, ids=lambda p: " ".join(p) or "warta")
def test_help_examples_are_valid_command_lines(path: tuple[str, ...], tmp_path: Path) -> None:
    help_text = run(*path, "--help").stdout
    argvs = list(_example_argvs(help_text))
    assert argvs
    for argv in argvs:
        try:
            _parse(argv)
        except click.UsageError as exc:
            pytest.fail(f"example `warta {shlex.join(argv)}` does not parse: {exc}")


def test_the_installed_entry_point_and_python_m_both_run() -> None:
    for argv in ([str(WARTA_BIN), "--help"], [sys.executable, "-m", "warta", "--help"]):
        done = subprocess.run(argv, capture_output=True, text=True, timeout=60, cwd=REPO)
        assert done.returncode == 0, done.stderr
        assert "query" in done.stdout and "crawl" in done.stdout


# --- extract -----------------------------------------------------------------------


@pytest.fixture
def page_file(tmp_path: Path) -> Path:
    path = tmp_path / "page.html"
    path.write_text(PAGE, encoding="utf-8")
    return path


def test_extract_file_as_text(page_file: Path) -> None:
    result = run(
        "extract", str(page_file), "--url", "https://aidaily.test/2026/open-model", "-f", "text"
    )
    assert result.exit_code == 0, result.output
    head, body = result.stdout.split("\n\n", 1)
    assert "Title:" in head and "Open model released" in head
    assert "URL:       https://aidaily.test/2026/open-model" in head
    assert "The lab released an open model today" in body
    assert "Researchers said" in body


def test_extract_file_as_json_is_the_default_when_piped(page_file: Path) -> None:
    result = run("extract", str(page_file), "--url", "https://aidaily.test/2026/open-model")
    data = json.loads(result.stdout)
    assert data["url"] == "https://aidaily.test/2026/open-model"
    assert data["title"].startswith("Open model released")
    assert "Researchers said the model" in data["text"]
    assert data["word_count"] == len(data["text"].split())
    assert data["content_hash"]


def test_extract_as_markdown(page_file: Path) -> None:
    result = run("extract", str(page_file), "-f", "markdown")
    assert result.exit_code == 0
    assert "The lab released an open model today" in result.stdout
    assert "<p>" not in result.stdout


def test_extract_without_url_names_the_file(page_file: Path) -> None:
    data = json.loads(run("extract", str(page_file)).stdout)
    assert data["url"] == page_file.resolve().as_uri()


def test_extract_reads_stdin(page_file: Path) -> None:
    result = run("extract", "-", "--url", "https://aidaily.test/x", input=page_file.read_bytes())
    assert json.loads(result.stdout)["url"] == "https://aidaily.test/x"


def test_extract_fetches_an_http_url() -> None:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = PAGE.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/news/open-model"
        data = json.loads(run("extract", url, "-f", "json").stdout)
    finally:
        server.shutdown()
        server.server_close()
    assert data["url"] == url
    assert "open model today" in data["text"]


def test_extract_of_a_missing_file_is_a_one_line_error(tmp_path: Path) -> None:
    result = run("extract", str(tmp_path / "nope.html"))
    assert result.exit_code == 2
    assert "cannot read" in result.stderr
    assert "Traceback" not in result.output


def test_extract_of_an_unreachable_url_is_a_one_line_error() -> None:
    result = run("extract", "http://127.0.0.1:1/x")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: could not fetch http://127.0.0.1:1/x")


# --- options and errors ------------------------------------------------------------


def test_bad_since_is_a_usage_error_without_traceback(sqlite_url: str) -> None:
    result = run("--database", sqlite_url, "query", "--since", "last tuesday")
    assert result.exit_code == 2
    assert "relative age" in result.stderr
    assert "Traceback" not in result.output


def test_unreachable_database_is_one_line_and_masks_the_password() -> None:
    url = "postgresql+psycopg://warta:s3cretpw@127.0.0.1:1/warta?connect_timeout=2"
    result = CliRunner().invoke(main, ["--database", url, "query", "x"])
    assert result.exit_code == 1
    assert "s3cretpw" not in result.output
    assert result.stderr.startswith("Error: database unavailable")
    assert "***" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_verbose_shows_the_real_exception() -> None:
    from sqlalchemy.exc import OperationalError

    url = "postgresql+psycopg://warta:pw@127.0.0.1:1/warta?connect_timeout=2"
    result = CliRunner().invoke(main, ["-v", "--database", url, "query"])
    assert result.exit_code == 1
    assert isinstance(result.exception, OperationalError)


@pytest.mark.parametrize("url", ["nonsense", "foo://user:s3cretpw@host/db"])
def test_a_malformed_database_url_is_a_usage_error(url: str) -> None:
    result = run("--database", url, "query")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: invalid database URL")
    assert len(result.stderr.strip().splitlines()) == 1
    assert "s3cretpw" not in result.output


def test_since_after_until_is_refused(sqlite_url: str) -> None:
    result = run("--database", sqlite_url, "query", "--since", "1d", "--until", "7d")
    assert result.exit_code == 2
    assert "--since must be earlier than --until" in result.stderr


def test_db_path_shows_the_sqlite_file_or_a_masked_url(tmp_path: Path) -> None:
    assert run("--database", f"sqlite:///{tmp_path}/w.db", "db", "path").stdout.strip() == (
        f"{tmp_path}/w.db"
    )
    out = run("--database", "postgresql+psycopg://u:topsecret@h/db", "db", "path").stdout
    assert out.strip() == "postgresql+psycopg://u:***@h/db"


def test_database_comes_from_the_environment(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/env.db"
    result = run("db", "path", env={"WARTA_DATABASE_URL": url})
    assert result.stdout.strip() == f"{tmp_path}/env.db"


# --- a real database with a few articles -------------------------------------------

NOW = datetime.now(UTC)


def _page(title: str, paragraph: str, lang: str) -> str:
    return (
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>'
        f"</head><body><article><h1>{title}</h1><p>{paragraph}</p>"
        "<p>This second paragraph gives the extractor enough words to keep the body.</p>"
        "</article></body></html>"
    )


# (source, url, title, body, language, published days ago)
ARTICLES = [
    (
        "ai-daily",
        "https://aidaily.test/news/open-weights",
        "Open weights model ships",
        "A lab shipped an open weights model with a permissive licence.",
        "en",
        1,
    ),
    (
        "ai-daily",
        "https://aidaily.test/news/chip-export",
        "Chip export rules tighten",
        "New export rules limit accelerator sales to several countries.",
        "en",
        20,
    ),
    (
        "kabar-ai",
        "https://kabarai.test/berita/model-terbuka",
        "Model terbuka dirilis",
        "Sebuah laboratorium merilis model terbuka dengan lisensi longgar.",
        "id",
        2,
    ),
    (
        "kabar-ai",
        "https://kabarai.test/berita/[bold]markup[/]",
        "[bold red]Judul[/] aneh",
        "Judul ini berisi markup yang harus tampil apa adanya di tabel.",
        "id",
        40,
    ),
]


def _store(url: str) -> None:
    from dataclasses import replace
    from datetime import timedelta

    from pipeline.extract import extract as extract_article
    from storage.database import Database
    from storage.records import PageRecord

    records = []
    for source, page_url, title, body, lang, days_ago in ARTICLES:
        html = _page(title, body, lang)
        article = extract_article(html, page_url)
        # pin the fields the filters use, whatever the metadata extractor does with them
        article = replace(
            article, published_at=NOW - timedelta(days=days_ago), language=lang, title=title
        )
        records.append(PageRecord(article, source, html.encode(), NOW))
    with Database.open(url) as db:
        result = db.store_batch(records)
        assert result.count("new") == len(ARTICLES), result.errors
        run_id = db.start_run("ai-daily")
        db.finish_run(
            run_id,
            status="finished",
            finish_reason="finished",
            pages=3,
            articles_new=2,
            articles_updated=0,
            articles_unchanged=0,
            errors=0,
        )
        run_id = db.start_run("kabar-ai")
        db.finish_run(
            run_id,
            status="failed",
            finish_reason="shutdown",
            pages=1,
            articles_new=0,
            articles_updated=0,
            articles_unchanged=0,
            errors=1,
            error_message="HTTP 503 on feed",
        )


@pytest.fixture
def filled_db(database_url: str) -> str:
    _store(database_url)
    return database_url


@pytest.fixture
def filled_sqlite(sqlite_url: str) -> str:
    _store(sqlite_url)
    return sqlite_url


def query(url: str, *args: str) -> list[dict[str, object]]:
    result = run("--database", url, "query", *args)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert isinstance(data, list)
    return data


def titles(rows: list[dict[str, object]]) -> list[str]:
    return [str(r["title"]) for r in rows]


REQUIRED_KEYS = {
    "id",
    "url",
    "canonical_url",
    "source",
    "title",
    "text",
    "authors",
    "published_at",
    "modified_at",
    "language",
    "site_name",
    "description",
    "tags",
    "image",
    "word_count",
    "fetched_at",
    "content_hash",
}


def test_query_pipes_json_objects_newest_first(filled_db: str) -> None:
    rows = query(filled_db)
    assert titles(rows) == [
        "Open weights model ships",
        "Model terbuka dirilis",
        "Chip export rules tighten",
        "[bold red]Judul[/] aneh",
    ]
    for row in rows:
        assert row.keys() >= REQUIRED_KEYS
        assert isinstance(row["authors"], list)
        published = datetime.fromisoformat(str(row["published_at"]))
        assert published.utcoffset() is not None and not published.utcoffset()


def test_query_filters_combine(filled_db: str) -> None:
    assert titles(query(filled_db, "--lang", "id")) == [
        "Model terbuka dirilis",
        "[bold red]Judul[/] aneh",
    ]
    assert titles(query(filled_db, "--lang", "id", "--since", "7d")) == ["Model terbuka dirilis"]
    assert titles(query(filled_db, "--source", "ai-daily", "--until", "7d")) == [
        "Chip export rules tighten"
    ]
    assert titles(query(filled_db, "--since", "30d", "--until", "36h")) == [
        "Model terbuka dirilis",
        "Chip export rules tighten",
    ]
    assert query(filled_db, "--source", "ai-daily", "--lang", "id") == []
    assert titles(query(filled_db, "--limit", "1", "--offset", "1")) == ["Model terbuka dirilis"]


def test_query_text_matches_words(filled_db: str) -> None:
    assert titles(query(filled_db, "export")) == ["Chip export rules tighten"]
    assert titles(query(filled_db, "laboratorium", "--lang", "id")) == ["Model terbuka dirilis"]


@pytest.mark.parametrize(
    "payload", ["' OR 1=1 --", 'x" OR "1"="1', "'; DROP TABLE articles; --", "% _"]
)
def test_injection_looking_text_is_just_data(filled_db: str, payload: str) -> None:
    assert query(filled_db, payload) == []
    assert len(query(filled_db)) == len(ARTICLES)


def test_query_formats_parse_and_agree(filled_sqlite: str) -> None:
    ids = [row["id"] for row in query(filled_sqlite)]
    jsonl = run("--database", filled_sqlite, "query", "--format", "jsonl").stdout
    assert [json.loads(line)["id"] for line in jsonl.splitlines()] == ids
    text = run("--database", filled_sqlite, "query", "-f", "csv").stdout
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [int(r["id"]) for r in rows] == ids
    assert set(rows[0]) >= REQUIRED_KEYS
    assert json.loads(rows[0]["authors"]) == []


def test_query_table_renders_titles_as_plain_text(filled_sqlite: str) -> None:
    result = run("--database", filled_sqlite, "query", "-f", "table", env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert "[bold red]Judul[/] aneh" in result.stdout
    assert "Open weights model ships" in result.stdout
    assert "\x1b" not in result.stdout


def test_query_with_no_hits_prints_an_empty_array(filled_sqlite: str) -> None:
    assert query(filled_sqlite, "zzznothingzzz") == []


def test_show_by_id_as_text_and_json(filled_db: str) -> None:
    first = query(filled_db, "--limit", "1")[0]
    result = run("--database", filled_db, "show", str(first["id"]), "-f", "text")
    assert result.exit_code == 0
    head, body = result.stdout.split("\n\n", 1)
    assert "Title:     Open weights model ships" in head
    assert "Source:    ai-daily" in head
    assert "A lab shipped an open weights model" in body
    data = json.loads(run("--database", filled_db, "show", str(first["id"])).stdout)
    assert data["id"] == first["id"]
    assert data["text"] == first["text"]
    assert data.keys() >= REQUIRED_KEYS


def test_show_by_url_and_url_variant(filled_db: str) -> None:
    url = "https://aidaily.test/news/chip-export"
    for variant in (url, "https://www.aidaily.test/news/chip-export/?utm_source=x#top"):
        result = run("--database", filled_db, "show", variant, "-f", "json")
        assert result.exit_code == 0, (variant, result.output)
        assert json.loads(result.stdout)["title"] == "Chip export rules tighten"


def test_show_unknown_article_is_a_one_line_error(filled_sqlite: str) -> None:
    result = run("--database", filled_sqlite, "show", "999999")
    assert result.exit_code == 1
    assert result.stderr.strip() == "Error: no stored article matches '999999'"


def test_runs_lists_records_and_filters_by_source(filled_sqlite: str) -> None:
    rows = json.loads(run("--database", filled_sqlite, "runs").stdout)
    assert [r["source"] for r in rows] == ["kabar-ai", "ai-daily"]
    failed = rows[0]
    assert failed["status"] == "failed" and failed["error_message"] == "HTTP 503 on feed"
    assert {
        "id",
        "started_at",
        "finished_at",
        "finish_reason",
        "pages",
        "articles_new",
        "articles_updated",
        "errors",
    } <= failed.keys()
    only = json.loads(run("--database", filled_sqlite, "runs", "--source", "ai-daily").stdout)
    assert [r["status"] for r in only] == ["finished"]
    table = run("--database", filled_sqlite, "runs", "-f", "table", env={"COLUMNS": "200"})
    assert "kabar-ai" in table.stdout and "failed" in table.stdout


def test_db_upgrade_masks_the_password(pg_server_url: str) -> None:
    # trust auth ignores the password, so a real server accepts this URL
    url = pg_server_url.replace("://postgres@", "://postgres:hunter2pw@")
    assert "hunter2pw" in url
    result = run("--database", url, "db", "upgrade")
    assert result.exit_code == 0, result.output
    assert "hunter2pw" not in result.output
    assert "postgres:***@" in result.stdout


def test_db_upgrade_on_a_new_sqlite_file(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/sub/new.db"
    result = run("--database", url, "db", "upgrade")
    assert result.exit_code == 0
    assert result.stdout.strip() == f"Database is up to date: {url}"
    assert (tmp_path / "sub" / "new.db").exists()
    assert run("--database", url, "query").stdout.strip() == "[]"


# --- sources file ------------------------------------------------------------------

SOURCES_TOML = """
[[sources]]
name = "ai-daily"
kind = "feed"
start_urls = ["https://aidaily.test/feed.xml"]
language = "en"
schedule = "*/30 * * * *"

[[sources]]
name = "kabar-ai"
kind = "listing"
start_urls = ["https://kabarai.test/berita/"]
language = "id"
every = "1h"
article_pattern = "/berita/"
enabled = false
"""


@pytest.fixture
def sources_file(tmp_path: Path) -> Path:
    path = tmp_path / "sources.toml"
    path.write_text(SOURCES_TOML, encoding="utf-8")
    return path


def test_sources_lists_the_configured_file(sources_file: Path) -> None:
    rows = json.loads(run("--config", str(sources_file), "sources").stdout)
    assert [(r["name"], r["kind"], r["language"], r["enabled"]) for r in rows] == [
        ("ai-daily", "feed", "en", True),
        ("kabar-ai", "listing", "id", False),
    ]
    assert rows[0]["schedule"] == "cron */30 * * * *"
    assert rows[1]["schedule"] == "every 3600s"
    assert rows[0]["start_urls"] == ["https://aidaily.test/feed.xml"]
    enabled = json.loads(run("--config", str(sources_file), "sources", "--enabled").stdout)
    assert [r["name"] for r in enabled] == ["ai-daily"]


def test_sources_file_from_the_environment(sources_file: Path) -> None:
    result = run("sources", "-f", "csv", env={"WARTA_CONFIG": str(sources_file)})
    assert [r["name"] for r in csv.DictReader(io.StringIO(result.stdout))] == [
        "ai-daily",
        "kabar-ai",
    ]


def test_the_bundled_sources_list_loads() -> None:
    result = run("sources", "-f", "json", env={"WARTA_CONFIG": ""})
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.stdout)) >= 12


def test_a_bad_sources_file_is_a_one_line_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[[sources]]\nname = "x"\nkind = "carrier-pigeon"\nstart_urls = []\n')
    result = run("--config", str(bad), "sources")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: ")
    assert "bad.toml" in result.stderr
    assert "Traceback" not in result.output


def test_crawl_of_an_unknown_source_lists_the_known_ones(sources_file: Path) -> None:
    result = run("--config", str(sources_file), "crawl", "no-such-site")
    assert result.exit_code == 2
    assert "unknown source 'no-such-site'" in result.stderr
    assert "ai-daily, kabar-ai" in result.stderr


def test_crawl_with_an_unreachable_database_fails_before_fetching(sources_file: Path) -> None:
    url = "postgresql+psycopg://warta:pw@127.0.0.1:1/warta?connect_timeout=2"
    result = CliRunner().invoke(main, ["--config", str(sources_file), "--database", url, "crawl"])
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: database unavailable")


def test_crawl_refuses_demo_with_url() -> None:
    result = run("crawl", "--demo", "--url", "https://example.com/a")
    assert result.exit_code == 2
    assert "--demo and --url cannot be combined" in result.stderr


def test_crawl_with_no_enabled_source_says_so(tmp_path: Path) -> None:
    path = tmp_path / "off.toml"
    path.write_text(SOURCES_TOML.replace('language = "en"', 'language = "en"\nenabled = false'))
    result = run("--config", str(path), "crawl")
    assert result.exit_code == 2
    assert "no enabled sources" in result.stderr


# --- a real crawl, in a subprocess (Scrapy's reactor runs once per process) --------

FEED = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Tiny AI</title><link>{base}/</link>
<description>tiny</description>
<item><title>Open weights model ships</title><link>{base}/news/open-weights</link></item>
<item><title>Chip export rules tighten</title><link>{base}/news/chip-export</link></item>
</channel></rss>"""


@pytest.fixture
def tiny_site() -> Iterator[str]:
    pages = {
        "/news/open-weights": _page(ARTICLES[0][2], ARTICLES[0][3], ARTICLES[0][4]),
        "/news/chip-export": _page(ARTICLES[1][2], ARTICLES[1][3], ARTICLES[1][4]),
    }

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            base = f"http://127.0.0.1:{port}"
            if self.path == "/feed.xml":
                body, kind = FEED.format(base=base).encode(), "application/rss+xml"
            elif self.path in pages:
                body, kind = pages[self.path].encode(), "text/html; charset=utf-8"
            else:
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    port = server.server_port
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.slow
def test_crawl_stores_a_feed_and_prints_a_summary(tiny_site: str, tmp_path: Path) -> None:
    config = tmp_path / "tiny.toml"
    config.write_text(
        f'[[sources]]\nname = "tiny"\nkind = "feed"\nstart_urls = ["{tiny_site}/feed.xml"]\n'
        'language = "en"\n'
    )
    url = f"sqlite:///{tmp_path}/crawl.db"
    argv = [str(WARTA_BIN), "--config", str(config), "--database", url]
    # The tiny site is on loopback, which the crawler's SSRF guard refuses unless allowed.
    env = {**os.environ, "WARTA_ALLOW_NETWORKS": "127.0.0.1/32"}
    done = subprocess.run(
        [*argv, "crawl"], capture_output=True, text=True, timeout=180, cwd=tmp_path, env=env
    )
    assert done.returncode == 0, done.stderr
    (summary,) = json.loads(done.stdout)
    assert summary["source"] == "tiny" and summary["status"] == "finished"
    assert summary["articles_new"] == 2 and summary["errors"] == 0
    assert f"Database: {url}" in done.stderr
    stored = query(url)
    assert sorted(titles(stored)) == ["Chip export rules tighten", "Open weights model ships"]
    # one page again, by URL: already stored, so unchanged, and no new row
    done = subprocess.run(
        [*argv, "crawl", "--url", f"{tiny_site}/news/chip-export", "-f", "json"],
        capture_output=True,
        text=True,
        timeout=180,
        cwd=tmp_path,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    (again,) = json.loads(done.stdout)
    assert (again["articles_new"], again["articles_unchanged"]) == (0, 1)
    assert len(query(url)) == 2


# --- demo commands -----------------------------------------------------------------


def test_demo_config_prints_a_valid_sources_file(tmp_path: Path) -> None:
    from warta.config import load_config

    result = run("demo", "config", "--port", "9999", "--every", "10")
    assert result.exit_code == 0
    path = tmp_path / "demo.toml"
    path.write_text(result.stdout)
    config = load_config(path)
    assert len(config.sources) >= 3
    for source in config.sources:
        assert all(url.startswith("http://127.0.0.1:9999/") for url in source.start_urls)
        assert source.schedule.every_seconds == 10


@pytest.mark.slow
def test_demo_serve_prints_its_url_serves_and_stops_on_sigterm() -> None:
    import signal
    import urllib.request

    from warta.demo import article_urls

    proc = subprocess.Popen(
        [str(WARTA_BIN), "demo", "serve", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        base_url = proc.stdout.readline().strip()
        assert base_url.startswith("http://127.0.0.1:")
        first = article_urls(base_url)[0]
        with urllib.request.urlopen(first, timeout=10) as response:
            assert response.status == 200
            assert response.headers.get_content_type() == "text/html"
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=10) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
