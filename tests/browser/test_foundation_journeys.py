"""First journeys: sign in, see your plan's column, meet the upgrade prompt, sign out; and a
keyboard-only sign-in."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import reveal, sign_in

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("email, plan", [("xtreme@demo.test", "Xtreme"),
                                         ("premium@demo.test", "Premium"),
                                         ("elite@demo.test", "Elite")])
def test_sign_in_see_plan_column_upgrade_prompt_and_sign_out(page: Page, base_url, email, plan):
    sign_in(page, base_url, email)
    expect(page.locator(".plan-badge").first).to_have_text(plan)

    page.get_by_role("link", name="Plans", exact=True).click()
    own_column = page.locator("th.plan-column.own-plan")
    expect(own_column).to_have_count(1)
    expect(own_column).to_contain_text(plan)
    expect(own_column).to_contain_text("your plan")

    locked_feature = "campus_discount" if plan != "Elite" else None
    if locked_feature:
        page.goto(f"{base_url}/features/{locked_feature}")
        expect(page.get_by_role("heading", name="Available on Elite")).to_be_visible()
        expect(page.get_by_role("link", name="Compare the plans")).to_be_visible()

    reveal(page.get_by_role("button", name="Sign out", include_hidden=True)).click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    page.goto(base_url + "/account")
    expect(page).to_have_url(f"{base_url}/sign-in?next=%2Faccount")


def test_keyboard_only_sign_in(page: Page, base_url):
    page.goto(base_url + "/sign-in")
    expect(page.get_by_label("E-mail address")).to_be_focused()
    page.keyboard.type("premium@demo.test")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Password")).to_be_focused()
    page.keyboard.type("demo-password")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Sign in")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Welcome, Paula Premium")).to_be_visible()


def test_wrong_password_shows_an_inline_error(page: Page, base_url):
    page.goto(base_url + "/sign-in")
    page.get_by_label("E-mail address").fill("elite@demo.test")
    page.get_by_label("Password").fill("wrong-password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".field-error")).to_have_text("Wrong e-mail address or password.")
    expect(page.get_by_label("Password")).to_have_attribute("aria-invalid", "true")
