"""Forms whose input kb refuses after the browser's own checks were bypassed (a file that is
not what its name says, a program, a note past its maxlength, a required field left empty, as
curl or devtools send them): each answers with the form again, the reason beside its field,
what was typed kept, and the page is checked at 1280 and 390 px (screenshots, axe-core)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.layout_pages import CUSTOMER, STAFF, check_at_each_width

pytestmark = pytest.mark.browser

PE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + bytes(46) + b"\x80\x00\x00\x00" \
    + bytes(64) + b"PE\x00\x00" + bytes(200)
LONG_NOTE = "Advert for a shop, not an answer. " * 15  # 510 characters


def _bypass_checks(page: Page, selector: str) -> None:
    """What devtools or curl do: drop the fields' maxlength and required."""
    page.eval_on_selector_all(selector, """fields => fields.forEach(field => {
        field.removeAttribute('maxlength'); field.removeAttribute('required');
        if (field.type === 'radio') { field.checked = false; } })""")


def _question(page: Page, base_url: str) -> None:
    page.goto(base_url + "/community/")
    page.get_by_role("link", name="How do you number invoices across two posting servers?",
                     exact=True).first.click()
    page.wait_for_load_state()


def test_a_text_file_named_mp4_is_refused_beside_the_video_field(signed_in):
    page = signed_in.for_user(STAFF)
    page.goto(signed_in.base_url + "/sessions/staff/recordings/new")
    page.get_by_label("Title", exact=True).fill("Queue monitoring in depth")
    page.get_by_label("Recorded on").fill("2026-11-20")
    page.get_by_label("Video file (MP4, WebM, Ogg)").set_input_files(
        {"name": "notes.mp4", "mimeType": "video/mp4", "buffer": b"Meeting notes\n" * 40})
    page.get_by_label("Duration (minutes)").fill("42")
    page.get_by_role("button", name="Save the recording").click()
    expect(page.locator("#video-error")).to_contain_text("'notes.mp4' is not an MP4 video")
    expect(page.get_by_label("Title", exact=True)).to_have_value("Queue monitoring in depth")
    check_at_each_width(page, "recording-form-false-video")


def test_a_program_is_refused_beside_the_attachments_of_a_new_incident(signed_in):
    page = signed_in.for_user(CUSTOMER)
    page.goto(signed_in.base_url + "/support/incidents/new")
    page.get_by_label("Product", exact=True).select_option("Orbit ERP")
    page.get_by_label("Severity 3 – Medium").check()
    page.get_by_label("Title", exact=True).fill("Export to Excel drops the last column")
    page.get_by_label("Description (Markdown)").fill("Since 12.0 SP1, every export.")
    page.get_by_label("Attachments").set_input_files([
        {"name": "export.log", "mimeType": "text/plain", "buffer": b"column 12 missing\n"},
        {"name": "setup.exe", "mimeType": "application/octet-stream", "buffer": PE}])
    page.get_by_role("button", name="Log the incident").click()
    expect(page.locator("#attachments-error")).to_contain_text(
        "setup.exe cannot be attached: .exe files are programs or scripts")
    # the good file cannot be kept by the page: the message says to pick it again
    expect(page.locator("#attachments-error")).to_contain_text(
        "pick export.log again, without setup.exe.")
    expect(page.get_by_label("Title", exact=True)).to_have_value(
        "Export to Excel drops the last column")
    check_at_each_width(page, "incident-new-refused-attachment")


def test_a_program_is_refused_beside_the_attachments_of_a_reply(signed_in):
    page = signed_in.for_user(CUSTOMER)
    page.goto(signed_in.base_url + "/support/incidents?show=all")
    page.get_by_role("link", name="Retry queue grows overnight").first.click()
    page.get_by_label("Your reply (Markdown)").fill("The log of last night is attached.")
    page.locator("#reply-attachments").set_input_files(
        {"name": "night.log", "mimeType": "text/plain", "buffer": PE})
    page.get_by_role("button", name="Send the reply").click()
    expect(page.locator("#reply-attachments-error")).to_contain_text(
        "night.log cannot be attached: it is a Windows program")
    expect(page.get_by_label("Your reply (Markdown)")).to_have_value(
        "The log of last night is attached.")
    check_at_each_width(page, "incident-reply-refused-attachment")


def test_an_empty_report_is_refused_beside_its_reason(signed_in):
    page = signed_in.for_user(CUSTOMER)
    _question(page, signed_in.base_url)
    page.get_by_text("Report the question").click()
    _bypass_checks(page, "#report-question")
    page.get_by_role("button", name="Send the report").first.click()
    expect(page.locator("#report-question-error")).to_contain_text("Say briefly what is wrong")
    check_at_each_width(page, "community-report-refused")


