"""The main journeys work by keyboard alone: searching and opening a result, the phone menu."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.layout_pages import (
    CUSTOMER,
    DESKTOP,
    PHONE,
    tab_until,
)

pytestmark = pytest.mark.browser


def test_search_and_open_a_result_by_keyboard_alone(signed_in):
    page = signed_in.for_user(CUSTOMER)
    page.set_viewport_size(DESKTOP)
    page.goto(signed_in.base_url + "/")
    tab_until(page, "element.id === 'site-search-q'", most=6)
    page.keyboard.type("posting job")
    page.keyboard.press("Enter")
    expect(page.locator(".result-count")).to_contain_text("for posting job")
    tab_until(page, "element.classList.contains('hit-title')")
    title = page.evaluate("document.activeElement.textContent.trim()")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(title)


def test_phone_menu_opens_and_leads_somewhere_by_keyboard_alone(signed_in):
    page = signed_in.for_user(CUSTOMER)
    page.set_viewport_size(PHONE)
    page.goto(signed_in.base_url + "/")
    learning = page.get_by_role("navigation", name="Main").get_by_text("Learning", exact=True)
    expect(learning).to_be_hidden()

    tab_until(page, "element.matches('.nav-menu > summary')", most=8)
    page.keyboard.press("Enter")
    expect(learning).to_be_visible()
    page.keyboard.press("Escape")  # closes the menu and keeps the focus on its button
    expect(learning).to_be_hidden()
    assert page.evaluate("document.activeElement.matches('.nav-menu > summary')")

    page.keyboard.press("Enter")
    tab_until(page, "element.textContent.trim() === 'Learning'", most=4)
    page.keyboard.press("Enter")
    # the submenu opens on the toggle event; a Tab pressed before it has opened skips it
    expect(page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Recordings", exact=True)).to_be_visible()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Recordings"
    page.keyboard.press("Enter")
    expect(page).to_have_url(signed_in.base_url + "/sessions/recordings")
    expect(page.get_by_role("heading", level=1)).to_have_text("Recorded sessions")


def focused_element_is_uncovered(page) -> bool:
    """The focused element is the topmost thing at its centre (2.4.11): nothing, such as the
    phone's menu panel, lies over it."""
    return page.evaluate("""() => {
        const element = document.activeElement;
        element.scrollIntoView({block: 'center'});
        const box = element.getBoundingClientRect();
        const top = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
        return top !== null && (element === top || element.contains(top));
    }""")


def test_tabbing_past_the_phone_menu_closes_it_and_escape_returns_to_its_button(signed_in):
    page = signed_in.for_user(CUSTOMER)
    page.set_viewport_size(PHONE)
    page.goto(signed_in.base_url + "/")
    panel = page.locator(".nav-menu .nav-bar")
    tab_until(page, "element.matches('.nav-menu > summary')", most=8)
    page.keyboard.press("Enter")
    expect(panel).to_be_visible()

    # Escape from an entry inside the panel, not only from its button
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('.nav-bar') !== null")
    page.keyboard.press("Escape")
    expect(panel).to_be_hidden()
    assert page.evaluate("document.activeElement.matches('.nav-menu > summary')")

    page.keyboard.press("Enter")
    expect(panel).to_be_visible()
    tab_until(page, "!element.closest('.nav-menu')", most=20)
    expect(panel).to_be_hidden()
    assert page.evaluate("document.querySelector('.nav-menu').open") is False
    assert focused_element_is_uncovered(page)
