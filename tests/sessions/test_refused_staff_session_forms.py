"""Staff's forms on a topic request and a live session, refused (a value the lists do not
offer, sent by a stale page or by hand): the page again (422), titled "Error:", the reason in
words beside the list and in the form's summary, and nothing changed."""

from __future__ import annotations

from kb import db
from kb.sessions.models import TopicRequest
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
