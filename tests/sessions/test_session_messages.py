"""Everything a live session or a topic request tells a user goes the one way (``dispatch.tell``):
one in-app notification and one e-mail that arrives at a real SMTP server, with what happened,
when (UTC and the reader's zone), what to do, the link, and the registration's calendar invite
as it now stands. Reminders 24 hours and 1 hour before the start are a job of the outbox loop:
once per registrant who may still attend, again after a reschedule, never after the start."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from icalendar import Calendar
from sqlalchemy import select

from kb import db
from kb.accounts.models import Organization
from kb.accounts.queries import user_by_email
from kb.db import utcnow
from kb.notifications import Notification
from kb.sessions.live import queries as live_queries
from kb.sessions.live import service as live
from kb.sessions.live.reminders import remind_registrants
from kb.sessions.models import Registration
from kb.sessions.topics import queries as topic_queries
from kb.sessions.topics import service as topics
from tests.conftest import on_postgres

START = datetime(2030, 7, 1, 15, 0)  # a Monday, UTC
START_UTC = START.replace(tzinfo=UTC)


def _as(app, email, action, *arguments):
    with app.app_context():
        return action(user_by_email(email), *arguments)


def _deliver(runner):
    result = runner.invoke(args=["outbox", "run", "--once"])
    assert result.exit_code == 0, result.output


def _kinds(app, email):
    with app.app_context():
        user = user_by_email(email)
        return [n.kind for n in db.session.scalars(select(Notification).where(
            Notification.user_id == user.id).order_by(Notification.id))]


def _subjects(smtp, email):
    return [message["Subject"] for message in smtp.inbox.to(email)]


def _text(message) -> str:
    return message.get_body(("plain",)).get_content().replace("\r\n", "\n")


def _page(app, session_id) -> str:
    """The session page's absolute link, as e-mail carries it."""
    return f"{app.config['BASE_URL']}/sessions/live/{session_id}"


def _invite(message):
    """The one attached invite: (its METHOD, its VEVENT)."""
    [attachment] = list(message.iter_attachments())
    assert attachment.get_content_type() == "text/calendar"
    calendar = Calendar.from_ical(attachment.get_content())
    assert attachment.get_param("method") == str(calendar["method"])
    [event] = calendar.walk("VEVENT")
    return str(calendar["method"]), event


def _set_zone(app, email, zone):
    with app.app_context():
        user_by_email(email).time_zone = zone
        db.session.commit()


def test_registering_waitlisting_cancelling_and_promotion_each_tell_once_with_the_invite(
        app, runner, smtp, schedule, customer_on):
    session_id = schedule(capacity=1, local_start=START)
    first, second = customer_on("premium"), customer_on("elite")
    _set_zone(app, first, "America/New_York")
    _as(app, first, live.register, session_id)
    _as(app, second, live.register, session_id)
    _as(app, first, live.register, session_id)  # already registered: nothing to tell
    _as(app, first, live.cancel, session_id)
    _deliver(runner)

    assert _kinds(app, first) == ["session.confirmed", "session.cancelled"]
    assert _kinds(app, second) == ["session.waitlisted", "session.promoted"]
    confirmed, cancelled = smtp.inbox.to(first)
    waitlisted, promoted = smtp.inbox.to(second)
    assert "You are registered for “Queue monitoring live”" in confirmed["Subject"]
    text = _text(confirmed)
    assert "Mon 01 Jul 2030, 15:00 UTC" in text
    assert "Your time (America/New_York): Mon 01 Jul 2030, 11:00 EDT" in text
    assert "cancel your registration" in text and _page(app, session_id) in text
    assert "secret-pass" not in text  # join details only on the page, shortly before
    assert "waiting list" in waitlisted["Subject"] and "number 1" in _text(waitlisted)
    assert "Your time" not in _text(waitlisted)  # a reader in UTC sees it once
    assert "is cancelled" in cancelled["Subject"]
    assert "You have a seat" in promoted["Subject"] and "15:00 UTC" in _text(promoted)

    method, event = _invite(confirmed)
    assert (method, str(event["status"])) == ("REQUEST", "CONFIRMED")
    assert event.decoded("dtstart") == START_UTC
    cancel_method, cancel_event = _invite(cancelled)
    assert (cancel_method, str(cancel_event["status"])) == ("CANCEL", "CANCELLED")
    assert cancel_event["uid"] == event["uid"] and cancel_event["sequence"] > event["sequence"]
    _, waiting_event = _invite(waitlisted)
    _, seat_event = _invite(promoted)
    assert str(waiting_event["status"]) == "TENTATIVE" and str(seat_event["status"]) == "CONFIRMED"
    assert seat_event["uid"] == waiting_event["uid"]
    assert seat_event["sequence"] > waiting_event["sequence"]


