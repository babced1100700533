"""Application shell (CLI): ``warta extract``, the pipeline on one page without a database."""

from __future__ import annotations

import sys
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import click

from warta.commands.articles import render_article_text
from warta.output import emit_object, format_option, resolve_format, sanitize

# A convenience fetch, not the crawler: no robots.txt, no retries, so keep it small and short.
FETCH_TIMEOUT_SECONDS = 30
FETCH_MAX_BYTES = 10 * 1024 * 1024
USER_AGENT = "warta-extract/0.1 (+https://github.com/warta; single-page fetch)"
EXTRACT_FORMATS = ("text", "json", "markdown")


@dataclass(frozen=True, slots=True)
class Page:
    url: str
    body: bytes
    content_type: str | None = None


def fetch_url(url: str) -> Page:
    """GET one page with urllib (stdlib); refuses bodies over FETCH_MAX_BYTES."""
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=FETCH_TIMEOUT_SECONDS) as response:
            body = response.read(FETCH_MAX_BYTES + 1)
            final_url = response.geturl()
            content_type = response.headers.get("Content-Type")
    except OSError as exc:  # URLError, HTTPError, timeouts and refused connections
        raise click.ClickException(f"could not fetch {url}: {exc}") from exc
    if len(body) > FETCH_MAX_BYTES:
        raise click.ClickException(f"{url} is larger than {FETCH_MAX_BYTES} bytes")
    return Page(url=final_url, body=body, content_type=content_type)


def read_source(target: str, page_url: str | None) -> Page:
    """Bytes from '-' (stdin), an http(s) URL, or a file; page_url overrides the URL."""
    if target.startswith(("http://", "https://")):
        page = fetch_url(target)
        return Page(page_url or page.url, page.body, page.content_type)
    if target == "-":
        body = sys.stdin.buffer.read()
        return Page(page_url or "stdin:", body)
    path = Path(target)
    try:
        body = path.read_bytes()
    except OSError as exc:
        raise click.BadParameter(f"cannot read {target}: {exc.strerror}") from exc
    return Page(page_url or path.resolve().as_uri(), body)


@click.command()
@click.argument("file_or_url")
@click.option("--url", "page_url", metavar="URL", help="The page's URL, for a file or stdin input.")
@click.option("--lang", metavar="CODE", help="Language hint when the page declares none.")
@format_option(EXTRACT_FORMATS)
def extract(file_or_url: str, page_url: str | None, lang: str | None, fmt: str | None) -> None:
    """Extract the clean article from one HTML page and print it.

    FILE_OR_URL is a saved HTML file, '-' for stdin, or an http(s) URL. A URL is
    fetched with one plain GET as a convenience; it is not the crawler (no robots.txt,
    no throttling) and nothing is stored.

    \b
    Examples:
        warta extract page.html --url https://example.com/news/1
        curl -s https://example.com/news/1 | warta extract - --format json
        warta extract https://example.com/news/1 --format markdown
    """
    from pipeline.extract import extract as run_extract
    from pipeline.types import ExtractionError

    chosen = resolve_format(fmt, EXTRACT_FORMATS)
    page = read_source(file_or_url, page_url)
    try:
        article = run_extract(
            page.body, page.url, language_hint=lang, content_type=page.content_type
        )
    except ExtractionError as exc:
        raise click.ClickException(f"no article in {file_or_url}: {exc}") from exc
    if chosen == "json":
        emit_object(article.to_dict())
    elif chosen == "markdown":
        click.echo(sanitize(article.markdown, keep_newlines=True))
    else:
        click.echo(render_article_text(article.to_dict()))
