"""A customer closes a Severity 1 incident only after saying so on a page of its own: the
incident page links to it, a close sent from an older page lands on it, and nothing closes
without the tick (no JavaScript needed). Other severities close in one step, as staff close
any incident with their status form."""

from __future__ import annotations

import lxml.html

from kb import db
from kb.support import incidents
from kb.support.models import Incident
from tests.a11y import problems, refused_summary
from tests.conftest import csrf_token

CUSTOMER = "elite@demo.test"


def _status(desk, incident_id: int) -> str:
    with desk.app_context():
        return db.session.get(Incident, incident_id).status


def _close_controls(client, incident_id: int) -> tuple[list[str], list]:
    """The close links and the one-step close forms of the incident page."""
    page = lxml.html.fromstring(client.get(f"/support/incidents/{incident_id}").text)
    links = page.xpath('//a[@id="close-incident"]/@href')
    forms = page.xpath('//form[.//input[@name="status"][@value="closed"]]')
    return links, forms


def _post_status(client, incident_id: int, status: str):
    page = f"/support/incidents/{incident_id}"
    return client.post(f"{page}/status", data={"csrf_token": csrf_token(client, page),
                                                 "status": status})


def _confirm(client, incident_id: int, **fields):
    page = f"/support/incidents/{incident_id}/close"
    return client.post(page, data={"csrf_token": csrf_token(client, page), **fields})


def test_closing_a_critical_incident_asks_first_and_needs_the_tick(
        desk, client, auth, log_incident):
    incident_id = log_incident(CUSTOMER, severity=1, title="Production down")
    auth.login(CUSTOMER)
    links, forms = _close_controls(client, incident_id)
    assert links == [f"/support/incidents/{incident_id}/close"] and forms == []

    question = client.get(links[0])
    page = lxml.html.fromstring(question.text)
    assert question.status_code == 200
    assert page.xpath("string(//h1)") == "Close this critical incident?"
    assert page.xpath('//input[@type="checkbox"][@name="confirm"]')
    assert page.xpath(f'//a[@href="/support/incidents/{incident_id}"][text()="Keep it open"]')

    unticked = _confirm(client, incident_id, message="Works again.")
    assert unticked.status_code == 422
    assert "Tick the box to close the incident, or keep it open." in unticked.text
    assert "Works again." in unticked.text  # what was typed stays
    _, summary = refused_summary(unticked, "close-problem")
    assert problems(summary) == {"#confirm": "The critical problem is solved: close the "
                                 "incident: Tick the box to close the incident, or keep it open."}
    assert _status(desk, incident_id) == "new"

    ticked = _confirm(client, incident_id, confirm="y", message="Works again after the restart.")
    assert ticked.status_code == 302
    assert _status(desk, incident_id) == "closed"
    shown = client.get(f"/support/incidents/{incident_id}").text
    assert "Works again after the restart." in shown and "→ Closed" in shown


def test_a_close_from_an_older_page_lands_on_the_question(desk, client, auth, log_incident):
    incident_id = log_incident(CUSTOMER, severity=1)
    auth.login(CUSTOMER)
    response = _post_status(client, incident_id, "closed")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/support/incidents/{incident_id}/close")
    assert _status(desk, incident_id) == "new"


def test_a_resolved_critical_incident_asks_too(desk, client, auth, log_incident, as_user):
    incident_id = log_incident(CUSTOMER, severity=1)
    as_user("staff@demo.test", lambda staff: incidents.change_status(
        staff, db.session.get(Incident, incident_id), "resolved", "Patched."))
    auth.login(CUSTOMER)
    links, forms = _close_controls(client, incident_id)
    assert len(links) == 1 and forms == []
    assert _confirm(client, incident_id, confirm="y").status_code == 302
    assert _status(desk, incident_id) == "closed"
    # closed: nothing to ask any more, the question page leads back to the incident
    assert client.get(links[0]).headers["Location"].endswith(f"/support/incidents/{incident_id}")


def test_other_severities_close_in_one_step(desk, client, auth, log_incident):
    incident_id = log_incident(CUSTOMER, severity=2)
    auth.login(CUSTOMER)
    links, forms = _close_controls(client, incident_id)
    assert links == [] and len(forms) == 1
    assert client.get(f"/support/incidents/{incident_id}/close").status_code == 302
    assert _post_status(client, incident_id, "closed").status_code == 302
    assert _status(desk, incident_id) == "closed"


def test_staff_close_a_critical_incident_with_their_status_form(desk, client, auth,
                                                                 log_incident):
    incident_id = log_incident(CUSTOMER, severity=1)
    auth.login("staff@demo.test")
    page = f"/support/incidents/{incident_id}"
    response = client.post(f"{page}/status", data={
        "csrf_token": csrf_token(client, page), "status": "closed",
        "message": "Fixed by the hotfix; closing."})
    assert response.status_code == 302
    assert _status(desk, incident_id) == "closed"
