"""A wide staff table (the audit log) cut by a phone's screen shows a shadow at each edge
where there is more, scrolls by keyboard in its named box, and loses the shadow once that edge
is reached."""

from __future__ import annotations

import io

import pytest
from PIL import Image  # fpdf2's own dependency
from playwright.sync_api import Locator

from tests.browser.layout_pages import PHONE, STAFF

pytestmark = pytest.mark.browser


def _shaded_share(box: Locator, side: str) -> float:
    """The share of the box's outermost pixel column on that side that is not page-white:
    a shadow greys the whole column, text and borders only cross it here and there."""
    image = Image.open(io.BytesIO(box.screenshot())).convert("RGB")
    x = 2 if side == "left" else image.width - 3  # inside the focus ring
    column = [image.getpixel((x, y)) for y in range(image.height)]
    return sum(1 for pixel in column if min(pixel) < 235) / len(column)


# a shadow greys nearly all of the column (its share fell to 0.8999 once, on an audit log that
# earlier tests had filled with other rows); no shadow, at most the text crossing it
SHADED, UNSHADED = 0.8, 0.5


def test_the_cut_audit_log_shows_where_it_continues(signed_in):
    page = signed_in.for_user(STAFF)
    page.set_viewport_size(PHONE)
    page.goto(signed_in.base_url + "/staff/audit")
    box = page.get_by_role("region", name="Audit log")
    assert box.evaluate("box => box.scrollWidth > box.clientWidth")
    assert _shaded_share(box, "right") > SHADED and _shaded_share(box, "left") < UNSHADED

    box.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("box => box.scrollLeft > 0", arg=box.element_handle())
    box.evaluate("box => { box.style.scrollBehavior = 'auto';"
                 " box.scrollLeft = box.scrollWidth; }")
    page.wait_for_function("box => box.scrollLeft + box.clientWidth >= box.scrollWidth - 1",
                           arg=box.element_handle())
    assert _shaded_share(box, "left") > SHADED and _shaded_share(box, "right") < UNSHADED
