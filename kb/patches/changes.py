"""Changing a patch after it was created: correcting what it says, and withdrawing a defective
one. Its files stay as they are; a withdrawn patch is offered nowhere, its files answer 410
Gone, and everyone who downloaded them is told once why and what to install instead."""

from __future__ import annotations

from sqlalchemy import select

from kb import db, gating, policy, search
from kb.accounts.audit import changed_fields, record_audit
from kb.alerts import fixes
from kb.db import utcnow
from kb.errors import Conflict, Invalid, NotFound
from kb.forms import MAX_DATABASE_ID
from kb.locking import row_locked
from kb.patches import withdrawal_notice
from kb.patches.details import PatchDetails
from kb.patches.models import Patch
from kb.patches.reach import reached, reaches_fewer
from kb.patches.service import apply_details, get_patch

MAX_REASON_LENGTH = 2000


def _snapshot(patch: Patch) -> dict:
    return {"title": patch.title, "summary": patch.summary, "kind": patch.kind,
            "min_plan": patch.min_plan, "applies_to": patch.applies_to_text,
            "released_on": str(patch.released_on),
            "fixed_issues": [issue.identifier for issue in patch.fixed_issues],
            "supersedes": [older.id for older in patch.supersedes],
            "release_notes": [note.slug for note in patch.release_notes],
            "sections": dict(patch.rendered or {})}


def edit_patch(actor, patch_id: int, details: PatchDetails) -> Patch:
    """Correct what a patch says (not its product or files): its sections are rendered again
    and the search index learns the change. ``Invalid`` names what is wrong."""
    policy.require_staff(actor)
    patch = get_patch(actor, patch_id)
    before = _snapshot(patch)
    try:
        apply_details(patch, PatchDetails(**{**vars(details), "product": patch.product.name}))
    except Invalid:
        db.session.rollback()
        raise
    patch.updated_at = utcnow()
    record_audit(actor, "patch.edit", "patch", patch.id, *changed_fields(before, _snapshot(patch)))
    search.record_change("patch", patch.id)
    db.session.commit()
    return patch


def replacement_candidates(actor, patch: Patch) -> list[Patch]:
    """The patches staff may name instead of ``patch``: published ones of its product."""
    policy.require_staff(actor)
    return list(db.session.scalars(
        select(Patch).where(Patch.product_id == patch.product_id, Patch.id != patch.id,
                            Patch.status == "published")
        .order_by(Patch.released_on.desc(), Patch.id.desc())))


def replacement_warning(actor, patch: Patch, replacement_id: int | None) -> str | None:
    """What staff should know before naming ``replacement_id`` instead of ``patch``, when fewer
    customers may download it: how many who downloaded ``patch`` will not be told to install
    it. None when it reaches everyone ``patch`` did; ``Invalid`` for a bad replacement."""
    policy.require_staff(actor)
    replacement = _replacement(patch, replacement_id)
    if replacement is None or not reaches_fewer(replacement, patch.min_plan, patch.programme_id):
        return None
    downloaded = withdrawal_notice.downloaders(patch)
    left_out = sum(gating.offered(user, replacement) is None for user in downloaded)
    told = ("that there is no replacement yet" if replacement.programme_id is not None
            else "that a replacement is available on a higher plan")
    reopened = fixes.reopened_by(patch, replacement)
    alerts = (f" {reopened} critical-issue alert{'s' if reopened != 1 else ''} it fixed will "
              "be open again." if reopened else "")
    return (f"{replacement.title} (#{replacement.id}) is for {reached(replacement)} only; "
            f"this {patch.kind_name.lower()} is for {reached(patch)}. {left_out} of the "
            f"{len(downloaded)} who downloaded it cannot download the replacement: they will be "
            f"told {told}, not what to install.{alerts} Tick the box to name it anyway, or "
            "choose another patch.")


def withdraw_patch(actor, patch_id: int, reason: str,
                   replacement_id: int | None) -> tuple[Patch, int]:
    """Withdraw a published patch: offered nowhere any more, its files gone (410), its page
    saying why and what replaces it; everyone who downloaded it and may still read it is told
    once, and so are the product's subscribers who may read it (as patch news); the alerts it
    fixed take its replacement or are open again (``alerts.fixes``).
    The patch and how many downloaders were told; ``Conflict`` for a patch that is not published,
    ``Invalid`` for a bad reason or replacement."""
    policy.require_staff(actor)
    reason = " ".join(reason.split())
    if not reason:
        raise Invalid("Say why the patch is withdrawn: customers read it.")
    if len(reason) > MAX_REASON_LENGTH:
        raise Invalid(f"Keep the reason under {MAX_REASON_LENGTH} characters.")
    # locked: of two withdrawals at the same moment, the second finds the patch withdrawn
    # rather than overwrite the reason the downloaders were just told
    with row_locked(Patch, patch_id) as patch:
        if patch is None:
            raise NotFound("No such patch.")
        if patch.status != "published":
            raise Conflict(f"Only a published patch can be withdrawn; this one is "
                           f"{patch.status}.")
        patch.replacement = _replacement(patch, replacement_id)
        patch.status, patch.withdrawal_reason = "withdrawn", reason
        patch.withdrawn_at = patch.updated_at = utcnow()
        told = withdrawal_notice.tell_downloaders(patch)
        subscribers_told = withdrawal_notice.tell_subscribers(patch)
        alerts_moved = fixes.fix_withdrawn(actor, patch)
        record_audit(actor, "patch.withdraw", "patch", patch.id, {"status": "published"},
                     {"status": "withdrawn", "reason": reason,
                      "replacement_id": patch.replacement_id, "told": told,
                      "subscribers_told": subscribers_told,
                      "alerts": alerts_moved})
        search.record_change("patch", patch.id)
        db.session.commit()
    return patch, told


def _replacement(patch: Patch, replacement_id: int | None) -> Patch | None:
    if replacement_id is None:
        return None
    found = (db.session.get(Patch, replacement_id)
             if 1 <= replacement_id <= MAX_DATABASE_ID else None)
    if found is None or found is patch:
        raise Invalid(f"There is no other patch #{replacement_id} to name as the replacement.")
    if found.product_id != patch.product_id:
        raise Invalid(f"The replacement must be a patch of {patch.product.name}.")
    if found.status != "published":
        raise Invalid(f"The replacement #{found.id} is {found.status}: name a published patch.")
    return found
