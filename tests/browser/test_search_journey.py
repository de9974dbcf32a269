"""Search journey: type a query, pick an autocomplete suggestion, filter by a facet, open a
result; an Xtreme customer meets a Premium-only item only as a locked entry."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import sign_in
from tests.browser.layout_pages import CUSTOMER, axe_violations, describe, require_axe
from tests.conftest import REPO_ROOT

pytestmark = pytest.mark.browser

ARTICLES = [
    {"title": "Configure quasar groups", "body": "Quasar groups map ledger accounts.",
     "products": ["Orbit ERP"], "kind": "how-to"},
    {"title": "Quasar errors explained", "body": "When a quasar fails, read the message.",
     "products": ["Orbit Analytics"], "kind": "troubleshooting"},
    {"title": "Quasar for premium customers", "body": "Premium quasar internals.",
     "min_plan": "premium", "products": ["Orbit ERP"]},
]


@pytest.fixture(scope="module")
def searchable(live_server):
    for fields in ARTICLES:
        subprocess.run([sys.executable, "-m", "tests.search.writer", "publish",
                        json.dumps(fields)], env=live_server.environment, cwd=REPO_ROOT,
                       check=True, capture_output=True, timeout=120)
    return live_server.url


def test_type_pick_a_suggestion_filter_and_open_a_result(page: Page, searchable):
    base_url = searchable
    sign_in(page, base_url, "xtreme@demo.test")
    page.goto(f"{base_url}/search")
    box = page.get_by_role("combobox", name="Search the knowledge base")
    box.press_sequentially("config", delay=40)
    suggestion = page.get_by_role("option", name="Configure quasar groups")
    expect(suggestion).to_be_visible()
    expect(page.get_by_role("option", name="Quasar for premium customers")).to_have_count(0)
    suggestion.click()
    expect(page).to_have_url(f"{base_url}/articles/configure-quasar-groups")

    page.goto(f"{base_url}/search")
    box = page.get_by_role("combobox", name="Search the knowledge base")
    box.fill("quasar")
    box.press("Enter")
    expect(page.locator(".result-count")).to_contain_text("2 results")
    page.locator('[data-facet="product"]').get_by_role("link", name="Orbit Analytics").click()
    expect(page.locator(".result-count")).to_contain_text("1 result")
    page.get_by_role("link", name="Quasar errors explained").click()
    expect(page).to_have_url(f"{base_url}/articles/quasar-errors-explained")


def test_an_xtreme_customer_sees_a_premium_item_only_as_a_locked_entry(page: Page, searchable):
    base_url = searchable
    sign_in(page, base_url, "xtreme@demo.test")
    page.goto(f"{base_url}/search?q=quasar")
    expect(page.locator(".result-count")).to_contain_text("2 results")
    locked = page.locator(".locked-entry")
    expect(locked).to_have_count(1)
    expect(locked).to_contain_text("Quasar for premium customers")
    expect(locked).to_contain_text("available on Premium and Elite")
    expect(page.get_by_role("link", name="Quasar for premium customers")).to_have_count(0)
    expect(page.get_by_text("Premium quasar internals")).to_have_count(0)


def test_a_premium_customer_reads_the_premium_item(page: Page, searchable):
    base_url = searchable
    sign_in(page, base_url, "premium@demo.test")
    page.goto(f"{base_url}/search?q=quasar")
    expect(page.locator(".result-count")).to_contain_text("3 results")
    expect(page.get_by_role("link", name="Quasar for premium customers")).to_be_visible()
    expect(page.locator(".locked-entry")).to_have_count(0)


def test_the_header_search_box_suggests_titles_by_keyboard(page: Page, searchable):
    base_url = searchable
    sign_in(page, base_url, "xtreme@demo.test")
    page.goto(f"{base_url}/")
    box = page.get_by_role("combobox", name="Search the portal")
    # the list of the last words typed, not one of those typed on the way
    with page.expect_response(lambda response: "q=quasar%20err" in response.url):
        box.press_sequentially("quasar err", delay=40)
    suggestion = page.get_by_role("option", name="Quasar errors explained")
    expect(suggestion).to_be_visible()
    expect(box).to_have_attribute("aria-expanded", "true")
    box.press("ArrowDown")
    expect(suggestion).to_have_attribute("aria-selected", "true")
    expect(box).to_have_attribute("aria-activedescendant", "site-search-suggestions-0")
    box.press("Escape")
    expect(suggestion).to_have_count(0)
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(box).to_have_value("quasar err")  # Escape closes the list, the words stay
    box.press("ArrowDown")  # a closed list: nothing to move in, typing again opens it
    box.press("Backspace")
    with page.expect_response(lambda response: "q=quasar%20err" in response.url):
        box.press_sequentially("r", delay=40)
    expect(page.get_by_role("option", name="Quasar errors explained")).to_be_visible()
    box.press("ArrowDown")
    box.press("Enter")
    expect(page).to_have_url(f"{base_url}/articles/quasar-errors-explained")


def test_suggestions_keep_the_focus_in_the_box_and_tab_leaves_it(signed_in, searchable):
    page = signed_in.for_user(CUSTOMER)
    page.goto(f"{searchable}/search")
    box = page.get_by_role("combobox", name="Search the knowledge base")
    listbox = page.get_by_role("listbox", name="Suggestions").and_(
        page.locator("#search-suggestions"))
    with page.expect_response(lambda response: "q=quasar" in response.url):
        box.press_sequentially("quasar", delay=40)
    options = listbox.get_by_role("option")
    expect(options.first).to_be_visible()
    count = options.count()
    expect(page.locator(".search-box [role=status]")).to_have_text(
        f"{count} suggestion{'' if count == 1 else 's'}")
    # the options are picked from the box, never tabbed to
    assert listbox.locator("a, button, input, [tabindex]").count() == 0
    require_axe()
    violations = axe_violations(page)
    assert not violations, describe(violations)

    box.press("ArrowDown")
    first = options.first
    expect(first).to_have_attribute("aria-selected", "true")
    expect(box).to_have_attribute("aria-activedescendant", "search-suggestions-0")
    expect(first).to_have_css("background-color", "rgb(1, 114, 173)")
    expect(first).to_have_css("color", "rgb(255, 255, 255)")

    box.press("Tab")  # leaves the box for the next control, and the list closes
    expect(listbox).to_be_hidden()
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(page.locator("#search-sort")).to_be_focused()
    expect(page.locator(".search-box [role=status]")).to_have_text("")

    header_box = page.get_by_role("combobox", name="Search the portal")
    with page.expect_response(lambda response: "q=quasar" in response.url):
        header_box.press_sequentially("quasar", delay=40)
    expect(page.locator("#site-search-suggestions").get_by_role("option").first).to_be_visible()
    header_box.press("Tab")
    expect(page.locator("#site-search-suggestions")).to_be_hidden()
    expect(page.locator(".site-search").get_by_role("button", name="Search")).to_be_focused()
