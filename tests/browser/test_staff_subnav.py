"""The staff sub-navigation shows which entry is the current page, and stands apart from the
page's heading instead of sitting right on it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.layout_pages import DESKTOP, PHONE, STAFF

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_current_staff_page_stands_out_and_the_heading_has_room(signed_in, size):
    page = signed_in.for_user(STAFF)
    page.set_viewport_size(size)
    page.goto(signed_in.base_url + "/staff/users")
    nav = page.get_by_role("navigation", name="Staff")
    current = nav.get_by_role("link", name="Users")
    other = nav.get_by_role("link", name="Audit log")
    expect(current).to_have_attribute("aria-current", "page")
    expect(current).to_have_css("font-weight", "600")
    expect(current).to_have_css("text-decoration-line", "underline")
    expect(other).to_have_css("font-weight", "400")
    heading = page.locator("main h1").bounding_box()
    bottom = nav.bounding_box()
    assert heading["y"] - (bottom["y"] + bottom["height"]) >= 16
