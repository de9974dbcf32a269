"""A defective patch in the real server: staff correct a typo in its notes, then withdraw it
naming the service pack to install instead; a customer finds it gone from the list, its page
saying when, why and what instead, and its file refused with 410. The edit page, the withdrawn
patch's page and its file's 410 page are checked at 1280 and 390 px (no sideways scrolling, no
axe-core violation) and saved as screenshots."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import sign_in
from tests.browser.layout_pages import (
    AXE_SCRIPT,
    DESKTOP,
    SCREENSHOT_DIR,
    WIDTHS,
    axe_violations,
    describe,
    require_axe,
)

pytestmark = pytest.mark.browser

REASON = "Corrupts the ledger when the journal is larger than 2 GB."


def check_layout(page: Page, name: str) -> None:
    """The page at each width: saved, never wider than the screen, no WCAG A/AA violation."""
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    for size in WIDTHS.values():
        page.set_viewport_size(size)
        page.reload()
        page.screenshot(path=SCREENSHOT_DIR / f"{name}-{size['width']}.png", full_page=True)
        widths = page.evaluate("() => [document.documentElement.scrollWidth, innerWidth]")
        assert widths[0] <= widths[1], f"{name} scrolls sideways at {size['width']} px"
        require_axe()
        violations = axe_violations(page)
        assert not violations, f"{name} at {size['width']} px:\n{describe(violations)}"
    page.set_viewport_size(DESKTOP)


def new_page(browser: Browser) -> Page:
    context = browser.new_context(bypass_csp=True, viewport=DESKTOP)  # axe is injected
    if AXE_SCRIPT.exists():
        context.add_init_script(path=AXE_SCRIPT)
    return context.new_page()


def test_staff_correct_then_withdraw_and_customers_are_told_why(browser: Browser, live_server,
                                                                tmp_path):
    hotfix = tmp_path / "erp-12.0-ledger-hotfix.zip"
    hotfix.write_bytes(b"defective" * 1000)
    patch_id = live_server.kb("patch", "add", "--product", "Orbit ERP", "--version", "12.0",
                              "--title", "Orbit ERP 12.0 ledger hotfx",
                              str(hotfix)).stdout.strip().splitlines()[-1]
    base_url = live_server.url

    staff = new_page(browser)
    sign_in(staff, base_url, "staff@demo.test")
    staff.goto(f"{base_url}/patches/{patch_id}")
    staff.get_by_role("link", name="Edit the patch").click()
    expect(staff.get_by_label("Title")).to_have_value("Orbit ERP 12.0 ledger hotfx")
    check_layout(staff, "patch-edit-journey")
    staff.get_by_label("Title").fill("Orbit ERP 12.0 ledger hotfix")
    staff.get_by_label("Summary").fill("Recounts ledger totals after a failed posting.")
    staff.get_by_role("button", name="Save changes").click()
    expect(staff.get_by_text("Your changes to Orbit ERP 12.0 ledger hotfix are saved.")) \
        .to_be_visible()

    file_url = staff.request.get(f"{base_url}/api/v1/patches/{patch_id}").json()["files"][0]["url"]
    staff.get_by_role("link", name="Withdraw the patch…").click()
    staff.get_by_label("Why it is withdrawn").fill(REASON)
    service_pack = staff.locator("select option", has_text="Orbit ERP 12.0 service pack 1")
    staff.get_by_label("Install instead").select_option(service_pack.get_attribute("value"))
    staff.get_by_role("button", name="Withdraw the patch").click()
    expect(staff.locator("#confirm-error")).to_have_text("Tick the box to confirm the withdrawal.")
    expect(staff.get_by_label("Why it is withdrawn")).to_have_value(REASON)
    staff.get_by_label("Yes, withdraw it").check()
    staff.get_by_role("button", name="Withdraw the patch").click()
    expect(staff.get_by_text("Orbit ERP 12.0 ledger hotfix is withdrawn.")).to_be_visible()
    staff.context.close()

    customer = new_page(browser)
    sign_in(customer, base_url, "elite@demo.test")
    customer.goto(f"{base_url}/patches/?product=orbit-erp")
    expect(customer.get_by_text("Orbit ERP 12.0 ledger hotfix")).to_have_count(0)
    customer.goto(f"{base_url}/patches/{patch_id}")
    notice = customer.locator(".withdrawn-notice")
    expect(notice).to_contain_text("Withdrawn on ")
    expect(notice).to_contain_text(REASON)
    expect(notice.get_by_role("link", name="Orbit ERP 12.0 service pack 1")).to_be_visible()
    expect(customer.get_by_role("link", name="Edit the patch")).to_have_count(0)
    check_layout(customer, "patch-withdrawn")
    assert customer.request.get(file_url).status == 410
    assert customer.goto(file_url).status == 410
    expect(customer.get_by_role("heading", name="This file is no longer available")) \
        .to_be_visible()
    check_layout(customer, "patch-file-gone")
    answer = customer.request.get(f"{base_url}/api/v1/patches/{patch_id}").json()
    [listed] = answer["files"]  # a script matches what it downloaded; the file itself is gone
    assert answer["status"] == "withdrawn" and listed["url"] == file_url
    customer.context.close()
