"""What staff do around a live session: the attendee list (never shown to customers), its CSV
export, attendance marks, and attaching the recording afterwards."""

from __future__ import annotations

import csv
import io

from sqlalchemy import select

from kb import db, policy, search
from kb.accounts.audit import record_audit
from kb.db import utcnow
from kb.errors import Invalid
from kb.sessions.live import notices
from kb.sessions.models import LiveSession, Recording, Registration
from kb.sessions.topics import queries as topic_queries
from kb.sessions.topics import service as topics

CSV_COLUMNS = ["name", "email", "organisation", "status", "waitlist_position",
               "registered_at", "attended"]


def attendees(actor, live_session: LiveSession) -> list[Registration]:
    """Every registration of the session, seats first, then the waiting list in order."""
    policy.require_staff(actor)
    rows = db.session.scalars(select(Registration).where(
        Registration.live_session_id == live_session.id))
    order = {"confirmed": 0, "waitlisted": 1, "cancelled": 2}
    return sorted(rows, key=lambda r: (order[r.status], r.waitlist_position or 0, r.id))


def attendees_csv(actor, live_session: LiveSession) -> str:
    output = io.StringIO()
    writer = csv.writer(output)
    writer.writerow(CSV_COLUMNS)
    for registration in attendees(actor, live_session):
        user = registration.user
        attended = {None: "", True: "yes", False: "no"}[registration.attended]
        writer.writerow([_cell(user.name), _cell(user.email),
                         _cell(user.organization.name if user.organization else ""),
                         registration.status, registration.waitlist_position or "",
                         registration.created_at.isoformat(), attended])
    return output.getvalue()


def _cell(value: str) -> str:
    """Neutralise spreadsheet formulas in user-provided text."""
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


def _refuse_if_cancelled(live_session: LiveSession) -> None:
    if live_session.is_cancelled:
        raise Invalid("The session was cancelled: it did not take place.")


def mark_attendance(actor, live_session: LiveSession, attended_ids: set[int]) -> None:
    """Record who attended: the confirmed registrations named attended, the others not; once
    the session has begun (nobody has attended one yet to come)."""
    policy.require_staff(actor)
    _refuse_if_cancelled(live_session)
    if live_session.starts_at > utcnow():
        raise Invalid("Attendance is recorded once the session has begun.")
    for registration in attendees(actor, live_session):
        if registration.status == "confirmed":
            registration.attended = registration.id in attended_ids
    db.session.commit()


def attach_recording(actor, live_session: LiveSession, recording: Recording) -> int:
    """Link the session's recording: it is published for every plan, registrants are told, and
    topic requests scheduled for this session become recorded. How many registrants were told
    (none, when nobody stayed registered)."""
    policy.require_staff(actor)
    _refuse_if_cancelled(live_session)
    if live_session.starts_at > utcnow():
        raise Invalid("Attach the recording after the session has taken place.")
    live_session.recording = recording
    if recording.status != "published":
        recording.status = "published"
        search.record_change("recording", recording.id)
    told = sum(notices.recording_ready(registration, recording)
               for registration in attendees(actor, live_session)
               if registration.status != "cancelled")
    for topic in topic_queries.topics_scheduled_for(live_session):
        topics.change_status(actor, topic, "recorded", recording=recording, commit=False)
    record_audit(actor, "live_session.attach_recording", "live_session", live_session.id,
                 None, {"recording_id": recording.id})
    db.session.commit()
    return told
