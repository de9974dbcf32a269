"""Every page type at 1280 and 390 px: nothing scrolls sideways, the content gets the width, the
navigation stays compact, axe-core finds no WCAG 2.x A/AA violation; a printed article leaves
out the portal. Full-page screenshots go to test-artifacts/screenshots/ (KB_SCREENSHOT_DIR)."""

from __future__ import annotations

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from tests.browser.layout_pages import (
    CUSTOMER,
    DESKTOP,
    PAGE_TYPES,
    SCREENSHOT_DIR,
    WIDTHS,
    axe_violations,
    describe,
    nav_rows,
    require_axe,
)
from tests.conftest import on_postgres

# What these check (widths, wrapping, contrast, landmarks, print styles) is the templates' and
# the stylesheet's, the same whatever database fills the page: they run in the SQLite pass, as the
# screenshots did. The PostgreSQL pass still renders every page (the robustness fuzzer GETs every
# route as each role) and the browser journeys run on it.
pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(on_postgres(), reason="layout is the same on every database; "
                                                       "checked in the SQLite pass")]


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("page_type", PAGE_TYPES, ids=lambda page_type: page_type.name)
def test_page_fits_the_screen_and_is_accessible(signed_in, page_type, width):
    address = signed_in.address_of(page_type)
    page = signed_in.for_user(page_type.user)
    page.set_viewport_size(WIDTHS[width])
    response = page.goto(address)
    # 422: a list naming the filter value nothing has, still the list page
    assert response.status in (200, 404, 422), f"{address} answered {response.status}"
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOT_DIR / f"{page_type.name}-{WIDTHS[width]['width']}.png",
                    full_page=True)

    sizes = page.evaluate("""() => ({
        scrollWidth: document.documentElement.scrollWidth,
        innerWidth: window.innerWidth,
        innerHeight: window.innerHeight,
        content: document.querySelector('h1').parentElement.getBoundingClientRect().width,
        header: document.querySelector('.site-header')?.getBoundingClientRect().height,
    })""")
    assert sizes["scrollWidth"] <= sizes["innerWidth"], (
        f"{address} scrolls sideways at {width} width: {sizes}")
    if width == "desktop" and page_type.content_width:
        assert sizes["content"] >= 0.6 * sizes["innerWidth"], (
            f"{address}: the content column is narrow: {sizes}")
    if page_type.in_portal_frame:
        if width == "desktop":
            assert nav_rows(page) <= 2, f"{address}: the navigation wraps to {nav_rows(page)} rows"
        else:
            assert sizes["header"] <= 0.2 * sizes["innerHeight"], (
                f"{address}: the header takes {sizes['header']} px of the phone's height")

    require_axe()
    violations = axe_violations(page)
    assert not violations, f"{address} at {width} width:\n{describe(violations)}"


def test_printed_article_leaves_out_the_portal_around_it(signed_in):
    page = signed_in.for_user(CUSTOMER)
    page.set_viewport_size(DESKTOP)
    page.goto(signed_in.base_url + "/articles/erp/invoice-numbering-duplicates-12-0")
    expect(page.locator(".headerlink").first).to_be_visible()
    page.emulate_media(media="print")
    try:
        for left_out in (".site-header", ".site-footer", ".toc", ".headerlink", "main form"):
            expect(page.locator(left_out).first).to_be_hidden()
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        code_block = page.locator(".article-body pre").first
        expect(code_block).to_have_css("white-space", "pre-wrap")
    finally:
        page.emulate_media(media="screen")

    page.goto(signed_in.base_url + "/articles/erp/invoice-numbering-duplicates-12-0?print=1")
    expect(page.locator(".headerlink").first).to_be_hidden()  # the print view shows the paper
    expect(page.locator(".article-body pre").first).to_have_css("white-space", "pre-wrap")


@pytest.mark.parametrize("width", WIDTHS)
def test_the_downloads_list_shows_every_column_on_screen_and_dates_on_one_line(signed_in, width):
    page = signed_in.for_user(CUSTOMER)
    page.set_viewport_size(WIDTHS[width])
    page.goto(signed_in.base_url + "/patches/")
    seen = page.evaluate("""() => ({
        innerWidth: window.innerWidth,
        rightmost: Math.max(...[...document.querySelectorAll('.patch-list td')]
                                  .map(cell => cell.getBoundingClientRect().right)),
        dates: [...document.querySelectorAll('.patch-list time')]
                   .map(date => [date.textContent, date.getClientRects().length]),
        lefts: [...document.querySelector('.patch-list tbody tr').cells]
                   .map(cell => Math.round(cell.getBoundingClientRect().left)),
    })""")
    assert seen["dates"] and all(lines == 1 for _, lines in seen["dates"]), seen["dates"]
    assert seen["rightmost"] <= seen["innerWidth"], seen  # not in a sideways scroll area
    if width == "phone":  # a block per patch: its cells one below the other
        assert len(set(seen["lefts"])) == 1, seen["lefts"]
    else:
        assert len(set(seen["lefts"])) == len(seen["lefts"]), seen["lefts"]


# the per-product choices of the notification settings whose text is cut ("As all (o"): the
# widest option's text, in the select's font, against the room the select leaves for it
CUT_CHOICES = """() => {
    const pen = document.createElement('canvas').getContext('2d');
    return [...document.querySelectorAll('.override-matrix select')]
        .filter(select => select.getClientRects().length)
        .map(select => {
            const style = getComputedStyle(select);
            pen.font = [style.fontStyle, style.fontWeight, style.fontSize, style.fontFamily]
                .join(' ');
            const needed = Math.max(...[...select.options].map(o => pen.measureText(o.text).width));
            const room = select.clientWidth - parseFloat(style.paddingLeft)
                - parseFloat(style.paddingRight);
            return [select.getAttribute('aria-label'), Math.ceil(needed), Math.floor(room)];
        })
        .filter(([, needed, room]) => needed > room);
}"""


@pytest.mark.parametrize("width", WIDTHS)
def test_every_per_product_notification_choice_shows_its_whole_text(signed_in, width):
    page = signed_in.for_user(CUSTOMER)
    page.set_viewport_size(WIDTHS[width])
    page.goto(signed_in.base_url + "/notifications/settings")
    page.locator(".product-preferences summary").first.click()
    expect(page.locator(".override-matrix select").first).to_be_visible()
    try:
        page.wait_for_function(f"() => !({CUT_CHOICES})().length", timeout=5_000)
    except PlaywrightTimeout:
        pytest.fail(f"choices cut at {width} width (label, text px, room px): "
                    f"{page.evaluate(CUT_CHOICES)}")
