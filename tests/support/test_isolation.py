"""Customers never see another organisation's incidents, nor staff-only notes and their files:
tried by id (page and API), in lists, in search, through file addresses. Staff see all."""

from __future__ import annotations

import io

import pytest

from kb import db
from kb.accounts.queries import user_by_email
from kb.storage import Upload
from kb.support import incidents
from kb.support.models import Incident
from tests.conftest import bearer
from tests.stores import both_stores

pytestmark = both_stores

SECRET_TITLE = "Fabrikam payroll export leaks salaries"
NOTE = "Internal: the customer's admin misconfigured roles"


@pytest.fixture
def elite_incident(desk, log_incident):
    """An Elite incident with a public file, a staff-only note with its own file."""
    incident_id = log_incident("elite@demo.test", title=SECRET_TITLE,
                               files={"public.log": b"public bytes"})
    with desk.app_context():
        incident = db.session.get(Incident, incident_id)
        incidents.add_note(user_by_email("staff@demo.test"), incident, NOTE,
                           [Upload("internal.txt", io.BytesIO(b"staff only"))])
        public, internal = incident.attachments
        return {"id": incident_id,
                "public": f"/support/incidents/{incident_id}/files/{public.id}/public.log",
                "internal": f"/support/incidents/{incident_id}/files/{internal.id}/internal.txt"}


def test_another_organisation_gets_not_found_everywhere(client, auth, elite_incident,
                                                        api_token):
    token = api_token("premium@demo.test")
    incident_id = elite_incident["id"]
    assert client.get(f"/api/v1/incidents/{incident_id}", headers=bearer(token)).status_code \
        == 404
    reply = client.post(f"/api/v1/incidents/{incident_id}/replies", json={"body": "hi"},
                        headers=bearer(token))
    assert reply.status_code == 404 and reply.json["error"]
    listed = client.get("/api/v1/incidents", headers=bearer(token)).json
    assert listed == []
    auth.login("premium@demo.test")
    assert client.get(f"/support/incidents/{incident_id}").status_code == 404
    assert client.get(elite_incident["public"], buffered=True).status_code == 404
    assert client.get(elite_incident["internal"], buffered=True).status_code == 404
    for page in ("/support/incidents?show=all", "/support/incidents?show=all&q=payroll",
                 "/search?q=payroll", "/api/v1/search?q=payroll"):
        # the query is echoed; the rest of the title must never appear
        assert "leaks salaries" not in client.get(page).get_data(as_text=True), page


def test_the_own_customer_never_sees_staff_notes_or_their_files(client, auth, elite_incident,
                                                                api_token):
    token = api_token("elite@demo.test")
    body = client.get(f"/api/v1/incidents/{elite_incident['id']}", headers=bearer(token)).json
    assert body["title"] == SECRET_TITLE
    assert all(reply["kind"] != "note" for reply in body["replies"])
    assert NOTE not in str(body) and "internal.txt" not in str(body)
    assert [item["name"] for item in body["attachments"]] == ["public.log"]
    auth.login("elite@demo.test")
    page = client.get(f"/support/incidents/{elite_incident['id']}").get_data(as_text=True)
    assert SECRET_TITLE in page and NOTE not in page and "internal.txt" not in page
    assert client.get(elite_incident["public"], buffered=True).data == b"public bytes"
    assert client.get(elite_incident["internal"], buffered=True).status_code == 404


def test_staff_see_notes_and_every_file(client, auth, elite_incident, api_token):
    token = api_token("staff@demo.test")
    body = client.get(f"/api/v1/incidents/{elite_incident['id']}", headers=bearer(token)).json
    assert NOTE in [reply["body"] for reply in body["replies"]]
    auth.login("staff@demo.test")
    assert client.get(elite_incident["internal"], buffered=True).data == b"staff only"


def test_a_signed_out_visitor_gets_nothing(client, elite_incident):
    assert client.get(f"/api/v1/incidents/{elite_incident['id']}").status_code == 401
    assert client.get(elite_incident["public"]).status_code == 401  # a script: never a page
    browser = client.get(elite_incident["public"], headers={"Accept": "text/html"})
    assert browser.status_code == 302 and "/sign-in" in browser.location


def test_a_file_with_a_name_in_any_script_downloads_under_that_name(client, auth,
                                                                    log_incident, desk):
    incident_id = log_incident("elite@demo.test", files={"ログ 2026.txt": b"kanji"})
    with desk.app_context():
        attachment = db.session.get(Incident, incident_id).attachments[0]
        url = f"/support/incidents/{incident_id}/files/{attachment.id}/{attachment.name}"
    auth.login("elite@demo.test")
    response = client.get(url)
    assert response.status_code == 200 and response.data == b"kanji"
    assert response.headers["Content-Type"] == "application/octet-stream"
    assert response.headers["Content-Disposition"] == (
        "attachment; filename=\"2026.txt\"; filename*=UTF-8''%E3%83%AD%E3%82%B0_2026.txt")
