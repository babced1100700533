"""Application shell (CLI): ``warta query`` and ``warta show``, reading stored articles."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

import click

from warta.commands.app import App, pass_app
from warta.commands.params import WHEN
from warta.output import (
    Column,
    emit,
    emit_object,
    format_option,
    resolve_format,
    sanitize,
    short_datetime,
)

ARTICLE_COLUMNS = (
    Column("id", "id", justify="right"),
    Column("published_at", "published", render=short_datetime),
    Column("source", "source", max_width=24, flex=True),
    Column("language", "lang"),
    Column("title", "title", max_width=90, flex=True),
)


@click.command()
@click.argument("text", required=False)
@click.option("--source", "-s", metavar="NAME", help="Only articles from this source.")
@click.option(
    "--since", type=WHEN, metavar="WHEN", help="Published at or after: 2026-01-31, 7d, 24h, 30m."
)
@click.option("--until", type=WHEN, metavar="WHEN", help="Published before: same forms.")
@click.option("--lang", metavar="CODE", help="ISO 639-1 language code, e.g. en or id.")
@click.option(
    "--limit", type=click.IntRange(min=1), default=20, show_default=True, help="Rows to show."
)
@click.option("--offset", type=click.IntRange(min=0), default=0, help="Rows to skip first.")
@format_option()
@pass_app
def query(
    app: App,
    text: str | None,
    source: str | None,
    since: datetime | None,
    until: datetime | None,
    lang: str | None,
    limit: int,
    offset: int,
    fmt: str | None,
) -> None:
    """Search stored articles, newest first.

    TEXT is searched in titles and bodies; the filters combine. --since and
    --until compare the publication time (the fetch time for an undated
    article); relative times (7d, 24h, 30m) count back from now, dates are UTC.

    \b
    Examples:
        warta query openai --since 7d
        warta query --lang id --source kabar-ai --limit 5 --format table
        warta query "model release" --format jsonl > hits.jsonl
    """
    if since and until and since >= until:
        raise click.BadParameter("--since must be earlier than --until", param_hint="--since")
    chosen = resolve_format(fmt)
    with app.open_database() as database:
        rows = database.query_articles(
            text or None,
            source=source,
            since=since,
            until=until,
            lang=lang.lower() if lang else None,
            limit=limit,
            offset=offset,
        )
        emit(
            (row.to_dict() for row in rows),
            chosen,
            ARTICLE_COLUMNS,
            empty_message="No articles match.",
        )


@click.command()
@click.argument("id_or_url")
@format_option(("text", "json"))
@pass_app
def show(app: App, id_or_url: str, fmt: str | None) -> None:
    """Print one stored article: its fields, then its clean text.

    ID_OR_URL is the article id from `warta query`, its URL, or any variant of the
    URL that folds to the same canonical URL (tracking parameters, www., fragment).

    \b
    Examples:
        warta show 42
        warta show "https://example.com/news/model-launch?utm_source=x" --format json
    """
    chosen = resolve_format(fmt, ("text", "json"))
    key: str | int = int(id_or_url) if id_or_url.strip().isdigit() else id_or_url.strip()
    with app.open_database() as database:
        article = database.get_article(key)
        if article is None:
            raise click.ClickException(f"no stored article matches {id_or_url!r}")
        record = article.to_dict()
    if chosen == "json":
        emit_object(record)
    else:
        click.echo(render_article_text(record))


_HEADER_FIELDS = (
    ("Title", "title"),
    ("URL", "url"),
    ("Canonical", "canonical_url"),
    ("Source", "source"),
    ("Site", "site_name"),
    ("Published", "published_at"),
    ("Modified", "modified_at"),
    ("Authors", "authors"),
    ("Language", "language"),
    ("Tags", "tags"),
    ("Words", "word_count"),
    ("Fetched", "fetched_at"),
    ("Version", "version"),
    ("Id", "id"),
)


def render_article_text(record: Mapping[str, Any]) -> str:
    """Header lines ("Title: ...") for the fields present, a blank line, then the body."""
    lines = []
    for label, key in _HEADER_FIELDS:
        value = record.get(key)
        if value in (None, "", [], ()):
            continue
        shown = ", ".join(map(str, value)) if isinstance(value, list | tuple) else str(value)
        lines.append(f"{label + ':':<11}{sanitize(shown)}")
    body = sanitize(str(record.get("text") or ""), keep_newlines=True)
    return "\n".join(lines) + "\n\n" + body
