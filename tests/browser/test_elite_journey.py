"""The Elite services journey on the demo data: the Elite customer finds their customer success
manager in the navigation and writes to them; the CSM (staff) reads it among their
organisations and answers; the customer reads the answer. Then the customer moves the term's
special event weekend: a Friday is refused with the rule's reason, a Saturday is booked."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from playwright.sync_api import Browser, expect

from tests.browser.conftest import menu_link, sign_in

pytestmark = pytest.mark.browser
CUSTOMER, CSM = "elite@demo.test", "staff@demo.test"


def page_of(browser: Browser, base_url: str, email: str):
    page = browser.new_context().new_page()
    sign_in(page, base_url, email)
    return page


def test_customer_and_csm_write_to_each_other(browser: Browser, base_url: str):
    customer = page_of(browser, base_url, CUSTOMER)
    menu_link(customer, "Success manager").click()
    expect(customer.locator("#csm")).to_contain_text("Sam Staff")
    customer.get_by_label("Message").fill("Could we review our open incidents on Friday?")
    customer.get_by_role("button", name="Send").click()
    expect(customer.locator("#conversation")).to_contain_text("review our open incidents")

    manager = page_of(browser, base_url, CSM)
    menu_link(manager, "Elite services").click()
    manager.locator("#my-organizations").get_by_role("link", name="Fabrikam Logistics").click()
    expect(manager.locator("#conversation")).to_contain_text("review our open incidents")
    manager.get_by_label("Message").fill("Friday 14:00 it is; I will send an invite.")
    manager.get_by_role("button", name="Send").click()

    customer.reload()
    expect(customer.locator("#conversation")).to_contain_text("Friday 14:00 it is")


def test_customer_moves_the_special_event_weekend(browser: Browser, base_url: str):
    customer = page_of(browser, base_url, CUSTOMER)
    customer.goto(base_url + "/elite")
    bookings = customer.locator("#bookings")
    bookings.get_by_role("button", name="Cancel the weekend").first.click()
    expect(bookings).to_contain_text("Cancelled")

    saturday = date.today() + timedelta(days=60)
    saturday += timedelta(days=(5 - saturday.weekday()) % 7)
    form = customer.locator("#special-events form").last
    form.get_by_label("Saturday of the weekend").fill((saturday - timedelta(days=1)).isoformat())
    form.get_by_label("Product").select_option(label="Orbit ERP")
    form.get_by_role("button", name="Book the weekend").click()
    expect(customer.locator(".field-error")).to_contain_text("Name the weekend by its Saturday")
    # the page lands on what is wrong, not scrolled to its top with the error below the fold
    expect(customer.locator("#booking-problem")).to_be_in_viewport()
    expect(customer.locator("#booking-problem")).to_contain_text("Name the weekend by its")

    form = customer.locator("#special-events form").last
    form.get_by_label("Saturday of the weekend").fill(saturday.isoformat())
    form.get_by_label("Product").select_option(label="Orbit ERP")
    form.get_by_role("button", name="Book the weekend").click()
    expect(customer.locator("#bookings")).to_contain_text(f"Sat {saturday.isoformat()}")
    expect(customer.locator("#special-events")).to_contain_text("weekend for this term is booked")


def test_a_meeting_is_asked_for_scheduled_and_the_review_downloaded(browser: Browser,
                                                                   base_url: str):
    customer = page_of(browser, base_url, CUSTOMER)
    customer.goto(base_url + "/elite")
    customer.get_by_role("link", name="Ask for a meeting").click()
    customer.get_by_label("What kind of meeting").select_option(label="Update planning call")
    customer.get_by_label("Subject").fill("Planning the 12.0 service pack")
    customer.get_by_label("Product to update (update planning)").select_option(
        label="Orbit ERP")
    customer.get_by_label("Version you update to (update planning)").fill("12.0")
    customer.get_by_role("button", name="Send the request").click()
    request = customer.locator("#meetings li", has_text="Planning the 12.0 service pack")
    expect(request).to_contain_text("Requested")
    expect(request.locator(".known-issues")).to_contain_text("Known issues of Orbit ERP 12.0")

    manager = page_of(browser, base_url, CSM)
    manager.goto(base_url + "/staff/elite")
    manager.locator("#my-organizations").get_by_role("link", name="Fabrikam Logistics").click()
    item = manager.locator("#meetings li", has_text="Planning the 12.0 service pack")
    item.get_by_text("Schedule it").click()
    starts = (date.today() + timedelta(days=9)).isoformat() + "T10:30"
    item.get_by_label("Starts").fill(starts)
    item.get_by_label("Meeting link or room").fill("https://meet.example.test/plan")
    item.get_by_role("button", name="Send the invites").click()
    expect(manager.locator("#meetings li", has_text="Planning the 12.0 service pack")
           ).to_contain_text("Scheduled")

    customer.reload()
    expect(customer.locator("#meetings li", has_text="Planning the 12.0 service pack")
           ).to_contain_text("https://meet.example.test/plan")
    customer.goto(base_url + "/elite/review")
    with customer.expect_download() as downloaded:
        customer.get_by_role("link", name="PDF report").click()
    assert downloaded.value.suggested_filename.startswith("activity-review-fabrikam-logistics")
    with open(downloaded.value.path(), "rb") as report:
        assert report.read(5) == b"%PDF-"
