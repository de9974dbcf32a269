"""Knowledge-base journeys: staff write, preview and publish an article that then appears in
the list; a customer reads it; a customer below its minimum plan meets the locked page."""

from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import menu_link, sign_in

pytestmark = pytest.mark.browser


def signed_in_page(browser: Browser, base_url: str, email: str) -> Page:
    page = browser.new_context().new_page()
    sign_in(page, base_url, email)
    return page


def write_and_publish(page: Page, base_url: str, title: str, min_plan: str) -> None:
    menu_link(page, "Article editor").click()
    page.get_by_role("link", name="New article").click()
    page.get_by_label("Title").fill(title)
    page.get_by_label("Minimum plan").select_option(label=min_plan)
    page.get_by_label("Summary").fill("Keep month-end postings from timing out.")
    page.get_by_label("Body (Markdown)").fill(
        "## Before you start\n\nStop the **posting queue**.\n\n| Setting | Value |\n|---|---|\n"
        "| timeout | 600 |\n\n<script>document.title='owned'</script>")
    preview = page.locator("#preview")
    expect(preview.get_by_role("heading", name="Before you start")).to_be_visible()
    expect(preview.locator("strong")).to_have_text("posting queue")
    expect(preview.locator("td").first).to_have_text("timeout")
    expect(preview.locator("script")).to_have_count(0)
    page.get_by_role("button", name="Publish").click()
    expect(page.locator(".flash-success")).to_contain_text("has been saved (published)")


def test_staff_publish_and_customers_read_or_meet_the_lock(browser: Browser, base_url):
    title = f"Tuning month-end posting {uuid.uuid4().hex[:6]}"
    staff = signed_in_page(browser, base_url, "staff@demo.test")
    write_and_publish(staff, base_url, title, "Premium")
    menu_link(staff, "Knowledge base").click()
    expect(staff.get_by_role("link", name=title)).to_be_visible()

    premium = signed_in_page(browser, base_url, "premium@demo.test")
    menu_link(premium, "Knowledge base").click()
    premium.get_by_role("link", name=title).click()
    expect(premium.get_by_role("heading", name=title, level=1)).to_be_visible()
    expect(premium.get_by_role("heading", name="Before you start")).to_be_visible()
    expect(premium.get_by_role("navigation", name="Contents")).to_be_visible()
    assert premium.title() != "owned"
    premium.get_by_label("Yes").check()
    premium.get_by_role("button", name="Send").click()
    expect(premium.get_by_text("You answered “yes”")).to_be_visible()

    xtreme = signed_in_page(browser, base_url, "xtreme@demo.test")
    menu_link(xtreme, "Knowledge base").click()
    entry = xtreme.get_by_role("listitem").filter(has_text=title)
    expect(entry).to_contain_text("available on Premium and Elite")
    expect(entry).not_to_contain_text("Keep month-end postings")
    entry.get_by_role("link", name=title).click()
    expect(xtreme.get_by_role("heading", name="Available on Premium and Elite")).to_be_visible()
    expect(xtreme.get_by_text("posting queue")).to_have_count(0)
    for page in (staff, premium, xtreme):
        page.context.close()
