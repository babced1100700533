"""Application shell (CLI): the state every command shares (config, database, verbosity).

Heavy imports (SQLAlchemy, Scrapy) happen inside the methods so ``warta --help`` and
``warta extract`` start fast.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from storage.database import Database
    from warta.config import Config


@dataclass
class App:
    """What the top-level options chose; commands receive it through ``@pass_app``."""

    config_option: str | None = None
    database_option: str | None = None
    verbose: int = 0
    log_handler: logging.Handler | None = field(default=None, repr=False)
    _config: Config | None = field(default=None, repr=False)

    def release_logging(self) -> None:
        """Drop our stderr log handler before a component (Scrapy) installs its own,
        so each line is printed once."""
        if self.log_handler is not None:
            logging.getLogger().removeHandler(self.log_handler)
            self.log_handler = None

    @property
    def config_path(self) -> Path:
        """--config, else WARTA_CONFIG, else ./warta.toml, else the bundled source list."""
        from warta.config import find_config_path

        return find_config_path(self.config_option)

    def config(self) -> Config:
        """The sources file, loaded and validated once per invocation."""
        if self._config is None:
            from warta.config import load_config

            self._config = load_config(self.config_path)
        return self._config

    def database_url(self) -> str:
        """--database, else WARTA_DATABASE_URL, else the default SQLite file."""
        from storage.database import default_database_url

        url = self.database_option or default_database_url()
        _check_database_url(url)
        return url

    def open_database(self, *, migrate: bool = True) -> Database:
        """Open the selected database (applying migrations first, as on every first use)."""
        from storage.database import Database

        return Database.open(self.database_url(), migrate=migrate)


pass_app = click.make_pass_decorator(App, ensure=True)


class UserError(click.ClickException):
    """A one-line error about what the user asked for (exit code 2, like a usage error)."""

    exit_code = 2


def _check_database_url(url: str) -> None:
    """A malformed URL is the user's mistake (exit 2), not a database failure."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    from warta.output import mask_passwords

    try:
        make_url(url).get_dialect()  # also rejects an unknown scheme or driver
    except (ArgumentError, ValueError) as exc:
        raise UserError(
            f"invalid database URL {mask_passwords(url)!r} ({exc}); expected e.g. "
            "sqlite:///path/to/warta.db or postgresql+psycopg://user@host/dbname"
        ) from exc
