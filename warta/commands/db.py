"""Application shell (CLI): ``warta db``, database maintenance (migrations, location)."""

from __future__ import annotations

import click

from warta.commands.app import App, pass_app
from warta.output import mask_url


@click.group()
def db() -> None:
    """Database maintenance.

    \b
    Example:
        warta db upgrade
    """


@db.command()
@pass_app
def upgrade(app: App) -> None:
    """Apply pending schema migrations (Alembic) to the database.

    Every command already migrates on first use; this does it explicitly, e.g. after
    an upgrade of warta on a server.

    \b
    Examples:
        warta db upgrade
        warta --database postgresql+psycopg://user@host/warta db upgrade
    """
    with app.open_database(migrate=False) as database:
        database.upgrade()
    click.echo(f"Database is up to date: {mask_url(app.database_url())}")


@db.command()
@pass_app
def path(app: App) -> None:
    """Print where the database is: the SQLite file, else the URL (password masked).

    \b
    Examples:
        warta db path
        sqlite3 "$(warta db path)" ".tables"
    """
    click.echo(database_location(app.database_url()))


def database_location(url: str) -> str:
    """The SQLite file path for a SQLite URL, else the URL with its password masked."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        return str(parsed.database)
    return mask_url(url)
