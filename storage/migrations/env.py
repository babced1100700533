"""Storage stage: Alembic environment for warta's schema.

Usually run by ``storage.migrate.upgrade``, which hands over a connection already inside a
locked transaction (config.attributes["connection"]). Run standalone (``alembic -c
storage/alembic.ini ...``) it connects to ``WARTA_DATABASE_URL`` or warta's default database.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from storage.models import Base

config = context.config
target_metadata = Base.metadata


def _is_ours(
    obj: object, name: str | None, type_: str, reflected: bool, compare_to: object
) -> bool:
    # Other components (APScheduler's job store) keep their own tables in this database.
    return not (type_ == "table" and reflected and compare_to is None)


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite cannot ALTER much
        include_object=_is_ours,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_offline() -> None:
    from storage.database import default_database_url

    context.configure(
        url=config.get_main_option("sqlalchemy.url") or default_database_url(),
        target_metadata=target_metadata,
        literal_binds=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    from storage.database import default_database_url
    from storage.engine import create_engine, writer

    engine = create_engine(config.get_main_option("sqlalchemy.url") or default_database_url())
    try:
        with writer(engine).connect() as conn:
            _run(conn)
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
