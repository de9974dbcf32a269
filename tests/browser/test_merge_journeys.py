"""Staff merge a duplicate (a community question, a topic request) and the words of its
author stay on the item it joins, at 1280 and 390 px, sideways scrolling and axe-core clean."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.layout_pages import CUSTOMER, STAFF, check_at_each_width

pytestmark = pytest.mark.browser
ASKER = "xtreme@demo.test"


def _merge(page: Page, duplicate_url: str, target: str) -> None:
    page.goto(duplicate_url)
    page.get_by_label("Merge into").select_option(label=target)
    page.get_by_role("button", name="Merge this duplicate").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(target)


def test_a_merged_questions_text_stays_on_the_question(signed_in):
    target = "Dashboard totals differ from the ERP trial balance"
    asker = signed_in.for_user(ASKER)
    asker.goto(signed_in.base_url + "/community/ask")
    asker.get_by_label("Space").select_option(label="Orbit Analytics")
    asker.get_by_label("Title").fill("Cash-flow dashboard off by a fixed amount")
    asker.get_by_label("Details (Markdown)").fill(
        "February's dashboard shows **1,203.50** more than the ledger.")
    asker.get_by_role("button", name="Post the question").click()
    expect(asker.get_by_role("heading", level=1)).to_have_text(
        "Cash-flow dashboard off by a fixed amount")

    _merge(signed_in.for_user(STAFF), asker.url, target)
    reader = signed_in.for_user(CUSTOMER)
    reader.goto(asker.url)  # the old address leads to the question it joined
    merged = reader.locator(".merged-questions")
    expect(merged).to_contain_text("Cash-flow dashboard off by a fixed amount")
    expect(merged.locator("strong")).to_have_text("1,203.50")
    expect(merged).to_contain_text(re.compile(r"Asked by \S+"))
    check_at_each_width(reader, "community-question-merged")


def test_a_merged_requests_text_stays_on_the_request(signed_in):
    target = "Custom KPIs in Orbit Analytics"
    asker = signed_in.for_user(ASKER)
    asker.goto(signed_in.base_url + "/sessions/topics/new")
    asker.get_by_label("Topic", exact=True).fill("Own KPI definitions")
    asker.get_by_label("What would you like to learn? (Markdown)").fill(
        "Show how a KPI reads **our own** staging tables.")
    asker.get_by_role("button", name="Send the request").click()
    expect(asker.get_by_role("heading", level=1)).to_have_text("Own KPI definitions")

    _merge(signed_in.for_user(STAFF), asker.url, target)
    reader = signed_in.for_user(CUSTOMER)
    reader.goto(asker.url)
    reader.get_by_role("link", name=target).click()
    merged = reader.locator(".merged-requests")
    expect(merged).to_contain_text("Own KPI definitions")
    expect(merged.locator("strong")).to_have_text("our own")
    check_at_each_width(reader, "topic-merged")
