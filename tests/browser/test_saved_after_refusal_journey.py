"""Forms refused once and then saved: the refusal lands on its summary (which takes the focus
itself), and the saved form's page has no ``#...-problem`` in its address. A form posting to
``#...-problem`` kept that fragment through its success redirect, which has none of its own."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import sign_in
from tests.browser.layout_pages import CUSTOMER, CUSTOMER_ADMIN, STAFF, check_at_each_width

pytestmark = pytest.mark.browser

QUESTION = "How do you number invoices across two posting servers?"


def _saved_without_anchor(page: Page) -> None:
    assert "#" not in page.url, page.url


def test_a_reset_request_sent_after_a_refusal_lands_on_sign_in_without_the_anchor(
        browser, base_url):
    context = browser.new_context()
    page = context.new_page()
    try:
        page.goto(base_url + "/reset-password")
        page.get_by_label("E-mail address").fill("not an address")
        page.get_by_role("button", name="Send the link").click()
        expect(page.locator("#reset-problem")).to_be_focused()
        expect(page).to_have_title(re.compile(r"^Error: "))
        page.get_by_label("E-mail address").fill("premium@demo.test")
        page.get_by_role("button", name="Send the link").click()
        expect(page.get_by_text("If that address has an account, a reset link is on its way."))\
            .to_be_visible()
        assert page.url == base_url + "/sign-in", page.url
    finally:
        context.close()


def test_a_question_edited_after_a_refusal_lands_on_it_without_the_anchor(signed_in):
    page = signed_in.for_user(STAFF)
    page.goto(signed_in.base_url + "/community/")
    page.get_by_role("link", name=QUESTION, exact=True).first.click()
    page.get_by_role("link", name="Edit the question").click()
    page.get_by_label("Title").fill("")
    page.get_by_role("button", name="Save the changes").click()
    expect(page.locator("#form-problem")).to_be_focused()
    check_at_each_width(page, "question-edit-refused")
    page.get_by_label("Title").fill(QUESTION)
    page.get_by_role("button", name="Save the changes").click()
    expect(page.get_by_text("Your changes are saved.")).to_be_visible()
    expect(page.get_by_role("heading", name=QUESTION)).to_be_visible()
    _saved_without_anchor(page)


def test_a_patch_corrected_after_a_refusal_lands_on_its_page_without_the_anchor(
        browser, live_server, tmp_path):
    hotfix = tmp_path / "erp-12.0-costing-hotfix.zip"
    hotfix.write_bytes(b"costing" * 1000)
    patch_id = live_server.kb("patch", "add", "--product", "Orbit ERP", "--version", "12.0",
                              "--title", "Orbit ERP 12.0 costing hotfx",
                              str(hotfix)).stdout.strip().splitlines()[-1]
    context = browser.new_context()
    page = context.new_page()
    try:
        sign_in(page, live_server.url, STAFF)
        page.goto(f"{live_server.url}/patches/{patch_id}/edit")
        page.get_by_label("Title").fill("")
        page.get_by_role("button", name="Save changes").click()
        expect(page.locator("#patch-problem")).to_be_focused()
        page.get_by_label("Title").fill("Orbit ERP 12.0 costing hotfix")
        page.get_by_role("button", name="Save changes").click()
        expect(page.get_by_text("Your changes to Orbit ERP 12.0 costing hotfix are saved.")) \
            .to_be_visible()
        assert page.url == f"{live_server.url}/patches/{patch_id}", page.url
    finally:
        context.close()


def test_an_organisation_created_after_a_refusal_lands_on_its_page_without_the_anchor(
        signed_in):
    page = signed_in.for_user(STAFF)
    page.goto(signed_in.base_url + "/staff/organizations/new")
    page.get_by_label("Name").fill("")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#organization-problem")).to_be_focused()
    page.get_by_label("Name").fill("Fabrikam Fragments Ltd")
    page.get_by_label("Support plan").select_option("premium")
    page.get_by_label("Term starts").fill("2030-01-01")
    page.get_by_label("Term ends").fill("2030-12-31")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Fabrikam Fragments Ltd has been created.")).to_be_visible()
    _saved_without_anchor(page)


def refuse_then_save(page: Page, button: str, summary_id: str, correct, saved: str) -> None:
    """Send the form as it is (refused: its summary takes the focus), ``correct`` it, send it
    again: ``saved`` shows, and the address has no fragment."""
    page.get_by_role("button", name=button).click()
    expect(page.locator(f"#{summary_id}")).to_be_focused()
    expect(page).to_have_title(re.compile(r"^Error: "))
    correct()
    page.get_by_role("button", name=button).click()
    expect(page.get_by_text(saved).first).to_be_visible()
    _saved_without_anchor(page)


def over_limit(page: Page, selector: str, length: int) -> None:
    """Past the field's maxlength, as a script or an old browser could send it."""
    page.locator(selector).evaluate(f"input => input.value = 'x'.repeat({length})")


def test_a_sign_in_after_a_wrong_password_lands_without_the_anchor(browser, base_url):
    context = browser.new_context()
    page = context.new_page()
    try:
        page.goto(base_url + "/sign-in")
        page.get_by_label("E-mail address").fill("premium@demo.test")
        page.get_by_label("Password").fill("not-the-password")
        refuse_then_save(page, "Sign in", "sign-in-problem",
                         lambda: page.get_by_label("Password").fill("demo-password"),
                         "Paula Premium")
        assert page.url == base_url + "/", page.url
    finally:
        context.close()


def test_a_profile_and_a_token_saved_after_a_refusal_land_without_the_anchor(signed_in):
    page = signed_in.for_user(CUSTOMER)
    page.goto(signed_in.base_url + "/account")
    over_limit(page, "#name", 201)
    refuse_then_save(page, "Save the profile", "profile-problem",
                     lambda: page.get_by_label("Name", exact=True).fill("Elena Elite"),
                     "Your profile has been saved.")
    refuse_then_save(page, "Create a token", "token-problem",
                     lambda: page.get_by_label("Token name").fill("Nightly stock export"),
                     "Nightly stock export")
    assert page.url == signed_in.base_url + "/account/tokens", page.url


def test_a_password_changed_after_a_refusal_lands_on_the_account_without_the_anchor(
        browser, base_url):
    context = browser.new_context()
    page = context.new_page()
    try:
        sign_in(page, base_url, "lapsed@demo.test")
        for old, new in (("demo-password", "a-long-new-password"),
                         ("a-long-new-password", "demo-password")):  # and back, for the others
            page.goto(base_url + "/account")
            _fill_passwords(page, old, new, new + "-not")
            refuse_then_save(page, "Change the password", "password-problem",
                             lambda: _fill_passwords(page, old, new, new),  # noqa: B023
                             "Your password has been changed")
            assert page.url == base_url + "/account", page.url
    finally:
        context.close()


def _fill_passwords(page: Page, current: str, new: str, repeated: str) -> None:
    # a refused page keeps no password typed
    page.get_by_label("Current password").fill(current)
    page.get_by_label("New password", exact=True).fill(new)
    page.get_by_label("Repeat the new password").fill(repeated)


def test_an_invitation_sent_after_a_refusal_lands_without_the_anchor(signed_in):
    page = signed_in.for_user(CUSTOMER_ADMIN)
    page.goto(signed_in.base_url + "/organization/users")
    page.get_by_label("E-mail address").fill("not an address")
    refuse_then_save(page, "Send the invitation", "invite-problem",
                     lambda: page.get_by_label("E-mail address").fill("refused-once@demo.test"),
                     "refused-once@demo.test has been invited.")
