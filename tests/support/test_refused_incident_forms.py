"""The incident page's side forms, refused: the status (staff) and the severity or product
change (staff and customer) come back with 422, a title starting "Error:", a summary at the top
of the refused form where the browser lands, each problem linked to its field and shown beside
it, and what was typed kept. The remote-access window is held to the same in
``test_remote_access``."""

from __future__ import annotations

import pytest

from kb import db
from kb.support.models import Incident
from tests.a11y import described_by, problems, refused_summary
from tests.web import csrf_token

CUSTOMER = "elite@demo.test"


def _post(client, incident_id: int, action: str, fields: dict):
    page = f"/support/incidents/{incident_id}"
    return client.post(f"{page}/{action}",
                       data={"csrf_token": csrf_token(client, page), **fields})


def _severity_and_status(app, incident_id: int) -> tuple[int, str]:
    with app.app_context():
        incident = db.session.get(Incident, incident_id)
        return incident.severity, incident.status


def test_a_status_not_on_the_list_is_refused_with_the_message_kept(desk, client, auth,
                                                                  log_incident):
    incident_id = log_incident(CUSTOMER, severity=3)
    auth.login("staff@demo.test")

    answer = _post(client, incident_id, "status",
                   {"status": "nearly-done", "message": "Patch 4127 is on its way."})

    assert answer.status_code == 422
    page, summary = refused_summary(answer, "status-problem")
    assert page.findtext(".//title").startswith("Error: Incident")
    assert "The status is not changed yet:" in summary.text_content()
    assert problems(summary) == {"#status": "Status: Choose a status from the list."}
    assert described_by(page, "status") == ["Choose a status from the list."]
    assert page.get_element_by_id("message").text_content().strip() == \
        "Patch 4127 is on its way."
    assert _severity_and_status(desk, incident_id) == (3, "new")


@pytest.mark.parametrize("who, fields, link, message", [
    ("staff@demo.test", {"change-severity": "2", "change-reason": "",
                         "change-product": "Orbit Analytics"},
     "#change-reason", "Why it changes: Say why the incident changes."),
    ("staff@demo.test", {"change-severity": "2", "change-reason": "The module is another.",
                         "change-product": "Orbit Nothing"},
     "#change-product", "Product: There is no product called"),
    (CUSTOMER, {"change-severity": "9", "change-reason": "Posting has stopped."},
     "#change-severity", "Severity: Choose a severity from the list."),
])
def test_a_refused_classification_is_summarised_with_the_reason_kept(
        desk, client, auth, log_incident, who, fields, link, message):
    incident_id = log_incident(CUSTOMER, severity=3)
    auth.login(who)

    answer = _post(client, incident_id, "classification", fields)

    assert answer.status_code == 422
    page, summary = refused_summary(answer, "classification-problem")
    assert page.findtext(".//title").startswith("Error: Incident")
    assert "The incident is not changed yet:" in summary.text_content()
    assert list(problems(summary)) == [link]
    assert problems(summary)[link].startswith(message)
    assert page.get_element_by_id(link[1:]).get("aria-invalid") == "true"
    assert page.get_element_by_id("change-reason").text_content().strip() == \
        fields["change-reason"]
    assert page.get_element_by_id("classification").get("open") is not None
    assert _severity_and_status(desk, incident_id) == (3, "new")


def test_an_incident_page_not_refused_has_no_error_in_its_title(desk, client, auth,
                                                               log_incident):
    incident_id = log_incident(CUSTOMER)
    auth.login("staff@demo.test")

    answer = client.get(f"/support/incidents/{incident_id}")

    assert not answer.text.split("<title>", 1)[1].startswith("Error")
    assert 'class="banner banner-danger error-summary"' not in answer.text
