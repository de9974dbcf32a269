"""Two-step sign-in in the browser: a customer turns it on (QR code, the key typed into an
"app", the recovery codes shown once), signs in again with a code from the app, and their
administrator resets it for a lost phone. On a server of its own: the demo user keeps it."""

from __future__ import annotations

import re
import shutil
import time

import pyotp
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import reveal, running_server, sign_in
from tests.browser.layout_pages import AXE_SCRIPT, check_at_each_width

pytestmark = pytest.mark.browser
CUSTOMER = "xtreme@demo.test"
ADMINISTRATOR = "xtreme-admin@demo.test"


@pytest.fixture(scope="module")
def own_server(tmp_path_factory):
    directory = tmp_path_factory.mktemp("two-step-live")
    with running_server(directory) as server:
        yield server
    shutil.rmtree(directory, ignore_errors=True)


def _new_page(browser: Browser) -> Page:
    context = browser.new_context()
    if AXE_SCRIPT.exists():
        context.add_init_script(path=AXE_SCRIPT)
    return context.new_page()


def _sign_out(page: Page) -> None:
    reveal(page.get_by_role("button", name="Sign out", exact=True, include_hidden=True)).click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()


def test_turn_on_sign_in_with_a_code_and_an_administrators_reset(browser: Browser, own_server):
    base_url = own_server.url
    page = _new_page(browser)
    sign_in(page, base_url, CUSTOMER)
    page.goto(base_url + "/account")
    page.get_by_role("button", name="Turn on two-step sign-in").click()

    expect(page.get_by_role("heading", name="Turn on two-step sign-in")).to_be_visible()
    expect(page.locator("svg.qr-code")).to_be_visible()
    check_at_each_width(page, "two-step-enrolment")
    app = pyotp.TOTP(page.locator("#two-step-secret").inner_text().replace(" ", ""))
    page.get_by_label("Code from the app").fill("12345")  # a digit short: refused first
    page.get_by_role("button", name="Turn on two-step sign-in").click()
    expect(page.locator("#enrol-problem")).to_be_focused()
    page.get_by_label("Code from the app").fill(app.now())
    page.get_by_role("button", name="Turn on two-step sign-in").click()

    expect(page.get_by_role("heading", name="Two-step sign-in is on")).to_be_visible()
    assert "#" not in page.url, page.url  # the form posts without #enrol-problem
    codes = page.locator("#recovery-codes code").all_inner_texts()
    assert len(codes) == 10 and all(re.fullmatch(r"[a-z0-9]{5}-[a-z0-9]{5}", c) for c in codes)
    check_at_each_width(page, "two-step-recovery-codes")
    page.get_by_role("link", name="I have saved them").click()
    expect(page.locator("#two-step")).to_contain_text("You have 10 unused recovery codes")
    check_at_each_width(page, "two-step-account-on")
    _sign_out(page)

    page.get_by_label("E-mail address").fill(CUSTOMER)
    page.get_by_label("Password").fill("demo-password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Enter your code")).to_be_visible()
    check_at_each_width(page, "two-step-second-step")
    page.goto(base_url + "/account")  # the password alone opens nothing
    expect(page).to_have_url(f"{base_url}/sign-in?next=%2Faccount")
    page.goto(base_url + "/sign-in/two-step")
    code = page.get_by_label("Code from your authenticator app")
    code.fill("000000" if app.now() != "000000" else "111111")
    code.press("Enter")
    expect(page.locator(".field-error")).to_contain_text("That code is not right")
    # the next window's code: the current one may be the window enrolment just used
    page.get_by_label("Code from your authenticator app").fill(app.at(time.time() + 30))
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name=re.compile("Welcome"))).to_be_visible()
    _sign_out(page)

    administrator = _new_page(browser)
    sign_in(administrator, base_url, ADMINISTRATOR)
    administrator.goto(base_url + "/organization/users")
    row = administrator.get_by_role("row").filter(has_text=CUSTOMER)
    expect(row).to_contain_text("on")
    row.get_by_role("button", name="Reset two-step").click()
    expect(administrator.locator(".flash-success")).to_contain_text("has been reset")

    sign_in(page, base_url, CUSTOMER)
    expect(page.get_by_role("heading", name=re.compile("Welcome"))).to_be_visible()
