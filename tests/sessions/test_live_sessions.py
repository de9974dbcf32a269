"""Live sessions: registration, the waiting list and its promotion, the registration window,
join details only for registrants from the set time, time zones, and the staff's attendee
list, attendance and recording."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from sqlalchemy import select

from kb import db
from kb.accounts.queries import user_by_email
from kb.db import utcnow
from kb.notifications import Notification
from kb.sessions.models import LiveSession, Registration
from tests.conftest import bearer, csrf_token


def _register(client, auth, email, session_id):
    auth.login(email)
    response = auth.post(f"/sessions/live/{session_id}/register")
    auth.logout()
    return response


def _statuses(app, session_id):
    with app.app_context():
        rows = db.session.scalars(select(Registration).where(
            Registration.live_session_id == session_id).order_by(Registration.id))
        return [(r.user.email, r.status, r.waitlist_position) for r in rows]


def test_full_session_waitlists_and_cancellation_promotes_the_first_waiting(
        app, client, auth, schedule, customer_on):
    session_id = schedule(capacity=2)
    people = [customer_on("premium"), customer_on("elite"), customer_on("premium"),
              customer_on("elite")]
    for email in people:
        assert _register(client, auth, email, session_id).status_code == 302
    assert [s[1:] for s in _statuses(app, session_id)] == [
        ("confirmed", None), ("confirmed", None), ("waitlisted", 1), ("waitlisted", 2)]

    auth.login(people[2])
    assert b"number 1 on the waiting list" in client.get(f"/sessions/live/{session_id}").data
    auth.logout()
    auth.login(people[0])
    assert auth.post(f"/sessions/live/{session_id}/cancel").status_code == 302
    auth.logout()

    assert [s[1] for s in _statuses(app, session_id)] == [
        "cancelled", "confirmed", "confirmed", "waitlisted"]
    with app.app_context():
        promoted = user_by_email(people[2])
        told = db.session.scalars(select(Notification).where(
            Notification.user_id == promoted.id).order_by(Notification.id)).all()
        assert [(n.kind, n.url) for n in told] == [
            ("session.waitlisted", f"/sessions/live/{session_id}"),
            ("session.promoted", f"/sessions/live/{session_id}")]
    auth.login(people[3])
    assert b"number 1 on the waiting list" in client.get(f"/sessions/live/{session_id}").data


def test_registering_twice_keeps_one_place(app, client, auth, schedule, customer_on):
    session_id = schedule(capacity=1)
    email = customer_on("premium")
    _register(client, auth, email, session_id)
    _register(client, auth, email, session_id)
    assert _statuses(app, session_id) == [(email, "confirmed", None)]


def test_api_answers_201_registered_202_waitlisted_204_cancelled(
        app, client, schedule, customer_on, api_token):
    session_id = schedule(capacity=1)
    first, second = (bearer(api_token(customer_on(plan))) for plan in ("premium", "elite"))
    url = f"/api/v1/live-sessions/{session_id}/registration"
    created = client.post(url, headers=first)
    assert created.status_code == 201 and created.json["status"] == "confirmed"
    assert created.headers["Location"].endswith(url)  # what DELETE cancels
    assert client.post(url, headers=first).status_code == 200
    waiting = client.post(url, headers=second)
    assert waiting.status_code == 202 and waiting.json["waitlist_position"] == 1
    cancelled = client.delete(url, headers=first)
    assert cancelled.status_code == 204 and "Content-Type" not in cancelled.headers
    listed = client.get("/api/v1/live-sessions", headers=second).json
    assert listed[0]["registration"]["status"] == "confirmed" and listed[0]["seats_left"] == 0
    assert client.delete(url, headers=first).status_code == 404


def test_xtreme_sees_the_schedule_with_a_prompt_and_every_registration_path_refuses(
        app, client, auth, schedule, api_token):
    session_id = schedule()
    auth.login("xtreme@demo.test")
    page = client.get("/sessions/live").get_data(as_text=True)
    assert "Queue monitoring live" in page and "available on Premium and Elite" in page
    detail = client.get(f"/sessions/live/{session_id}").get_data(as_text=True)
    assert 'id="upgrade-prompt"' in detail and ">Register<" not in detail
    assert auth.post(f"/sessions/live/{session_id}/register").status_code == 403
    assert client.get(f"/sessions/live/{session_id}/invite.ics").status_code == 403
    token = bearer(api_token("xtreme@demo.test"))
    refused = client.post(f"/api/v1/live-sessions/{session_id}/registration", headers=token)
    assert refused.status_code == 403
    assert refused.json["feature"] == "interactive_sessions"
    assert refused.json["required_plan"] == "premium"
    assert _statuses(app, session_id) == []


def test_registration_window_is_enforced(app, client, auth, schedule, customer_on):
    now = utcnow().replace(tzinfo=None)
    not_yet = schedule(registration_opens=now + timedelta(days=1))
    closed = schedule(registration_closes=now - timedelta(hours=1),
                      registration_opens=now - timedelta(days=2))
    started = schedule(starts_in=timedelta(minutes=-5))
    email = customer_on("premium")
    for session_id in (not_yet, closed, started):
        assert _register(client, auth, email, session_id).status_code == 409
        assert _statuses(app, session_id) == []


def test_join_details_only_for_confirmed_registrants_from_the_set_time(
        app, client, auth, schedule, customer_on, api_token):
    soon = schedule(capacity=1, starts_in=timedelta(minutes=10))  # details due 5 minutes ago
    later = schedule(capacity=5, starts_in=timedelta(minutes=30))  # due in 15 minutes
    registrant, waiting, bystander = (customer_on("premium") for _ in range(3))
    for email in (registrant, waiting):
        _register(client, auth, email, soon)
    _register(client, auth, registrant, later)

    auth.login(registrant)
    assert b"secret-pass" in client.get(f"/sessions/live/{soon}").data
    pending = client.get(f"/sessions/live/{later}").get_data(as_text=True)
    assert "secret-pass" not in pending and 'data-reload-at="' in pending
    auth.logout()
    for email in (waiting, bystander):
        auth.login(email)
        assert b"secret-pass" not in client.get(f"/sessions/live/{soon}").data
        auth.logout()

    def join_of(email, session_id):
        listed = client.get("/api/v1/live-sessions", headers=bearer(api_token(email))).json
        return next(s["join"] for s in listed if s["id"] == session_id)

    assert join_of(registrant, soon) == {"url": "https://meet.example.test/j/42",
                                         "number": "42 42", "password": "secret-pass"}
    assert join_of(registrant, later) is None
    assert join_of(waiting, soon) is None and join_of(bystander, soon) is None


def test_times_show_in_the_users_time_zone(app, client, auth, schedule, customer_on):
    from datetime import datetime

    session_id = schedule(local_start=datetime(2030, 7, 1, 15, 0), time_zone="Europe/Berlin")
    email = customer_on("premium")
    with app.app_context():
        user_by_email(email).time_zone = "America/New_York"
        db.session.commit()
    auth.login(email)
    page = client.get(f"/sessions/live/{session_id}").get_data(as_text=True)
    assert "Mon 01 Jul 2030, 09:00 EDT" in page and "Scheduled in Europe/Berlin" in page


def test_staff_reschedule_tells_registrants_and_more_seats_promote(
        app, client, auth, schedule, customer_on, staff):
    from kb.sessions.live import queries as live_queries
    from kb.sessions.live import service as live
    from kb.sessions.live import times as live_times

    session_id = schedule(capacity=1)
    first, second = customer_on("premium"), customer_on("elite")
    _register(client, auth, first, session_id)
    _register(client, auth, second, session_id)

    def move(staff_user):
        fields = live_times.local_fields(live_queries.get_session(staff_user, session_id))
        values = {"title": "Queue monitoring live", "time_zone": "UTC", "duration_minutes": 90,
                  "capacity": 2, "local_start": fields["local_start"] + timedelta(days=1)}
        return live.update_session(staff_user, session_id, live.LiveSessionFields(**values))

    assert staff(move).sequence == 1
    assert [s[1] for s in _statuses(app, session_id)] == ["confirmed", "confirmed"]
    with app.app_context():
        kinds = sorted(n.kind for n in db.session.scalars(select(Notification).where(
            Notification.kind.not_in(("session.confirmed", "session.waitlisted")))))
    assert kinds == ["session.promoted", "session.rescheduled", "session.rescheduled"]


def _begin(app, session_id: int) -> None:
    """Move the session's start an hour into the past, as time would."""
    with app.app_context():
        live_session = db.session.get(LiveSession, session_id)
        live_session.starts_at = utcnow() - timedelta(hours=1)
        db.session.commit()


