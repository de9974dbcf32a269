"""Live-session states: a session under way says so and offers no seats or button,
registration closes at its set time with the page saying why, and the API reports each state
and refuses registration once it has closed, whoever calls the service."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from kb import db
from kb.accounts.queries import user_by_email
from kb.db import utcnow
from kb.errors import Conflict
from kb.sessions.live import queries as live_queries
from kb.sessions.live import service as live
from kb.sessions.models import LiveSession, Registration
from tests.conftest import bearer

REGISTER_BUTTONS = (">Register<", ">Join the waiting list<")


@pytest.fixture
def sessions_in_each_state(schedule):
    """Sessions under way, with registration closed (before the start), ended and upcoming."""
    now = utcnow().replace(tzinfo=None)
    return {
        "in_progress": schedule(starts_in=timedelta(minutes=-5)),
        "registration_closed": schedule(registration_opens=now - timedelta(days=2),
                                        registration_closes=now - timedelta(hours=1)),
        "ended": schedule(starts_in=timedelta(hours=-3)),
        "upcoming": schedule(),
        "registration_not_open": schedule(registration_opens=now + timedelta(days=1)),
    }


def _page(client, auth, email, session_id) -> str:
    auth.login(email)
    try:
        return client.get(f"/sessions/live/{session_id}").get_data(as_text=True)
    finally:
        auth.logout()


def _registered(app, session_id) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(Registration.status).where(
            Registration.live_session_id == session_id)))


def test_a_session_under_way_says_so_with_no_free_seats_and_no_button(
        app, client, auth, sessions_in_each_state, customer_on):
    session_id = sessions_in_each_state["in_progress"]
    page = _page(client, auth, customer_on("premium"), session_id)
    assert 'id="session-state"' in page and "Under way" in page
    assert "Registration has closed." in page
    assert "seats free" not in page
    assert not any(button in page for button in REGISTER_BUTTONS)


def test_registration_closes_at_its_set_time_and_the_page_says_why(
        app, client, auth, sessions_in_each_state, customer_on):
    session_id = sessions_in_each_state["registration_closed"]
    page = _page(client, auth, customer_on("elite"), session_id)
    assert "Registration closed at" in page and "the closing time set for this session" in page
    assert "seats free" not in page
    assert not any(button in page for button in REGISTER_BUTTONS)


def test_an_ended_session_says_so_and_one_not_yet_open_says_when_it_opens(
        app, client, auth, sessions_in_each_state, customer_on):
    email = customer_on("premium")
    ended = _page(client, auth, email, sessions_in_each_state["ended"])
    assert "This session is over." in ended
    assert not any(button in ended for button in REGISTER_BUTTONS)
    not_open = _page(client, auth, email, sessions_in_each_state["registration_not_open"])
    assert 'id="registration-opens"' in not_open and "Registration opens at" in not_open
    assert not any(button in not_open for button in REGISTER_BUTTONS)


def test_an_upcoming_session_offers_its_seats_and_the_button(
        app, client, auth, sessions_in_each_state, customer_on):
    page = _page(client, auth, customer_on("premium"), sessions_in_each_state["upcoming"])
    assert "5 of 5 seats free" in page and ">Register<" in page
    assert 'id="session-state"' not in page


def test_the_schedule_marks_sessions_under_way_and_closed_without_free_seats(
        app, client, auth, schedule, customer_on):
    now = utcnow().replace(tzinfo=None)
    schedule(starts_in=timedelta(minutes=-5), title="Running now")
    schedule(registration_closes=now - timedelta(hours=1), title="Closed early")
    auth.login(customer_on("premium"))
    page = client.get("/sessions/live").get_data(as_text=True)
    entries = page.split('<ul class="card-list" id="live-sessions">')[1].split("</ul>")[0]
    running, closed = entries.split("<li>")[1:]
    assert "Running now" in running and "Under way" in running
    assert "Closed early" in closed and "Registration closed" in closed
    assert "seats free" not in entries


def test_api_lists_each_state_and_refuses_registration_once_closed(
        app, client, sessions_in_each_state, customer_on, api_token):
    token = bearer(api_token(customer_on("premium")))
    listed = {s["id"]: s for s in client.get("/api/v1/live-sessions", headers=token).json}
    for state, session_id in sessions_in_each_state.items():
        if state != "ended":  # the list holds the sessions not yet over
            assert listed[session_id]["state"] == state
    closed = listed[sessions_in_each_state["registration_closed"]]
    assert closed["registration_closes_at"] < closed["starts_at"]

    for state, why in (("registration_closed", "Registration closed at"),
                       ("in_progress", "under way"), ("ended", "has ended"),
                       ("registration_not_open", "Registration opens at")):
        session_id = sessions_in_each_state[state]
        refused = client.post(f"/api/v1/live-sessions/{session_id}/registration", headers=token)
        assert refused.status_code == 409 and why in refused.json["error"]
        assert _registered(app, session_id) == []
    upcoming = sessions_in_each_state["upcoming"]
    assert client.post(f"/api/v1/live-sessions/{upcoming}/registration",
                       headers=token).status_code == 201


def test_the_service_refuses_registration_after_closing_whoever_calls_it(
        app, sessions_in_each_state, customer_on):
    email = customer_on("elite")
    session_id = sessions_in_each_state["registration_closed"]
    with app.app_context():
        user = user_by_email(email)
        with pytest.raises(Conflict, match="Registration closed at"):
            live.register_with_outcome(user, session_id)
    assert _registered(app, session_id) == []


def test_the_state_follows_the_clock_through_each_boundary(app, sessions_in_each_state):
    with app.app_context():
        session = db.session.get(LiveSession, sessions_in_each_state["registration_closed"])
        closes, second = session.registration_closes, timedelta(seconds=1)
        assert session.state_at(session.registration_opens_at - second) == (
            "registration_not_open")
        assert session.state_at(closes - second) == "upcoming"
        assert session.state_at(closes) == "registration_closed"
        assert session.state_at(session.starts_at) == "in_progress"
        assert session.state_at(session.ends_at) == "ended"
        upcoming = db.session.get(LiveSession, sessions_in_each_state["upcoming"])
        # without a closing time set, registration closes at the start
        assert upcoming.registration_closes == upcoming.starts_at
        assert upcoming.state_at(upcoming.starts_at - second) == "upcoming"


def test_the_schedule_splits_sessions_of_each_length_at_their_end(app, schedule):
    lengths = {"short_over": (-31, 30), "short_on": (-29, 30), "hour_over": (-61, 60),
               "hour_on": (-59, 60), "long_over": (-181, 180), "long_on": (-179, 180),
               "later": (60, 90)}
    ids = {name: schedule(starts_in=timedelta(minutes=start), duration_minutes=minutes)
           for name, (start, minutes) in lengths.items()}
    with app.app_context():
        staff_user = user_by_email("staff@demo.test")
        upcoming = [s.id for s in live_queries.sessions_for(staff_user)]
        past = [s.id for s in live_queries.sessions_for(staff_user, past=True)]
    assert upcoming == [ids[name] for name in ("long_on", "hour_on", "short_on", "later")]
    assert past == [ids[name] for name in ("short_over", "hour_over", "long_over")]


def test_api_answers_one_session_as_the_list_does_ended_ones_included(
        client, sessions_in_each_state, customer_on, api_token):
    premium = bearer(api_token(customer_on("premium")))
    listed = {s["id"]: s for s in client.get("/api/v1/live-sessions", headers=premium).json}
    for state, session_id in sessions_in_each_state.items():
        one = client.get(f"/api/v1/live-sessions/{session_id}", headers=premium)
        assert one.status_code == 200 and one.json["state"] == state
        if state != "ended":
            assert one.json == listed[session_id]
    upcoming = sessions_in_each_state["upcoming"]
    assert client.post(f"/api/v1/live-sessions/{upcoming}/registration",
                       headers=premium).status_code == 201
    mine = client.get(f"/api/v1/live-sessions/{upcoming}", headers=premium).json
    assert mine["registration"]["status"] == "confirmed" and mine["seats_left"] == 4

    assert client.get("/api/v1/live-sessions/999999", headers=premium).status_code == 404
    xtreme = bearer(api_token(customer_on("xtreme")))  # reads the schedule, cannot register
    seen = client.get(f"/api/v1/live-sessions/{upcoming}", headers=xtreme)
    assert seen.status_code == 200 and seen.json["registration"] is None
    refused = client.post(f"/api/v1/live-sessions/{upcoming}/registration", headers=xtreme)
    assert refused.status_code == 403 and refused.json["feature"] == "interactive_sessions"
