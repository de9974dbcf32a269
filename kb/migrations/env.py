"""Alembic environment: the URL and metadata come from kb's application configuration."""

from __future__ import annotations

import contextlib

from alembic import context

import kb.models  # noqa: F401 - registers every table on the metadata
from kb.db import Base, make_engine

config = context.config
target_metadata = Base.metadata


def run_migrations_offline() -> None:
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run_with(connection)
        return
    engine = make_engine(config.get_main_option("sqlalchemy.url"))
    try:
        with engine.connect() as connection:
            _run_with(connection)
    finally:
        engine.dispose()


def _run_with(connection) -> None:
    sqlite = connection.dialect.name == "sqlite"
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=sqlite,
        compare_type=True,
    )
    with _foreign_keys_off(connection) if sqlite else contextlib.nullcontext():
        with context.begin_transaction():
            context.run_migrations()
            if sqlite:
                _check_foreign_keys(connection)


@contextlib.contextmanager
def _foreign_keys_off(connection):
    """SQLite alters a table by copying it into a new one and dropping the old (Alembic's batch
    mode): with foreign keys enforced, dropping the old table deletes every row that refers to
    it through ON DELETE CASCADE (an article's revisions, a patch's files). So they are off
    while migrating, as SQLite's own ALTER TABLE procedure says, and checked before the commit.
    The pragma is ignored inside a transaction, hence the DBAPI connection."""
    raw = connection.connection.driver_connection
    raw.execute("PRAGMA foreign_keys=OFF")
    try:
        yield
    finally:
        raw.execute("PRAGMA foreign_keys=ON")


def _check_foreign_keys(connection) -> None:
    dangling = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if dangling:
        raise RuntimeError(f"The migration left rows referring to missing rows: {dangling[:5]}")


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
