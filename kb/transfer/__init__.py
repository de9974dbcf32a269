"""Moving an installation: ``kb migrate-data`` copies the embedded database (every table) into
another database, such as the PostgreSQL of a scaled-out installation, and verifies the copy;
``kb storage check`` checks the file store against the database."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from kb.transfer import commands

    app.cli.add_command(commands.migrate_data_command)
    app.cli.add_command(commands.storage_group)
