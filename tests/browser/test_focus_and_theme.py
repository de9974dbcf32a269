"""What the accessibility walk found beyond the journeys: every control the keyboard reaches
shows a focus ring of at least 3:1 (forced colours too), a reader who prefers a dark colour
scheme gets kb's light design (its boxes are light), and the search landmarks and table headers
are named."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import sign_in
from tests.browser.layout_pages import (
    AXE_SCRIPT,
    CUSTOMER,
    DESKTOP,
    STAFF,
    describe,
    require_axe,
)

pytestmark = pytest.mark.browser

# the focus ring on whatever lies behind the element: its nearest ancestor with a background
RING = """element => {
    const style = getComputedStyle(element);
    let behind = element.parentElement, background = 'rgba(0, 0, 0, 0)';
    while (behind && /rgba\\(.*, 0\\)|transparent/.test(background)) {
        background = getComputedStyle(behind).backgroundColor;
        behind = behind.parentElement;
    }
    return {visible: element.matches(':focus-visible'), style: style.outlineStyle,
            width: parseFloat(style.outlineWidth), colour: style.outlineColor,
            background: /rgba\\(.*, 0\\)/.test(background) ? 'rgb(255, 255, 255)' : background};
}"""

CONTROLS = [  # (page, a control of each kind on it)
    ("/", "#site-search-q"),
    ("/", ".site-search button"),  # Pico's secondary button in a [role=search] group
    ("/", ".nav-bar details.dropdown > summary"),
    ("/", ".nav-bar > li > a"),
    ("/", "main a"),
    ("/support/incidents", ".incident-filters select"),
    ("/support/incidents", ".incident-filters button"),
    ("/support/incidents/new", "input[type=file]"),
    ("/search?q=zzqqxx", ".nothing-found-actions a"),  # a link drawn as an outline button
    ("/notifications/settings", "input[type=checkbox]"),
]


def rgb(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text[text.index("(") + 1:text.index(")")].split(",")[:3])


def contrast(first: str, second: str) -> float:
    def luminance(colour):
        channels = [value / 255 for value in rgb(colour)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def keyboard_focus(page: Page, selector: str):
    control = page.locator(selector).first
    page.keyboard.press("Shift")  # the last thing done was a key: focus() then shows the ring
    control.focus()
    return control.evaluate(RING)


def test_every_kind_of_control_shows_a_clear_focus_ring(signed_in):
    page = signed_in.for_user(CUSTOMER)
    page.set_viewport_size(DESKTOP)
    faint = []
    for path, selector in CONTROLS:
        if page.url != signed_in.base_url + path:
            page.goto(signed_in.base_url + path)
        ring = keyboard_focus(page, selector)
        assert ring["visible"], f"{path} {selector} is not :focus-visible"
        if ring["style"] != "solid" or ring["width"] < 2 or \
                contrast(ring["colour"], ring["background"]) < 3:
            faint.append(f"{path} {selector}: {ring}")
    assert not faint, "\n".join(faint)


def test_the_focus_ring_stays_in_forced_colours(signed_in):
    page = signed_in.for_user(CUSTOMER)
    page.emulate_media(forced_colors="active")
    try:
        page.goto(signed_in.base_url + "/")
        for selector in ("#site-search-q", ".site-search button", ".nav-bar > li > a"):
            ring = keyboard_focus(page, selector)
            assert ring["style"] == "solid" and ring["width"] >= 2, f"{selector}: {ring}"
    finally:
        page.emulate_media(forced_colors="none")


def test_a_dark_preference_gets_the_light_design_with_readable_text(browser, base_url):
    require_axe()
    context = browser.new_context(color_scheme="dark", bypass_csp=True, viewport=DESKTOP)
    context.add_init_script(path=AXE_SCRIPT)
    page = context.new_page()
    try:
        sign_in(page, base_url, CUSTOMER)
        for path in ("/", "/plans", "/support/coverage", "/patches/",
                     "/release-notes/orbit-erp-12-0"):
            page.goto(base_url + path)
            expect(page.locator("html")).to_have_css("background-color", "rgb(255, 255, 255)")
            violations = page.evaluate(
                "() => axe.run(document, {runOnly: ['color-contrast'],"
                " resultTypes: ['violations']})")["violations"]
            assert not violations, f"{path}:\n{describe(violations)}"
    finally:
        context.close()


@pytest.mark.parametrize("user, path", [(CUSTOMER, "/search?q=posting"),
                                        (CUSTOMER, "/support/incidents"),
                                        (CUSTOMER, "/community/"),
                                        (STAFF, "/staff/outbox")])
def test_search_landmarks_are_told_apart_and_no_table_header_is_empty(signed_in, user, path):
    require_axe()
    page = signed_in.for_user(user)
    page.goto(signed_in.base_url + path)
    assert page.locator("[role=search], table").count() >= 1
    violations = page.evaluate(
        "() => axe.run(document, {runOnly: ['landmark-unique', 'empty-table-header'],"
        " resultTypes: ['violations']})")["violations"]
    assert not violations, describe(violations)


def test_links_drawn_as_buttons_are_links_with_the_look_of_buttons(signed_in):
    page = signed_in.for_user(CUSTOMER)
    page.goto(signed_in.base_url + "/community/")
    ask = page.get_by_role("link", name="Ask a question", exact=True)
    expect(ask).to_have_css("background-color", "rgb(1, 114, 173)")
    expect(ask).to_have_css("color", "rgb(255, 255, 255)")
    expect(ask).to_have_css("text-decoration-line", "none")
    page.goto(signed_in.base_url + "/search?q=zzqqxx")
    outline = page.get_by_role("link", name="Ask the community", exact=True)
    expect(outline).to_have_css("background-color", "rgba(0, 0, 0, 0)")
    expect(outline).to_have_css("border-top-color", "rgb(1, 114, 173)")
    assert page.get_by_role("button", name="Ask the community").count() == 0
