"""When the patch that fixed a critical issue is withdrawn. Each alert it fixed takes the
replacement as its fix, where there is one everyone the alert concerns may open; otherwise the
issue is open again, at its workaround or under investigation, until staff name a new fix.
Either way the alert's subscribers are told, with the reason."""

from __future__ import annotations

from sqlalchemy import select

from kb import db
from kb.accounts.models import User
from kb.alerts.alert_models import Alert
from kb.alerts.critical import record_event
from kb.alerts.notices import tell_subscribers
from kb.db import utcnow
from kb.patches.models import Patch


def fix_withdrawn(actor: User, patch: Patch) -> int:
    """Move on every alert ``patch`` (just withdrawn) fixed; in the caller's transaction.
    Returns how many alerts changed."""
    fixed = list(db.session.scalars(select(Alert).where(Alert.patch_id == patch.id)
                                    .order_by(Alert.id).with_for_update()))
    for alert in fixed:
        replacement = _replacement_fix(patch)
        alert.patch, alert.updated_at = replacement, utcnow()
        if replacement is None:
            alert.state = "workaround" if alert.article_id is not None else "investigating"
        event = record_event(alert, "fix_withdrawn", actor, _note(patch, replacement))
        if event is not None:
            tell_subscribers(alert, event)
    return len(fixed)


def _replacement_fix(patch: Patch) -> Patch | None:
    replacement = patch.replacement
    if replacement is None or not replacement.is_published or replacement.programme_id:
        return None
    return replacement


def _note(patch: Patch, replacement: Patch | None) -> str:
    withdrawn = (f"The fix, {patch.kind_name.lower()} “{patch.title}”, was withdrawn: "
                 f"{patch.withdrawal_reason}")
    if replacement is not None:
        return (f"{withdrawn}\n\nInstall {replacement.kind_name.lower()} "
                f"“{replacement.title}” instead.")
    return f"{withdrawn}\n\nThe issue is open again until a new fix is published."
