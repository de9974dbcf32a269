"""Every change to incidents: logging one (with its watchers, ``kb.support.watchers``), the
thread (replies, staff-only notes), status and assignment (linked articles:
``kb.support.incident_articles``). Each function asks the policy, writes, tells whom it
concerns (``kb.support.notices``) and commits.

An incident's number counts per organisation. Logging locks the organisation's row for the
moment of numbering (``SELECT ... FOR UPDATE``; ``BEGIN IMMEDIATE`` on SQLite), so incidents
logged at the same moment get 1, 2, 3 ... and never the same number; there is no cap."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import func, select

from kb import db, markdown, policy
from kb.accounts.audit import record_audit
from kb.accounts.models import Organization, User
from kb.db import utcnow
from kb.errors import Conflict, Invalid, NotFound
from kb.forms import one_line
from kb.locking import lock_row
from kb.products.known import may_name_product, versions_to_name
from kb.products.models import Product
from kb.storage import Upload
from kb.support import attachments, notices, response_clocks, service, status_rules, watchers
from kb.support.models import (
    SEVERITIES,
    STATUS_NAMES,
    Incident,
    IncidentEntry,
)

MAX_TITLE = 300
MIN_TITLE = 5
MAX_TEXT = 50_000


@dataclass
class IncidentDetails:
    """What a customer says when logging an incident (page, API)."""

    product: str
    severity: int
    title: str
    description: str = ""
    version: str = ""
    contact: str = ""
    uploads: list[Upload] = field(default_factory=list)
    watchers: list[int] = field(default_factory=list)  # colleagues' user ids


def log_incident(user, details: IncidentDetails) -> Incident:
    """A customer of an active organisation logs an incident; its response target is computed
    now, on the organisation's plan, time zone and holidays."""
    policy.require(user, policy.INCIDENT_FEATURE)
    organization = user.organization
    if policy.acts_as_staff(user) or organization is None:
        raise Invalid("Incidents are logged by a customer organisation's users.")
    product = _checked(user, details)
    # rendered before anything is stored or locked: a long text renders for a while, and the
    # lock below holds every other incident of the organisation (on SQLite: every write)
    description_html = markdown.render(details.description.strip()).html
    files = attachments.store_all(details.uploads, user.id)
    try:
        return _numbered_incident(user, organization, details, product, files,
                                  description_html)
    except BaseException:
        db.session.rollback()
        attachments.forget(files)
        raise


def _numbered_incident(user, organization: Organization, details: IncidentDetails,
                       product: Product, files: list, description_html: str) -> Incident:
    now = utcnow()
    due = service.due_for(organization, organization.plan, details.severity, product, now)
    lock_row(Organization, organization.id)
    incident = Incident(
        organization_id=organization.id, number=_next_number(organization.id),
        product=product, version=details.version.strip()[:60], severity=details.severity,
        plan=organization.plan, status="new", title=one_line(details.title),
        description=details.description.strip(),
        description_html=description_html,
        contact=details.contact.strip()[:300] or user.email, reporter_id=user.id,
        created_at=now, updated_at=now, response_due=due)
    incident.attachments = files
    response_clocks.start(incident, "logged", now, due)
    db.session.add(incident)
    db.session.flush()
    watchers.attach(user, incident, details.watchers)
    record_audit(user, "incident.create", "incident", incident.id, None,
                 {"number": incident.number, "severity": incident.severity,
                  "product": product.name, "response_due": due and due.isoformat()})
    notices.incident_logged(incident)
    db.session.commit()
    return incident


def _checked(user, details: IncidentDetails) -> Product:
    if details.severity not in SEVERITIES:
        raise Invalid("Severity must be 1, 2, 3 or 4.")
    title = one_line(details.title)
    if not title:
        raise Invalid("Give the incident a title: what goes wrong, in a line.")
    if len(title) > MAX_TITLE or len(details.description) > MAX_TEXT:
        raise Invalid(f"Keep the title under {MAX_TITLE} and the description under "
                      f"{MAX_TEXT:,} characters.")
    if len(details.version) > 60 or len(details.contact) > 300:
        raise Invalid("Keep the version under 60 and the contact under 300 characters.")
    if not details.product.strip():
        raise Invalid("Name the product the incident is about.", "product")
    try:
        product = service.find_product(details.product)
    except NotFound:
        product = None
    if not may_name_product(user, product):  # none, or one only drafts name: alike
        raise Invalid(f"There is no product called {details.product.strip()!r}.", "product")
    _check_version(user, product, details.version)
    if len(title) < MIN_TITLE:
        raise Invalid(f"Give the incident a title of at least {MIN_TITLE} characters: what "
                      "goes wrong, in a line.", "title")
    return product


def _check_version(user, product: Product, version: str) -> None:
    """A version the product has, as itself or with what follows it: a build ("12.0.4127") or
    a qualifier ("12.0 SP1", "12.0-CU1"); any text for a product without recorded versions."""
    typed = " ".join(version.split())
    known = [item.name for item in versions_to_name(user, [product])[product.id]]
    if not typed or not known:
        return
    if not any(typed == name or typed.startswith(tuple(f"{name}{mark}" for mark in " .-"))
               for name in known):
        raise Invalid(f"{product.name} has no version {typed!r} (versions: "
                      f"{', '.join(known)}).", "version")


def _next_number(organization_id: int) -> int:
    """The organisation's next incident number (call with its row locked)."""
    highest = db.session.scalar(select(func.max(Incident.number)).where(
        Incident.organization_id == organization_id))
    return (highest or 0) + 1


