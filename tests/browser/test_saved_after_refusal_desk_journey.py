"""More forms refused once and then saved (see ``test_saved_after_refusal_journey``): the
question, the patch, the product and its versions, the alert's text, the community space, the
topic request, the programme and the application to it, the incident with its severity and
status, and a response target. Each lands without ``#...-problem`` in its address."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import sign_in
from tests.browser.layout_pages import CUSTOMER, STAFF
from tests.browser.test_saved_after_refusal_journey import over_limit, refuse_then_save

pytestmark = pytest.mark.browser


def _tampered(page: Page, selector: str, value: str) -> None:
    """A choice the form never offered, as devtools could send it."""
    page.locator(selector).evaluate(
        f"select => select.add(new Option('{value}', '{value}', true, true))")


def test_a_question_asked_after_a_refusal_lands_without_the_anchor(signed_in):
    page = signed_in.for_user(CUSTOMER)
    page.goto(signed_in.base_url + "/community/ask")
    page.get_by_label("Space").select_option(label="Orbit Analytics")
    page.get_by_label("Details (Markdown)").fill("The export stops at row 65,536.")
    refuse_then_save(page, "Post the question", "form-problem",
                     lambda: page.get_by_label("Title").fill("Export stops at row 65,536"),
                     "Your question is posted.")


def test_a_patch_published_after_a_refusal_lands_without_the_anchor(signed_in, tmp_path):
    upload = tmp_path / "hub-4.0.2.zip"
    upload.write_bytes(b"connector" * 500)
    page = signed_in.for_user(STAFF)
    page.goto(signed_in.base_url + "/patches/new")
    page.get_by_label("Product", exact=True).fill("Orbit Integration Hub")
    page.get_by_label("Files").set_input_files([str(upload)])

    def correct():
        page.get_by_label("Title").fill("Integration Hub 4.0.2, refused then published")
        page.get_by_label("Files").set_input_files([str(upload)])  # a refused page keeps none
    refuse_then_save(page, "Upload and publish", "patch-problem", correct,
                     "Integration Hub 4.0.2, refused then published is published.")


def test_a_product_and_its_version_saved_after_refusals_land_without_the_anchor(signed_in):
    page = signed_in.for_user(STAFF)
    page.goto(signed_in.base_url + "/staff/products/")
    page.get_by_label("Description").fill("Badge printing at the gate.")
    refuse_then_save(page, "Add the product", "product-problem",
                     lambda: page.get_by_label("Name").fill("Orbit Gatehouse"),
                     "Orbit Gatehouse has been added.")
    page.get_by_label("Name").fill("")
    refuse_then_save(page, "Save the product", "product-problem",
                     lambda: page.get_by_label("Name").fill("Orbit Gatehouse Pro"),
                     "The product has been saved.")
    page.get_by_label("Released on").fill("2030-02-28")
    refuse_then_save(page, "Save the version", "version-problem",
                     lambda: page.get_by_label("Version", exact=True).fill("2.0"),
                     "has been saved.")


def test_an_alerts_text_saved_after_a_refusal_lands_without_the_anchor(signed_in):
    page = signed_in.for_user(STAFF)
    page.goto(signed_in.base_url + "/staff/alerts")
    page.get_by_label("Title").fill("Badge printer queue stalls")
    page.get_by_label("What customers see").fill("Print from the desk client meanwhile.")
    page.get_by_label("Products").fill("Orbit ERP")
    page.get_by_role("button", name="Open the alert and tell subscribers").click()
    page.get_by_text("Edit what customers see").click()
    page.get_by_label("Title", exact=True).fill("")
    refuse_then_save(page, "Save the title and summary", "revise-problem",
                     lambda: page.get_by_label("Title", exact=True).fill("Badge queue stalls"),
                     "The alert's title and summary are saved")


def test_a_space_opened_after_a_refusal_lands_without_the_anchor(signed_in):
    page = signed_in.for_user(STAFF)
    page.goto(signed_in.base_url + "/staff/community")
    form = page.locator(".space-form")
    form.get_by_label("Name").fill("ab")
    refuse_then_save(page, "Open the space", "space-problem",
                     lambda: form.get_by_label("Name").fill("Gatehouse badges"),
                     "The space “Gatehouse badges” is open.")


def test_a_topic_requested_after_a_refusal_lands_without_the_anchor(signed_in):
    page = signed_in.for_user(CUSTOMER)
    page.goto(signed_in.base_url + "/sessions/topics/new")
    refuse_then_save(page, "Send the request", "topic-problem",
                     lambda: page.get_by_label("Topic", exact=True).fill(
                         "Badge layouts for contractors"),
                     "Your request is in.")


def test_a_programme_and_an_application_after_refusals_land_without_the_anchor(
        signed_in, browser, base_url):
    page = signed_in.for_user(STAFF)
    page.goto(signed_in.base_url + "/staff/programmes/")
    form = page.locator("#programme-form")
    form.get_by_label("Product").fill("Orbit ERP")
    form.get_by_label("Seats (organisations)").fill("3")
    form.get_by_label("Takes applications from").fill(
        (date.today() - timedelta(days=1)).isoformat())
    form.get_by_label("Ends on (last day)").fill("2031-06-30")
    over_limit(page, "#programme-form #title", 201)
    refuse_then_save(page, "Open the programme", "programme-problem",
                     lambda: form.get_by_label("Title").fill("Orbit ERP 15 pilot"),
                     "Orbit ERP 15 pilot")
    programme_url = page.url
    customer = browser.new_context().new_page()
    try:
        sign_in(customer, base_url, "elite-admin@demo.test")
        customer.goto(programme_url.replace("/staff/programmes/", "/programmes/"))
        over_limit(customer, "#apply textarea", 5001)
        refuse_then_save(customer, "Apply for Fabrikam Logistics", "apply-problem",
                         lambda: customer.locator("#apply textarea").fill("Test systems."),
                         "Your organisation's application is sent.")
    finally:
        customer.context.close()


def test_an_incident_logged_reclassified_and_handled_after_refusals_has_no_anchor(signed_in):
    page = signed_in.for_user(CUSTOMER)
    page.goto(signed_in.base_url + "/support/incidents/new")
    page.get_by_label("Product", exact=True).select_option("Orbit ERP")
    page.get_by_label("Title", exact=True).fill("Badge export drops the photo column")
    page.get_by_label("Description (Markdown)").fill("Since 12.0 SP1, every export.")
    refuse_then_save(page, "Log the incident", "incident-problem",
                     lambda: page.get_by_label("Severity 3", exact=False).check(),
                     "is logged.")
    incident_url = page.url
    page.locator("#classification summary").click()
    page.get_by_label("Severity", exact=True).select_option("2")
    refuse_then_save(page, "Change the severity", "classification-problem",
                     lambda: page.get_by_label("Why it changes").fill("Payroll waits on it."),
                     "The incident is changed")
    staff = signed_in.for_user(STAFF)
    staff.goto(incident_url)
    _tampered(staff, "#status-form select", "forgotten")
    refuse_then_save(staff, "Change the status", "status-problem",
                     lambda: staff.locator("#status-form select").select_option("in_progress"),
                     "The incident is now")


def test_a_response_target_saved_after_a_refusal_lands_without_the_anchor(signed_in):
    page = signed_in.for_user(STAFF)
    page.goto(signed_in.base_url + "/staff/support/targets")
    minutes = page.get_by_label("Minutes, Xtreme severity 4")
    before = minutes.input_value()
    minutes.fill("soon")
    row = page.locator("#target-xtreme-4")
    row.get_by_role("button", name="Save").click()
    expect(page.locator("#targets-problem")).to_be_focused()
    minutes.fill(before)
    row.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Saved: severity 4 on Xtreme.")).to_be_visible()
    assert "#" not in page.url, page.url
