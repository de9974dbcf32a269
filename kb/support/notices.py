"""What incidents tell people, through the one path every message takes
(``kb.alerts.dispatch.tell``: in-app, e-mail through the outbox, or the digest, as each user's
preferences for the ``incident`` family say).

The customer who logged an incident hears of support's replies, status changes and remote
access requests; the assigned staff member hears of the customer's replies, decisions and of
a breached target (every staff member when nobody is assigned). Severity 1 incidents are told
to every staff member when they are logged. Breaches are found by a due job of the outbox
loop; each breach is told once per person (its key names the incident and its target).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import exists, select

from kb import db, plans, policy
from kb.accounts.models import STAFF_ROLES, User
from kb.alerts.dispatch import Notice, tell
from kb.alerts.mail_body import MailBody
from kb.alerts.models import ToldNotice
from kb.alerts.schedule import due_job
from kb.links import path_for
from kb.support import notice_texts as texts
from kb.support.models import OPEN_STATUSES, Incident, IncidentEntry

TIME_PATTERN = "%a %d %b %Y, %H:%M UTC"


def incident_url(incident: Incident) -> str:
    return path_for("incidents.show", incident_id=incident.id)


def _label(incident: Incident) -> str:
    return f"Incident {incident.reference} (severity {incident.severity}): {incident.title}"


def _staff_label(incident: Incident) -> str:
    """Support reads every organisation's incidents, whose numbers each start at 1."""
    return f"Incident {incident.staff_reference} (severity {incident.severity}): {incident.title}"


def _tell(users, incident: Incident, event: str, title: str, body: str | MailBody = "",
          key: str | None = None) -> int:
    text, html = (body.text, body.html) if isinstance(body, MailBody) else (body, "")
    notice = Notice(f"incident.{event}", title, incident_url(incident), text,
                    product_id=incident.product_id, key=key, html=html)
    return sum(tell(user, notice) for user in users if user is not None and user.is_enabled)


def _staff() -> list[User]:
    return list(db.session.scalars(select(User).where(
        User.role.in_(STAFF_ROLES), User.is_enabled.is_(True)).order_by(User.id)))


def _customer(incident: Incident) -> list[User]:
    """Who logged the incident, and the colleagues watching it while they may."""
    reporter = [incident.reporter] if incident.reporter is not None else []
    return reporter + [user for user in incident.watchers
                       if policy.may_watch_incident(user, incident)]


def _support_side(incident: Incident) -> list[User]:
    """The assignee while serving (else none: the callers then tell every staff member)."""
    assignee = incident.assignee
    return [assignee] if assignee is not None and policy.is_serving_staff(assignee) else []


def target_text(incident: Incident, staff_side: bool = False) -> str:
    """The incident's target, worded for the customer, or for staff (``staff_side``)."""
    due = incident.response_due and incident.response_due.strftime(TIME_PATTERN)
    if staff_side:
        plan = f"the customer's plan ({plans.plan_name(incident.plan)})"
        return (f"The response is due by {due} on {plan}." if due else
                f"No response target applies to severity {incident.severity} on "
                f"{incident.product.name} on {plan}: respond as soon as you can.")
    if due is None:
        return "No response target applies to this severity and product on your plan."
    return f"Support responds by {due}."


def incident_logged(incident: Incident) -> None:
    _tell([incident.reporter], incident, "logged", f"Logged: {_label(incident)}",
          f"Your incident is logged as {incident.reference}. {target_text(incident)}")
    watching(incident, [user for user in _customer(incident) if user != incident.reporter],
             incident.reporter)
    if incident.severity == 1:
        _tell(_staff(), incident, "critical",
              f"Severity 1 logged: {_staff_label(incident)}",
              target_text(incident, staff_side=True))


def watching(incident: Incident, watchers: list[User], by: User) -> None:
    """Colleagues added as watchers hear that they are, and what that means."""
    _tell(watchers, incident, "watching", f"You are watching: {_label(incident)}",
          texts.watching_body(incident, by))


