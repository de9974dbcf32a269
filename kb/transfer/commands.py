"""``kb migrate-data --to URL``: copy this installation's database into another one."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from kb.errors import DomainError
from kb.transfer import service


@click.command("migrate-data")
@click.option("--to", "target_url", required=True, metavar="DATABASE_URL",
              help="The empty database to copy into, e.g. "
                   "postgresql+psycopg://kb@db.example.com/kb")
@with_appcontext
def migrate_data_command(target_url: str) -> None:
    """Copy every table of this installation's database (KB_DATABASE_URL, by default the
    embedded SQLite) into an empty database, then verify counts and checksums table by table.
    The installation is not changed: point KB_DATABASE_URL at the copy when it is done."""
    source_url = current_app.config["DATABASE_URL"]
    try:
        copies = service.copy_database(source_url, target_url, echo=click.echo)
    except DomainError as refusal:
        raise click.ClickException(refusal.message) from None
    rows = sum(copy.rows for copy in copies)
    click.echo(f"Copied and verified {len(copies)} tables, {rows} rows.")
    click.echo("Next: set KB_DATABASE_URL to the new database on every server, then run "
               "`kb search check` (the index names the same ids and stays valid).")
