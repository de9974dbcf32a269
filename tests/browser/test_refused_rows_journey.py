"""Forms brought to the refused-form pattern by the second pass, refused in the browser: the
summary takes the focus (on a page of many rows, naming the row), the reason is beside the
field, at both widths with no sideways scrolling and no axe-core violation; a refused bulk
assignment shows the filtered queue it was sent from."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import offer_unlisted
from tests.browser.layout_pages import CUSTOMER, STAFF, check_at_each_width

pytestmark = pytest.mark.browser

QUESTION = "Period close hangs at 'Revaluing open items'"
PROGRAMME = "Orbit ERP 13 early access"


def test_attendance_saved_before_the_start_lands_on_its_summary(signed_in, live_server):
    session_id = int(live_server.kb(
        "sessions", "schedule", "--title", "Journey: attendance too early",
        "--starts-in", str(3 * 24 * 60)).stdout.strip().splitlines()[-1])
    customer = signed_in.for_user(CUSTOMER)  # nobody registered: no attendance to save
    customer.goto(f"{signed_in.base_url}/sessions/live/{session_id}")
    customer.get_by_role("button", name="Register").click()
    expect(customer.get_by_text("You are registered.", exact=True)).to_be_visible()
    page = signed_in.for_user(STAFF)
    page.goto(f"{signed_in.base_url}/sessions/live/{session_id}")
    page.get_by_role("link", name="Attendees", exact=True).click()
    page.get_by_role("button", name="Save attendance").click()
    expect(page).to_have_title(re.compile(r"^Error: Attendees"))
    expect(page.locator("#attendance-problem")).to_be_focused()
    expect(page.locator("#attended-error")).to_have_text(
        "Attendance is recorded once the session has begun.")
    check_at_each_width(page, "attendance-refused")


def test_the_editors_refusal_is_summarised_and_beside_its_field(signed_in):
    page = signed_in.for_user(STAFF)
    page.goto(signed_in.base_url + "/staff/articles/new?type=release-note")
    page.get_by_label("Title").fill("Orbit ERP 12.1")
    page.get_by_label("Release of product").select_option("Orbit ERP")
    page.get_by_label("Linked articles").fill("no-such-article")
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator("#article-problem")).to_be_focused()
    expect(page.locator("#linked_articles-error")).to_have_text(
        "No article with the slug no-such-article.")
    expect(page.locator(".flash-error")).to_have_count(0)
    check_at_each_width(page, "article-editor-service-refused")


def test_assigning_nothing_ticked_keeps_the_filtered_queue(signed_in):
    page = signed_in.for_user(STAFF)
    page.goto(signed_in.base_url + "/staff/incidents?unassigned=1")
    shown = page.locator("table.queue tbody tr").count()
    page.locator("#bulk-assign").get_by_role("button", name="Assign").click()
    expect(page.locator("#assign-problem")).to_be_focused()
    expect(page.get_by_label("Unassigned")).to_be_checked()
    expect(page.locator("table.queue tbody tr")).to_have_count(shown)
    check_at_each_width(page, "queue-filtered-assign-refused")


def test_a_refused_notification_setting_names_its_row(signed_in):
    page = signed_in.for_user(CUSTOMER)
    page.goto(signed_in.base_url + "/notifications/settings")
    cell = page.locator("#per-product select").first
    cell_id = cell.get_attribute("id")
    offer_unlisted(page, f"#{cell_id}", "maybe")
    page.get_by_role("button", name="Save the settings").click()
    expect(page).to_have_title(re.compile(r"^Error: Notification settings"))
    expect(page.locator("#preferences-problem")).to_be_focused()
    expect(page.locator(f"#{cell_id}-error")).to_have_text("Choose as all products, on or off.")
    expect(page.locator(f"#{cell_id}")).to_be_visible()
    check_at_each_width(page, "notification-settings-refused")


def test_a_refused_decision_names_the_application(signed_in):
    page = signed_in.for_user(STAFF)
    page.goto(signed_in.base_url + "/staff/programmes/")
    page.get_by_role("link", name=PROGRAMME).first.click()
    row = page.locator("#applications li").first
    row.locator("input[name=answer]").evaluate("input => input.value = 'x'.repeat(1001)")
    row.get_by_role("button").first.click()
    summary = page.locator("#decision-problem")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Application of ")
    expect(summary).to_contain_text("Keep the word to the organisation under 1,000 characters.")
    check_at_each_width(page, "programme-decision-refused")


def test_a_refused_report_names_the_answer_it_is_on(signed_in):
    page = signed_in.for_user(CUSTOMER)
    page.goto(signed_in.base_url + "/community/orbit-erp")
    page.get_by_role("link", name=QUESTION).click()
    answer = page.locator("article.community-answer").first
    answer.get_by_text("Report the answer").click()
    answer.get_by_role("button", name="Send the report").click()
    summary = page.locator("#note-problem")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Report on the answer by ")
    summary.get_by_role("link").click()
    expect(page.locator("input[aria-invalid=true]")).to_be_focused()
    check_at_each_width(page, "community-report-refused")
