"""Calendar invites (iCalendar, RFC 5545/5546) for live-session registrations.

One UID per registration, kept for its whole life, so that a calendar replaces its copy rather
than adding another; SEQUENCE is the session's change count (moved, cancelled) plus the
registration's own changes, so every newer invite outranks the older ones. A cancelled
registration, and every registration of a session staff cancelled, gets METHOD:CANCEL with
STATUS:CANCELLED. The meeting URL and password are not in the invite: they appear on the
session page only shortly before the start.
"""

from __future__ import annotations

from datetime import timedelta

from flask import Response
from icalendar import Alarm, Calendar, Event, vCalAddress

from kb.alerts.addresses import organizer_address, portal_name
from kb.db import utcnow
from kb.links import absolute_url, path_for
from kb.sessions.models import Registration

REMINDER_MINUTES = 15


def invite_sequence(registration: Registration) -> int:
    return registration.live_session.sequence + registration.sequence


def removes_event(registration: Registration) -> bool:
    """The registration's invite takes the event out of the calendar (METHOD:CANCEL)."""
    return registration.status == "cancelled" or registration.live_session.is_cancelled


def _organizer() -> vCalAddress:
    organizer = vCalAddress(f"mailto:{organizer_address()}")
    organizer.params["cn"] = portal_name()
    return organizer


def new_calendar(method: str | None = None) -> Calendar:
    """An empty calendar of the portal; ``method`` (RFC 5546) for invites, None for feeds."""
    calendar = Calendar()
    calendar.add("prodid", f"-//{portal_name()}//kb live sessions//EN")
    calendar.add("version", "2.0")
    if method:
        calendar.add("method", method)
    return calendar


def invite(registration: Registration, *, for_email: bool = False) -> bytes:
    """The .ics file of one registration, as it stands now; ``for_email``: attached to an
    e-mail, so its links never take the request's Host header (``kb.links``)."""
    cancelled = removes_event(registration)
    calendar = new_calendar("CANCEL" if cancelled else "REQUEST")
    calendar.add_component(registration_event(registration, for_email=for_email))
    return calendar.to_ical()


def registration_event(registration: Registration, *, invitation: bool = True,
                       for_email: bool = False) -> Event:
    """The VEVENT of one registration; ``invitation`` adds the organiser and the attendee,
    which a subscribed calendar feed leaves out (a published event has no attendees)."""
    live_session = registration.live_session
    cancelled = removes_event(registration)
    page = absolute_url(path_for("live.show", session_id=live_session.id), for_email=for_email)
    event = Event()
    event.add("uid", registration.calendar_uid)
    event.add("sequence", invite_sequence(registration))
    event.add("dtstamp", utcnow())
    event.add("dtstart", live_session.starts_at)
    event.add("dtend", live_session.ends_at)
    waiting = " (waiting list)" if registration.status == "waitlisted" else ""
    event.add("summary", live_session.title + waiting)
    event.add("description", _description(live_session, page))
    event.add("url", page)
    event.add("location", page)
    if invitation:
        event.add("organizer", _organizer())
        attendee = vCalAddress(f"mailto:{registration.user.email}")
        attendee.params["cn"] = registration.user.display_name
        event.add("attendee", attendee)
    event.add("status", "CANCELLED" if cancelled else
              ("TENTATIVE" if waiting else "CONFIRMED"))
    if not cancelled:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", f"{live_session.title} starts in {REMINDER_MINUTES} minutes")
        alarm.add("trigger", timedelta(minutes=-REMINDER_MINUTES))
        event.add_component(alarm)
    return event


def _description(live_session, page: str) -> str:
    if live_session.is_cancelled:
        return f"Cancelled: {live_session.cancellation_reason}\n{page}"
    return (f"Live session with {live_session.presenter or portal_name()}.\nJoin details "
            f"appear on {page} {live_session.join_details_minutes} minutes before the start.")


def invite_filename(registration: Registration) -> str:
    return f"live-session-{registration.live_session_id}.ics"


def invite_attachment(registration: Registration) -> Response:
    """The registration's invite as a download (the session page and the API)."""
    return Response(invite(registration), mimetype="text/calendar", headers={
        "Content-Disposition": f'attachment; filename="{invite_filename(registration)}"',
        "Cache-Control": "private, no-store"})
