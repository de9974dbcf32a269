"""Every change to patches and their files, and the queries that find them.

Publishing stores and verifies every file before the patch becomes visible: a patch is
written with its files in one transaction, and its status is ``published`` only once each
stored file has been re-read and matched its size and SHA-256."""

from __future__ import annotations

import logging
import mimetypes
from collections.abc import Iterable

from sqlalchemy import func, select

from kb import db, markdown, plans, policy, search
from kb.accounts.audit import record_audit
from kb.alerts import notices as alert_notices
from kb.articles.models import Article
from kb.db import utcnow
from kb.errors import Conflict, Invalid, NotFound
from kb.forms import MAX_DATABASE_ID, one_line
from kb.patches.details import PatchDetails
from kb.patches.file_names import checked_file_names
from kb.patches.models import KINDS, FixedIssue, Patch, PatchFile
from kb.patches.withdrawn import refuse_if_withdrawn
from kb.products import service as products
from kb.products.models import Product
from kb.products.names import version_sort_key
from kb.storage import StoredBlob, Upload, file_store

RANGE_SEPARATOR = ".."
MARKDOWN_SECTIONS = ("description", "prerequisites", "install_notes", "known_issues")
log = logging.getLogger(__name__)


# --- publishing ------------------------------------------------------------------------------

def publish_patch(actor, details: PatchDetails, uploads: list[Upload],
                  publish: bool = True) -> Patch:
    """Store and verify every uploaded file, then create the patch (published unless
    ``publish`` is false). On any failure nothing is published and new files are removed.

    ``actor`` is a staff user, or None for the command line (whoever runs ``kb`` on the
    server already controls everything)."""
    stored: list[StoredBlob] = []
    try:
        if actor is not None:
            policy.require_staff(actor)
        names = checked_file_names(uploads)
        _check_details(details)
        _store_verified(uploads, names, stored)
        patch = _new_patch(actor, details)
        patch.files = [_patch_file(position, name, upload.content_type, blob)
                       for position, (upload, name, blob)
                       in enumerate(zip(uploads, names, stored, strict=True))]
        db.session.flush()
        if publish:
            _mark_published(patch)
            alert_notices.announce_patch(patch)
        record_audit(actor, "patch.create", "patch", patch.id, None,
                     {"title": patch.title, "status": patch.status, "files": names})
        search.record_change("patch", patch.id)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        _remove_unreferenced(blob for blob in stored if not blob.already_stored)
        for upload in uploads:
            upload.stream.discard()
        raise
    return patch


def _store_verified(uploads: list[Upload], names: list[str], stored: list[StoredBlob]) -> None:
    """Give each staged (non-empty) file its content address, then re-read it; ``stored``
    collects the blobs as stored, so that a failure can remove them."""
    for upload, name in zip(uploads, names, strict=True):
        blob = file_store().save(upload.stream)
        stored.append(blob)
        if blob.size == 0:
            raise Invalid(f"{name} is empty (0 bytes): choose it again, or the right one.")
        file_store().verify(blob.key, blob.sha256, blob.size, name)


def _check_details(details: PatchDetails) -> None:
    if not one_line(details.title):
        raise Invalid("Give the patch a title.")
    if not details.product.strip():
        raise Invalid("Name the product the patch is for.")
    if details.kind not in KINDS:
        raise Invalid(f"Kind must be one of {', '.join(KINDS)}.")
    if details.min_plan not in plans.PLANS:
        raise Invalid(f"Minimum plan must be one of {', '.join(plans.PLANS)}.")


def _new_patch(actor, details: PatchDetails) -> Patch:
    patch = Patch(kind=details.kind, product=products.ensure_product(details.product),
                  status="draft", author_id=actor.id if actor else None)
    apply_details(patch, details)
    db.session.add(patch)
    return patch


def apply_details(patch: Patch, details: PatchDetails) -> None:
    """Write what the publisher says onto a new or an edited patch (all but its product and
    files) and render its Markdown sections; ``Invalid`` names what is wrong."""
    _check_details(details)
    patch.kind, patch.title = details.kind, one_line(details.title)
    patch.summary, patch.description = details.summary.strip(), details.description
    patch.prerequisites, patch.install_notes = details.prerequisites, details.install_notes
    patch.known_issues, patch.min_plan = details.known_issues, details.min_plan
    patch.released_on = details.released_on or patch.released_on or policy.today()
    patch.versions = []
    patch.range_from = patch.range_from_key = patch.range_to = patch.range_to_key = None
    _apply_versions(patch, patch.product, details.versions)
    _render_sections(patch)
    patch.fixed_issues = [FixedIssue(position=i, identifier=identifier, text=text)
                          for i, (identifier, text) in enumerate(details.fixed_issues)]
    # the look-ups below must not flush a half-built patch
    with db.session.no_autoflush:
        patch.supersedes = [_older_patch(patch, patch_id) for patch_id in details.supersedes]
        patch.release_notes = [_release_note(slug) for slug in details.release_notes]


def _apply_versions(patch: Patch, product: Product, entries: list[str]) -> None:
    for entry in entries:
        entry = entry.strip()
        if RANGE_SEPARATOR in entry:
            low, _, high = (part.strip() for part in entry.partition(RANGE_SEPARATOR))
            if not low and not high:
                raise Invalid("A version range needs at least one end, e.g. 11.0..12.0.")
            if low and high and version_sort_key(low) > version_sort_key(high):
                raise Invalid(f"The range {entry} ends before it starts.")
            patch.range_from = low or None
            patch.range_from_key = version_sort_key(low) if low else None
            patch.range_to = high or None
            patch.range_to_key = version_sort_key(high) if high else None
        elif entry:
            version = products.ensure_version(product, entry)
            if version not in patch.versions:
                patch.versions.append(version)


