"""The contract's incident endpoints: list, log (201), one with its replies, reply (201),
coverage; errors as JSON; lapsed organisations refused naming the term; the OpenAPI document
lists them."""

from __future__ import annotations

from datetime import datetime

import pytest

from tests.conftest import bearer


@pytest.fixture
def token(desk, api_token):
    return api_token("xtreme@demo.test")


def test_log_read_and_reply_through_the_api(client, token):
    created = client.post("/api/v1/incidents", headers=bearer(token), json={
        "product": "Orbit ERP", "version": "11.1", "severity": 2, "title": "Slow close",
        "description": "Month-end close takes hours."})
    assert created.status_code == 201, created.json
    incident = created.json
    assert {"id", "number", "product", "version", "severity", "status", "title", "created",
            "response_due", "replies"} <= set(incident)
    assert incident["number"] == 1 and incident["status"] == "new"
    location = created.headers["Location"]  # the new incident's API address
    assert location.endswith(f"/api/v1/incidents/{incident['id']}")
    assert client.get(location, headers=bearer(token)).json["id"] == incident["id"]
    assert datetime.fromisoformat(incident["response_due"]).utcoffset().total_seconds() == 0
    replied = client.post(f"/api/v1/incidents/{incident['id']}/replies",
                          headers=bearer(token), json={"body": "More detail."})
    assert replied.status_code == 201 and replied.json["body"] == "More detail."
    again = client.get(f"/api/v1/incidents/{incident['id']}", headers=bearer(token)).json
    assert [reply["body"] for reply in again["replies"]] == ["More detail."]
    listed = client.get("/api/v1/incidents", headers=bearer(token)).json
    assert [item["id"] for item in listed] == [incident["id"]]


@pytest.mark.parametrize("body, fragment", [
    ({"product": "Orbit ERP", "severity": 5, "title": "x", "description": "y"}, "Severity"),
    ({"product": "Orbit ERP", "severity": "1", "title": "x", "description": "y"}, "severity"),
    ({"product": "No Such", "severity": 1, "title": "x", "description": "y"}, "No Such"),
    ({"product": "Orbit ERP", "severity": 1, "title": "", "description": "y"}, "title"),
    ({"product": "Orbit ERP", "severity": 1, "title": "x"}, "Describe"),
    ([1, 2], "JSON object"),
])
def test_bad_incidents_get_a_json_error_and_nothing_is_logged(client, token, body, fragment):
    response = client.post("/api/v1/incidents", headers=bearer(token), json=body)
    assert response.status_code == 422 and fragment in response.json["error"]
    assert client.get("/api/v1/incidents", headers=bearer(token)).json == []


def test_a_lapsed_organisation_is_refused_naming_the_term(client, desk, api_token):
    token = api_token("lapsed@demo.test")
    for response in (client.get("/api/v1/incidents", headers=bearer(token)),
                     client.post("/api/v1/incidents", headers=bearer(token), json={
                         "product": "Orbit ERP", "severity": 1, "title": "x",
                         "description": "y"}),
                     client.get("/api/v1/support/coverage", headers=bearer(token))):
        assert response.status_code == 403 and response.json["reason"] == "term_lapsed"


def test_coverage_names_targets_phone_lines_and_hours(client, token, desk):
    desk.config["SUPPORT_PHONE_LINES"] = "Europe: +49 30 5550 1990"
    body = client.get("/api/v1/support/coverage", headers=bearer(token)).json
    assert body["plan"] == "xtreme" and body["phone"][0]["number"]
    first = body["severities"][0]
    assert first["severity"] == 1 and first["response_minutes"] == 240
    assert first["clock"] == "weekdays" and "Mon–Fri" in first["hours"]
    assert [item["severity"] for item in body["severities"]] == [1, 2, 3, 4]


def test_the_openapi_document_lists_the_incident_endpoints(client):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    assert {"get", "post"} <= set(paths["/api/v1/incidents"])
    assert "get" in paths["/api/v1/incidents/{incident_id}"]
    assert "post" in paths["/api/v1/incidents/{incident_id}/replies"]
    assert "get" in paths["/api/v1/support/coverage"]


def test_a_title_is_kept_to_one_line_and_so_are_the_subjects_it_goes_into(app, client, token):
    from sqlalchemy import select

    from kb import db
    from kb.alerts.models import OutboxEmail

    created = client.post("/api/v1/incidents", headers=bearer(token), json={
        "product": "Orbit ERP", "severity": 1,
        "title": "Poison subject\r\nBcc: x@example.test\u202e",
        "description": "Line one\nLine two"})

    assert created.status_code == 201, created.json
    assert created.json["title"] == "Poison subject Bcc: x@example.test"
    with app.app_context():
        subjects = db.session.scalars(select(OutboxEmail.subject)).all()
    assert subjects and all("Poison subject Bcc: x@example.test" in subject
                            for subject in subjects)
    again = client.get(f"/api/v1/incidents/{created.json['id']}", headers=bearer(token)).json
    assert again["description"] == "Line one\nLine two"


def test_a_text_too_laborious_to_render_is_refused_and_nothing_is_logged(app, client, token):
    from sqlalchemy import func, select

    from kb import db
    from kb.support.models import Incident

    refused = client.post("/api/v1/incidents", headers=bearer(token), json={
        "product": "Orbit ERP", "severity": 3, "title": "Slow posting",
        "description": "# h\n" * 10000})

    assert refused.status_code == 422 and "too laborious to render" in refused.json["error"]
    with app.app_context():
        assert db.session.scalar(select(func.count(Incident.id))) == 0


def test_the_description_is_rendered_before_the_organisation_is_locked(client, token,
                                                                      monkeypatch):
    from kb.support import incidents

    calls = []
    render, lock_row = incidents.markdown.render, incidents.lock_row
    monkeypatch.setattr(incidents.markdown, "render",
                        lambda source: calls.append("render") or render(source))
    monkeypatch.setattr(incidents, "lock_row",
                        lambda *arguments: calls.append("lock") or lock_row(*arguments))

    created = client.post("/api/v1/incidents", headers=bearer(token), json={
        "product": "Orbit ERP", "severity": 3, "title": "Slow posting", "description": "**Slow**"})

    assert created.status_code == 201 and calls[:2] == ["render", "lock"]
