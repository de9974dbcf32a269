"""Tables that must show every column: an organisation's users keep Role, Status and the
buttons on a 1280 px screen when a name is one 200-character word (it wraps in its cell), and
on a phone the staff incident queue shows each incident as a block, its Status, Target and
Assigned on screen rather than behind a sideways scroll, and so does the API tokens table on
/account, its Revoke button on screen."""

from __future__ import annotations

import pytest

from tests.browser.layout_pages import (
    CUSTOMER,
    CUSTOMER_ADMIN,
    DESKTOP,
    PHONE,
    SCREENSHOT_DIR,
    STAFF,
)
from tests.conftest import on_postgres

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(on_postgres(), reason="layout is the same on every database; "
                                                       "checked in the SQLite pass")]

LONG_NAME = "Bartholomew" * 18 + "Xx"  # 200 characters, no space


def cells_of(page, row_selector: str) -> dict:
    return page.evaluate("""selector => {
        const row = document.querySelector(selector);
        const box = row.closest('.table-scroll');
        return {innerWidth: window.innerWidth,
                box: [box.scrollWidth, box.clientWidth],
                rights: [...row.cells].map(cell => cell.getBoundingClientRect().right),
                lefts: [...row.cells].map(cell => Math.round(cell.getBoundingClientRect().left)),
                labels: [...row.cells].map(cell => cell.dataset.label || '')};
    }""", row_selector)


def test_a_name_of_one_long_word_wraps_and_leaves_every_column_on_screen(signed_in):
    page = signed_in.for_user(CUSTOMER_ADMIN)
    page.set_viewport_size(DESKTOP)
    page.goto(signed_in.base_url + "/organization/users")
    page.get_by_label("E-mail address").fill("long.word@fabrikam.example")
    page.get_by_label("Name").fill(LONG_NAME)
    page.get_by_role("button", name="Send the invitation").click()

    row = page.locator("tbody tr", has_text="long.word@fabrikam.example")
    assert row.locator("td").nth(1).inner_text() != ""
    row.evaluate("row => row.setAttribute('id', 'long-word-row')")
    seen = cells_of(page, "#long-word-row")
    assert seen["box"][0] <= seen["box"][1], seen  # nothing to scroll sideways in its box
    assert max(seen["rights"]) <= seen["innerWidth"], seen
    assert row.get_by_role("button", name="Resend invitation").is_visible()


def test_the_queue_on_a_phone_shows_each_incident_as_a_block(signed_in):
    page = signed_in.for_user(STAFF)
    page.set_viewport_size(PHONE)
    page.goto(signed_in.base_url + "/staff/incidents")
    seen = cells_of(page, ".queue tbody tr")

    assert seen["box"][0] <= seen["box"][1], seen
    assert max(seen["rights"]) <= seen["innerWidth"], seen
    labelled = [left for left, label in zip(seen["lefts"], seen["labels"], strict=True) if label]
    assert {"Status", "Target", "Assigned"} <= set(seen["labels"])
    assert len(set(labelled)) == 1, seen  # one below the other, not side by side
    page.set_viewport_size(DESKTOP)


def test_the_api_tokens_on_a_phone_keep_revoke_on_screen(signed_in):
    page = signed_in.for_user(CUSTOMER)
    page.set_viewport_size(PHONE)
    page.goto(signed_in.base_url + "/account")
    page.locator("#tokens").get_by_label("Name").fill("Nightly export script, production")
    page.get_by_role("button", name="Create a token").click()
    page.locator("#tokens tbody tr").first.evaluate("row => row.setAttribute('id', 'token-row')")
    seen = cells_of(page, "#token-row")

    assert seen["box"][0] <= seen["box"][1], seen
    assert max(seen["rights"]) <= seen["innerWidth"], seen
    assert {"Name", "Starts with", "Created", "Last used"} <= set(seen["labels"])
    revoke = page.locator("#token-row").get_by_role("button", name="Revoke").bounding_box()
    assert revoke["x"] >= 0 and revoke["x"] + revoke["width"] <= seen["innerWidth"], revoke
    page.locator("#tokens").screenshot(path=SCREENSHOT_DIR / "account-tokens-390.png")
    page.set_viewport_size(DESKTOP)
    page.locator("#tokens").screenshot(path=SCREENSHOT_DIR / "account-tokens-1280.png")
    assert len(set(cells_of(page, "#token-row")["lefts"])) == 6  # a table row again
