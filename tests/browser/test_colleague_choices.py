"""A colleague's name that wraps in the incident page's side column wraps beside its checkbox,
not back under it."""

from __future__ import annotations

import pytest

from tests.browser.layout_pages import DESKTOP, PAGE_TYPES

pytestmark = pytest.mark.browser

INCIDENT = next(page_type for page_type in PAGE_TYPES if page_type.name == "incident")

# each line box of the label's words, beside the box: left of none lies left of the box's edge
LINES_LEFT_OF_THE_BOX = """label => {
    const box = label.querySelector('input').getBoundingClientRect();
    const words = document.createRange();
    words.setStartAfter(label.querySelector('input'));
    words.setEndAfter(label.lastChild);
    const lines = [...words.getClientRects()].filter(line => line.width > 0);
    return {lines: lines.length,
            under: lines.filter(line => line.left < box.right).length};
}"""


def test_a_wrapping_colleague_name_stays_beside_its_box(signed_in):
    page = signed_in.for_user(INCIDENT.user)
    page.set_viewport_size(DESKTOP)
    page.goto(signed_in.address_of(INCIDENT))
    label = page.locator("#watchers .colleagues label").first
    found = label.evaluate(LINES_LEFT_OF_THE_BOX)
    assert found["lines"] >= 2, "the demo's colleague name no longer wraps here at 1280 px"
    assert found["under"] == 0, found