def _older_patch(patch: Patch, patch_id: int) -> Patch:
    older = db.session.get(Patch, patch_id) if 1 <= patch_id <= MAX_DATABASE_ID else None
    if older is None:
        raise Invalid(f"There is no patch #{patch_id} to supersede.")
    if older is patch:
        raise Invalid("A patch cannot supersede itself.")
    if older.product_id != patch.product.id:
        raise Invalid(f"Patch #{older.id} is for {older.product.name}: a patch supersedes "
                      f"patches of its own product ({patch.product.name}) only.")
    if patch in _superseded_through(older):  # an edit would make a loop: each "the newer one"
        raise Invalid(f"Patch #{older.id} supersedes this patch already: it cannot be "
                      "superseded by it.")
    return older


def _superseded_through(patch: Patch) -> set[Patch]:
    """Every patch ``patch`` supersedes, directly or through the ones it supersedes."""
    found, waiting = set(), list(patch.supersedes)
    while waiting:
        older = waiting.pop()
        if older not in found:
            found.add(older)
            waiting.extend(older.supersedes)
    return found


def _release_note(slug: str) -> Article:
    note = db.session.scalar(
        select(Article).where(Article.slug == slug.strip(), Article.type == "release-note"))
    if note is None:
        raise Invalid(f"There is no release note {slug!r}.")
    return note


def _patch_file(position: int, name: str, content_type: str, blob: StoredBlob) -> PatchFile:
    guessed = mimetypes.guess_type(name)[0]
    return PatchFile(
        position=position, name=name, size=blob.size, sha256=blob.sha256,
        content_type=guessed or content_type or "application/octet-stream",
        storage_key=blob.key, verified_fingerprint=file_store().fingerprint(blob.key),
        verified_at=utcnow(),
    )


def _mark_published(patch: Patch) -> None:
    patch.status = "published"
    patch.published_at = patch.published_at or utcnow()
    patch.updated_at = utcnow()


def _remove_unreferenced(blobs: Iterable[StoredBlob]) -> None:
    for blob in blobs:
        referenced = db.session.scalar(
            select(func.count(PatchFile.id)).where(PatchFile.storage_key == blob.key))
        if not referenced:
            file_store().delete(blob.key)


def publish_draft(actor, patch_id: int) -> Patch:
    """Publish a draft after checking again that every one of its files is intact."""
    policy.require_staff(actor)
    patch = _get(patch_id)
    if patch.is_retired:
        raise Conflict("A withdrawn patch stays withdrawn: publish a new one instead.")
    for patch_file in patch.files:
        file_store().verify(patch_file.storage_key, patch_file.sha256, patch_file.size,
                            patch_file.name)
    _mark_published(patch)
    alert_notices.announce_patch(patch)
    record_audit(actor, "patch.publish", "patch", patch.id, {"status": "draft"},
                 {"status": "published"})
    search.record_change("patch", patch.id)
    db.session.commit()
    return patch


# --- reading ---------------------------------------------------------------------------------

def _get(patch_id: int) -> Patch:
    patch = db.session.get(Patch, patch_id)
    if patch is None:
        raise NotFound("No such patch.")
    return patch


def get_patch(user, patch_id: int) -> Patch:
    """The patch if ``user`` may read it (a withdrawn one: if their plan could); else raises."""
    policy.require(user, "patches")
    patch = _get(patch_id)
    policy.require_read(user, patch, "patch", retired_too=True)
    return patch


def file_for_download(user, patch_id: int, file_id: int, name: str) -> PatchFile:
    """The file to send, after the policy allows it and the stored copy proved intact."""
    patch = get_patch(user, patch_id)
    refuse_if_withdrawn(user, patch)
    patch_file = next((f for f in patch.files if f.id == file_id and f.name == name), None)
    if patch_file is None:
        raise NotFound("No such file in this patch.")
    ensure_intact(patch_file)
    return patch_file


def ensure_intact(patch_file: PatchFile) -> None:
    """Raise ``StoredFileProblem`` if the stored file is missing or damaged. A full SHA-256
    check runs only when the file changed on disk since it was last verified (its fingerprint
    differs), so a download normally costs one ``stat``."""
    store = file_store()
    label = f"{patch_file.name} (patch #{patch_file.patch_id})"
    fingerprint = store.fingerprint(patch_file.storage_key)
    if fingerprint is not None and fingerprint == patch_file.verified_fingerprint:
        return
    store.verify(patch_file.storage_key, patch_file.sha256, patch_file.size, label)
    patch_file.verified_fingerprint = fingerprint
    patch_file.verified_at = utcnow()
    db.session.commit()


def _sections_key(patch: Patch) -> str:
    return markdown.render_key(
        "\0".join(getattr(patch, section) or "" for section in MARKDOWN_SECTIONS))


def _render_sections(patch: Patch) -> None:
    patch.rendered = {section: markdown.render(getattr(patch, section) or "").html
                      for section in MARKDOWN_SECTIONS}
    patch.render_key = _sections_key(patch)


def rendered_sections(patch: Patch) -> dict[str, str]:
    """The sanitised HTML of the Markdown sections, rendered when the patch was written (and
    once more only after a renderer upgrade)."""
    if patch.render_key != _sections_key(patch) or not patch.rendered:
        _render_sections(patch)
        db.session.commit()
    return patch.rendered


def checksums_text(user, patch: Patch) -> str:
    """The patch's SHA256SUMS file, as ``sha256sum -c`` reads it."""
    refuse_if_withdrawn(user, patch)
    return "".join(f"{f.sha256}  {f.name}\n" for f in patch.files)


