"""Schema migrations with Alembic, driven from the application's configuration."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from flask import Flask

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config(app: Flask) -> Config:
    # alembic is imported on first use (here and below): 0.1 s of CPU for every process that
    # creates the app, most of which never migrate
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", app.config["DATABASE_URL"].replace("%", "%%"))
    config.attributes["flask_app"] = app
    return config


def upgrade_to_head(app: Flask) -> None:
    """Create the schema, or bring a database of any earlier revision up to the newest one."""
    from alembic import command

    command.upgrade(alembic_config(app), "head")


def current_revision(app: Flask) -> str | None:
    from alembic.runtime.migration import MigrationContext

    from kb.db import Database

    engine = Database(app.config["DATABASE_URL"]).engine
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    finally:
        engine.dispose()


def upgrade_connection_to_head(connection) -> None:
    """The same upgrade, inside the caller's transaction on a database the application does not
    use (``kb migrate-data``'s target)."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    command.upgrade(config, "head")


def revision_of(connection) -> str | None:
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str | None:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return ScriptDirectory.from_config(config).get_current_head()
