"""Staff are warned before naming a fix fewer of an alert's readers may download, and what happens
when the patch that fixed a critical issue is withdrawn. Each alert it fixed takes the
replacement as its fix, where there is one everyone the alert concerns may open; otherwise the
issue is open again, at its workaround or under investigation, until staff name a new fix.
Either way the alert's subscribers are told, with the reason."""

from __future__ import annotations

from sqlalchemy import select

from kb import db, plans
from kb.accounts.models import User
from kb.alerts.alert_models import Alert
from kb.alerts.critical import record_event
from kb.alerts.notices import tell_subscribers
from kb.db import utcnow
from kb.patches.models import Patch
from kb.patches.reach import reached, reaches_fewer


def fix_warning(alert: Alert, patch_id: int | None) -> str | None:
    """What staff should know before naming ``patch_id`` as the alert's fix, when some plans
    the alert is told to may not download it; None otherwise (or for no such patch)."""
    patch = db.session.get(Patch, patch_id) if patch_id else None
    if patch is None or not reaches_fewer(patch, alert.min_plan):
        return None
    return (f"{patch.kind_name} #{patch.id} is for {reached(patch)} only; this alert is told "
            f"to {plans.plans_phrase(alert.min_plan)}. The others will read that a fix is "
            "available on a higher plan, not what to install. Tick the box to name it anyway, "
            "or choose another.")


def reopened_by(patch: Patch, replacement: Patch) -> int:
    """How many alerts ``patch`` fixes would be open again were it withdrawn for
    ``replacement``: those told to plans the replacement is not for."""
    return sum(reaches_fewer(replacement, alert.min_plan)
               for alert in db.session.scalars(select(Alert).where(Alert.patch_id == patch.id)))


def fix_withdrawn(actor: User, patch: Patch) -> int:
    """Move on every alert ``patch`` (just withdrawn) fixed; in the caller's transaction.
    Returns how many alerts changed."""
    fixed = list(db.session.scalars(select(Alert).where(Alert.patch_id == patch.id)
                                    .order_by(Alert.id).with_for_update()))
    for alert in fixed:
        replacement = _replacement_fix(patch, alert)
        alert.patch, alert.updated_at = replacement, utcnow()
        if replacement is None:
            alert.state = "workaround" if alert.article_id is not None else "investigating"
        event = record_event(alert, "fix_withdrawn", actor, _note(patch, replacement))
        if event is not None:
            tell_subscribers(alert, event)
    return len(fixed)


def _replacement_fix(patch: Patch, alert: Alert) -> Patch | None:
    """The replacement, if every plan the alert is told to may download it (its note names it
    to them all)."""
    replacement = patch.replacement
    if replacement is None or not replacement.is_published \
            or reaches_fewer(replacement, alert.min_plan):
        return None
    return replacement


def _note(patch: Patch, replacement: Patch | None) -> str:
    withdrawn = (f"The fix, {patch.kind_name.lower()} “{patch.title}”, was withdrawn: "
                 f"{patch.withdrawal_reason}")
    if replacement is not None:
        return (f"{withdrawn}\n\nInstall {replacement.kind_name.lower()} "
                f"“{replacement.title}” instead.")
    return f"{withdrawn}\n\nThe issue is open again until a new fix is published."
