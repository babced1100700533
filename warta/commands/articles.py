"""Application shell (CLI): ``warta query`` and ``warta show``, reading stored articles.

The filter options live here too: ``warta export`` shares them.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

import click

from warta.commands.app import App, UserError, pass_app
from warta.commands.params import WHEN
from warta.output import (
    Column,
    cell_text,
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


def snippet_cell(value: object) -> str:
    """The snippet from just before its first highlighted word: a narrow cell shows a hit."""
    text = cell_text(value)
    first = text.find("**")
    if first > 0:
        lead = text[:first].split()
        text = "…" + " ".join(lead[-3:]) + " " + text[first:] if len(lead) > 3 else text
    return text


SNIPPET_COLUMN = Column("snippet", "snippet", max_width=120, flex=True, render=snippet_cell)
DUPLICATES_COLUMN = Column("duplicates", "+dups", justify="right")
# storage.search.SORTS, repeated so `warta --help` does not import SQLAlchemy.
SORTS = ("relevance", "newest")

FILTERS = ("source", "since", "until", "lang", "author", "tag", "sort", "dedupe")


def filter_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """The article filters shared by ``query`` and ``export`` (they combine with AND).

    The command receives them checked, as one ``search`` argument: the keyword
    arguments of ``Database.search`` / ``Database.iter_rows`` (sort, dedupe, filters).
    """

    @functools.wraps(func)
    def command(*args: Any, **kwargs: Any) -> Any:
        chosen = {name: kwargs.pop(name) for name in FILTERS}
        return func(*args, search=search_arguments(**chosen), **kwargs)

    options = [
        click.option("--source", "-s", metavar="NAME", help="Only articles from this source."),
        click.option(
            "--since",
            type=WHEN,
            metavar="WHEN",
            help="Published at or after: 2026-01-31, 7d, 24h, 30m.",
        ),
        click.option("--until", type=WHEN, metavar="WHEN", help="Published before: same forms."),
        click.option("--lang", metavar="CODE", help="ISO 639-1 language code, e.g. en or id."),
        click.option("--author", metavar="NAME", help="An author's name contains NAME."),
        click.option("--tag", metavar="TAG", help="Tagged TAG (whole tag, any case)."),
        click.option(
            "--sort",
            type=click.Choice(SORTS),
            default="relevance",
            show_default=True,
            help="With TEXT: best match first, or newest first.",
        ),
        click.option(
            "--dedupe",
            is_flag=True,
            help="One article per story (the earliest), with the count of the others.",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def search_arguments(
    *,
    source: str | None,
    since: datetime | None,
    until: datetime | None,
    lang: str | None,
    author: str | None,
    tag: str | None,
    sort: str,
    dedupe: bool,
) -> dict[str, Any]:
    """Database.search keyword arguments from the shared options, checked."""
    if since and until and since >= until:
        raise click.BadParameter("--since must be earlier than --until", param_hint="--since")
    return {
        "sort": sort,
        "dedupe": dedupe,
        "source": source,
        "since": since,
        "until": until,
        "lang": lang.lower() if lang else None,
        "author": author,
        "tag": tag,
    }


@click.command()
@click.argument("text", required=False)
@filter_options
@click.option(
    "--limit", type=click.IntRange(min=1), default=20, show_default=True, help="Rows to show."
)
@click.option("--offset", type=click.IntRange(min=0), default=0, help="Rows to skip first.")
@format_option()
@pass_app
def query(
    app: App,
    text: str | None,
    search: dict[str, Any],
    limit: int,
    offset: int,
    fmt: str | None,
) -> None:
    """Search stored articles: best match first, or newest first without TEXT.

    TEXT is searched in titles and bodies like a web search: words (all must
    appear), "a phrase", OR between alternatives, -word to exclude. Each hit
    carries a snippet with the matched words in **bold**. The filters combine;
    --since and --until compare the publication time (the fetch time for an
    undated article); relative times (7d, 24h, 30m) count back from now, dates
    are UTC. A TEXT that starts with "-" goes after "--".

    \b
    Examples:
        warta query openai --since 7d
        warta query '"open source" OR open-weights -crypto' --lang en
        warta query --lang id --source kabar-ai --limit 5 --format table
        warta query "model release" --dedupe --format jsonl > hits.jsonl
    """
    from storage.search_syntax import QuerySyntaxError

    chosen = resolve_format(fmt)
    with app.open_database() as database:
        try:
            hits = database.search(text or None, limit=limit, offset=offset, **search)
        except QuerySyntaxError as exc:
            raise UserError(f"cannot search for {text!r}: {exc}") from exc
        columns: tuple[Column, ...] = ARTICLE_COLUMNS
        if text:
            columns += (SNIPPET_COLUMN,)
        if search["dedupe"]:
            columns += (DUPLICATES_COLUMN,)
        emit(
            (hit.to_dict() for hit in hits),
            chosen,
            columns,
            empty_message="No articles match.",
        )


@click.command()
@click.argument("id_or_url")
@click.option("--revisions", is_flag=True, help="Also list the earlier versions of the body.")
@format_option(("text", "json"))
@pass_app
def show(app: App, id_or_url: str, revisions: bool, fmt: str | None) -> None:
    """Print one stored article: its fields, then its clean text.

    ID_OR_URL is the article id from `warta query`, its URL, or any variant of the
    URL that folds to the same canonical URL (tracking parameters, www., fragment).
    With --revisions, the earlier bodies follow (JSON: a "revisions" list, oldest
    first).

    \b
    Examples:
        warta show 42
        warta show 42 --revisions
        warta show "https://example.com/news/model-launch?utm_source=x" --format json
    """
    chosen = resolve_format(fmt, ("text", "json"))
    key: str | int = int(id_or_url) if id_or_url.strip().isdigit() else id_or_url.strip()
    with app.open_database() as database:
        article = database.get_article(key)
        if article is None:
            raise click.ClickException(f"no stored article matches {id_or_url!r}")
        record = article.to_dict()
        if revisions:
            record["revisions"] = [r.to_dict() for r in database.list_revisions(article.id)]
    if chosen == "json":
        emit_object(record)
        return
    click.echo(render_article_text(record))
    if revisions:
        click.echo("\n" + render_revisions(record["revisions"], current=record))


def render_revisions(revisions: list[dict[str, Any]], *, current: Mapping[str, Any]) -> str:
    """One line per version, oldest first, the current one last."""
    lines = [f"Revisions ({len(revisions) + 1} versions):"]
    for rev in [*revisions, {**current, "current": True}]:
        words = len(str(rev.get("text") or "").split())
        mark = " (current)" if rev.get("current") else ""
        lines.append(
            f"  v{rev['version']}  {short_datetime(rev.get('fetched_at'))}  "
            f"{words} words  {str(rev.get('content_hash') or '')[:12]}  "
            f"{sanitize(str(rev.get('title') or ''))}{mark}"
        )
    return "\n".join(lines)


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
