"""The staff queue reloads itself every minute, which puts a screen reader back at the top of
the page: it does not while the focus is in the queue, and a visible button pauses it for good
(remembered in the browser). The page's clock is Playwright's, so no test waits a minute."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from kb.support.staff_views import REFRESH_SECONDS
from tests.browser.conftest import sign_in
from tests.browser.layout_pages import STAFF, check_at_each_width

pytestmark = pytest.mark.browser
PAST_A_REFRESH_MS = (REFRESH_SECONDS + 1) * 1000


@pytest.fixture
def queue(browser, base_url):
    context = browser.new_context()
    page = context.new_page()
    page.clock.install()
    sign_in(page, base_url, STAFF)
    page.goto(base_url + "/staff/incidents")
    expect(page.locator("table.queue tbody a").first).to_be_visible()
    page.evaluate("window.sameLoad = true")
    yield page
    context.close()


def _reloaded(page) -> bool:
    return page.evaluate("window.sameLoad !== true")


def test_the_queue_waits_while_a_link_in_it_has_the_focus(queue):
    queue.locator("table.queue tbody a").first.focus()
    queue.clock.run_for(PAST_A_REFRESH_MS)
    assert not _reloaded(queue)

    queue.evaluate("document.activeElement.blur()")
    with queue.expect_navigation():
        queue.clock.run_for(PAST_A_REFRESH_MS)
    assert _reloaded(queue)


def test_a_paused_refresh_stays_paused_after_the_page_is_opened_again(queue, base_url):
    toggle = queue.get_by_role("button", name="Pause automatic refresh")
    toggle.click()
    expect(queue.get_by_role("button", name="Resume automatic refresh")).to_be_visible()
    queue.locator("h1").click()  # the focus out of the queue
    queue.clock.run_for(PAST_A_REFRESH_MS)
    assert not _reloaded(queue)

    queue.goto(base_url + "/staff/incidents")
    queue.evaluate("window.sameLoad = true")
    resume = queue.get_by_role("button", name="Resume automatic refresh")
    expect(resume).to_be_visible()
    queue.clock.run_for(PAST_A_REFRESH_MS)
    assert not _reloaded(queue)

    resume.click()
    queue.locator("h1").click()
    with queue.expect_navigation():
        queue.clock.run_for(PAST_A_REFRESH_MS)
    expect(queue.get_by_role("button", name="Pause automatic refresh")).to_be_visible()


def test_the_queue_with_its_refresh_button_at_each_width(signed_in):
    page = signed_in.for_user(STAFF)
    page.goto(signed_in.base_url + "/staff/incidents")
    expect(page.get_by_role("button", name="Pause automatic refresh")).to_be_visible()
    check_at_each_width(page, "staff-queue-refresh-control")
