"""Application shell (CLI): the ``warta`` command group, its global options and error handling.

Each command group lives in its own module under ``warta/commands/`` and is registered
here with one line. Commands are thin: they parse options, call ``storage``, ``crawler``
or ``pipeline``, and hand rows to ``warta.output``.
"""

from __future__ import annotations

import logging
import os
import sys
from typing import Any

import click

from warta import cli_schedule
from warta.commands import articles, crawl, db, demo, export, extract, runs, sources, stats
from warta.commands import reprocess as reprocess_command
from warta.commands.app import App
from warta.output import mask_passwords, mask_url

# Exit codes: 1 = the operation failed (database down, crawl failed, not found);
# 2 = the user asked for something invalid (bad option, bad sources file), as click does.
EXIT_FAILURE = 1
EXIT_USAGE = 2


class WartaGroup(click.Group):
    """A group that turns expected failures into one line on stderr instead of a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.Abort, click.ClickException):
            raise
        except BrokenPipeError:
            # `warta query | head`: the reader left. Point stdout at /dev/null so the
            # interpreter's final flush cannot complain too (as the Python docs advise).
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            ctx.exit(EXIT_FAILURE)
        except Exception as exc:  # the last line of defence for a user-facing tool
            app = ctx.find_object(App)
            if app is not None and app.verbose:
                raise
            code, message = describe_error(exc, app)
            click.echo(f"Error: {message}", err=True)
            ctx.exit(code)


def describe_error(exc: BaseException, app: App | None) -> tuple[int, str]:
    """Exit code and one-line message for an exception, with any password masked."""
    from warta.config import ConfigError

    code = EXIT_FAILURE
    if isinstance(exc, ConfigError):
        code, message = EXIT_USAGE, str(exc)
    elif _is_database_error(exc):
        where = mask_url(app.database_option) if app and app.database_option else None
        detail = str(getattr(exc, "orig", None) or exc).strip().splitlines()
        message = "database unavailable"
        if where:
            message += f" ({where})"
        message += ": " + (detail[0] if detail else type(exc).__name__)
    elif isinstance(exc, OSError) and exc.strerror and exc.filename:
        message = f"{exc.strerror}: {exc.filename}"
    else:
        message = f"{type(exc).__name__}: {exc}".strip().splitlines()[0]
    message = mask_passwords(message)
    if app is not None and app.database_option:
        message = _mask_known_password(message, app.database_option)
    return code, message


def _is_database_error(exc: BaseException) -> bool:
    if "sqlalchemy" not in sys.modules:
        return False
    from sqlalchemy.exc import DBAPIError, OperationalError

    return isinstance(exc, OperationalError | DBAPIError)


def _mask_known_password(message: str, url: str) -> str:
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        password = make_url(url).password
    except (ArgumentError, ValueError):
        return message
    return message.replace(str(password), "***") if password else message


@click.group(cls=WartaGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="warta", prog_name="warta")
@click.option(
    "--config",
    "config_option",
    metavar="FILE",
    default=None,
    help="Sources file (TOML). Default: $WARTA_CONFIG, else ./warta.toml, "
    "else the bundled list of AI-news sources.",
)
@click.option(
    "--database",
    "database_option",
    metavar="URL",
    default=None,
    help="SQLAlchemy database URL. Default: $WARTA_DATABASE_URL, "
    "else a SQLite file under $XDG_DATA_HOME/warta/.",
)
@click.option("-v", "--verbose", count=True, help="Log progress to stderr (-vv: debug).")
@click.pass_context
def main(
    ctx: click.Context, config_option: str | None, database_option: str | None, verbose: int
) -> None:
    """warta: a clean, queryable database of AI-industry news.

    Crawl the configured sources, then search what was stored.

    \b
    Example:
        warta crawl --demo          # offline demo: crawl the bundled sites
        warta query openai --since 7d
        warta show 42
    """
    app = App(config_option=config_option, database_option=database_option, verbose=verbose)
    ctx.obj = app
    if verbose:
        app.log_handler = configure_logging(verbose)
        ctx.call_on_close(app.release_logging)


def configure_logging(verbose: int) -> logging.Handler:
    """-v: INFO to stderr; -vv: DEBUG, including the migration tool's chatter."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.DEBUG if verbose > 1 else logging.INFO)
    if verbose < 2:
        logging.getLogger("alembic").setLevel(logging.WARNING)
    return handler


main.add_command(crawl.crawl)
main.add_command(articles.query)
main.add_command(articles.show)
main.add_command(sources.sources)
main.add_command(runs.runs)
main.add_command(stats.stats)
main.add_command(export.export)
main.add_command(extract.extract)
main.add_command(reprocess_command.reprocess)
main.add_command(db.db)
main.add_command(demo.demo)
main.add_command(cli_schedule.scheduler_command)
main.add_command(cli_schedule.schedule_group)
