"""A cancelled live session says so in its state, in the API and on the pages, and offers no
seats; a session that takes place keeps its state and its free seats."""

from __future__ import annotations

from kb.sessions.live import service as live


def test_a_cancelled_session_is_in_state_cancelled_with_no_seats_left(
        app, client, auth, schedule, staff):
    cancelled_id = schedule(capacity=20, title="Called off")
    other_id = schedule(capacity=20, title="Still on")
    staff(lambda staff_user: live.cancel_session(staff_user, cancelled_id, "Presenter ill."))

    auth.login("premium@demo.test")
    listed = {item["id"]: item for item in client.get("/api/v1/live-sessions").get_json()}
    assert {key: listed[cancelled_id][key] for key in ("state", "status", "seats_left")} == {
        "state": "cancelled", "status": "cancelled", "seats_left": 0}
    assert {key: listed[other_id][key] for key in ("state", "status", "seats_left")} == {
        "state": "upcoming", "status": "scheduled", "seats_left": 20}

    page = client.get(f"/sessions/live/{cancelled_id}").get_data(as_text=True)
    assert 'id="session-cancelled"' in page and "seats free" not in page
    assert "Register" not in page
    schedule_page = client.get("/sessions/live").get_data(as_text=True)
    assert schedule_page.count("seats free") == 1 and "Cancelled: Presenter ill." in schedule_page
