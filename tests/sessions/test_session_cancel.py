"""Staff cancel a live session, with a reason: each confirmed and wait-listed registrant is told
once (a seat also gets the calendar cancellation: same UID, higher SEQUENCE), and afterwards
nobody is reminded, moves up, registers or sees the join details; customers see it marked
cancelled, with the reason, on the schedule until its start, on its page and in the API."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from kb import db
from kb.db import utcnow
from kb.errors import Invalid
from kb.sessions.live import service as live
from kb.sessions.models import LiveSession, Registration
from kb.sessions.topics import queries as topic_queries
from kb.sessions.topics import service as topics
from tests.conftest import bearer
from tests.sessions.message_helpers import (
    START,
    START_UTC,
    _as,
    _deliver,
    _invite,
    _kinds,
    _reminded,
    _set_zone,
    _text,
)

REASON = "Our presenter is ill; the topic comes back in the autumn programme."


def _cancel_page(auth, session_id, reason=REASON):
    auth.login("staff@demo.test")
    response = auth.post(f"/sessions/staff/live/{session_id}/cancel", {"reason": reason})
    auth.logout()
    return response


def _cancel(staff, session_id, reason=REASON):
    return staff(lambda staff_user: live.cancel_session(staff_user, session_id, reason))


def _statuses(app, session_id):
    with app.app_context():
        return [r.status for r in db.session.scalars(select(Registration).where(
            Registration.live_session_id == session_id).order_by(Registration.id))]


def _session(app, session_id) -> LiveSession:
    with app.app_context():
        live_session = db.session.get(LiveSession, session_id)
        db.session.expunge(live_session)
        return live_session


def _move_start(app, session_id, by: timedelta) -> None:
    with app.app_context():
        db.session.get(LiveSession, session_id).starts_at = utcnow() + by
        db.session.commit()


def test_every_registrant_is_told_once_and_a_seat_gets_the_calendar_cancellation(
        app, client, auth, runner, smtp, schedule, customer_on):
    session_id = schedule(capacity=1, local_start=START)
    seated, waiting, left = customer_on("premium"), customer_on("elite"), customer_on("premium")
    _set_zone(app, seated, "Europe/Berlin")
    for email in (seated, waiting, left):
        _as(app, email, live.register, session_id)
    _as(app, left, live.cancel, session_id)  # left the waiting list before: not told again
    auth.login("staff@demo.test")
    page = client.get(f"/sessions/staff/live/{session_id}/cancel")
    assert page.status_code == 200
    assert b"the 1 person with a seat and the 1 on the waiting list" in page.data
    auth.logout()

    response = _cancel_page(auth, session_id)
    assert response.status_code == 302
    assert response.location.endswith(f"/sessions/live/{session_id}")
    _deliver(runner)

    assert _kinds(app, seated) == ["session.confirmed", "session.called_off"]
    assert _kinds(app, waiting) == ["session.waitlisted", "session.called_off"]
    assert _kinds(app, left) == ["session.waitlisted", "session.cancelled"]
    confirmed, called_off = smtp.inbox.to(seated)
    assert called_off["Subject"].endswith("“Queue monitoring live” is cancelled")
    text = _text(called_off)
    assert f"Why: {REASON}" in text and "Mon 01 Jul 2030, 15:00 UTC" in text
    assert "Your time (Europe/Berlin): Mon 01 Jul 2030, 17:00 CEST" in text
    assert "are on the live sessions page:\nhttp" in text and "/sessions/live\n" in text
    _, invite = _invite(confirmed)
    method, cancellation = _invite(called_off)
    assert (method, str(cancellation["status"])) == ("CANCEL", "CANCELLED")
    assert cancellation["uid"] == invite["uid"]
    assert cancellation["sequence"] > invite["sequence"]
    assert cancellation.decoded("dtstart") == START_UTC

    [_, waiting_told] = smtp.inbox.to(waiting)
    assert list(waiting_told.iter_attachments()) == []  # no invite held, none to remove
    assert f"Why: {REASON}" in _text(waiting_told)
    assert "waiting list" in _text(waiting_told)
    # the history stays: who held the seat and who waited
    assert _statuses(app, session_id) == ["confirmed", "waitlisted", "cancelled"]
    cancelled = _session(app, session_id)
    assert cancelled.status == "cancelled" and cancelled.cancellation_reason == REASON


def test_a_cancelled_session_reminds_nobody_moves_nobody_up_and_takes_no_registration(
        app, client, auth, schedule, customer_on, staff, api_token):
    session_id = schedule(capacity=1, local_start=START)
    seated, waiting, newcomer = (customer_on("premium"), customer_on("elite"),
                                 customer_on("premium"))
    _as(app, seated, live.register, session_id)
    _as(app, waiting, live.register, session_id)
    _cancel(staff, session_id)

    assert _reminded(app, START_UTC - timedelta(hours=24)) == 0
    assert _reminded(app, START_UTC - timedelta(minutes=60)) == 0
    # the seat cannot be given up to the waiting list any more
    token = bearer(api_token(seated))
    given_up = client.delete(f"/api/v1/live-sessions/{session_id}/registration", headers=token)
    assert given_up.status_code == 409 and "cancelled" in given_up.get_json()["error"]
    assert _statuses(app, session_id) == ["confirmed", "waitlisted"]

    api = client.post(f"/api/v1/live-sessions/{session_id}/registration",
                      headers=bearer(api_token(newcomer)))
    assert api.status_code == 409
    assert api.get_json()["error"] == f"The session is cancelled: {REASON}"
    again = client.post(f"/api/v1/live-sessions/{session_id}/registration", headers=token)
    assert again.status_code == 409  # holding the seat does not make it "already registered"
    auth.login(newcomer)
    assert b"Register" not in client.get(f"/sessions/live/{session_id}").data
    page = auth.post(f"/sessions/live/{session_id}/register")
    assert page.status_code == 409 and REASON.encode() in page.data
    assert _statuses(app, session_id) == ["confirmed", "waitlisted"]


def test_join_details_are_never_shown_for_a_cancelled_session(
        app, client, auth, schedule, customer_on, staff, api_token):
    session_id = schedule(starts_in=timedelta(minutes=10))  # join details are due
    seated = customer_on("elite")
    _as(app, seated, live.register, session_id)
    auth.login(seated)
    assert b"secret-pass" in client.get(f"/sessions/live/{session_id}").data
    _cancel(staff, session_id)

    page = client.get(f"/sessions/live/{session_id}").data.decode()
    assert "secret-pass" not in page and "meet.example.test" not in page
    assert 'id="join-details-pending"' not in page
    [listed] = client.get("/api/v1/live-sessions").get_json()
    assert listed["join"] is None
    auth.logout()
    auth.login("staff@demo.test")
    assert b"secret-pass" not in client.get(f"/sessions/live/{session_id}").data


def test_a_plan_below_live_sessions_is_not_offered_an_upgrade_for_a_cancelled_one(
        client, auth, schedule, customer_on, staff):
    open_id, cancelled_id = schedule(title="Still on"), schedule(title="Called off")
    _cancel(staff, cancelled_id)
    auth.login(customer_on("xtreme"))
    assert "Compare the plans" in client.get(f"/sessions/live/{open_id}").data.decode()
    page = client.get(f"/sessions/live/{cancelled_id}").data.decode()
    assert REASON in page and "Compare the plans" not in page


def test_customers_see_it_cancelled_with_the_reason_until_its_start(
        app, client, auth, schedule, customer_on, staff):
    session_id = schedule(capacity=1)
    other_id = schedule(title="Still on")
    seated, waiting = customer_on("premium"), customer_on("elite")
    _as(app, seated, live.register, session_id)
    _as(app, waiting, live.register, session_id)
    _cancel(staff, session_id)

    auth.login(seated)
    schedule_page = client.get("/sessions/live").data.decode()
    assert "Cancelled" in schedule_page and f"Cancelled: {REASON}" in schedule_page
    page = client.get(f"/sessions/live/{session_id}").data.decode()
    assert 'id="session-cancelled"' in page and REASON in page
    assert "Cancel my registration" not in page
    assert "Download the calendar cancellation (.ics)" in page  # it now removes the event
    listed = {s["id"]: s for s in client.get("/api/v1/live-sessions").get_json()}
    assert listed[session_id]["status"] == "cancelled"
    assert listed[session_id]["cancellation_reason"] == REASON
    assert listed[session_id]["cancelled_at"] is not None
    assert listed[other_id]["status"] == "scheduled"
    assert listed[other_id]["cancellation_reason"] is None
    auth.logout()
    auth.login(waiting)
    waiting_page = client.get(f"/sessions/live/{session_id}").data.decode()
    assert "You were on the waiting list" in waiting_page and "invite.ics" not in waiting_page

    _move_start(app, session_id, -timedelta(minutes=5))  # it would be under way
    listed = [s["id"] for s in client.get("/api/v1/live-sessions").get_json()]
    assert listed == [other_id]
    schedule_page = client.get("/sessions/live").data.decode()
    assert "Past sessions" in schedule_page and " · cancelled" in schedule_page


def test_cancelling_twice_an_ended_session_or_without_a_reason_is_refused(
        app, client, auth, runner, smtp, schedule, customer_on):
    session_id, ended_id = schedule(), schedule(title="Long over")
    seated = customer_on("premium")
    _as(app, seated, live.register, session_id)
    assert _cancel_page(auth, session_id, reason="   ").status_code == 422
    assert _session(app, session_id).status == "scheduled"
    assert _cancel_page(auth, session_id).status_code == 302

    twice = _cancel_page(auth, session_id, reason="Once more")
    assert twice.status_code == 409 and b"already cancelled" in twice.data
    assert _session(app, session_id).cancellation_reason == REASON
    _deliver(runner)
    assert _kinds(app, seated) == ["session.confirmed", "session.called_off"]

    _move_start(app, ended_id, -timedelta(hours=2))
    ended = _cancel_page(auth, ended_id)
    assert ended.status_code == 409 and b"has ended" in ended.data
    assert _session(app, ended_id).status == "scheduled"


def test_a_session_under_way_can_still_be_cancelled(app, auth, schedule):
    session_id = schedule()
    _move_start(app, session_id, -timedelta(minutes=10))
    assert _cancel_page(auth, session_id).status_code == 302
    assert _session(app, session_id).status == "cancelled"


@pytest.mark.parametrize("visitor", ["premium@demo.test", "elite@demo.test", "xtreme@demo.test"])
def test_customers_cannot_cancel_a_session(app, client, auth, schedule, visitor):
    session_id = schedule()
    auth.login(visitor)
    assert client.get(f"/sessions/staff/live/{session_id}/cancel").status_code == 403
    assert auth.post(f"/sessions/staff/live/{session_id}/cancel",
                     {"reason": "Not mine to cancel"}).status_code == 403
    assert _session(app, session_id).status == "scheduled"


def test_a_cancelled_session_can_no_longer_be_edited_attended_or_recorded(
        app, client, auth, schedule, staff):
    session_id = schedule()
    _cancel(staff, session_id)
    auth.login("staff@demo.test")
    edit = client.get(f"/sessions/staff/live/{session_id}/edit").data.decode()
    assert "can no longer be changed" in edit and "Save the session" not in edit
    moved = auth.post(f"/sessions/staff/live/{session_id}/edit", {
        "title": "Moved anyway", "local_start": "2031-01-01T10:00", "time_zone": "UTC",
        "duration_minutes": "60", "capacity": "5"})
    assert moved.status_code == 409
    assert _session(app, session_id).title == "Queue monitoring live"
    attendees = client.get(f"/sessions/staff/live/{session_id}/attendees").data.decode()
    assert 'id="session-cancelled"' in attendees and "Save attendance" not in attendees


def test_leaving_the_waiting_list_sends_no_calendar_cancellation(
        app, client, auth, runner, smtp, schedule, customer_on):
    session_id = schedule(capacity=1)
    seated, waiting = customer_on("premium"), customer_on("elite")
    _as(app, seated, live.register, session_id)
    _as(app, waiting, live.register, session_id)
    auth.login(waiting)
    page = client.get(f"/sessions/live/{session_id}").data.decode()
    assert "invite.ics" not in page and "get the calendar invite with it" in page
    assert client.get(f"/sessions/live/{session_id}/invite.ics").status_code == 404
    auth.post(f"/sessions/live/{session_id}/cancel")
    _deliver(runner)

    waitlisted, left = smtp.inbox.to(waiting)
    assert "is cancelled" in left["Subject"]
    assert list(waitlisted.iter_attachments()) == list(left.iter_attachments()) == []


def test_a_topic_request_cannot_be_scheduled_as_a_cancelled_session(
        app, client, auth, schedule, staff):
    from tests.sessions.test_topics import _ask, _told

    topic_id = _ask(app, "premium@demo.test", "Queue monitoring at night")
    session_id = schedule()
    _cancel(staff, session_id)
    auth.login("staff@demo.test")
    page = client.get(f"/sessions/topics/{topic_id}").data.decode()
    assert f'<option value="{session_id}">' not in page

    refused = auth.post(f"/sessions/topics/{topic_id}/status",
                        {"status": "scheduled", "live_session_id": str(session_id)})

    assert refused.status_code in (302, 422)
    assert "topic.scheduled" not in [kind for kind, _ in _told(app, "premium@demo.test")]
    with pytest.raises(Invalid, match="cancelled"):
        staff(lambda s: topics.change_status(s, topic_queries.get_topic(s, topic_id),
                                             "scheduled",
                                             live_session=db.session.get(LiveSession, session_id)))