def test_attendee_list_is_for_staff_only_with_csv_and_attendance(
        app, client, auth, schedule, customer_on):
    session_id = schedule(capacity=1)
    first, second = customer_on("premium"), customer_on("elite")
    _register(client, auth, first, session_id)
    _register(client, auth, second, session_id)
    auth.login(first)
    for path in ("attendees", "attendees.csv"):
        assert client.get(f"/sessions/staff/live/{session_id}/{path}").status_code == 403
    assert second.encode() not in client.get(f"/sessions/live/{session_id}").data
    auth.logout()

    auth.login("staff@demo.test")
    assert first.encode() in client.get(f"/sessions/staff/live/{session_id}/attendees").data
    with app.app_context():
        registration_id = db.session.scalar(select(Registration.id).where(
            Registration.status == "confirmed"))
    early = client.post(f"/sessions/staff/live/{session_id}/attendance", data={
        "attended": str(registration_id), "csrf_token": csrf_token(client)})
    assert early.status_code == 422
    assert "Attendance is recorded once the session has begun." in early.text
    _begin(app, session_id)
    auth.post(f"/sessions/staff/live/{session_id}/attendance", {"attended": str(registration_id)})
    exported = client.get(f"/sessions/staff/live/{session_id}/attendees.csv")
    assert exported.headers["Cache-Control"] == "private, no-store"  # personal data
    rows = list(csv.DictReader(io.StringIO(exported.get_data(as_text=True))))
    assert [(r["email"], r["status"], r["attended"]) for r in rows] == [
        (first, "confirmed", "yes"), (second, "waitlisted", "")]


