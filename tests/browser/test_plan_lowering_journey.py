"""Staff lower an organisation's plan in the middle of its term: the page asks them to confirm
what its users lose, keeps what they typed, and saves once they tick the confirmation."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.layout_pages import STAFF, check_at_each_width

pytestmark = pytest.mark.browser
NAME = "Journey: Adventure Works"


def test_lowering_mid_term_is_confirmed(signed_in):
    page = signed_in.for_user(STAFF)
    page.goto(signed_in.base_url + "/staff/organizations/new")
    page.get_by_label("Name").fill(NAME)
    page.get_by_label("Support plan").select_option(label="Premium")
    page.get_by_label("Term starts").fill("2026-01-01")
    page.get_by_label("Term ends").fill("2099-12-31")  # running whatever the clock says
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(NAME)

    page.get_by_label("Support plan").select_option(label="Xtreme")
    page.get_by_label("Support time zone").fill("Europe/Lisbon")
    page.get_by_role("button", name="Save").click()
    confirmation = page.locator("#plan-lowering")
    expect(confirmation).to_contain_text(
        "lose at once: Extended critical incident support, Plan prioritization, "
        "Interactive sessions (WebEx format).")
    expect(page.get_by_label("Support time zone")).to_have_value("Europe/Lisbon")
    expect(page.get_by_label("Support plan")).to_have_value("xtreme")
    check_at_each_width(page, "staff-organisation-lowering")

    confirmation.get_by_role("checkbox").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The organisation has been saved.")).to_be_visible()
    expect(page.get_by_label("Support plan")).to_have_value("xtreme")
