"""Staff rewrite what customers read of an alert (its title and summary) while it runs: the
issue becomes clearer, or its first words were wrong. Telling subscribers is staff's choice,
and only of an open alert; the alert keeps its own words from then on (``Alert.own_text``)."""

from __future__ import annotations

from kb import db, policy
from kb.accounts.audit import record_audit
from kb.accounts.models import User
from kb.alerts.alert_models import Alert
from kb.alerts.critical import checked_title, locked_alert, record_event
from kb.alerts.notices import tell_subscribers
from kb.db import utcnow
from kb.errors import Conflict, Invalid

MAX_SUMMARY = 5000


def revise_alert(actor: User, alert_id: int, title: str, summary: str, *,
                 tell: bool = False, note: str = "") -> Alert:
    """Give the alert staff's title and summary; with ``tell``, record an update (with
    ``note``) and tell its subscribers."""
    policy.require_staff(actor)
    alert = locked_alert(alert_id)
    title, summary = checked_title(title), summary.strip()
    if len(summary) > MAX_SUMMARY:
        raise Invalid(f"Keep the summary under {MAX_SUMMARY:,} characters.")
    if tell and not alert.is_open:
        raise Invalid("The alert is closed: correct its words without telling anyone.")
    changed = (alert.title, alert.summary) != (title, summary)
    if not changed and (not tell or _repeats_last_update(alert, note)):
        return alert
    before = {"title": alert.title, "summary": alert.summary}
    alert.title, alert.summary, alert.own_text = title, summary, True
    alert.updated_at = utcnow()
    if tell:
        _tell_update(actor, alert, note)
    record_audit(actor, "alert.revise", "alert", alert.id, before,
                 {"title": title, "summary": summary, "told": tell})
    db.session.commit()
    return alert


def _repeats_last_update(alert: Alert, note: str) -> bool:
    """Whether the alert's last step is this very update (a double click): told once is
    enough."""
    last = alert.events[-1] if alert.events else None
    return last is not None and last.kind == "revised" and last.note == note.strip()


def _tell_update(actor: User, alert: Alert, note: str) -> None:
    event = record_event(alert, "revised", actor, note)
    if event is None:
        raise Conflict("The alert changed at this moment; reload it and try again.")
    tell_subscribers(alert, event)
