"""Forms brought to the refused-form pattern, refused in the browser: the page comes back with
a summary the browser lands on (focused, or scrolled to where the form's action names it), the
reason beside the field, at both widths with no sideways scrolling and no axe-core violation.
A value no list offers is put in by hand, as a stale page or a script would send it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import offer_unlisted
from tests.browser.layout_pages import CUSTOMER, DESKTOP, PHONE, STAFF, check_at_each_width

pytestmark = pytest.mark.browser

RECORDING = "Integration Hub 4.0: monitoring message flows"


def test_a_plans_row_with_its_plan_changed_is_refused_beside_the_row(signed_in):
    page = signed_in.for_user(STAFF)
    page.goto(signed_in.base_url + "/staff/support/targets")
    page.get_by_label("Minutes, Elite severity 2").fill("45")
    page.locator("#target-elite-2 input[name=plan]").evaluate("input => input.value = 'gold'")
    page.locator("#target-elite-2").get_by_role("button", name="Save").click()
    expect(page).to_have_title(re.compile(r"^Error: Response targets"))
    expect(page.locator("#targets-problem")).to_be_focused()
    expect(page.locator("#target-elite-2-error")).to_have_text(
        "The row came back with a plan the table does not have. Save it again.")
    expect(page.get_by_label("Minutes, Elite severity 2")).to_have_value("45")
    check_at_each_width(page, "response-target-row-tampered")
    beside, line = page.locator("#target-elite-2-error"), page.locator(".row-error-line p")
    page.set_viewport_size(DESKTOP)  # in its row, under the Save button
    expect(beside).to_be_visible()
    expect(line).to_be_hidden()
    page.set_viewport_size(PHONE)  # a line under the row, in view without scrolling sideways
    expect(beside).to_be_hidden()
    expect(line).to_have_text(
        "The row came back with a plan the table does not have. Save it again.")
    line.scroll_into_view_if_needed()
    box, width = line.bounding_box(), page.evaluate("window.innerWidth")
    assert box["x"] >= 0 and box["x"] + box["width"] <= width, (box, width)
    scroller = page.locator(".table-scroll", has=line)
    scroller.evaluate("box => box.scrollLeft = box.scrollWidth")  # scrolled, it stays in view
    box = line.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= width, (box, width)


def test_a_programme_without_seats_and_keeping_nothing_to_it_are_summarised(
        signed_in):
    page = signed_in.for_user(STAFF)
    page.goto(signed_in.base_url + "/staff/programmes/")
    form = page.locator("#programme-form")
    form.get_by_label("Title").fill("Orbit ERP 15 preview")
    form.get_by_label("Product").fill("Orbit ERP")
    form.get_by_label("Seats (organisations)").fill("0")
    form.get_by_label("Takes applications from").fill("2030-01-01")
    form.get_by_label("Ends on (last day)").fill("2030-06-30")
    form.get_by_role("button", name="Open the programme").click()
    expect(page.locator("#programme-problem")).to_be_focused()
    expect(page.locator("#seats-error")).to_have_text("Give from 1 to 1,000 seats.")
    check_at_each_width(page, "programme-refused")

    form.get_by_label("Seats (organisations)").fill("3")
    form.get_by_role("button", name="Open the programme").click()
    expect(page.get_by_role("heading", name="Orbit ERP 15 preview")).to_be_visible()
    page.get_by_role("button", name="Keep the patch to the members").click()
    expect(page.locator("#patches-problem")).to_be_focused()
    expect(page.locator("#patch-item-error")).to_have_text(
        "Choose one of the product's patches from the list.")
    check_at_each_width(page, "programme-keep-refused")


def test_a_meeting_request_without_a_subject_lands_on_its_summary(signed_in):
    page = signed_in.for_user(CUSTOMER)
    page.goto(signed_in.base_url + "/elite/meetings")
    page.get_by_label("What you would like to discuss").fill("The month-end run.")
    page.get_by_role("button", name="Send the request").click()
    expect(page).to_have_title(re.compile(r"^Error: Meetings"))
    expect(page.locator("#request-problem")).to_be_in_viewport()
    expect(page.locator("#subject-error")).to_have_text("Give the meeting a subject.")
    expect(page.get_by_label("What you would like to discuss")).to_have_value(
        "The month-end run.")
    check_at_each_width(page, "meeting-request-refused")


def test_a_subscription_to_a_product_not_listed_lands_on_its_summary(signed_in):
    page = signed_in.for_user(CUSTOMER)
    page.goto(signed_in.base_url + "/alerts")
    offer_unlisted(page, "#target", "999999")
    page.locator("#subscribe").get_by_role("button", name="Subscribe").click()
    expect(page.locator("#subscribe-problem")).to_be_focused()
    expect(page.locator("#target-error")).to_have_text(
        "Choose a product and version from the list.")
    check_at_each_width(page, "alert-subscription-refused")


def test_an_attachment_without_a_file_lands_on_its_summary(signed_in):
    page = signed_in.for_user(STAFF)
    page.goto(signed_in.base_url + "/sessions/recordings")
    page.get_by_role("link", name=RECORDING, exact=True).first.click()
    page.get_by_role("button", name="Attach", exact=True).click()
    expect(page.locator("#attachment-problem")).to_be_focused()
    expect(page.locator("#attachment-error")).to_have_text("Choose a file to attach.")
    check_at_each_width(page, "recording-attachment-refused")


def test_assigning_nothing_ticked_and_linking_no_article_land_on_their_summaries(signed_in):
    page = signed_in.for_user(STAFF)
    page.goto(signed_in.base_url + "/staff/incidents")
    page.locator("#bulk-assign").get_by_role("button", name="Assign").click()
    expect(page.locator("#assign-problem")).to_be_focused()
    expect(page.locator("#assign-problem")).to_have_text("Tick the incidents to assign first.")
    check_at_each_width(page, "queue-assign-refused")

    page.locator("table.queue tbody a").first.click()
    page.get_by_role("button", name="Link the article").click()
    expect(page.locator("#link-problem")).to_be_focused()
    expect(page.locator("#article_id-error")).to_have_text("Choose an article to link.")
    check_at_each_width(page, "incident-link-refused")
