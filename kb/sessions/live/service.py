"""Live interactive sessions: staff schedule them; Premium and Elite users register, wait-list
and cancel. Seats are taken under a lock on the session row (``locking.lock_row``), so the
capacity holds however many people register at the same moment. Every change of a place
(confirmed, wait-listed, cancelled, moved up, moved in time) tells its registrant in the same
transaction, with the updated calendar invite (``kb.sessions.live.notices``)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from kb import db, policy, search
from kb.accounts.audit import record_audit
from kb.db import utcnow
from kb.errors import Conflict, Invalid, NotFound
from kb.locking import lock_row, row_locked
from kb.sessions.live import notices
from kb.sessions.live.fields import LiveSessionFields, apply_fields
from kb.sessions.live.queries import (
    confirmed_count,
    registration_of,
    registrations_with_status,
    waitlist_rank,
)
from kb.sessions.models import LiveSession, Registration
from kb.sessions.topics import service as topics


def schedule_session(actor, fields: LiveSessionFields) -> LiveSession:
    """Create a live session (staff only)."""
    policy.require_staff(actor)
    live_session = LiveSession(sequence=0)
    apply_fields(live_session, fields)
    db.session.add(live_session)
    db.session.flush()
    search.record_change("live-session", live_session.id)
    record_audit(actor, "live_session.schedule", "live_session", live_session.id, None,
                 {"title": live_session.title, "starts_at": live_session.starts_at.isoformat()})
    db.session.commit()
    return live_session


def update_session(actor, session_id: int, fields: LiveSessionFields) -> LiveSession:
    """Change a session (staff only). Moving it raises the calendar SEQUENCE and tells every
    registrant; more seats move wait-listed people up."""
    policy.require_staff(actor)
    with row_locked(LiveSession, session_id) as live_session:
        if live_session is None:
            raise NotFound("No such live session.")
        if live_session.is_cancelled:
            raise Conflict("The session is cancelled; it can no longer be changed.")
        previous_start = live_session.starts_at
        if apply_fields(live_session, fields):
            live_session.sequence += 1
            registered = registrations_with_status(live_session, ("confirmed", "waitlisted"))
            for registration in registered:
                notices.rescheduled(registration, previous_start)
        _promote_waiting(live_session)
        search.record_change("live-session", live_session.id)
        record_audit(actor, "live_session.update", "live_session", live_session.id, None,
                     {"title": live_session.title,
                      "starts_at": live_session.starts_at.isoformat()})
        db.session.commit()
    return live_session


def cancellation_refusal(live_session: LiveSession, now: datetime) -> str | None:
    """Why staff cannot cancel the session at ``now``; None while they can (until its end)."""
    if live_session.is_cancelled:
        return (f"The session was already cancelled on "
                f"{live_session.cancelled_at:%Y-%m-%d %H:%M} UTC.")
    if now >= live_session.ends_at:
        return "The session has ended; it can no longer be cancelled."
    return None


def cancel_session(actor, session_id: int, reason: str) -> LiveSession:
    """Call a session off before its end (staff only), saying why. Every confirmed and
    wait-listed registrant is told once, a confirmed one with the invite that removes the event
    (the session's SEQUENCE rises). Registrations keep their status, so the attendee list still
    shows who held a seat and who waited; nobody moves up, registers or is reminded again. The
    topics it was to cover are planned again."""
    policy.require_staff(actor)
    reason = reason.strip()
    if not reason:
        raise Invalid("Give the reason for cancelling: registrants are told it.")
    with row_locked(LiveSession, session_id) as live_session:
        if live_session is None:
            raise NotFound("No such live session.")
        refusal = cancellation_refusal(live_session, utcnow())
        if refusal:
            raise Conflict(refusal)
        live_session.cancelled_at, live_session.cancellation_reason = utcnow(), reason
        live_session.sequence += 1
        live_session.updated_at = utcnow()
        for registration in registrations_with_status(live_session, ("confirmed", "waitlisted")):
            notices.session_cancelled(registration)
        topics.session_cancelled(live_session)
        search.record_change("live-session", live_session.id)
        record_audit(actor, "live_session.cancel", "live_session", live_session.id, None,
                     {"title": live_session.title, "reason": reason})
        db.session.commit()
    return live_session


def registration_refusal(live_session: LiveSession, now: datetime) -> str | None:
    """Why nobody can register for the session at ``now``; None while registration is open."""
    if live_session.is_cancelled:
        return f"The session is cancelled: {live_session.cancellation_reason}"
    state = live_session.state_at(now)
    if state == "registration_not_open":
        return f"Registration opens at {live_session.registration_opens_at:%Y-%m-%d %H:%M} UTC."
    if state == "registration_closed":
        return (f"Registration closed at {live_session.registration_closes:%Y-%m-%d %H:%M} UTC, "
                "before the start.")
    if state == "in_progress":
        return "The session is under way; registration has closed."
    if state == "ended":
        return "The session has ended."
    return None


@dataclass(frozen=True)
class RegistrationOutcome:
    registration: Registration
    # the user held a seat or a waiting-list place before this request: nothing changed
    already_registered: bool


def register(user, session_id: int) -> Registration:
    """Take a seat, or the next place on the waiting list when the session is full (see
    ``register_with_outcome``)."""
    return register_with_outcome(user, session_id).registration


def register_with_outcome(user, session_id: int) -> RegistrationOutcome:
    """Take a seat, or the next place on the waiting list when the session is full, and say
    whether the user was registered already.

    The session row stays locked from the count of confirmed seats until the commit, so
    simultaneous registrations take turns and the capacity is never exceeded; wait-list
    positions follow the order in which the turns were taken. Registering again while
    registered changes nothing, and whether it did is decided under the same lock: of
    simultaneous registrations by one user exactly one takes the place."""
    policy.require(user, "interactive_sessions")
    with row_locked(LiveSession, session_id) as live_session:
        if live_session is None:
            raise NotFound("No such live session.")
        if live_session.is_cancelled:  # refused even to those who held a place
            raise Conflict(registration_refusal(live_session, utcnow()))
        registration = registration_of(user, live_session)
        already_registered = registration is not None and registration.status != "cancelled"
        if not already_registered:
            registration = _take_place(user, live_session, registration)
            notices.registered(registration, waitlist_rank(registration))
        db.session.commit()  # also ends the transaction of a repeated registration
    return RegistrationOutcome(registration, already_registered)


def _take_place(user, live_session: LiveSession, registration: Registration | None):
    """A seat if one is free, else the next waiting-list position (caller holds the lock)."""
    refusal = registration_refusal(live_session, utcnow())
    if refusal:
        raise Conflict(refusal)
    status, position = "confirmed", None
    if confirmed_count(live_session) >= live_session.capacity:
        last = db.session.scalar(select(func.max(Registration.waitlist_position)).where(
            Registration.live_session_id == live_session.id,
            Registration.status == "waitlisted"))
        status, position = "waitlisted", (last or 0) + 1
    if registration is None:
        registration = Registration(live_session=live_session, user_id=user.id,
                                    calendar_uid=f"{uuid.uuid4()}@kb", sequence=0)
        db.session.add(registration)
    else:
        registration.sequence += 1
    registration.status, registration.waitlist_position = status, position
    registration.updated_at = utcnow()
    db.session.flush()
    return registration


def cancel(user, session_id: int) -> Registration:
    """Give up a seat or a waiting-list place; the first person waiting moves up and is told."""
    policy.require(user, "interactive_sessions")
    with row_locked(LiveSession, session_id) as live_session:
        if live_session is None:
            raise NotFound("No such live session.")
        registration = registration_of(user, live_session)
        if registration is None or registration.status == "cancelled":
            raise NotFound("You are not registered for this session.")
        if live_session.is_cancelled:
            raise Conflict("The session itself is cancelled; your registration ended with it.")
        if utcnow() >= live_session.starts_at:
            raise Conflict("The session has started; it can no longer be cancelled.")
        _give_up(registration, live_session)
        db.session.commit()
    return registration


def release_places_of(user) -> int:
    """Give up ``user``'s seats and waiting-list places in sessions yet to start, each as their
    own cancellation would (their account is deactivated): whoever waits first moves up and is
    told. Sessions under way or held keep their attendance; the caller commits. How many."""
    session_ids = list(db.session.scalars(
        select(Registration.live_session_id).join(LiveSession)
        .where(Registration.user_id == user.id,
               Registration.status.in_(("confirmed", "waitlisted")),
               LiveSession.cancelled_at.is_(None), LiveSession.starts_at > utcnow())
        .order_by(Registration.live_session_id)))  # locked in one order: no deadlock
    released = 0
    for session_id in session_ids:
        live_session = lock_row(LiveSession, session_id)
        registration = db.session.scalar(select(Registration).where(
            Registration.live_session_id == session_id, Registration.user_id == user.id)
            .execution_options(populate_existing=True))
        if registration.status != "cancelled" and not live_session.is_cancelled \
                and utcnow() < live_session.starts_at:
            _give_up(registration, live_session)
            released += 1
    return released


def _give_up(registration: Registration, live_session: LiveSession) -> None:
    """Cancel the registration, tell its registrant, fill the seat (caller holds the lock)."""
    held_invite = registration.status == "confirmed"  # the waiting list gets none
    registration.status, registration.waitlist_position = "cancelled", None
    registration.sequence += 1
    registration.updated_at = utcnow()
    db.session.flush()
    notices.cancelled(registration, with_invite=held_invite)
    _promote_waiting(live_session)


def _promote_waiting(live_session: LiveSession) -> None:
    """Fill free seats from the waiting list, first come first served (caller holds the lock;
    never called for a cancelled session, whose changes are refused before)."""
    free = live_session.capacity - confirmed_count(live_session)
    # someone whose plan no longer includes live sessions keeps waiting rather than block a seat
    eligible = [r for r in registrations_with_status(live_session, ("waitlisted",))
                if policy.can(r.user, "interactive_sessions")]
    for registration in eligible[:max(free, 0)]:
        registration.status, registration.waitlist_position = "confirmed", None
        registration.sequence += 1
        registration.updated_at = utcnow()
        notices.promoted(registration)
