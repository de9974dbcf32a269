"""The support and session page states the customer walk found wrong, against the real
server: the incident form's target hint follows the product chosen; a refused version keeps
what was typed; support's reply takes an incident up; the demo links an article of the
incident's product; a cancelled session says so; a topic asked for again shows the request to
vote for, and the suggestions put it first. Each state is checked at both widths."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import sign_in
from tests.browser.layout_pages import AXE_SCRIPT, DESKTOP, check_at_each_width

pytestmark = pytest.mark.browser
HINT = "Your plan has no response target for Severity 1 on Orbit Analytics"


@pytest.fixture(autouse=True)
def _axe_in_every_page(page: Page):
    """axe-core runs as each page starts, for ``check_at_each_width``."""
    if AXE_SCRIPT.exists():
        page.context.add_init_script(path=AXE_SCRIPT)


def test_the_target_hint_follows_the_product_chosen(page: Page, base_url):
    sign_in(page, base_url, "xtreme@demo.test")
    page.goto(base_url + "/support/incidents/new")
    expect(page.get_by_text(HINT)).to_be_hidden()
    check_at_each_width(page, "incident-form-no-product")
    page.set_viewport_size(DESKTOP)
    product = page.get_by_label("Product", exact=True)
    product.select_option("Orbit Analytics")
    expect(page.get_by_text(HINT)).to_be_visible()
    check_at_each_width(page, "incident-form-analytics-chosen")
    page.set_viewport_size(DESKTOP)
    product.select_option("Orbit ERP")
    expect(page.get_by_text(HINT)).to_be_hidden()


def test_an_unknown_version_is_refused_beside_its_field(page: Page, base_url):
    sign_in(page, base_url, "premium@demo.test")
    page.goto(base_url + "/support/incidents/new")
    page.get_by_label("Product", exact=True).select_option("Orbit ERP")
    page.get_by_label("Version", exact=True).fill("99.9")
    page.get_by_label("Severity 3 – Medium").check()
    page.get_by_label("Title", exact=True).fill("Reports print blank pages")
    page.get_by_label("Description (Markdown)").fill("Since the upgrade.")
    page.get_by_role("button", name="Log the incident").click()
    expect(page.locator("#version-error")).to_have_text(
        "Orbit ERP has no version '99.9' (versions: 11.0, 11.1, 12.0).")
    expect(page.get_by_label("Title", exact=True)).to_have_value("Reports print blank pages")
    check_at_each_width(page, "incident-form-unknown-version")


def test_support_reply_takes_the_incident_up(page: Page, base_url, browser):
    sign_in(page, base_url, "elite@demo.test")
    page.goto(base_url + "/support/incidents/new")
    page.get_by_label("Product", exact=True).select_option("Orbit ERP")
    page.get_by_label("Severity 4 – Low").check()
    page.get_by_label("Title", exact=True).fill("Export file name has no date")
    page.get_by_label("Description (Markdown)").fill("It would help sorting.")
    page.get_by_role("button", name="Log the incident").click()
    expect(page.locator("#incident-status")).to_have_text("New")
    address = page.url

    staff = browser.new_context().new_page()
    sign_in(staff, base_url, "staff@demo.test")
    staff.goto(address)
    staff.locator("textarea[name=body]").fill("Noted; the next service pack adds it.")
    staff.get_by_role("button", name="Send to the customer").click()
    expect(staff.get_by_text("Your reply is sent.")).to_be_visible()
    staff.context.close()

    page.reload()
    expect(page.locator("#incident-status")).to_have_text("In progress")
    expect(page.locator(".thread")).to_contain_text("Status: New → In progress")
    expect(page.locator(".thread")).to_contain_text("Assigned to Sam Staff")
    check_at_each_width(page, "incident-taken-up-by-a-reply")


def test_the_demo_queue_incident_links_an_integration_hub_article(page: Page, base_url):
    sign_in(page, base_url, "elite@demo.test")
    page.goto(base_url + "/support/incidents")
    page.get_by_role("link", name="#2 Retry queue grows overnight").click()
    linked = page.locator("section[aria-labelledby=articles-heading] li")
    expect(linked).to_have_count(1)
    expect(linked).not_to_contain_text("Build a cash-flow dashboard")
    check_at_each_width(page, "incident-demo-linked-article")


def test_a_cancelled_session_says_so(page: Page, base_url):
    sign_in(page, base_url, "premium@demo.test")
    page.goto(base_url + "/sessions/live")
    cancelled = page.locator("#live-sessions li").filter(
        has=page.locator(".cancelled-badge")).first
    expect(cancelled).not_to_contain_text("seats free")
    check_at_each_width(page, "live-sessions-with-a-cancelled-one")
    page.set_viewport_size(DESKTOP)
    cancelled.get_by_role("link").click()
    expect(page.locator("#session-cancelled")).to_be_visible()
    expect(page.locator("#seats")).to_have_count(0)
    check_at_each_width(page, "live-session-cancelled")


def test_a_topic_asked_again_shows_the_request_to_vote_for(page: Page, base_url):
    title = "Year-end closing with several currencies"
    sign_in(page, base_url, "elite@demo.test")
    page.goto(base_url + "/sessions/topics/new")
    page.get_by_label("Topic").press_sequentially(title.lower(), delay=10)
    first = page.locator("#suggestions li").first
    expect(first).to_have_text(f"Already requested: {title}", timeout=15_000)
    check_at_each_width(page, "topic-form-exact-suggestion")
    page.set_viewport_size(DESKTOP)
    page.get_by_label("What would you like to learn? (Markdown)").fill("EUR and CHF.")
    page.get_by_role("button", name="Send the request").click()
    notice = page.locator("#already-requested")
    expect(notice).to_contain_text("This topic has already been requested")
    expect(notice.get_by_role("link", name=title)).to_be_visible()
    expect(page.get_by_label("What would you like to learn? (Markdown)")).to_have_value(
        "EUR and CHF.")
    check_at_each_width(page, "topic-form-already-requested")
