"""User-written Markdown is rendered once, when it is written: pages show the stored HTML
(a source changed behind the service's back does not show), pathological input is accepted
and shown as text, and input the parser cannot follow is refused when it is written."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import update

from kb import db
from kb.sessions.campus import service as campus
from kb.sessions.models import CampusOffer, LiveSession, Recording, TopicRequest
from tests.conftest import bearer


def _change_source_behind_the_service(app, model, column: str, row_id: int | None = None):
    """Overwrite the Markdown source in the database: a page that renders at view time
    would now show "changed", one that shows the stored HTML does not."""
    with app.app_context():
        statement = update(model).values({column: "changed"})
        if row_id is not None:
            statement = statement.where(model.id == row_id)
        db.session.execute(statement)
        db.session.commit()


def _ask(client, api_token, details: str):
    return client.post("/api/v1/topics", headers=bearer(api_token("premium@demo.test")),
                       json={"title": "Queues", "details": details})


def test_topic_page_shows_the_html_rendered_when_the_request_was_made(
        app, client, auth, demo_accounts, api_token):
    topic_id = _ask(client, api_token, "Please cover **dead letters**.").json["id"]
    _change_source_behind_the_service(app, TopicRequest, "details", topic_id)
    auth.login("elite@demo.test")
    page = client.get(f"/sessions/topics/{topic_id}").get_data(as_text=True)
    assert "<strong>dead letters</strong>" in page and "changed" not in page


def test_recording_and_live_session_pages_show_stored_html(app, client, auth, publish,
                                                           schedule):
    recording_id = publish(summary="Shows **queues**.")
    session_id = schedule(description="Bring _questions_.")
    _change_source_behind_the_service(app, Recording, "summary", recording_id)
    _change_source_behind_the_service(app, LiveSession, "description", session_id)
    auth.login("premium@demo.test")
    recording = client.get(f"/sessions/recordings/{recording_id}").get_data(as_text=True)
    assert "<strong>queues</strong>" in recording and "changed" not in recording
    live = client.get(f"/sessions/live/{session_id}").get_data(as_text=True)
    assert "<em>questions</em>" in live and "changed" not in live


def test_campus_page_shows_stored_html(app, client, auth, staff):
    staff(lambda s: campus.set_offer(s, percentage=20, terms="Terms **apply**.",
                                     how_to_redeem="Enter it _at checkout_.",
                                     valid_until=date.today() + timedelta(days=30)))
    _change_source_behind_the_service(app, CampusOffer, "terms")
    _change_source_behind_the_service(app, CampusOffer, "how_to_redeem")
    auth.login("elite@demo.test")
    page = client.get("/campus").get_data(as_text=True)
    assert "<strong>apply</strong>" in page and "<em>at checkout</em>" in page
    assert "changed" not in page


def test_ten_thousand_brackets_are_accepted_and_shown_as_text(client, auth, demo_accounts,
                                                              api_token):
    created = _ask(client, api_token, "[" * 10000)
    assert created.status_code == 201
    auth.login("elite@demo.test")
    page = client.get(f"/sessions/topics/{created.json['id']}")
    assert page.status_code == 200 and "[" * 10000 in page.get_data(as_text=True)


def test_markdown_nested_beyond_the_parser_is_refused_when_written(app, client, demo_accounts,
                                                                   api_token):
    refused = _ask(client, api_token, "- " * 3000 + "deep")
    assert refused.status_code == 422 and "nested hundreds deep" in refused.json["error"]
    with app.app_context():
        assert db.session.query(TopicRequest).count() == 0
