"""``kb patch add`` and ``kb patch verify``."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from kb import db
from kb.accounts.queries import user_by_email
from kb.errors import DomainError
from kb.patches import queries, service
from kb.patches.details import PatchDetails, parse_fixed_issues
from kb.patches.models import KINDS, PatchFile
from kb.plans import LOWEST_PLAN, PLANS
from kb.storage import (
    CHUNK_SIZE,
    StorageUnavailable,
    StoredFileProblem,
    Upload,
    file_store,
)


@click.group("patch")
def patch_group() -> None:
    """Patches and service packs."""


def stage_local_file(path: Path) -> Upload:
    """Copy a file into the store's temporary area in chunks, hashing it on the way."""
    staged = file_store().stage(filename=path.name)
    try:
        with path.open("rb") as source:
            while chunk := source.read(CHUNK_SIZE):
                staged.write(chunk)
    except BaseException:
        staged.discard()
        raise
    return Upload(path.name, staged)


@patch_group.command("add")
@click.option("--product", required=True, help="Product name (created when first named).")
@click.option("--version", "versions", multiple=True,
              help="A version it applies to (repeatable), or a range such as 11.0..12.0.")
@click.option("--title", required=True)
@click.option("--kind", type=click.Choice(KINDS), default="patch", show_default=True)
@click.option("--summary", default="")
@click.option("--description-file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Markdown file with the description.")
@click.option("--min-plan", type=click.Choice(PLANS), default=LOWEST_PLAN,
              show_default=True)
@click.option("--released", help="Release date, YYYY-MM-DD (default today).")
@click.option("--fixes", multiple=True, help='A fixed issue, "ERP-4711: text" (repeatable).')
@click.option("--supersedes", multiple=True, type=int, help="Id of a patch this one replaces.")
@click.option("--release-note", "release_notes", multiple=True, help="Slug of a release note.")
@click.option("--draft", is_flag=True, help="Keep it as a draft instead of publishing it.")
@click.option("--as", "author_email", help="Staff e-mail recorded as the author.")
@click.argument("files", nargs=-1, required=True,
                type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def add_command(product, versions, title, kind, summary, description_file, min_plan, released,
                fixes, supersedes, release_notes, draft, author_email, files) -> None:
    """Publish a patch with its FILES; the new patch's id alone is the last line."""
    details = PatchDetails(
        product=product, title=title, versions=list(versions), kind=kind, summary=summary,
        description=description_file.read_text() if description_file else "",
        released_on=datetime.strptime(released, "%Y-%m-%d").date() if released else None,
        min_plan=min_plan, fixed_issues=_fixed_issues(fixes),
        supersedes=list(supersedes), release_notes=list(release_notes),
    )
    author = user_by_email(author_email) if author_email else None
    if author_email and author is None:
        raise click.ClickException(f"No user with the address {author_email}.")
    staged = []
    try:
        for path in files:
            staged.append(stage_local_file(path))
        patch = service.publish_patch(author, details, staged, publish=not draft)
    except DomainError as refusal:
        raise click.ClickException(refusal.message) from None
    finally:
        for upload in staged:
            upload.stream.discard()
    for patch_file in patch.files:
        same = [f"{other.name} of patch #{other.patch_id}"
                for other in queries.identical_files(patch_file)]
        note = f"; identical to {', '.join(same)}, stored once" if same else ""
        click.echo(f"{patch_file.sha256}  {patch_file.name} ({patch_file.size} bytes{note})")
    click.echo(f"{patch.kind_name} {patch.title!r} for {patch.product.name} is {patch.status}.")
    click.echo(patch.id)


def _fixed_issues(fixes) -> list[tuple[str, str]]:
    try:
        return parse_fixed_issues("\n".join(fixes))
    except DomainError as refusal:
        raise click.ClickException(refusal.message) from None


@patch_group.command("verify")
@with_appcontext
def verify_command() -> None:
    """Re-hash every stored patch file; exit non-zero if any is missing or damaged."""
    try:
        _verify_stored_files(file_store())
    except StorageUnavailable as unavailable:
        raise click.ClickException(unavailable.message) from None


def _verify_stored_files(store) -> None:
    problems = 0
    for patch_file in db.session.scalars(select(PatchFile).order_by(PatchFile.id)):
        label = f"{patch_file.name} (patch #{patch_file.patch_id})"
        try:
            store.verify(patch_file.storage_key, patch_file.sha256, patch_file.size, label)
        except StoredFileProblem as problem:
            problems += 1
            click.echo(problem.message, err=True)
    removed = store.remove_stale_uploads()
    click.echo(f"Checked every stored file: {problems} problem(s); "
               f"{removed} stale temporary upload(s) removed.")
    if problems:
        raise SystemExit(1)