def replied(incident: Incident, entry: IncidentEntry, status_changed: bool = False) -> None:
    """One message per reply, saying the status it left the incident in when it changed one;
    a colleague's reply is told to the other colleagues kept informed too."""
    status = f" ({incident.status_name})" if status_changed else ""
    if policy.acts_as_staff(entry.author):
        _tell(_customer(incident), incident, "reply",
              f"Support replied{status}: {_label(incident)}",
              texts.reply_body(incident, entry, staff_side=False, status_changed=status_changed))
        return
    _tell(_support_side(incident), incident, "reply",
          f"The customer replied{status}: {_staff_label(incident)}",
          texts.reply_body(incident, entry, staff_side=True, status_changed=status_changed))
    _tell([user for user in _customer(incident) if user != entry.author], incident, "reply",
          f"{entry.author.display_name} replied{status}: {_label(incident)}",
          texts.reply_body(incident, entry, staff_side=False, status_changed=status_changed))


def status_changed(incident: Incident, by: User, entry: IncidentEntry | None = None) -> None:
    """``entry``: the message sent with the change (a resolution), quoted in the notice."""
    if policy.acts_as_staff(by):
        _tell([u for u in _customer(incident) if u.id != by.id], incident, "status",
              f"{incident.status_name}: {_label(incident)}",
              texts.status_body(incident, by, staff_side=False, entry=entry))
    else:
        _tell(_support_side(incident), incident, "status",
              f"{incident.status_name}: {_staff_label(incident)}",
              texts.status_body(incident, by, staff_side=True, entry=entry))


def reclassified(incident: Incident, by: User, change: str, raised_to_critical: bool) -> None:
    """A changed severity or product (``change``: what and why): staff's change is told to the
    customer; the customer's to support (every staff member when raised to severity 1)."""
    pending = incident.is_open and incident.responded_at is None
    body = f"{change}\n\n{target_text(incident)}" if pending else change
    if policy.acts_as_staff(by):
        _tell(_customer(incident), incident, "changed", f"Changed: {_label(incident)}", body)
    if raised_to_critical:
        _tell([user for user in _staff() if user.id != by.id], incident, "critical",
              f"Raised to severity 1: {_staff_label(incident)}", body)
    elif not policy.acts_as_staff(by):
        _tell(_support_side(incident) or _staff(), incident, "changed",
              f"The customer changed: {_staff_label(incident)}", body)


def assigned(incident: Incident, assignee: User) -> None:
    _tell([assignee], incident, "assigned", f"Assigned to you: {_staff_label(incident)}",
          target_text(incident, staff_side=True))


def remote_access(incident: Incident, event: str, to_customer: bool, title: str,
                  detail: str = "", by: User | None = None) -> None:
    if to_customer:
        users, label = _customer(incident), _label(incident)
    else:
        users, label = _support_side(incident) or _staff(), _staff_label(incident)
    _tell(users, incident, f"remote_access_{event}", f"{title}: {label}",
          texts.remote_access_body(incident, event, not to_customer, by, detail))


def breach_key(incident: Incident) -> str:
    return f"incident.breach:{incident.id}:{incident.response_due:%Y%m%dT%H%M%SZ}"


@due_job
def tell_breaches(now: datetime) -> int:
    """Tell of every open incident whose response is overdue and not yet given; the number
    of notices told."""
    told = 0
    for incident in _breached(now):
        users = _support_side(incident) or _staff()
        told += _tell(users, incident, "breach",
                      f"Response target missed: {_staff_label(incident)}",
                      f"The response was due {incident.response_due.strftime(TIME_PATTERN)} "
                      f"({incident.organization.name}, {incident.plan}).",
                      key=breach_key(incident))
    if told:
        db.session.commit()
    else:
        db.session.rollback()  # nothing written: no write lock taken on SQLite
    return told


def _breached(now: datetime) -> list[Incident]:
    """Open, unanswered incidents past their target whose breach nobody was told yet."""
    candidates = db.session.scalars(select(Incident).where(
        Incident.status.in_(OPEN_STATUSES), Incident.responded_at.is_(None),
        Incident.response_due.is_not(None), Incident.response_due <= now)
        .order_by(Incident.response_due))
    return [incident for incident in candidates if not db.session.scalar(
        select(exists().where(ToldNotice.key == breach_key(incident))))]