def test_staff_attach_the_recording_after_the_session_and_registrants_are_told(
        app, client, auth, schedule, publish, customer_on, staff):
    from kb.sessions.live import attendance
    from kb.sessions.live import queries as live_queries
    from kb.sessions.recordings import queries as recording_queries
    from kb.sessions.topics import service as topics

    session_id = schedule(starts_in=timedelta(minutes=5))
    email = customer_on("premium")
    _register(client, auth, email, session_id)
    recording_id = publish(status="draft")

    def schedule_topic(staff_user):
        topic = topics.request_topic(user_by_email(email), "Queues at night")
        topics.change_status(staff_user, topic, "scheduled",
                             live_session=live_queries.get_session(staff_user, session_id))
        return topic.id

    topic_id = staff(schedule_topic)
    _begin(app, session_id)
    staff(lambda s: attendance.attach_recording(
        s, live_queries.get_session(s, session_id),
        recording_queries.get_recording(s, recording_id)))

    with app.app_context():
        told = [n.kind for n in db.session.scalars(select(Notification).where(
            Notification.user_id == user_by_email(email).id).order_by(Notification.id))]
        assert told == ["session.confirmed", "topic.scheduled", "session.recorded",
                        "topic.recorded"]
    auth.login("xtreme@demo.test")
    assert client.get(f"/sessions/recordings/{recording_id}").status_code == 200
    assert client.get(f"/sessions/topics/{topic_id}").data.count(b"recorded") >= 1


def test_promotion_skips_someone_whose_plan_lost_live_sessions(
        app, client, auth, schedule, customer_on, make_organization, make_user):
    session_id = schedule(capacity=1)
    holder = customer_on("premium")
    downgraded_org = make_organization("premium")
    downgraded, next_in_line = make_user(organization_id=downgraded_org), customer_on("elite")
    for email in (holder, downgraded, next_in_line):
        _register(client, auth, email, session_id)
    with app.app_context():
        from kb.accounts.models import Organization

        db.session.get(Organization, downgraded_org).plan = "xtreme"
        db.session.commit()
    auth.login(holder)
    auth.post(f"/sessions/live/{session_id}/cancel")
    assert [s[:2] for s in _statuses(app, session_id)] == [
        (holder, "cancelled"), (downgraded, "waitlisted"), (next_in_line, "confirmed")]


def test_a_refused_registration_releases_the_lock_at_once(app, schedule, customer_on):
    from kb.errors import Conflict
    from kb.sessions.live import service as live

    session_id = schedule(starts_in=timedelta(minutes=-1))
    with app.app_context():
        user = user_by_email(customer_on("premium"))
        with pytest.raises(Conflict):
            live.register(user, session_id)
        assert not db.session.in_transaction()  # rolled back: the row lock is gone


def test_join_details_leave_out_what_the_session_has_not(app, client, auth, schedule,
                                                        customer_on):
    link_only = schedule(starts_in=timedelta(minutes=10), meeting_number="", meeting_password="")
    registrant = customer_on("premium")
    _register(client, auth, registrant, link_only)
    auth.login(registrant)
    page = client.get(f"/sessions/live/{link_only}").get_data(as_text=True)
    assert "https://meet.example.test/j/42" in page
    assert "Meeting number" not in page and "Password:" not in page
