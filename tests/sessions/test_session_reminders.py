"""Reminders 24 hours and 1 hour before a live session's start are a job of the outbox loop:
once per registrant who may still attend, again after a reschedule, never after the start,
once when two jobs run at the same moment."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import select

from kb import db
from kb.db import utcnow
from kb.notifications import Notification
from kb.sessions.live import service as live
from kb.sessions.live.reminders import remind_registrants
from kb.sessions.models import Registration
from tests.conftest import on_postgres
from tests.sessions.message_helpers import (
    START,
    START_UTC,
    _as,
    _change_organization,
    _deliver,
    _kinds,
    _page,
    _reminded,
    _text,
)


def test_reminders_24_hours_and_1_hour_before_reach_each_registrant_who_may_attend_once(
        app, runner, smtp, schedule, customer_on, staff):
    session_id = schedule(capacity=4, local_start=START)
    seated = [customer_on("premium"), customer_on("elite")]
    lapsed, downgraded = customer_on("premium"), customer_on("elite")
    waiting, cancelled = customer_on("premium"), customer_on("elite")
    for email in (*seated, lapsed, downgraded, waiting, cancelled):
        _as(app, email, live.register, session_id)  # the last two wait
    _as(app, cancelled, live.cancel, session_id)
    with app.app_context():
        statuses = [r.status for r in db.session.scalars(select(Registration)
                                                         .order_by(Registration.id))]
    assert statuses == ["confirmed"] * 4 + ["waitlisted", "cancelled"]
    _change_organization(app, lapsed, term_start=utcnow().date() - timedelta(days=800),
                         term_end=utcnow().date() - timedelta(days=400))
    _change_organization(app, downgraded, plan="xtreme")

    assert _reminded(app, START_UTC - timedelta(hours=25)) == 0
    assert _reminded(app, START_UTC - timedelta(hours=24)) == 2
    assert _reminded(app, START_UTC - timedelta(hours=24)) == 0
    assert _reminded(app, START_UTC - timedelta(hours=3)) == 0
    assert _reminded(app, START_UTC - timedelta(minutes=60)) == 2
    assert _reminded(app, START_UTC - timedelta(minutes=5)) == 0
    assert _reminded(app, START_UTC + timedelta(minutes=1)) == 0
    _deliver(runner)

    for email in seated:
        assert _kinds(app, email).count("session.reminder") == 2
        reminders = [m for m in smtp.inbox.to(email) if "Reminder" in m["Subject"]]
        assert [m["Subject"].split(": ", 1)[-1] for m in reminders] == [
            "Reminder: “Queue monitoring live” starts in 24 hours",
            "Reminder: “Queue monitoring live” starts in 1 hour"]
        text = _text(reminders[1])
        assert "Mon 01 Jul 2030, 15:00 UTC" in text and _page(app, session_id) in text
    for email in (lapsed, downgraded, waiting, cancelled):
        assert "session.reminder" not in _kinds(app, email)
        assert not [m for m in smtp.inbox.to(email) if "Reminder" in m["Subject"]]


def test_a_rescheduled_session_is_reminded_of_again_for_its_new_time(
        app, runner, smtp, schedule, customer_on, staff):
    session_id = schedule(capacity=2, local_start=START)
    email = customer_on("premium")
    _as(app, email, live.register, session_id)
    assert _reminded(app, START_UTC - timedelta(hours=24)) == 1

    def move(staff_user):
        values = {"title": "Queue monitoring live", "time_zone": "UTC", "duration_minutes": 60,
                  "capacity": 2, "local_start": START + timedelta(days=2)}
        live.update_session(staff_user, session_id, live.LiveSessionFields(**values))

    staff(move)
    new_start = START_UTC + timedelta(days=2)
    assert _reminded(app, START_UTC - timedelta(hours=1)) == 0  # the old time means nothing
    assert _reminded(app, new_start - timedelta(hours=24)) == 1
    assert _reminded(app, new_start - timedelta(minutes=50)) == 1
    assert _reminded(app, new_start - timedelta(minutes=40)) == 0
    assert _kinds(app, email).count("session.reminder") == 3


def test_a_late_job_sends_only_the_reminder_still_due_and_none_once_the_session_started(
        app, schedule, customer_on):
    starting = schedule(capacity=2, local_start=START)
    started = schedule(capacity=2, local_start=START - timedelta(hours=2))
    email = customer_on("elite")
    _as(app, email, live.register, starting)
    _as(app, email, live.register, started)

    assert _reminded(app, START_UTC - timedelta(minutes=30)) == 1  # the 24-hour one is skipped
    assert _reminded(app, START_UTC - timedelta(minutes=20)) == 0
    with app.app_context():
        titles = [n.title for n in db.session.scalars(select(Notification).where(
            Notification.kind == "session.reminder"))]
    assert titles == ["Reminder: “Queue monitoring live” starts in 30 minutes"]


def test_a_seat_taken_after_the_reminders_moment_gets_no_belated_reminder(
        app, schedule, customer_on):
    session_id = schedule(capacity=2, starts_in=timedelta(hours=5))
    email = customer_on("premium")
    _as(app, email, live.register, session_id)
    with app.app_context():
        starts_at = db.session.scalar(select(Registration)).live_session.starts_at
    assert _reminded(app, starts_at - timedelta(hours=4)) == 0  # the confirmation said when
    assert _reminded(app, starts_at - timedelta(hours=1)) == 1


@pytest.mark.skipif(not on_postgres(), reason="concurrent writers need PostgreSQL")
def test_two_jobs_at_the_same_moment_remind_each_registrant_once(
        app, runner, smtp, schedule, customer_on):
    session_id = schedule(capacity=6, local_start=START)
    people = [customer_on("premium") for _ in range(5)]
    for email in people:
        _as(app, email, live.register, session_id)
    barrier = threading.Barrier(2)
    counts: list[int] = []

    def job():
        with app.app_context():
            barrier.wait()
            counts.append(remind_registrants(START_UTC - timedelta(hours=24)))

    threads = [threading.Thread(target=job) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    _deliver(runner)

    assert sum(counts) == 5
    for email in people:
        assert _kinds(app, email).count("session.reminder") == 1
        assert len([m for m in smtp.inbox.to(email) if "Reminder" in m["Subject"]]) == 1


def test_the_outbox_loop_runs_the_reminders(app, runner, smtp, schedule, customer_on):
    session_id = schedule(capacity=2, starts_in=timedelta(minutes=40))
    email = customer_on("elite")
    _as(app, email, live.register, session_id)
    with app.app_context():  # registered well before the 1-hour moment
        db.session.scalar(select(Registration)).updated_at = utcnow() - timedelta(hours=2)
        db.session.commit()
    _deliver(runner)
    _deliver(runner)

    reminders = [m for m in smtp.inbox.to(email) if "Reminder" in m["Subject"]]
    assert len(reminders) == 1 and "starts in 40 minutes" in reminders[0]["Subject"]
