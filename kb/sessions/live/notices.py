"""What registrants and topic requesters are told, through the one path every message takes
(``kb.alerts.dispatch.tell``: an in-app notification and an e-mail through the outbox).

Each e-mail says what happened, when the session takes place (in UTC and in the reader's own
time zone), and what to do; the link to the page follows it. A registration's messages carry
its calendar invite as it stands after the change (``kb.sessions.live.calendar``): a confirmation,
a seat from the waiting list and a new time replace the event in the reader's calendar (same
UID, higher SEQUENCE), a cancellation removes it (METHOD:CANCEL). A place on the waiting list
holds no invite: its messages carry none, and the invite comes with the seat.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from kb.alerts.dispatch import Attachment, Notice, tell
from kb.links import absolute_url, path_for
from kb.sessions.live import calendar
from kb.sessions.models import LiveSession, Recording, Registration
from kb.time_zones import zone_of

UTC_PATTERN = "%a %d %b %Y, %H:%M UTC"
LOCAL_PATTERN = "%a %d %b %Y, %H:%M %Z"


def when(live_session: LiveSession, user, start: datetime | None = None) -> str:
    """The session's start in UTC, and in ``user``'s zone when that is another one."""
    start = start or live_session.starts_at
    text = f"{start.strftime(UTC_PATTERN)} ({live_session.duration_minutes} minutes)"
    zone = zone_of(user)
    if zone.key != "UTC":
        text += f"\nYour time ({zone.key}): {start.astimezone(zone).strftime(LOCAL_PATTERN)}"
    return text


def session_url(live_session: LiveSession) -> str:
    return path_for("live.show", session_id=live_session.id)


def _join_hint(live_session: LiveSession) -> str:
    return (f"The meeting link and password appear on the session page "
            f"{live_session.join_details_minutes} minutes before the start.")


def _tell_registrant(registration: Registration, event: str, title: str, body: str, *,
                     with_invite: bool | None = None) -> bool:
    """Tell the registrant, with the invite as it now stands unless ``with_invite`` is False
    (by default: unless wait-listed). No key: each change happens once, under the session's
    row lock (``kb.locking``), and tells in its transaction."""
    if with_invite is None:
        with_invite = registration.status != "waitlisted"
    attachments = ()
    if with_invite:
        method = "CANCEL" if calendar.removes_event(registration) else "REQUEST"
        attachments = (Attachment(calendar.invite_filename(registration),
                                  f"text/calendar; method={method}",
                                  calendar.invite(registration, for_email=True).decode()),)
    return tell(registration.user, Notice(
        f"session.{event}", title, session_url(registration.live_session), body=body,
        attachments=attachments))


def registered(registration: Registration, waitlist_rank: int | None = None) -> bool:
    """A new registration: a confirmed seat, or a place on the waiting list."""
    live_session, user = registration.live_session, registration.user
    if registration.status == "waitlisted":
        return _tell_registrant(
            registration, "waitlisted", f"You are on the waiting list for “{live_session.title}”",
            f"“{live_session.title}” is full, so you are number {waitlist_rank} on its waiting "
            f"list.\n\nWhen: {when(live_session, user)}\n\nWe will tell you as soon as a seat "
            "frees up for you, with the calendar invite. If you no longer want a seat, leave "
            "the waiting list on the session page.")
    return _tell_registrant(
        registration, "confirmed", f"You are registered for “{live_session.title}”",
        f"Your seat in “{live_session.title}” is confirmed.\n\n"
        f"When: {when(live_session, user)}\n\nThe attached invite adds it to your calendar. "
        f"{_join_hint(live_session)} If you cannot come, cancel your registration on the "
        "session page so that someone on the waiting list gets your seat.")


def cancelled(registration: Registration, *, with_invite: bool = True) -> bool:
    """The registrant gave up their place; ``with_invite`` False for a place on the waiting
    list, which held no invite to remove."""
    live_session, user = registration.live_session, registration.user
    calendar_note = ("The attached cancellation removes the session from your calendar. "
                     if with_invite else "")
    return _tell_registrant(
        registration, "cancelled", f"Your registration for “{live_session.title}” is cancelled",
        f"You cancelled your registration for “{live_session.title}”.\n\n"
        f"When it takes place: {when(live_session, user)}\n\n{calendar_note}While "
        "registration is open you can register again on the session page.",
        with_invite=with_invite)


def session_cancelled(registration: Registration) -> bool:
    """Staff called the session off: the reason, and for a confirmed seat the cancellation
    that removes the event from the calendar (a place on the waiting list held no invite)."""
    live_session, user = registration.live_session, registration.user
    seated = registration.status == "confirmed"
    place = "registered for" if seated else "were on the waiting list for"
    calendar_note = ("The attached cancellation removes it from your calendar."
                     if seated else "You held no seat, so your calendar has nothing to remove.")
    return _tell_registrant(
        registration, "called_off", f"“{live_session.title}” is cancelled",
        f"We are sorry: “{live_session.title}”, which you {place}, is cancelled and will "
        f"not take place.\n\nWhy: {live_session.cancellation_reason}\n\n"
        f"It was planned for: {when(live_session, user)}\n\n{calendar_note} Other "
        "sessions you can register for are on the live sessions page:\n"
        + absolute_url(path_for("live.index"), for_email=True),
        with_invite=seated)


def promoted(registration: Registration) -> bool:
    live_session, user = registration.live_session, registration.user
    return _tell_registrant(
        registration, "promoted", f"You have a seat in “{live_session.title}”",
        f"A seat in “{live_session.title}” freed up and it is yours: your place on the "
        f"waiting list is now a confirmed registration.\n\nWhen: {when(live_session, user)}"
        f"\n\nThe attached invite adds it to your calendar. {_join_hint(live_session)} If you "
        "can no longer come, cancel on the session page so that the next person waiting "
        "gets the seat.")


def rescheduled(registration: Registration, previous_start: datetime) -> bool:
    live_session, user = registration.live_session, registration.user
    calendar_note = ("You are still on the waiting list: we will tell you when a seat frees "
                     "up, with the calendar invite." if registration.status == "waitlisted"
                     else "The attached invite replaces the event in your calendar.")
    title = (f"“{live_session.title}” has moved to "
             f"{live_session.starts_at.strftime(UTC_PATTERN)}"
             if live_session.starts_at != previous_start else
             f"“{live_session.title}” now lasts {live_session.duration_minutes} minutes")
    return _tell_registrant(
        registration, "rescheduled", title,
        f"“{live_session.title}” has a new time.\n\nNow: {when(live_session, user)}\n"
        f"Before: {when(live_session, user, previous_start)}\n\n{calendar_note} If the new "
        "time does not suit you, cancel your registration on the session page.")


def reminder(registration: Registration, key: str, now: datetime) -> bool:
    """The reminder before the start (``kb.sessions.live.reminders`` decides when)."""
    live_session, user = registration.live_session, registration.user
    remaining = time_until(live_session.starts_at - now)
    return tell(user, Notice(
        "session.reminder", f"Reminder: “{live_session.title}” starts in {remaining}",
        session_url(live_session), key=key,
        body=f"“{live_session.title}”, which you registered for, starts in {remaining}.\n\n"
             f"When: {when(live_session, user)}\n\n{_join_hint(live_session)} If you cannot "
             "come after all, cancel on the session page so that someone waiting gets the "
             "seat."))


def time_until(span: timedelta) -> str:
    """``span`` in words, rounded: "24 hours", "1 hour", "35 minutes"."""
    minutes = round(span.total_seconds() / 60)
    if minutes >= 90:
        hours = round(minutes / 60)
        return f"{hours} hours"
    if minutes >= 55:
        return "1 hour"
    return f"{max(minutes, 1)} minute{'s' if minutes > 1 else ''}"


def recording_ready(registration: Registration, recording: Recording) -> bool:
    live_session = registration.live_session
    return tell(registration.user, Notice(
        "session.recorded", f"The recording of “{live_session.title}” is available",
        path_for("recordings.show", recording_id=recording.id),
        product_id=recording.product_id,
        key=f"session.recorded:{live_session.id}:{recording.id}",
        body=f"The recording of “{live_session.title}”, which you registered for, is "
             "available. Watch it, with its transcript, in the portal."))
