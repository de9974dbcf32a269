"""The button that applies a list's filters is the same full-size button on every list page,
as wide as its words: the downloads list's "Show patches" is the pattern. (The knowledge base's
was a small one, the community's search took half the row, the incidents' a wide pill.)"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.layout_pages import CUSTOMER, DESKTOP, STAFF

pytestmark = pytest.mark.browser

REFERENCE = ("/patches/", "form.patch-filters button[type=submit]")

FILTER_BUTTONS = [  # (user, page, its filter or send button)
    (CUSTOMER, "/articles/", "form.filters button[type=submit]"),
    (CUSTOMER, "/release-notes/", "form.filters button[type=submit]"),
    (CUSTOMER, "/community/", "#community-search button[type=submit]"),
    (CUSTOMER, "/support/incidents", "form.incident-filters button[type=submit]"),
    (CUSTOMER, "/sessions/recordings", "main form[method=get] button[type=submit]"),
    (CUSTOMER, "/articles/erp/rest-api-rate-limits", "#helpful button[type=submit]"),
    (STAFF, "/staff/articles/", "main form[method=get] button[type=submit]"),
    (STAFF, "/staff/incidents", "form.queue-filters button[type=submit]"),
]

LOOKS = ("font-size", "padding-top", "padding-left", "border-top-left-radius")


def _looks(page, address: str, selector: str) -> dict[str, str]:
    page.goto(address)
    button = page.locator(selector)
    expect(button).to_be_visible()
    return button.evaluate(
        f"b => Object.fromEntries({list(LOOKS)!r}.map(p => [p, getComputedStyle(b)"
        ".getPropertyValue(p)]))")


@pytest.mark.parametrize("user, path, selector", FILTER_BUTTONS,
                         ids=[path for _, path, _ in FILTER_BUTTONS])
def test_a_lists_filter_button_looks_like_the_downloads_one(signed_in, user, path, selector):
    page = signed_in.for_user(user)
    page.set_viewport_size(DESKTOP)
    reference = _looks(page, signed_in.base_url + REFERENCE[0], REFERENCE[1])
    page.goto(signed_in.base_url + path)
    button = page.locator(selector)
    for name in LOOKS:
        expect(button).to_have_css(name, reference[name])
    width = button.bounding_box()["width"]
    assert width < 300, f"{path}: the button is {width:.0f} px wide"


GRIDS_OF_FIELDS = [(user, path, selector) for user, path, selector in FILTER_BUTTONS
                   if path in ("/articles/", "/release-notes/", "/sessions/recordings")]


@pytest.mark.parametrize("user, path, selector", GRIDS_OF_FIELDS,
                         ids=[path for _, path, _ in GRIDS_OF_FIELDS])
def test_the_button_comes_after_a_grid_of_fields(signed_in, user, path, selector):
    """As under the downloads' fields, not a grid cell of its own beside the last select."""
    page = signed_in.for_user(user)
    page.set_viewport_size(DESKTOP)
    page.goto(signed_in.base_url + path)
    button = page.locator(selector)
    fields = button.locator("xpath=ancestor::form").locator("select")
    lowest = max(box["y"] + box["height"] for box in
                 (field.bounding_box() for field in fields.all()))
    assert button.bounding_box()["y"] >= lowest
