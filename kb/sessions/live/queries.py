"""Reading live sessions: the schedule, one session, registrations and their counts."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, false, func, or_, select

from kb import db, gating, policy
from kb.db import utcnow
from kb.errors import NotFound
from kb.listing import Listing
from kb.sessions.models import LiveSession, Registration


def sessions_for(user, *, past: bool = False) -> list[LiveSession]:
    """The schedule: sessions not yet over, soonest first (or those over, latest first).
    Every plan with recorded sessions sees it; registering needs interactive sessions. A
    cancelled session stays on the schedule, marked, until its start, then counts as over."""
    return schedule(user, past=past).all()


def schedule(user, *, past: bool = False) -> Listing[LiveSession]:
    """``sessions_for`` as a Listing, to read a page of it."""
    policy.require(user, LiveSession.access_feature)
    now, cancelled = utcnow(), LiveSession.cancelled_at.is_not(None)
    if past:
        over = select(LiveSession).where(LiveSession.starts_at <= now,
                                         or_(~_ends_after(now), cancelled))
        return Listing(over.order_by(LiveSession.starts_at.desc(), LiveSession.id.desc()))
    return Listing(select(LiveSession).where(
        _ends_after(now), ~and_(cancelled, LiveSession.starts_at <= now))
        .order_by(LiveSession.starts_at, LiveSession.id))


def _ends_after(now: datetime) -> ColumnElement[bool]:
    """SQL for ``LiveSession.state_at(now) != "ended"``. Its end is the start plus the duration,
    which SQLite and PostgreSQL add differently, so one start range per duration in use."""
    durations = db.session.scalars(select(LiveSession.duration_minutes).distinct())
    return or_(false(), *(
        and_(LiveSession.duration_minutes == minutes,
             LiveSession.starts_at > now - timedelta(minutes=minutes))
        for minutes in durations))


def get_session(user, session_id: int) -> LiveSession:
    return gating.readable(user, LiveSession, session_id, "live session")


def registrations_with_status(live_session: LiveSession, statuses) -> list[Registration]:
    return list(db.session.scalars(
        select(Registration).where(Registration.live_session_id == live_session.id,
                                   Registration.status.in_(statuses))
        .order_by(Registration.waitlist_position, Registration.id)))


def registration_of(user, live_session: LiveSession) -> Registration | None:
    if not policy.is_signed_in(user):
        return None
    return db.session.scalar(select(Registration).where(
        Registration.live_session_id == live_session.id, Registration.user_id == user.id)
        .execution_options(populate_existing=True))


def registration_for_invite(user, session_id: int) -> Registration:
    """``user``'s registration for the session, whose calendar invite they download; a place
    on the waiting list has none yet (it comes with the seat)."""
    policy.require(user, "interactive_sessions")
    registration = registration_of(user, get_session(user, session_id))
    if registration is None:
        raise NotFound("You have not registered for this session.")
    if registration.status == "waitlisted":
        raise NotFound("You are on the waiting list: the calendar invite comes with your seat.")
    return registration


def confirmed_count(live_session: LiveSession) -> int:
    return db.session.scalar(select(func.count(Registration.id)).where(
        Registration.live_session_id == live_session.id,
        Registration.status == "confirmed")) or 0


def registrations_of(user, sessions: list[LiveSession]) -> dict[int, Registration | None]:
    """``user``'s registration for each of ``sessions`` (by session id), in one query."""
    found: dict[int, Registration | None] = dict.fromkeys(s.id for s in sessions)
    if policy.is_signed_in(user) and sessions:
        for registration in db.session.scalars(select(Registration).where(
                Registration.user_id == user.id, Registration.live_session_id.in_(list(found)))
                .execution_options(populate_existing=True)):
            found[registration.live_session_id] = registration
    return found


def confirmed_counts(sessions: list[LiveSession]) -> dict[int, int]:
    """The confirmed registrations of each of ``sessions`` (by session id), in one query."""
    counts = dict.fromkeys((s.id for s in sessions), 0)
    if sessions:
        counts.update((session_id, count) for session_id, count in db.session.execute(
            select(Registration.live_session_id, func.count(Registration.id))
            .where(Registration.live_session_id.in_(list(counts)),
                   Registration.status == "confirmed")
            .group_by(Registration.live_session_id)))
    return counts


def waitlist_rank(registration: Registration) -> int | None:
    """1 for the first person waiting, and so on; None unless wait-listed."""
    if registration.status != "waitlisted":
        return None
    ahead = db.session.scalar(select(func.count(Registration.id)).where(
        Registration.live_session_id == registration.live_session_id,
        Registration.status == "waitlisted",
        Registration.waitlist_position < registration.waitlist_position))
    return (ahead or 0) + 1
