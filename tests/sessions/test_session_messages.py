"""Everything a live session or a topic request tells a user goes the one way (``dispatch.tell``):
one in-app notification and one e-mail that arrives at a real SMTP server, with what happened,
when (UTC and the reader's zone), what to do, the link, and the registration's calendar invite
as it now stands. The reminders are in test_session_reminders.py."""

from __future__ import annotations

from datetime import UTC, timedelta

from kb import db
from kb.accounts.queries import user_by_email
from kb.sessions.live import queries as live_queries
from kb.sessions.live import service as live
from kb.sessions.topics import queries as topic_queries
from kb.sessions.topics import service as topics
from tests.sessions.message_helpers import (
    START,
    START_UTC,
    _as,
    _deliver,
    _invite,
    _kinds,
    _page,
    _set_zone,
    _text,
)


def test_registering_waitlisting_cancelling_and_promotion_each_tell_once_with_the_invite(
        app, runner, smtp, schedule, customer_on):
    # a place on the waiting list holds no invite: it comes with the seat
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
    assert list(waitlisted.iter_attachments()) == []
    assert "with the calendar invite" in _text(waitlisted)
    seat_method, seat_event = _invite(promoted)
    assert (seat_method, str(seat_event["status"])) == ("REQUEST", "CONFIRMED")
    assert seat_event["uid"] != event["uid"]


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
    assert list(still_waiting.iter_attachments()) == []  # no invite until a seat
    assert _kinds(app, seated) == ["session.confirmed", "session.rescheduled"]


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
