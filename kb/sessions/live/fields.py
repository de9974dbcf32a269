"""What staff enter for a live session, checked and copied onto it: the times in the
session's own zone, the registration window and the meeting details."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlparse

from kb import markdown
from kb.db import utcnow
from kb.errors import Invalid
from kb.forms import one_line
from kb.sessions.live.times import to_utc
from kb.sessions.models import LiveSession


@dataclass
class LiveSessionFields:
    title: str
    local_start: datetime  # wall-clock time in ``time_zone``
    time_zone: str
    duration_minutes: int
    capacity: int
    description: str = ""
    presenter: str = ""
    registration_opens: datetime | None = None  # wall-clock, same zone
    registration_closes: datetime | None = None
    meeting_url: str = ""
    meeting_number: str = ""
    meeting_password: str = ""
    join_details_minutes: int = 15


def apply_fields(live_session: LiveSession, fields: LiveSessionFields) -> bool:
    """Check and copy the fields; True when the start or the length changed (a reschedule).
    ``Invalid`` names the form field it is about."""
    _check_plain_fields(fields)
    starts_at = _start(live_session, fields)
    opens = _utc(fields.registration_opens, fields.time_zone, "registration_opens")
    closes = _utc(fields.registration_closes, fields.time_zone, "registration_closes")
    if opens and closes and closes <= opens:
        raise Invalid("Registration must close after it opens.", "registration_closes")
    closes = _registration_close(closes, starts_at, live_session.starts_at)
    moved = (live_session.starts_at != starts_at
             or live_session.duration_minutes != fields.duration_minutes)
    live_session.title, live_session.description = one_line(fields.title), fields.description
    live_session.description_html = markdown.render(fields.description).html
    live_session.presenter, live_session.starts_at = fields.presenter.strip(), starts_at
    live_session.time_zone = fields.time_zone
    live_session.duration_minutes = fields.duration_minutes
    live_session.capacity = fields.capacity
    live_session.registration_opens_at, live_session.registration_closes_at = opens, closes
    live_session.meeting_url = fields.meeting_url.strip()
    live_session.meeting_number = fields.meeting_number.strip()
    live_session.meeting_password = fields.meeting_password.strip()
    live_session.join_details_minutes = fields.join_details_minutes
    live_session.updated_at = utcnow()
    return moved


def _check_plain_fields(fields: LiveSessionFields) -> None:
    if not one_line(fields.title):
        raise Invalid("A session needs a title.", "title")
    if fields.capacity < 1 or fields.duration_minutes < 1 or fields.join_details_minutes < 0:
        raise Invalid("Capacity and duration must be positive, the join lead time not negative.")
    meeting_url = urlparse(fields.meeting_url.strip())
    if fields.meeting_url.strip() and (meeting_url.scheme != "https" or not meeting_url.netloc):
        raise Invalid("The meeting URL must start with https://.", "meeting_url")


def _utc(local: datetime | None, zone_name: str, field: str) -> datetime | None:
    if local is None:
        return None
    try:
        return to_utc(local, zone_name)
    except Invalid as error:
        raise Invalid(error.message, field) from None


def _start(live_session: LiveSession, fields: LiveSessionFields) -> datetime:
    """The start in UTC. The form shows it to the minute, so the same minute keeps the stored
    start (no reschedule); a new or changed start must not be in the past."""
    starts_at = _utc(fields.local_start, fields.time_zone, "local_start")
    kept = live_session.starts_at
    if kept is not None and (kept == starts_at or (
            fields.local_start.second == 0 and _to_minute(kept) == starts_at)):
        return kept
    if starts_at < utcnow():
        raise Invalid(f"{fields.local_start:%Y-%m-%d %H:%M} ({fields.time_zone}) is in the past; "
                      "a session must start later than now.", "local_start")
    return starts_at


def _registration_close(closes: datetime | None, starts_at: datetime,
                        previous_start: datetime | None) -> datetime | None:
    """None stands for "at the start" and follows the start when staff move it. A close at or
    after the start (registration never stays open past it) or one left at the previous start
    is that default; an earlier close stays as set."""
    if closes is None or closes >= starts_at:
        return None
    if previous_start is not None and closes == _to_minute(previous_start):
        return None
    return closes


def _to_minute(moment: datetime) -> datetime:
    return moment.replace(second=0, microsecond=0)


