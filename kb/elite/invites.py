"""Calendar invites (iCalendar, RFC 5545/5546) for Elite meetings: one UID per meeting for its
whole life and a SEQUENCE that grows with every change, so a calendar replaces its entry when
the meeting moves and removes it on METHOD:CANCEL."""

from __future__ import annotations

from icalendar import Calendar, Event, vCalAddress

from kb import policy
from kb.accounts.models import User
from kb.alerts.addresses import organizer_address, portal_name
from kb.db import utcnow
from kb.elite.csm import csm_of
from kb.elite.models import EliteMeeting
from kb.links import absolute_url, path_for

TIME_FORMAT = "%Y-%m-%d %H:%M UTC"


def when_text(meeting: EliteMeeting) -> str:
    return meeting.starts_at.strftime(TIME_FORMAT) if meeting.starts_at else "(not scheduled)"


def summary(meeting: EliteMeeting) -> str:
    lines = [f"{meeting.kind_name}: {meeting.subject}",
             f"Organisation: {meeting.organization.name}",
             f"When: {when_text(meeting)}, {meeting.duration_minutes} minutes"]
    if meeting.location:
        lines.append(f"Where: {meeting.location}")
    if meeting.attendees:
        lines.append(f"With: {meeting.attendees}")
    if meeting.target_version and meeting.product:
        lines.append(f"Update: {meeting.product.name} {meeting.target_version}"
                     + (f" (from {meeting.current_version})" if meeting.current_version else ""))
    return "\n".join(lines)


def invitees(meeting: EliteMeeting) -> list[User]:
    """Whom a meeting's invite goes to and names: its requester and the organisation's CSM,
    each while their account may be told (not once deactivated: they may have left)."""
    people = {meeting.requested_by, csm_of(meeting.organization)} - {None}
    return sorted((person for person in people if policy.may_be_told(person)),
                  key=lambda person: person.id)


def meeting_invite(meeting: EliteMeeting, method: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", f"-//{portal_name()}//kb Elite meetings//EN")
    calendar.add("version", "2.0")
    calendar.add("method", method)
    calendar.add_component(_event(meeting, cancelled=method == "CANCEL"))
    return calendar.to_ical()


def _event(meeting: EliteMeeting, *, cancelled: bool) -> Event:
    page = absolute_url(path_for("elite_meetings.index"), for_email=True)  # sent by e-mail
    event = Event()
    event.add("uid", meeting.calendar_uid)
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", utcnow())
    event.add("dtstart", meeting.starts_at)
    event.add("dtend", meeting.ends_at)
    event.add("summary", f"{meeting.kind_name}: {meeting.subject}")
    event.add("description", f"{summary(meeting)}\n\n{page}")
    event.add("location", meeting.location or page)
    event.add("url", page)
    event.add("organizer", _organizer())
    for person in invitees(meeting):
        attendee = vCalAddress(f"mailto:{person.email}")
        attendee.params["cn"] = person.display_name
        attendee.params["role"] = "REQ-PARTICIPANT"
        event.add("attendee", attendee)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    return event


def _organizer() -> vCalAddress:
    address = vCalAddress(f"mailto:{organizer_address()}")
    address.params["cn"] = portal_name()
    return address
