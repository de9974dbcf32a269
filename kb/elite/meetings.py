"""Meetings an Elite organisation asks for and its CSM schedules: a consultation with senior
support and development staff, an update planning call before a named update, a support
activity review. Scheduling sends both sides a calendar invite; a reschedule replaces it and a
cancellation withdraws it."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlalchemy import select

from kb import db, policy
from kb.accounts.audit import record_audit
from kb.accounts.models import Organization
from kb.alerts.dispatch import Attachment, Notice, confirm, tell
from kb.db import utcnow
from kb.elite import csm as csms
from kb.elite import invites
from kb.elite.models import MEETING_KINDS, EliteMeeting
from kb.errors import Invalid, NotFound
from kb.forms import one_line
from kb.links import path_for
from kb.products.known import asked_ids, hidden_version_ids
from kb.products.models import ProductVersion
from kb.products.names import slugify

LONGEST_MEETING = 8 * 60


def request_meeting(user, kind: str, subject: str, details: str = "",
                    preferred_times: str = "", product_name: str = "",
                    target_version: str = "") -> EliteMeeting:
    """Ask the organisation's CSM for a meeting of ``kind``; the CSM is told."""
    if kind not in MEETING_KINDS:
        raise Invalid(f"Unknown kind of meeting: {kind!r}.")
    policy.require(user, MEETING_KINDS[kind][0])
    organization = csms.own_organization(user)
    manager = csms.csm_of(organization)
    if manager is None:
        raise Invalid("Meetings are arranged by your customer success manager, and none is "
                      "assigned yet.")
    meeting = EliteMeeting(organization_id=organization.id, kind=kind,
                           subject=_required(one_line(subject), "a subject", 200),
                           details=_limited(details, 5000),
                           preferred_times=_limited(preferred_times, 500),
                           requested_by_id=user.id, calendar_uid=f"{uuid.uuid4()}@kb")
    if kind == "update_planning":
        _name_the_update(user, meeting, organization, product_name, target_version)
    db.session.add(meeting)
    db.session.flush()
    tell(manager, Notice(kind="elite.meeting",
                         title=f"{organization.name} asks for: {meeting.kind_name}",
                         url=_meeting_url(manager, meeting), body=meeting.details))
    confirm(user, Notice(kind="elite.meeting",
                         title=f"Requested: {meeting.kind_name}, {meeting.subject}",
                         url=_meeting_url(user, meeting), body=_request_summary(meeting)))
    db.session.commit()
    return meeting


def _tell_request_withdrawn(actor, meeting: EliteMeeting) -> None:
    """A request withdrawn before it was scheduled (no invite to cancel): the CSM is told,
    and the customer who withdrew it gets a confirmation."""
    manager = csms.csm_of(meeting.organization)
    title = f"Request withdrawn: {meeting.kind_name}, {meeting.subject}"
    if manager is not None and manager.id != actor.id:
        tell(manager, Notice(kind="elite.meeting", title=title,
                             url=_meeting_url(manager, meeting)))
    if not policy.acts_as_staff(actor):
        confirm(actor, Notice(kind="elite.meeting", title=title,
                              url=_meeting_url(actor, meeting),
                              body=f"{title}. Your customer success manager is told."))


def _request_summary(meeting: EliteMeeting) -> str:
    """What the customer asked for, and what happens next (the confirmation e-mail)."""
    lines = [f"Your request is with your customer success manager: {meeting.kind_name}.", "",
             f"Subject: {meeting.subject}"]
    if meeting.target_version:
        lines.append(f"Update: {meeting.product.name} {meeting.target_version}")
    if meeting.preferred_times:
        lines.append(f"Times that suit you: {meeting.preferred_times}")
    if meeting.details:
        lines += ["", meeting.details]
    lines += ["", "Once it is scheduled, you receive a calendar invite."]
    return "\n".join(lines)


def schedule(actor, meeting_id: int, starts_at: datetime, duration_minutes: int,
             location: str = "", attendees: str = "") -> EliteMeeting:
    """Set or move the meeting's time (staff); the requester and the CSM get the invite."""
    policy.require_staff(actor)
    meeting = meeting_for(actor, meeting_id)
    if meeting.status in ("declined", "cancelled"):
        raise Invalid(f"This meeting was {meeting.status}.")
    if starts_at.tzinfo is None:
        raise Invalid("The start needs its time zone.")
    if starts_at < utcnow() - timedelta(minutes=5):  # a form filled in a while ago
        raise Invalid("The meeting cannot start in the past.", field="starts_at")
    if not 15 <= duration_minutes <= LONGEST_MEETING:
        raise Invalid(f"A meeting lasts from 15 minutes to {LONGEST_MEETING // 60} hours.",
                      field="duration_minutes")
    moved = meeting.status == "scheduled"
    meeting.starts_at, meeting.duration_minutes = starts_at, duration_minutes
    meeting.location, meeting.attendees = _limited(location, 500), _limited(attendees, 500)
    meeting.status, meeting.scheduled_by_id = "scheduled", actor.id
    meeting.sequence += 1
    record_audit(actor, "elite.meeting.schedule", "elite_meeting", meeting.id, None,
                 {"starts_at": starts_at.isoformat(), "minutes": duration_minutes})
    verb = "moved to" if moved else "scheduled for"
    _send_invites(meeting, "REQUEST",
                  f"{meeting.kind_name} {verb} {invites.when_text(meeting)}")
    db.session.commit()
    return meeting


