"""Article images in the browser: staff save a new article, upload an image on its edit page
(the text they typed and did not save stays), see it in the preview beside a note for an image
the article lacks, are told why an SVG is refused, publish, and a customer sees the image. An
image past the limit is refused at once, with or without scripts, and lands on the editor."""

from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.articles.image_samples import SVG, png
from tests.browser.conftest import sign_in
from tests.browser.layout_pages import (
    PHONE,
    SCREENSHOT_DIR,
    SignedInPages,
    check_at_each_width,
)
from tests.browser.test_articles_journeys import signed_in_page

pytestmark = pytest.mark.browser


def upload(page: Page, name: str, data: bytes, mime_type: str) -> None:
    page.get_by_label("Image (PNG, JPEG, GIF or WebP)").set_input_files(
        {"name": name, "mimeType": mime_type, "buffer": data})
    page.get_by_role("button", name="Upload image").click()


def test_staff_add_an_image_and_customers_see_it(browser: Browser, base_url):
    title = f"Queue monitor {uuid.uuid4().hex[:6]}"
    staff = signed_in_page(browser, base_url, "staff@demo.test")
    staff.goto(f"{base_url}/staff/articles/new")
    expect(staff.locator("#images")).to_contain_text("Save the article once")
    staff.get_by_label("Title").fill(title)
    staff.get_by_label("Body (Markdown)").fill(
        "The queue:\n\n![The posting queue](images/queue.png)\n\n![A chart](images/chart.png)")
    staff.get_by_role("button", name="Save draft").click()
    preview = staff.locator("#preview")
    expect(preview.locator(".image-missing")).to_have_text(
        ["missing image: queue.png", "missing image: chart.png"])

    body = staff.get_by_label("Body (Markdown)")
    body.press("Control+End")
    body.type("\n\nWords typed, not saved yet.")
    upload(staff, "queue.png", png(600, 200), "image/png")
    status = staff.locator("#image-status")
    expect(status).to_contain_text("queue.png has been uploaded")
    expect(status).not_to_have_class("field-error")
    expect(staff.locator(".image-list")).to_contain_text("![queue](images/queue.png)")
    assert body.input_value().endswith("Words typed, not saved yet.")
    image = preview.get_by_role("img", name="The posting queue")
    expect(image).to_be_visible()
    expect(image).to_have_js_property("naturalWidth", 600)  # visible (sized) before loaded
    expect(preview.locator(".image-missing")).to_have_text("missing image: chart.png")
    staff.locator("#images").screenshot(path=SCREENSHOT_DIR / "article-images-part-1280.png")
    preview.screenshot(path=SCREENSHOT_DIR / "article-preview-missing-image-1280.png")

    upload(staff, "logo.svg", SVG, "image/svg+xml")
    expect(status).to_contain_text("is an SVG image, which may hold scripts")
    expect(status).to_have_class("field-error")  # a refusal reads as an error, in red
    staff.get_by_role("button", name="Publish", exact=True).click()
    expect(staff.locator(".flash-success")).to_contain_text("has been saved (published)")

    address = staff.get_by_role("link", name="View").get_attribute("href")
    customer = signed_in_page(browser, base_url, "premium@demo.test")
    customer.set_viewport_size(PHONE)
    customer.goto(base_url + address)
    shown = customer.locator(".article-body").get_by_role("img", name="The posting queue")
    expect(shown).to_be_visible()
    expect(shown).to_have_js_property("naturalWidth", 600)
    assert shown.evaluate("element => element.getBoundingClientRect().width") <= PHONE["width"]
    assert shown.get_attribute("loading") == "lazy"
    expect(customer.locator(".article-body")).to_contain_text("A chart")
    expect(customer.get_by_text("missing image")).to_have_count(0)
    customer.screenshot(path=SCREENSHOT_DIR / "article-with-uploaded-image-390.png",
                        full_page=True)
    for page in (staff, customer):
        page.context.close()


def test_removing_an_image_is_asked_first_with_and_without_a_script(browser: Browser, base_url):
    title = f"Dock layout {uuid.uuid4().hex[:6]}"
    staff = signed_in_page(browser, base_url, "staff@demo.test")
    staff.goto(f"{base_url}/staff/articles/new")
    staff.get_by_label("Title").fill(title)
    staff.get_by_label("Body (Markdown)").fill("![The dock](images/dock.png)")
    staff.get_by_role("button", name="Save draft").click()
    upload(staff, "dock.png", png(300, 100), "image/png")
    status = staff.locator("#image-status")
    expect(status).to_contain_text("dock.png has been uploaded")
    body = staff.get_by_label("Body (Markdown)")
    body.press("Control+End")
    body.type("\n\nNot saved yet.")

    staff.get_by_role("link", name="Remove dock.png …").click()
    asked = staff.locator(".image-remove-confirm")
    expect(asked).to_be_visible()
    expect(asked).to_contain_text("Remove dock.png? Where the text shows it")
    staff.locator("#images").screenshot(path=SCREENSHOT_DIR / "article-image-remove-asked-1280.png")
    staff.get_by_role("button", name="Keep it").click()
    expect(asked).to_be_hidden()
    expect(staff.locator(".image-list")).to_contain_text("![dock](images/dock.png)")
    staff.get_by_role("link", name="Remove dock.png …").click()
    asked.get_by_role("button", name="Remove dock.png").click()
    expect(status).to_contain_text("dock.png has been removed")
    expect(staff.locator("#image-list")).to_contain_text("No images yet.")
    assert body.input_value().endswith("Not saved yet.")
    editor_address = staff.url

    upload(staff, "dock.png", png(300, 100), "image/png")
    expect(status).to_contain_text("dock.png has been uploaded")
    scriptless = browser.new_context(java_script_enabled=False).new_page()
    sign_in(scriptless, base_url, "staff@demo.test")
    scriptless.goto(editor_address)
    scriptless.get_by_role("link", name="Remove dock.png …").click()
    expect(scriptless.get_by_role("heading", level=1)).to_have_text("Remove dock.png?")
    expect(scriptless.locator("#removal-consequences")).to_contain_text(
        "The saved text shows it 1 time")
    checked = SignedInPages(browser, base_url)  # with axe-core, which needs a script
    checked.for_user("staff@demo.test").goto(scriptless.url)
    check_at_each_width(checked.for_user("staff@demo.test"), "article-image-remove-confirmation")
    checked.close()
    scriptless.get_by_role("link", name="Keep the image").click()
    expect(scriptless.locator(".image-list")).to_contain_text("dock.png")
    scriptless.get_by_role("link", name="Remove dock.png …").click()
    scriptless.get_by_role("button", name="Remove the image").click()
    expect(scriptless.locator("#image-status")).to_contain_text("dock.png has been removed")
    expect(scriptless.locator("#image-list")).to_contain_text("No images yet.")
    for page in (staff, scriptless):
        page.context.close()


