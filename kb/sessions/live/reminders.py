"""Reminders before a live session, 24 hours and 1 hour ahead: a job of the outbox loop
(``kb.alerts.schedule``).

A reminder is due from its moment until the next reminder's moment (the last one until the
start): once the session has started nothing is sent, however late the job runs (a server
that was down does not remind of what has begun), and a job that missed the 24-hour moment
by a day sends the 1-hour reminder only. It goes to each registrant whose seat is confirmed,
in a session not cancelled, and who may still take part (plan and term, ``policy``), unless
the seat was confirmed after the reminder's moment (the confirmation said when). Its key
holds the session's start, so a session moved to another time is reminded of again, and a
reminder is told once per user however many servers run the job at the same moment.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import exists, select

from kb import db, policy
from kb.alerts.models import ToldNotice
from kb.alerts.schedule import due_job
from kb.sessions.live import notices
from kb.sessions.models import LiveSession, Registration


@dataclass(frozen=True)
class Reminder:
    name: str
    lead: timedelta


REMINDERS = (Reminder("24h", timedelta(hours=24)), Reminder("1h", timedelta(hours=1)))


def due_reminder(live_session: LiveSession, now: datetime) -> Reminder | None:
    """The reminder of the session due at ``now``: the last one whose moment has passed,
    None before the first moment and from the start on."""
    if now >= live_session.starts_at:
        return None
    passed = [r for r in REMINDERS if now >= live_session.starts_at - r.lead]
    return min(passed, key=lambda r: r.lead) if passed else None


def reminder_key(live_session: LiveSession, reminder: Reminder) -> str:
    return (f"session.reminder:{live_session.id}:{reminder.name}:"
            f"{live_session.starts_at:%Y%m%dT%H%M%SZ}")


@due_job
def remind_registrants(now: datetime) -> int:
    """Tell every reminder that has fallen due at ``now``; the number told."""
    longest = max(r.lead for r in REMINDERS)
    starting_soon = db.session.scalars(select(LiveSession).where(
        LiveSession.starts_at > now, LiveSession.starts_at <= now + longest,
        LiveSession.cancelled_at.is_(None))
        .order_by(LiveSession.starts_at))
    told = 0
    for live_session in list(starting_soon):
        reminder = due_reminder(live_session, now)
        if reminder is not None:
            told += _remind(live_session, reminder, now)
    if told:
        db.session.commit()
    else:
        db.session.rollback()  # nothing written: no write lock taken on SQLite
    return told


def _remind(live_session: LiveSession, reminder: Reminder, now: datetime) -> int:
    key = reminder_key(live_session, reminder)
    moment = live_session.starts_at - reminder.lead
    told = 0
    for registration in _not_yet_reminded(live_session, key):
        if registration.updated_at > moment or not policy.can(registration.user,
                                                              "interactive_sessions"):
            continue
        told += notices.reminder(registration, key, now)
    return told


def _not_yet_reminded(live_session: LiveSession, key: str) -> list[Registration]:
    """Confirmed registrations whose user was not told ``key`` yet."""
    told = exists().where(ToldNotice.user_id == Registration.user_id, ToldNotice.key == key)
    return list(db.session.scalars(select(Registration).where(
        Registration.live_session_id == live_session.id, Registration.status == "confirmed",
        ~told).order_by(Registration.id)))