def decline(actor, meeting_id: int, answer: str) -> EliteMeeting:
    """Refuse a request (staff), saying why; the requester is told."""
    policy.require_staff(actor)
    meeting = meeting_for(actor, meeting_id)
    if meeting.status != "requested":
        raise Invalid("Only a request that is not scheduled yet can be declined.")
    meeting.status, meeting.answer = "declined", _required(answer, "the reason", 5000)
    if meeting.requested_by is not None:
        tell(meeting.requested_by, Notice(
            kind="elite.meeting", title=f"Your request was declined: {meeting.subject}",
            url=_meeting_url(meeting.requested_by, meeting), body=meeting.answer))
    db.session.commit()
    return meeting


def cancel(actor, meeting_id: int) -> EliteMeeting:
    """Withdraw a request or a scheduled meeting (the organisation's users or staff)."""
    meeting = meeting_for(actor, meeting_id)
    if meeting.status not in ("requested", "scheduled"):
        raise Invalid(f"This meeting was {meeting.status} already.")
    was_scheduled = meeting.status == "scheduled"
    meeting.status = "cancelled"
    meeting.sequence += 1
    if was_scheduled:
        _send_invites(meeting, "CANCEL", f"Cancelled: {meeting.kind_name} of "
                                         f"{invites.when_text(meeting)}")
    else:
        _tell_request_withdrawn(actor, meeting)
    db.session.commit()
    return meeting


def meeting_for(actor, meeting_id: int) -> EliteMeeting:
    """A meeting of the actor's organisation (any, for staff)."""
    if not policy.acts_as_staff(actor):
        csms.own_organization(actor)
    meeting = db.session.get(EliteMeeting, meeting_id)
    if meeting is None or not (policy.acts_as_staff(actor)
                               or meeting.organization_id == actor.organization_id):
        raise NotFound("No such meeting.")
    return meeting


def meetings_of(organization: Organization) -> list[EliteMeeting]:
    return list(db.session.scalars(select(EliteMeeting).where(
        EliteMeeting.organization_id == organization.id).order_by(EliteMeeting.id.desc())))


def _name_the_update(user, meeting: EliteMeeting, organization: Organization,
                     product_name: str, target_version: str) -> None:
    wanted = (product_name.strip(), slugify(product_name))
    installed = {entry.product_id: entry for entry in organization.installed}
    product = next((entry.product for entry in installed.values()
                    if entry.product.name in wanted or entry.product.slug in wanted), None)
    if product is None:
        raise Invalid("Name one of the products your organisation runs.", field="product")
    version = db.session.scalar(select(ProductVersion).where(
        ProductVersion.product_id == product.id, ProductVersion.name == target_version.strip()))
    # a version only items the user may not learn of name (a draft) is refused as one that
    # does not exist, asked about alike (``asked_ids``)
    hidden = hidden_version_ids(user, asked_ids({version.id} if version else set()))
    if version is None or version.id in hidden:
        raise Invalid(f"{product.name} has no version {target_version.strip()!r}.",
                      field="target_version")
    meeting.product_id, meeting.target_version = product.id, version.name
    running = installed[product.id].version
    meeting.current_version = running.name if running else ""


def _send_invites(meeting: EliteMeeting, method: str, title: str) -> None:
    for person in invites.invitees(meeting):
        invite = Attachment(f"{meeting.kind}-{meeting.id}.ics",
                            f"text/calendar; method={method}",
                            invites.meeting_invite(meeting, method).decode())
        tell(person, Notice(kind="elite.meeting", title=title,
                            url=_meeting_url(person, meeting), body=invites.summary(meeting),
                            attachments=(invite,)))


def _meeting_url(reader, meeting: EliteMeeting) -> str:
    if reader.is_staff:
        return path_for("elite_staff.organization", organization_id=meeting.organization_id) \
            + "#meetings"
    return path_for("elite_meetings.index") + f"#meeting-{meeting.id}"


def _required(text: str, what: str, limit: int) -> str:
    text = (text or "").strip()
    if not text:
        raise Invalid(f"Give {what}.")
    return _limited(text, limit)


def _limited(text: str, limit: int) -> str:
    text = (text or "").strip()
    if len(text) > limit:
        raise Invalid(f"At most {limit} characters, please.")
    return text
