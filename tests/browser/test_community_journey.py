"""Community journeys against the real server: a Premium customer asks a question (similar
questions and articles appear while the title is typed), an Elite customer answers and votes,
the asker is told, accepts the answer and finds the question among the solved ones; staff
lock it and turn it into a draft article."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import menu_link, sign_in

pytestmark = pytest.mark.browser
TITLE = "Journey: period close hangs after the 12.0 update"


def _sign_out(page: Page, base_url: str) -> None:
    page.context.clear_cookies()
    page.goto(base_url + "/")


def test_ask_answer_accept(page: Page, base_url, live_server):
    sign_in(page, base_url, "premium@demo.test")
    menu_link(page, "Community").click()
    page.get_by_role("link", name="Ask a question").click()
    page.get_by_label("Space").select_option(label="Orbit ERP")
    page.get_by_label("Title").press_sequentially("period close hangs", delay=20)
    similar = page.locator("#similar")
    expect(similar).to_contain_text("Period close hangs at 'Revaluing open items'")
    expect(page.get_by_role("heading", name="Already asked or answered?")).to_be_visible()
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("Details (Markdown)").fill(
        "Since the update the close stops at **step 3**. <script>alert(1)</script>")
    page.get_by_role("button", name="Post the question").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.locator(".community-question .community-body strong")).to_have_text("step 3")
    question_url = page.url

    _sign_out(page, base_url)
    sign_in(page, base_url, "elite@demo.test")
    page.goto(question_url)
    page.get_by_label("Your answer (Markdown)").fill("Run the *close check* report first.")
    page.get_by_role("button", name="Post the answer").click()
    expect(page.get_by_text("Your answer is posted.")).to_be_visible()
    expect(page.locator(".community-answer em")).to_have_text("close check")

    _sign_out(page, base_url)
    sign_in(page, base_url, "premium@demo.test")
    page.locator("#nav-notifications").click()
    page.get_by_role("button", name=f"New answer to “{TITLE}”", exact=True).click()
    page.get_by_role("button", name="This answer helps (vote up)").click()
    expect(page.locator(".community-answer .score")).to_have_text("1")
    page.get_by_role("button", name="Accept this answer").click()
    expect(page.locator("#solved")).to_be_visible()
    expect(page.get_by_text("Accepted answer", exact=True)).to_be_visible()
    page.goto(base_url + "/community/orbit-erp")
    page.get_by_role("link", name="Solved", exact=True).click()
    expect(page.locator("#questions")).to_contain_text(TITLE)

    _sign_out(page, base_url)
    sign_in(page, base_url, "staff@demo.test")
    page.goto(question_url)
    page.get_by_role("button", name="Lock the question", exact=True).click()
    expect(page.locator("#locked")).to_be_visible()
    page.get_by_role("button", name="Convert to article").click()
    expect(page).to_have_url(re.compile(r"/staff/articles/\d+/edit$"))
    expect(page.get_by_label("Title")).to_have_value(TITLE)