def reply(user, incident: Incident, body: str, uploads: Iterable[Upload] = (),
          status: str | None = None) -> IncidentEntry:
    """A public reply, told in one message with the status it leaves: support's meets the
    target, takes the incident up (``_take_up``) and may set a ``status``; the customer's
    reopens a resolved incident, or puts one waiting for them back in progress."""
    _require_writer(user, incident)
    if incident.status == "closed":
        raise Conflict("This incident is closed; reopen it, or log a new one.")
    staff, before = policy.acts_as_staff(user), incident.status
    if status is not None and not staff:
        raise Invalid("Only support sets a status with a reply.")
    if status is not None:
        status_rules.check_change(user, incident, status, body)
    entry = _add_entry(user, incident, "reply", body, list(uploads))
    if staff:
        response_clocks.responded(incident, entry.created_at)
        _take_up(user, incident)
        if status not in (None, incident.status):
            _set_status(user, incident, status, tell=False)
    elif incident.status in ("resolved", "waiting_for_customer"):
        _set_status(user, incident, "reopened" if incident.status == "resolved"
                    else "in_progress", tell=False, cause="on the customer's reply")
    notices.replied(incident, entry, status_changed=incident.status != before)
    db.session.commit()
    return entry


def _take_up(staff, incident: Incident) -> None:
    """Support's reply puts a new incident in progress, and an unassigned one with whoever
    answered (the customer hears of both by the reply's one message)."""
    if incident.status == "new":
        _set_status(staff, incident, "in_progress", tell=False)
    if incident.assignee_id is None:
        _assign_one(staff, incident, staff)


def add_note(user, incident: Incident, body: str,
             uploads: Iterable[Upload] = ()) -> IncidentEntry:
    """A staff-only note (customers never see it, nor its files)."""
    policy.require_staff(user)
    entry = _add_entry(user, incident, "note", body, list(uploads))
    db.session.commit()
    return entry


def _require_writer(user, incident: Incident) -> None:
    policy.require_incident(user, incident)
    if not policy.acts_as_staff(user):
        policy.require(user, policy.INCIDENT_FEATURE)


def _add_entry(user, incident: Incident, kind: str, body: str,
               uploads: list[Upload]) -> IncidentEntry:
    if not body.strip() and not uploads:
        raise Invalid("Write something, or attach a file.", field="body")
    if len(body) > MAX_TEXT:
        raise Invalid(f"Keep a message under {MAX_TEXT:,} characters.", field="body")
    body_html = markdown.render(body.strip()).html
    files = attachments.store_all(uploads, user.id)
    try:
        return _entry_with_files(user, incident, kind, body, body_html, files)
    except BaseException:
        db.session.rollback()
        attachments.forget(files)
        raise


def _entry_with_files(user, incident: Incident, kind: str, body: str, body_html: str,
                      files: list) -> IncidentEntry:
    entry = IncidentEntry(incident=incident, kind=kind, author_id=user.id, body=body.strip(),
                          body_html=body_html, created_at=utcnow())
    db.session.add(entry)
    for attachment in files:
        attachment.entry = entry
        incident.attachments.append(attachment)
    incident.updated_at = entry.created_at
    db.session.flush()
    return entry


def change_status(user, incident: Incident, status: str, message: str = "") -> Incident:
    """Staff move an incident to any status; customers close theirs or reopen it
    (``kb.support.status_rules``). ``message``: a public reply sent with the change, the
    resolution that finishing an unanswered incident needs."""
    _require_writer(user, incident)
    status_rules.check_change(user, incident, status, message)
    if status != incident.status:
        entry = _add_entry(user, incident, "reply", message, []) if message.strip() else None
        if entry is not None and policy.acts_as_staff(user):
            response_clocks.responded(incident, entry.created_at)
        _set_status(user, incident, status, tell=False)
        notices.status_changed(incident, user, entry)
        db.session.commit()
    return incident


def _set_status(user, incident: Incident, status: str, tell: bool = True,
                cause: str = "") -> None:
    """A status change; with a ``cause`` the portal made it, and its thread line says why."""
    before = incident.status
    incident.status = status
    response_clocks.status_changed(user, incident, before, status, utcnow())
    add_event(None if cause else user, incident,
              f"Status: {STATUS_NAMES[before]} → {STATUS_NAMES[status]}"
              + (f", {cause}" if cause else ""))
    record_audit(user, "incident.status", "incident", incident.id, {"status": before},
                 {"status": status})
    if tell:
        notices.status_changed(incident, user)


def add_event(user, incident: Incident, text: str) -> IncidentEntry:
    """A public line in the thread that the portal writes (status, assignment, access)."""
    entry = IncidentEntry(incident=incident, kind="event", author_id=user.id if user else None,
                          body=text, body_html="", created_at=utcnow())
    db.session.add(entry)
    incident.updated_at = entry.created_at
    return entry


def assign(user, incidents: list[Incident], assignee: User | None) -> int:
    """Staff assign incidents (several at once) to a staff member, or unassign them; the
    number changed."""
    policy.require_staff(user)
    if assignee is not None and not policy.is_serving_staff(assignee):
        raise Invalid("Incidents are assigned to enabled support staff only.")
    changed = 0
    for incident in incidents:
        if incident.assignee_id == (assignee.id if assignee else None):
            continue
        _assign_one(user, incident, assignee)
        if assignee is not None and assignee.id != user.id:
            notices.assigned(incident, assignee)
        changed += 1
    db.session.commit()
    return changed


def _assign_one(user, incident: Incident, assignee: User | None) -> None:
    """The assignment itself, its thread line and its audit record."""
    before = incident.assignee.email if incident.assignee else None
    incident.assignee = assignee
    add_event(user, incident, f"Assigned to {assignee.display_name}" if assignee else "Unassigned")
    record_audit(user, "incident.assign", "incident", incident.id, {"assignee": before},
                 {"assignee": assignee.email if assignee else None})
