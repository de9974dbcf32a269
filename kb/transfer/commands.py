"""``kb migrate-data --to URL [--storage s3://...]``: copy this installation's database into
another one, and its stored files into another store. ``kb storage check``: the store against
the database."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from kb.errors import DomainError
from kb.storage import check_storage_url, file_store
from kb.transfer import files, service, store_check


@click.command("migrate-data")
@click.option("--to", "target_url", metavar="DATABASE_URL",
              help="The empty database to copy into, e.g. "
                   "postgresql+psycopg://kb@db.example.com/kb")
@click.option("--storage", "storage_url", metavar="s3://BUCKET/PREFIX",
              help="The file store to copy every stored file into (KB_S3_ENDPOINT_URL names "
                   "a store other than AWS).")
@with_appcontext
def migrate_data_command(target_url: str | None, storage_url: str | None) -> None:
    """Copy every table of this installation's database (KB_DATABASE_URL, by default the
    embedded SQLite) into an empty database, and every stored file into another store; then
    verify counts and checksums table by table and file by file. The installation is not
    changed: point KB_DATABASE_URL and KB_STORAGE_URL at the copies when it is done."""
    if not target_url and not storage_url:
        raise click.UsageError("Give --to DATABASE_URL, --storage s3://BUCKET/PREFIX, or both.")
    try:
        _check_storage_target(storage_url)
        if target_url:
            _copy_database(target_url)
        if storage_url:
            _copy_files(storage_url, database_copied=bool(target_url))
    except (DomainError, ValueError) as refusal:
        raise click.ClickException(getattr(refusal, "message", str(refusal))) from None
    click.echo("Next: set " + " and ".join(
        name for name, given in (("KB_DATABASE_URL to the new database", target_url),
                                 ("KB_STORAGE_URL to the new store", storage_url)) if given)
        + " on every server, then run `kb search check` (the index names the same ids and "
        "stays valid).")


def _check_storage_target(storage_url: str | None) -> None:
    if not storage_url:
        return
    check_storage_url(storage_url)
    if storage_url.rstrip("/") == current_app.config["STORAGE_URL"].rstrip("/"):
        raise files.FilesRefused("The target is the installation's own file store.")


def _copy_database(target_url: str) -> None:
    source_url = current_app.config["DATABASE_URL"]
    copies = service.copy_database(source_url, target_url, echo=click.echo)
    rows = sum(copy.rows for copy in copies)
    click.echo(f"Copied and verified {len(copies)} tables, {rows} rows.")


def _copy_files(storage_url: str, database_copied: bool) -> None:
    config = current_app.config
    for key in files.unstored_references(file_store):
        click.echo(f"warning: the database names {key}, which the installation's store "
                   "does not hold; it is not copied.", err=True)
    try:
        copies = files.copy_files(file_store, storage_url,
                                  endpoint_url=config["S3_ENDPOINT_URL"],
                                  max_attempts=config["S3_MAX_ATTEMPTS"], echo=click.echo)
    except DomainError as refusal:
        if database_copied:
            refusal.message += (" The database was copied: finish with `kb migrate-data "
                                "--storage URL` alone.")
        raise
    count, size = sum(copy.files for copy in copies), sum(copy.bytes for copy in copies)
    click.echo(f"Copied and verified {count} files, {size} bytes.")


@click.group("storage")
def storage_group() -> None:
    """The file store: check it against the database."""


@storage_group.command("check")
@click.option("--remove-unreferenced", "remove", is_flag=True,
              help="Remove the files nothing names and the unfinished uploads, once nothing "
                   "has written them for --older-than hours.")
@click.option("--older-than", "grace_hours", type=click.IntRange(min=1),
              default=store_check.DEFAULT_GRACE_HOURS, show_default=True, metavar="HOURS",
              help="How long a file nothing names is kept (an upload in progress stores its "
                   "file before its row is saved).")
@with_appcontext
def storage_check_command(remove: bool, grace_hours: int) -> None:
    """Check that the file store holds every file the database names (patch files, incident
    attachments, recordings and their attachments), and list the files it holds that nothing
    names; exit non-zero if any named file is missing. Changes nothing unless asked to remove."""
    try:
        checks = store_check.check_stores(file_store, remove=remove, grace_hours=grace_hours)
    except DomainError as refusal:
        raise click.ClickException(refusal.message) from None
    for check in checks:
        _report_store_check(check, remove, grace_hours)
    if any(check.missing for check in checks):
        raise SystemExit(1)


def _report_store_check(check: store_check.StoreCheck, remove: bool, grace_hours: int) -> None:
    for key in check.missing:
        click.echo(f"missing: {check.namespace}/{key} is named by the database but not "
                   "stored; restore it from a backup.", err=True)
    summary = (f"{check.namespace}: {check.named} file(s) named by the database, "
               f"{len(check.missing)} missing; {len(check.unreferenced)} stored file(s) named "
               "by nothing")
    if not remove:
        for key in check.unreferenced:
            click.echo(f"unreferenced: {check.namespace}/{key}")
        click.echo(summary + (f" (--remove-unreferenced removes those older than {grace_hours} "
                              "hours)." if check.unreferenced else "."))
        return
    for key in check.removed:
        click.echo(f"removed: {check.namespace}/{key}")
    young = len(check.unreferenced) - len(check.removed) - len(check.foreign)
    click.echo(f"{summary}: {len(check.removed)} removed, {young} written in the last "
               f"{grace_hours} hours kept, {len(check.foreign)} under names kb does not give "
               f"kept; {check.stale_uploads} unfinished upload(s) removed.")