def test_a_fields_help_stays_help_beside_its_error(signed_in):
    page = signed_in.for_user(CUSTOMER)
    page.goto(signed_in.base_url + "/community/ask")
    page.get_by_label("Title").fill("Why?")  # too short to be a question's title
    page.get_by_role("button", name="Post the question").click()
    expect(page.locator("#title")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#title-error")).to_be_visible()
    # Pico colours whatever follows an invalid field as an error: the help keeps its grey
    expect(page.locator("#title-help")).to_have_css("color", "rgb(100, 107, 121)")
    expect(page.locator("#title-error")).to_have_css("color", "rgb(185, 28, 28)")


@pytest.mark.parametrize("form", ["hide-question", "hide-answer", "outdated"])
def test_a_long_moderation_note_is_refused_beside_it_as_typed(signed_in, form):
    page = signed_in.for_user(STAFF)
    _question(page, signed_in.base_url)
    if form == "hide-question":
        field, button = page.locator("#hide-note"), "Hide the question"
    else:
        summary = "Hide the answer" if form == "hide-answer" else "Mark as outdated"
        page.get_by_text(summary, exact=True).first.click()
        prefix = "hide-note-answer-" if form == "hide-answer" else "outdated-note-"
        field, button = page.locator(f"[id^={prefix}]").first, summary
    _bypass_checks(page, "input[name=note]")
    field.fill(LONG_NOTE)
    field.locator("xpath=ancestor::form").get_by_role("button", name=button).click()
    refused = page.locator(".field-error")
    expect(refused).to_have_text("Keep the note under 500 characters.")
    expect(page.locator("[aria-invalid=true]")).to_have_value(LONG_NOTE)
    check_at_each_width(page, f"community-{form}-note-refused")


def test_an_empty_request_for_remote_access_is_refused_beside_its_reason(signed_in):
    page = signed_in.for_user(STAFF)
    page.goto(signed_in.base_url + "/staff/incidents")
    page.get_by_role("link", name="Retry queue grows overnight").first.click()
    _bypass_checks(page, "#reason")
    page.get_by_role("button", name="Ask for remote access").click()
    expect(page.locator("#reason-error")).to_have_text("Say why support needs remote access.")
    check_at_each_width(page, "remote-access-request-refused")


def test_a_helpful_answer_without_a_choice_keeps_its_comment(signed_in):
    page = signed_in.for_user(CUSTOMER)
    page.goto(signed_in.base_url + "/articles/erp/invoice-numbering-duplicates-12-0")
    _bypass_checks(page, "input[name=helpful]")
    page.get_by_label("Comment (optional)").fill("Step 3 names a menu that is gone.")
    page.locator("#helpful").get_by_role("button", name="Send").click()
    expect(page.locator("#helpful-error")).to_have_text("Choose yes or no.")
    expect(page.get_by_label("Comment (optional)")).to_have_value(
        "Step 3 names a menu that is gone.")
    check_at_each_width(page, "article-helpful-refused")


def test_a_live_session_moved_into_the_past_is_refused_beside_its_start(signed_in):
    page = signed_in.for_user(STAFF)
    page.goto(signed_in.base_url + "/sessions/live")
    page.get_by_role("link", name="Ask us anything: upgrading to Orbit ERP 12.0").click()
    page.get_by_role("link", name="Edit or reschedule").click()
    page.get_by_label("Starts at").fill("2020-01-01T10:00")
    page.get_by_label("Seats").fill("30")
    page.get_by_role("button", name="Save the session").click()
    expect(page.locator("#local_start-error")).to_have_text(
        "2020-01-01 10:00 (Europe/Berlin) is in the past; a session must start later than now.")
    expect(page.get_by_label("Starts at")).to_have_value("2020-01-01T10:00")
    expect(page.get_by_label("Seats")).to_have_value("30")
    check_at_each_width(page, "live-session-edit-refused")


def test_an_alert_opened_without_a_title_lands_on_its_summary(signed_in):
    page = signed_in.for_user(STAFF)
    page.goto(signed_in.base_url + "/staff/alerts")
    page.get_by_label("What customers see").fill("Totals stay open after the midnight run.")
    page.get_by_label("Products").fill("Orbit ERP")
    page.get_by_role("button", name="Open the alert and tell subscribers").click()
    expect(page).to_have_title("Error: Critical alerts · Orbitec Support")
    expect(page.locator("#alert-problem")).to_be_focused()
    expect(page.locator("#title-error")).to_have_text("Give the alert a title.")
    expect(page.get_by_label("What customers see")).to_have_value(
        "Totals stay open after the midnight run.")
    check_at_each_width(page, "staff-alert-refused")


def test_a_space_with_too_short_a_name_lands_on_its_summary(signed_in):
    page = signed_in.for_user(STAFF)
    page.goto(signed_in.base_url + "/staff/community")
    page.locator(".space-form").get_by_label("Name").fill("ab")
    page.locator(".space-form").get_by_role("button", name="Open the space").click()
    expect(page.locator("#space-problem")).to_be_focused()
    expect(page.locator("#name-error")).to_have_text("Give a name of 3 to 200 characters.")
    expect(page.locator(".space-form").get_by_label("Name")).to_have_value("ab")
    check_at_each_width(page, "community-space-refused")


def test_a_response_target_that_is_no_number_lands_on_the_summary(signed_in):
    page = signed_in.for_user(STAFF)
    page.goto(signed_in.base_url + "/staff/support/targets")
    page.get_by_label("Minutes, Premium severity 2").fill("soon")
    page.locator("#target-premium-2").get_by_role("button", name="Save").click()
    expect(page).to_have_title("Error: Response targets · Orbitec Support")
    expect(page.locator("#targets-problem")).to_be_focused()
    page.locator("#targets-problem").get_by_role("link").click()
    expect(page.get_by_label("Minutes, Premium severity 2")).to_have_value("soon")
    check_at_each_width(page, "response-target-refused")


def test_a_recording_saved_after_a_refusal_lands_on_its_page_without_the_summarys_anchor(
        signed_in):
    page = signed_in.for_user(STAFF)
    page.goto(signed_in.base_url + "/sessions/staff/recordings/new")
    page.get_by_label("Recorded on").fill("2026-11-20")
    page.get_by_label("https:// address").fill("https://videos.example.test/queue-depth")
    page.get_by_label("Duration (minutes)").fill("42")
    page.get_by_role("button", name="Save the recording").click()
    expect(page.locator("#recording-problem")).to_be_focused()
    expect(page.locator("#title-error")).to_be_visible()
    page.get_by_label("Title", exact=True).fill("Queue depth, refused then saved")
    page.get_by_role("button", name="Save the recording").click()
    expect(page.get_by_role("heading", name="Queue depth, refused then saved")).to_be_visible()
    assert "#" not in page.url, page.url
