"""Many people register for the last seats at the same moment, each in a thread with its own
database connection and transaction, released together by a barrier. The session row lock
(``SELECT ... FOR UPDATE`` on PostgreSQL, ``BEGIN IMMEDIATE`` on SQLite) must make them take
turns: never more confirmed seats than the capacity, nobody twice, and the waiting list in the
order in which the transactions committed (noted just before COMMIT, still inside the lock)."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import create_engine, event, select, text
from sqlalchemy.orm import Session

from kb import db
from kb.accounts.queries import user_by_email
from kb.locking import row_locked
from kb.sessions.live import service as live
from kb.sessions.models import LiveSession, Registration
from tests.conftest import bearer, on_postgres
from tests.sessions.conftest import at_once


def _rows(app, session_id) -> list[Registration]:
    with app.app_context():
        rows = list(db.session.scalars(select(Registration).where(
            Registration.live_session_id == session_id).order_by(Registration.id)))
        db.session.expunge_all()
        return rows


def _race_for_last_seats(app, schedule, customer_on, racers: int, capacity: int = 5,
                         taken: int = 3) -> None:
    session_id = schedule(capacity=capacity)
    early = [customer_on("premium") for _ in range(taken)]
    for email in early:
        with app.app_context():
            live.register(user_by_email(email), session_id)
    emails = [customer_on("elite" if i % 2 else "premium") for i in range(racers)]

    commits: list[str] = []  # racers in the order their transactions committed

    def note_commit(_session):
        # runs inside the locked section, just before COMMIT releases the row lock, so this
        # order is the order in which the transactions committed
        if threading.current_thread().name in emails:
            commits.append(threading.current_thread().name)

    event.listen(Session, "before_commit", note_commit)
    try:
        assert at_once(app, emails, live.register, session_id) == []
    finally:
        event.remove(Session, "before_commit", note_commit)

    rows = _rows(app, session_id)
    confirmed = [r for r in rows if r.status == "confirmed"]
    assert len(confirmed) == capacity
    assert len(rows) == taken + racers and len({r.user_id for r in rows}) == len(rows)
    assert sorted(commits) == sorted(emails)
    with app.app_context():
        email_of = {user_by_email(e).id: e for e in emails}
    status_of = {email_of[r.user_id]: (r.status, r.waitlist_position) for r in rows[taken:]}
    in_commit_order = [status_of[email] for email in commits]
    seats_left = capacity - taken
    assert in_commit_order == [("confirmed", None)] * seats_left + [
        ("waitlisted", position) for position in range(1, racers - seats_left + 1)]


@pytest.mark.postgres_only
@pytest.mark.skipif(not on_postgres(), reason="PostgreSQL row locks (KB_DATABASE_URL)")
def test_parallel_registrations_for_the_last_seats_on_postgres(app, schedule, customer_on):
    _race_for_last_seats(app, schedule, customer_on, racers=14)


@pytest.mark.postgres_only
@pytest.mark.skipif(not on_postgres(), reason="PostgreSQL row locks (KB_DATABASE_URL)")
def test_parallel_cancellations_and_registrations_on_postgres(app, schedule, customer_on):
    session_id = schedule(capacity=3)
    holders = [customer_on("premium") for _ in range(3)]
    waiting = [customer_on("elite") for _ in range(3)]
    for email in holders + waiting:
        with app.app_context():
            live.register(user_by_email(email), session_id)
    newcomers = [customer_on("premium") for _ in range(6)]

    def cancel_or_register(user, session):
        (live.cancel if user.email in holders else live.register)(user, session)

    assert at_once(app, holders + newcomers, cancel_or_register, session_id) == []

    rows = _rows(app, session_id)
    by_status = {s: [r for r in rows if r.status == s] for s in ("confirmed", "waitlisted")}
    assert len(by_status["confirmed"]) == 3
    waiting_ids = {r.user_id for r in rows[3:6]}
    assert {r.user_id for r in by_status["confirmed"]} == waiting_ids  # first come, first in
    positions = [r.waitlist_position for r in by_status["waitlisted"]]
    assert len(positions) == 6 and len(set(positions)) == 6


def test_parallel_registrations_for_the_last_seats(app, schedule, customer_on):
    """The same race on whichever database the suite runs (SQLite serialises writers with
    BEGIN IMMEDIATE)."""
    _race_for_last_seats(app, schedule, customer_on, racers=8)


def _wait_until_blocked(app, waiting: int) -> None:
    """Until ``waiting`` other transactions wait for a lock (PostgreSQL shows them; SQLite
    does not, so there the requests get a moment to reach the lock)."""
    if not on_postgres():
        time.sleep(1.0)
        return
    probe = create_engine(app.config["DATABASE_URL"])
    try:
        while True:
            with probe.connect() as connection:
                blocked = connection.scalar(text(
                    "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                    " AND query LIKE '%FROM live_sessions%FOR UPDATE%'"))
            if blocked >= waiting:
                return
            time.sleep(0.05)
    finally:
        probe.dispose()


def test_simultaneous_registrations_by_one_user_take_one_place_and_say_so(
        app, schedule, customer_on, api_token):
    """Requests of one user that all arrive while the session is locked: exactly one takes
    the place (201), every other one answers "already registered" (200)."""
    session_id = schedule(capacity=5)
    token = api_token(customer_on("premium"))
    requests = 6
    answers: list[int] = []

    def post():
        client = app.test_client()
        response = client.post(f"/api/v1/live-sessions/{session_id}/registration",
                               headers=bearer(token))
        answers.append(response.status_code)

    threads = [threading.Thread(target=post) for _ in range(requests)]
    with app.app_context():
        with row_locked(LiveSession, session_id):  # someone else's registration, mid-way
            for thread in threads:
                thread.start()
            _wait_until_blocked(app, requests)
            db.session.rollback()
    for thread in threads:
        thread.join(timeout=120)

    assert sorted(answers) == [200] * (requests - 1) + [201]
    assert len(_rows(app, session_id)) == 1
