"""Refused forms as a screen reader meets them: the browser lands on the summary of what is
wrong, which takes the focus (a form far down a page included), the title says "Error:", and
suggestions typed for are told through a live region present from the start."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import sign_in
from tests.browser.layout_pages import AXE_SCRIPT, CUSTOMER, check_at_each_width

pytestmark = pytest.mark.browser


@pytest.fixture
def signed_out(browser):
    """A page of a browser not signed in, with axe-core for the page checks."""
    context = browser.new_context(bypass_csp=True)
    context.add_init_script(path=AXE_SCRIPT)
    yield context.new_page()
    context.close()


def test_a_wrong_password_focuses_the_alert_not_the_email_field(signed_out, base_url):
    page = signed_out
    page.goto(base_url + "/sign-in")
    page.get_by_label("E-mail address").fill("premium@demo.test")
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()

    summary = page.get_by_role("alert").filter(has_text="You are not signed in")
    expect(summary).to_be_focused()
    expect(page).to_have_title(re.compile(r"^Error: Sign in"))
    expect(summary.get_by_role("link", name="Password")).to_be_visible()
    check_at_each_width(page, "sign-in-refused")


def test_a_refused_password_change_far_down_the_account_page_takes_the_focus(signed_in):
    page = signed_in.for_user(CUSTOMER)
    page.goto(signed_in.base_url + "/account")
    page.get_by_label("Current password").fill("demo-password")
    page.get_by_label("New password", exact=True).fill("a-long-new-password")
    page.get_by_label("Repeat the new password").fill("another-long-password")
    page.get_by_role("button", name="Change the password").click()

    summary = page.locator("#password-problem")
    expect(summary).to_be_focused()
    expect(summary).to_be_in_viewport()
    expect(page).to_have_title(re.compile(r"^Error: Your account"))
    summary.get_by_role("link", name="Repeat the new password").click()
    expect(page.get_by_label("Repeat the new password")).to_be_focused()
    check_at_each_width(page, "account-password-refused")


def test_an_incident_without_severity_focuses_its_summary(signed_in):
    page = signed_in.for_user(CUSTOMER)
    page.goto(signed_in.base_url + "/support/incidents/new")
    page.get_by_label("Product", exact=True).select_option("Orbit ERP")
    page.get_by_label("Title", exact=True).fill("Export to Excel drops the last column")
    page.get_by_label("Description (Markdown)").fill("Since 12.0 SP1, every export.")
    page.get_by_role("button", name="Log the incident").click()

    summary = page.locator("#incident-problem")
    expect(summary).to_be_focused()
    summary.get_by_role("link", name="Severity").click()
    expect(page.get_by_label("Severity 1 – Critical")).to_be_focused()
    check_at_each_width(page, "incident-new-no-severity")


def test_suggested_articles_are_counted_in_a_status_and_say_they_open_a_new_tab(signed_in):
    page = signed_in.for_user(CUSTOMER)
    page.goto(signed_in.base_url + "/support/incidents/new")
    status = page.locator("#deflection-status")
    expect(status).to_have_attribute("role", "status")
    expect(status).to_be_attached()
    page.get_by_label("Title", exact=True).press_sequentially("Dead-letter queue overflow",
                                                             delay=20)

    expect(status).to_have_text(re.compile(r"^\d+ articles? may already answer it$"),
                                timeout=15_000)
    expect(page.locator("#deflection-list a").first).to_have_accessible_name(
        re.compile(r"\(opens in a new tab\)$"))


def test_similar_questions_are_counted_in_a_status(signed_in):
    page = signed_in.for_user(CUSTOMER)
    page.goto(signed_in.base_url + "/community/ask")
    page.get_by_label("Title").press_sequentially("Period close hangs", delay=20)

    expect(page.locator("#similar-status")).to_have_text(
        re.compile(r"^\d+ questions? or articles? may already answer it$"), timeout=15_000)
    expect(page.locator("#similar a").first).to_have_accessible_name(
        re.compile(r"\(opens in a new tab\)$"))


def test_topic_suggestions_are_counted_in_a_status(signed_in):
    page = signed_in.for_user(CUSTOMER)
    page.goto(signed_in.base_url + "/sessions/topics/new")
    page.get_by_label("Topic").press_sequentially("Queue monitoring", delay=20)

    expect(page.locator("#suggestions-status")).to_have_text(
        re.compile(r"^\d+ items? may already help$"), timeout=15_000)


def test_sign_in_without_refusal_still_starts_in_the_email_field(page: Page, base_url):
    sign_in(page, base_url, "premium@demo.test")
    page.goto(base_url + "/sign-in")  # signed in: sent on
    page.context.clear_cookies()
    page.goto(base_url + "/sign-in")
    expect(page.get_by_label("E-mail address")).to_be_focused()
