"""Alembic environment: the URL comes from the caller (config attribute) or settings."""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from backend.core.db import is_sqlite, make_engine, normalise_url
from backend.core.settings import get_settings
from backend.models_registry import metadata

config = context.config


def _url() -> str:
    return normalise_url(config.attributes.get("database_url") or get_settings().database_url)


def _configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=is_sqlite(_url()),
        compare_type=True,
    )


def run_migrations_offline() -> None:
    context.configure(url=_url(), target_metadata=metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = make_engine(_url())
    with engine.connect() as conn:
        _configure(conn)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
