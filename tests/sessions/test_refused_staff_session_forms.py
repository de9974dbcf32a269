"""Staff's forms on a topic request and a live session, refused (a value the lists do not
offer, sent by a stale page or by hand): the page again (422), titled "Error:", the reason in
words beside the list and in the form's summary, and nothing changed."""

from __future__ import annotations

from sqlalchemy import select

from kb import db
from kb.sessions.models import Registration, TopicRequest
from tests.a11y import described_by, problems, refused_summary
from tests.sessions.test_topics import _ask


def test_a_merge_into_a_request_not_on_the_list_is_refused_beside_the_list(
        app, auth, demo_accounts):
    _ask(app, "premium@demo.test", "Currency revaluation")
    duplicate = _ask(app, "elite@demo.test", "Revaluing currencies")
    auth.login("staff@demo.test")

    refused = auth.post(f"/sessions/topics/{duplicate}/merge", {"target_id": "999999"})

    assert refused.status_code == 422
    page, summary = refused_summary(refused, "merge-problem")
    message = "Choose an open request from the list."
    assert problems(summary) == {"#target_id": f"Merge into: {message}"}
    assert described_by(page, "target_id") == [message]
    with app.app_context():
        assert db.session.get(TopicRequest, duplicate).status == "new"


def test_a_status_not_on_the_list_is_refused_beside_it(app, auth, demo_accounts):
    topic_id = _ask(app, "premium@demo.test", "Queue monitoring at night")
    auth.login("staff@demo.test")

    refused = auth.post(f"/sessions/topics/{topic_id}/status",
                        {"status": "forgotten", "reason": "Kept as typed."})

    assert refused.status_code == 422
    page, summary = refused_summary(refused, "status-problem")
    assert problems(summary) == {"#status": "New status: Choose a status from the list."}
    assert page.get_element_by_id("reason").text_content().strip() == "Kept as typed."


def test_a_recording_not_on_the_list_is_refused_beside_the_list(auth, schedule, publish):
    session_id = schedule()
    publish()  # a recording to offer
    auth.login("staff@demo.test")

    refused = auth.post(f"/sessions/staff/live/{session_id}/recording",
                        {"recording_id": "999999"})

    assert refused.status_code == 422
    page, summary = refused_summary(refused, "recording-problem")
    message = "Choose a recording from the list."
    assert problems(summary) == {"#recording_id": f"Recording: {message}"}
    assert described_by(page, "recording_id") == [message]


def _registration_of(app, session_id: int) -> Registration:
    with app.app_context():
        registration = db.session.scalar(select(Registration).where(
            Registration.live_session_id == session_id))
        db.session.expunge(registration)
        return registration


def test_attendance_marked_before_the_start_is_refused_with_the_ticks_as_sent(
        app, auth, schedule, customer_on):
    session_id = schedule()
    auth.login(customer_on("premium"))
    auth.post(f"/sessions/live/{session_id}/register")
    auth.logout()
    registration = _registration_of(app, session_id)
    auth.login("staff@demo.test")

    refused = auth.post(f"/sessions/staff/live/{session_id}/attendance",
                        {"attended": str(registration.id)})

    assert refused.status_code == 422
    page, summary = refused_summary(refused, "attendance-problem")
    message = "Attendance is recorded once the session has begun."
    box = f"attended-{registration.id}"
    assert problems(summary) == {f"#{box}": f"Attended: {message}"}
    assert described_by(page, box) == [message]
    assert page.get_element_by_id(box).get("aria-invalid") == "true"
    assert page.get_element_by_id(box).get("checked") is not None  # as sent, not as stored
    assert next(summary.iterancestors("form")).get("action") == \
        f"/sessions/staff/live/{session_id}/attendance"
    assert _registration_of(app, session_id).attended is None


def test_attendance_of_a_cancelled_session_is_refused_atop_its_list(
        app, auth, schedule, staff):
    from kb.sessions.live import service as live

    session_id = schedule()
    staff(lambda staff_user: live.cancel_session(staff_user, session_id, "The presenter is ill."))
    auth.login("staff@demo.test")

    refused = auth.post(f"/sessions/staff/live/{session_id}/attendance", {})

    assert refused.status_code == 422
    page, summary = refused_summary(refused, "attendance-problem")
    assert problems(summary) == {
        "#attendees": "Attended: The session was cancelled: it did not take place."}


def test_attendance_not_refused_shows_no_summary(auth, schedule):
    session_id = schedule()
    auth.login("staff@demo.test")

    page = auth.client.get(f"/sessions/staff/live/{session_id}/attendees")

    assert page.status_code == 200
    assert "attendance-problem" not in page.text
    assert not page.text.split("<title>", 1)[1].startswith("Error")
