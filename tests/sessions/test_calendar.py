"""Calendar invites, parsed back with icalendar: a stable UID per registration, a SEQUENCE
that rises on reschedule and on cancel, METHOD:CANCEL when cancelled, and a VALARM."""

from __future__ import annotations

from datetime import timedelta

from icalendar import Calendar

from tests.conftest import bearer


def _invite(client, session_id, headers=None, api=False):
    url = (f"/api/v1/live-sessions/{session_id}/invite.ics" if api
           else f"/sessions/live/{session_id}/invite.ics")
    response = client.get(url, headers=headers or {})
    assert response.status_code == 200, response.data
    assert response.mimetype == "text/calendar"
    calendar = Calendar.from_ical(response.data)
    return calendar, calendar.walk("VEVENT")[0]


def _reschedule(staff, session_id, days: int):
    from kb.sessions.live import queries as live_queries
    from kb.sessions.live import service as live
    from kb.sessions.live import times as live_times

    def move(staff_user):
        live_session = live_queries.get_session(staff_user, session_id)
        start = live_times.local_fields(live_session)["local_start"]
        live.update_session(staff_user, session_id, live.LiveSessionFields(
            title="Queue monitoring live", local_start=start + timedelta(days=days),
            time_zone="UTC", duration_minutes=60, capacity=5))

    staff(move)


def test_invite_uid_stays_sequence_rises_and_cancel_cancels(
        app, client, auth, schedule, customer_on, staff):
    session_id = schedule()
    email = customer_on("premium")
    auth.login(email)
    auth.post(f"/sessions/live/{session_id}/register")

    calendar, event = _invite(client, session_id)
    uid = str(event["UID"])
    assert str(calendar["METHOD"]) == "REQUEST" and str(event["STATUS"]) == "CONFIRMED"
    assert int(event["SEQUENCE"]) == 0
    assert str(event["ATTENDEE"]) == f"mailto:{email}"
    alarms = event.walk("VALARM")
    assert len(alarms) == 1 and alarms[0]["TRIGGER"].dt == timedelta(minutes=-15)
    assert str(alarms[0]["ACTION"]) == "DISPLAY"
    assert "secret-pass" not in calendar.to_ical().decode()
    first_start = event["DTSTART"].dt

    _reschedule(staff, session_id, days=1)
    _, moved = _invite(client, session_id)
    assert str(moved["UID"]) == uid and int(moved["SEQUENCE"]) == 1
    assert moved["DTSTART"].dt == first_start + timedelta(days=1)

    auth.post(f"/sessions/live/{session_id}/cancel")
    cancelled_calendar, cancelled = _invite(client, session_id)
    assert str(cancelled_calendar["METHOD"]) == "CANCEL"
    assert str(cancelled["STATUS"]) == "CANCELLED"
    assert str(cancelled["UID"]) == uid and int(cancelled["SEQUENCE"]) == 2

    auth.post(f"/sessions/live/{session_id}/register")
    _, again = _invite(client, session_id)
    assert str(again["UID"]) == uid and int(again["SEQUENCE"]) == 3
    assert str(again["STATUS"]) == "CONFIRMED"


def test_each_registration_has_its_own_uid_and_the_api_serves_it_with_the_seat(
        client, schedule, customer_on, api_token):
    session_id = schedule(capacity=1)
    tokens = [bearer(api_token(customer_on("elite"))) for _ in range(2)]
    registrations = [client.post(f"/api/v1/live-sessions/{session_id}/registration",
                                 headers=headers).get_json() for headers in tokens]
    assert registrations[0]["invite_url"].endswith(f"/live-sessions/{session_id}/invite.ics")
    assert registrations[1]["status"] == "waitlisted" and registrations[1]["invite_url"] is None
    waiting = client.get(f"/api/v1/live-sessions/{session_id}/invite.ics", headers=tokens[1])
    assert waiting.status_code == 404 and "waiting list" in waiting.get_json()["error"]

    seated = _invite(client, session_id, tokens[0], api=True)[1]
    client.delete(f"/api/v1/live-sessions/{session_id}/registration", headers=tokens[0])
    promoted = _invite(client, session_id, tokens[1], api=True)[1]
    assert seated["UID"] != promoted["UID"] and str(promoted["STATUS"]) == "CONFIRMED"


def test_no_invite_without_a_registration(client, auth, schedule, customer_on):
    session_id = schedule()
    auth.login(customer_on("premium"))
    assert client.get(f"/sessions/live/{session_id}/invite.ics").status_code == 404


def test_invite_links_follow_the_request_and_name_the_configured_organiser(
        app, client, auth, schedule, customer_on):
    app.config.update(BASE_URL="", PORTAL_NAME="Acme Care",
                      MAIL_FROM="Acme Care <care@acme.example>")
    session_id = schedule()
    auth.login(customer_on("premium"))
    auth.post(f"/sessions/live/{session_id}/register")

    response = client.get(f"/sessions/live/{session_id}/invite.ics",
                          base_url="http://localhost:8123")
    event = Calendar.from_ical(response.data).walk("VEVENT")[0]

    assert str(event["URL"]) == f"http://localhost:8123/sessions/live/{session_id}"
    assert str(event["ORGANIZER"]) == "mailto:care@acme.example"
    assert event["ORGANIZER"].params["CN"] == "Acme Care"

    app.config["INVITE_ORGANIZER"] = "sessions@acme.example"
    response = client.get(f"/sessions/live/{session_id}/invite.ics")
    assert str(Calendar.from_ical(response.data).walk("VEVENT")[0]["ORGANIZER"]) == (
        "mailto:sessions@acme.example")