def test_an_image_past_the_limit_is_refused_at_once(browser: Browser, base_url, tmp_path):
    staff = signed_in_page(browser, base_url, "staff@demo.test")
    staff.goto(f"{base_url}/staff/articles/new")
    staff.get_by_label("Title").fill(f"Large screenshots {uuid.uuid4().hex[:6]}")
    staff.get_by_role("button", name="Save draft").click()
    editor_address = staff.url
    body = staff.get_by_label("Body (Markdown)")
    body.fill("Typed, not saved.")
    sent = []
    staff.on("request", lambda request: sent.append(request.url)
             if "/images" in request.url else None)
    upload(staff, "huge.png", png() + bytes(6 * 1024 * 1024), "image/png")
    status = staff.locator("#image-status")
    expect(status).to_have_text(
        "huge.png is larger than the limit of 5.0 MiB per image; nothing was uploaded.")
    expect(status).to_have_class("field-error")
    assert sent == [] and body.input_value() == "Typed, not saved."
    staff.locator("#images").screenshot(path=SCREENSHOT_DIR / "article-image-too-large-1280.png")
    staff.set_viewport_size(PHONE)
    staff.locator("#images").screenshot(path=SCREENSHOT_DIR / "article-image-too-large-390.png")

    without_script = browser.new_context(java_script_enabled=False).new_page()
    sign_in(without_script, base_url, "staff@demo.test")
    without_script.goto(editor_address)
    huge = tmp_path / "huge.png"
    with huge.open("wb") as file:
        file.write(png())
        file.truncate(50 * 1024 * 1024)
    without_script.get_by_label("Image (PNG, JPEG, GIF or WebP)").set_input_files(huge)
    with without_script.expect_navigation():
        without_script.get_by_role("button", name="Upload image").click()
    assert without_script.url == editor_address + "#images"
    refusal = without_script.locator("#image-status")
    expect(refusal).to_have_text(
        "The upload is larger than the limit of 5.0 MiB per image; nothing was uploaded.")
    expect(refusal).to_have_class("field-error")
    expect(refusal).to_be_in_viewport()
    expect(without_script.locator(".flashes")).to_have_count(0)
    expect(without_script.locator(".image-list")).to_have_count(0)
    for width, name in ((1280, "1280"), (PHONE["width"], "390")):
        without_script.set_viewport_size({"width": width, "height": 900})
        without_script.locator("#images").evaluate("element => element.scrollIntoView()")
        without_script.screenshot(
            path=SCREENSHOT_DIR / f"article-image-too-large-without-script-{name}.png")
    for page in (staff, without_script):
        page.context.close()


def test_restoring_a_revision_brings_back_its_image(browser: Browser, base_url):
    staff = signed_in_page(browser, base_url, "staff@demo.test")
    staff.goto(f"{base_url}/staff/articles/new")
    staff.get_by_label("Title").fill(f"Posting queue {uuid.uuid4().hex[:6]}")
    body = staff.get_by_label("Body (Markdown)")
    body.fill("The queue: ![The posting queue](images/queue.png)")
    staff.get_by_role("button", name="Save draft").click()
    upload(staff, "queue.png", png(600, 200), "image/png")
    expect(staff.locator("#image-status")).to_contain_text("queue.png has been uploaded")
    staff.get_by_role("button", name="Save draft").click()  # revision 2 has the image
    staff.get_by_role("link", name="Remove queue.png …").click()
    staff.locator(".image-remove-confirm").get_by_role("button", name="Remove queue.png").click()
    expect(staff.locator("#image-status")).to_contain_text("queue.png has been removed")
    body.fill("The queue, no picture.")
    staff.get_by_role("button", name="Save draft").click()  # revision 3 has none
    staff.get_by_role("link", name="History").click()
    row = staff.get_by_role("row").filter(has=staff.get_by_role("cell", name="2", exact=True))
    expect(row).to_contain_text("queue.png")
    row.get_by_role("button", name="Restore").click()
    expect(staff.locator(".flash-success")).to_have_text(
        "Revision 2 has been restored as a new revision. Images brought back: queue.png.")
    for width, name in ((1280, "1280"), (PHONE["width"], "390")):
        staff.set_viewport_size({"width": width, "height": 800})
        staff.screenshot(path=SCREENSHOT_DIR / f"article-history-image-restored-{name}.png")
    staff.get_by_role("link", name="Back to the editor").click()
    image = staff.locator("#preview").get_by_role("img", name="The posting queue")
    expect(image).to_be_visible()
    staff.context.close()
