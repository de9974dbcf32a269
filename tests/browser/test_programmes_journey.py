"""The early adopter journey on the demo data: staff open a programme and keep a new patch to
it; the Elite customer applies; staff accept; the customer, told so, downloads the programme's
patch and asks in the members' space. A Premium customer finds neither the patch nor the
space."""

from __future__ import annotations

import hashlib
from datetime import date, timedelta

import pytest
from playwright.sync_api import Browser, expect

from tests.browser.conftest import menu_link, sign_in

pytestmark = pytest.mark.browser
PROGRAMME, PATCH = "Orbit ERP 14 preview", "Orbit ERP 14.0 preview build 1"


def page_of(browser: Browser, base_url: str, email: str):
    page = browser.new_context(accept_downloads=True).new_page()
    sign_in(page, base_url, email)
    return page


def _open_programme(staff, base_url: str) -> str:
    menu_link(staff, "Programmes").click()
    form = staff.locator("#programme-form")
    form.get_by_label("Title").fill(PROGRAMME)
    form.get_by_label("Product").fill("Orbit ERP")
    form.get_by_label("What is offered").fill("Preview builds of 14.0 and a weekly call.")
    form.get_by_label("Conditions").fill("Test systems only.")
    form.get_by_label("Seats (organisations)").fill("3")
    form.get_by_label("Takes applications from").fill((date.today() - timedelta(days=1))
                                                      .isoformat())
    form.get_by_label("Ends on (last day)").fill((date.today() + timedelta(days=60)).isoformat())
    form.get_by_role("button", name="Open the programme").click()
    expect(staff.get_by_role("heading", name=PROGRAMME)).to_be_visible()
    return staff.url


def _draft_patch_kept_to_the_programme(staff, programme_url: str, upload) -> None:
    menu_link(staff, "Downloads").click()
    staff.get_by_role("link", name="Publish a patch").click()
    staff.get_by_label("Product", exact=True).fill("Orbit ERP")
    staff.get_by_label("Title").fill(PATCH)
    staff.get_by_label("Files").set_input_files([str(upload)])
    staff.get_by_label("Publish now (otherwise keep as a draft)").uncheck()
    staff.get_by_role("button", name="Upload and publish").click()
    expect(staff.get_by_role("heading", name=PATCH)).to_be_visible()
    staff.goto(programme_url)
    _choose_patch(staff)
    staff.get_by_role("button", name="Keep the patch to the members").click()
    downloads = staff.locator("#downloads")
    downloads.get_by_role("link", name=PATCH).click()
    staff.get_by_role("button", name="Publish it").click()
    expect(staff.locator("body")).to_contain_text("is published")


def _choose_patch(staff) -> None:
    select = staff.get_by_label("Patch", exact=True)
    label = next(text for text in select.locator("option").all_inner_texts()
                 if text.startswith(PATCH))
    select.select_option(label=label)


def test_apply_accept_download_and_ask_in_the_members_space(browser: Browser, base_url: str,
                                                          tmp_path):
    upload = tmp_path / "erp-14.0-preview1.zip"
    upload.write_bytes(b"preview build " * 5000)
    staff = page_of(browser, base_url, "staff@demo.test")
    programme_url = _open_programme(staff, base_url)
    _draft_patch_kept_to_the_programme(staff, programme_url, upload)

    customer = page_of(browser, base_url, "elite@demo.test")
    menu_link(customer, "Early adopter programmes").click()
    customer.get_by_role("link", name=PROGRAMME).click()
    customer.get_by_label("Why your organisation would like to take part (optional)").fill(
        "Two plants move to 14.0 first.")
    customer.get_by_role("button", name="Apply for Fabrikam Logistics").click()
    expect(customer.locator("#application")).to_contain_text("Applied, waiting for staff")
    expect(customer.locator("#downloads")).to_have_count(0)

    staff.goto(programme_url)
    application = staff.locator("#applications li", has_text="Fabrikam Logistics")
    application.get_by_label("Word to Fabrikam Logistics").fill("Welcome aboard.")
    application.get_by_role("button", name="Accept").click()
    expect(staff.locator("#applications")).to_contain_text("Accepted")

    customer.reload()
    expect(customer.locator("#application")).to_contain_text("Welcome aboard.")
    customer.locator("#downloads").get_by_role("link", name=PATCH).click()
    with customer.expect_download() as download_info:
        customer.get_by_role("link", name=upload.name).click()
    saved = tmp_path / "downloaded.zip"
    download_info.value.save_as(saved)
    assert hashlib.sha256(saved.read_bytes()).digest() == hashlib.sha256(
        upload.read_bytes()).digest()

    customer.go_back()
    customer.locator("#space").get_by_role("link").click()
    customer.get_by_role("link", name="Ask in this space").click()
    customer.get_by_label("Title").fill("Does preview 1 keep our custom reports?")
    customer.get_by_label("Details (Markdown)").fill("We have forty of them on 12.0.")
    customer.get_by_role("button", name="Post the question").click()
    expect(customer.get_by_role("heading", name="Does preview 1 keep our custom reports?")
           ).to_be_visible()

    premium = page_of(browser, base_url, "premium@demo.test")
    premium.goto(base_url + "/patches/")
    expect(premium.locator("main")).not_to_contain_text(PATCH)
    premium.goto(base_url + "/community/")
    expect(premium.locator("main")).not_to_contain_text(f"{PROGRAMME}: members")