def test_a_reschedule_tells_registrants_with_the_new_time_and_a_newer_invite(
        app, runner, smtp, schedule, customer_on, staff):
    session_id = schedule(capacity=1, local_start=START)
    seated, waiting = customer_on("premium"), customer_on("elite")
    _as(app, seated, live.register, session_id)
    _as(app, waiting, live.register, session_id)
    new_start = START + timedelta(days=1, hours=2)

    def move(staff_user):
        values = {"title": "Queue monitoring live", "time_zone": "UTC", "duration_minutes": 60,
                  "capacity": 1, "local_start": new_start}
        live.update_session(staff_user, session_id, live.LiveSessionFields(**values))

    staff(move)
    _deliver(runner)

    confirmed, moved = smtp.inbox.to(seated)
    assert "has moved to Tue 02 Jul 2030, 17:00 UTC" in moved["Subject"]
    text = _text(moved)
    assert "Now: Tue 02 Jul 2030, 17:00 UTC" in text
    assert "Before: Mon 01 Jul 2030, 15:00 UTC" in text
    assert _page(app, session_id) in text
    _, before = _invite(confirmed)
    method, after = _invite(moved)
    assert method == "REQUEST" and after["uid"] == before["uid"]
    assert after["sequence"] == before["sequence"] + 1
    assert after.decoded("dtstart") == new_start.replace(tzinfo=UTC)
    [_, still_waiting] = smtp.inbox.to(waiting)
    assert "still on the waiting list" in _text(still_waiting)
    assert _kinds(app, seated) == ["session.confirmed", "session.rescheduled"]


def _reminded(app, now) -> int:
    with app.app_context():
        return remind_registrants(now)


def _change_organization(app, email, **values):
    with app.app_context():
        organization = db.session.get(Organization,
                                      user_by_email(email).organization_id)
        for name, value in values.items():
            setattr(organization, name, value)
        db.session.commit()


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


def test_topic_changes_tell_requester_and_voters_in_app_and_by_e_mail(
        app, runner, smtp, demo_accounts, schedule):
    with app.app_context():
        asker = user_by_email("xtreme@demo.test")
        topic_id = topics.request_topic(asker, "Archiving old periods", "How?", "Orbit ERP").id
        voter = user_by_email("premium@demo.test")
        topics.upvote(voter, topic_queries.get_topic(voter, topic_id))
    session_id = schedule(local_start=START, title="Archiving, live")

    def change(status, **values):
        with app.app_context():
            staff_user = user_by_email("staff@demo.test")
            topic = topic_queries.get_topic(staff_user, topic_id)
            if "live_session" in values:
                values["live_session"] = live_queries.get_session(staff_user,
                                                                  values["live_session"])
            topics.change_status(staff_user, topic, status, **values)

    change("planned")
    change("scheduled", live_session=session_id)
    change("declined", reason="Covered by the upgrade guide.")
    _deliver(runner)

    for email in ("xtreme@demo.test", "premium@demo.test"):
        assert _kinds(app, email) == ["topic.planned", "topic.scheduled", "topic.declined"]
        planned, scheduled, declined = smtp.inbox.to(email)
        assert "A session on “Archiving old periods” is planned" in planned["Subject"]
        assert "Mon 01 Jul 2030, 15:00 UTC" in _text(scheduled)
        assert "Covered by the upgrade guide." in _text(declined)
        assert f"{app.config['BASE_URL']}/sessions/topics/{topic_id}" in _text(declined)
    premium_scheduled = _text(smtp.inbox.to("premium@demo.test")[1])
    xtreme_scheduled = _text(smtp.inbox.to("xtreme@demo.test")[1])
    assert "Register on the session page" in premium_scheduled
    assert _page(app, session_id) in premium_scheduled
    assert "does not include taking part" in xtreme_scheduled
    assert _page(app, session_id) not in xtreme_scheduled


def test_registrants_are_told_when_the_recording_is_attached(
        app, runner, smtp, schedule, publish, customer_on, staff):
    from kb.sessions.live import attendance
    from kb.sessions.models import LiveSession
    from kb.sessions.recordings import queries as recording_queries

    session_id = schedule(capacity=2)
    email = customer_on("premium")
    _as(app, email, live.register, session_id)
    recording_id = publish(status="draft")
    with app.app_context():
        db.session.get(LiveSession, session_id).starts_at -= timedelta(days=3)
        db.session.commit()

    def attach(staff_user):
        attendance.attach_recording(staff_user, live_queries.get_session(staff_user, session_id),
                                    recording_queries.get_recording(staff_user, recording_id))

    staff(attach)
    staff(attach)  # attached again: told once
    _deliver(runner)

    assert _kinds(app, email) == ["session.confirmed", "session.recorded"]
    recorded = smtp.inbox.to(email)[-1]
    assert "The recording of “Queue monitoring live” is available" in recorded["Subject"]
    assert f"{app.config['BASE_URL']}/sessions/recordings/{recording_id}" in _text(recorded)
