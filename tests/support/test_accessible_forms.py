"""The incident forms for assistive technology: a refused incident or reply comes back with its
problem where the browser lands, each message tied to its field (the severity radios' too), and
the suggested articles are told through a live region present from the start."""

from __future__ import annotations

from tests.a11y import described_by, parsed, problems, refused_summary
from tests.conftest import csrf_token

NEW = "/support/incidents/new"


def _log(client, **fields):
    data = {"csrf_token": csrf_token(client, NEW), "product": "Orbit ERP", "version": "",
            "severity": "3", "title": "Invoices post twice", "description": "Since today.",
            "contact": ""}
    data.update(fields)
    return client.post(NEW, data={k: v for k, v in data.items() if v is not None})


def test_an_incident_without_severity_is_summarised_and_the_radios_say_why(desk, client, auth):
    auth.login("premium@demo.test")

    answer = _log(client, severity=None)

    assert answer.status_code == 422
    page, summary = refused_summary(answer, "incident-problem")
    assert problems(summary) == {"#severity-0": "Severity: Choose a severity."}
    fieldset = next(page.get_element_by_id("severity-0").iterancestors("fieldset"))
    references = fieldset.get("aria-describedby").split()
    assert references[0] == "severity-error"
    assert page.get_element_by_id("severity-error").text_content() == "Choose a severity."
    assert page.get_element_by_id("severity-0").get("aria-invalid") == "true"


def test_a_refused_title_keeps_its_help_beside_its_error(desk, client, auth):
    auth.login("premium@demo.test")

    page, summary = refused_summary(_log(client, title=""), "incident-problem")

    assert list(problems(summary)) == ["#title"]
    help_text, error = described_by(page, "title")
    assert error == "Say in one line what goes wrong." and help_text
    assert page.get_element_by_id("title").get("aria-invalid") == "true"


def test_a_refusal_about_no_field_is_the_summary_itself(desk, client, auth):
    auth.login("premium@demo.test")

    page, summary = refused_summary(_log(client, version="99.9"), "incident-problem")

    assert "not logged yet" in summary.text_content()
    assert list(problems(summary)) == ["#version"]


def test_the_suggested_articles_are_told_by_a_live_region_present_from_the_start(
        desk, client, auth):
    auth.login("premium@demo.test")

    page = parsed(client.get(NEW))

    status = page.get_element_by_id("deflection-status")
    assert status.get("role") == "status" and status.text_content() == ""
    assert page.findtext(".//title").startswith("Log an incident")
    assert not page.xpath('//*[@aria-live and @hidden]')


def test_an_empty_reply_is_tied_to_the_reply_box(desk, client, auth, log_incident):
    incident_id = log_incident("premium@demo.test")
    auth.login("premium@demo.test")
    address = f"/support/incidents/{incident_id}"

    answer = client.post(f"{address}/replies", data={
        "csrf_token": csrf_token(client, address), "body": "  "})

    assert answer.status_code == 422
    page = parsed(answer)
    assert page.findtext(".//title").startswith("Error: Incident")
    form = page.get_element_by_id("body").getparent()
    assert form.get("action").endswith("#reply-problem")
    assert page.get_element_by_id("reply-problem").get("tabindex") == "-1"
    assert page.get_element_by_id("body").get("aria-invalid") == "true"
    assert described_by(page, "body") == ["Write something, or attach a file."]
