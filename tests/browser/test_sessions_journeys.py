"""Learning-session journeys against the real server: a Premium user registers, downloads the
invite and sees the join details appear at the set time; an Xtreme user sees the prompt and
cannot register; staff cancel a session and its registrant reads why; a customer requests a
topic and sees a suggestion; staff publish a recording with a transcript, and a transcript
timestamp (or a hit's #t= link) opens it at the moment."""

from __future__ import annotations

import re
import time

import pytest
from icalendar import Calendar
from playwright.sync_api import Page, expect

from tests.browser.conftest import menu_link, sign_in
from tests.conftest import REPO_ROOT

pytestmark = pytest.mark.browser
DEMO_FILES = REPO_ROOT / "kb" / "sessions" / "demo"


def _schedule(live_server, title: str, starts_in_minutes: float, capacity: int = 5) -> int:
    result = live_server.kb("sessions", "schedule", "--title", title,
                            "--starts-in", str(starts_in_minutes), "--join-minutes", "15",
                            "--capacity", str(capacity),
                            "--meeting-url", "https://meet.example.test/j/777",
                            "--meeting-number", "777 777", "--meeting-password", "journey-pass")
    return int(result.stdout.strip().splitlines()[-1])


def test_premium_registers_downloads_the_invite_and_sees_join_details_at_the_set_time(
        page: Page, base_url, live_server, tmp_path):
    # join details are due 15 minutes before the start: 20 seconds from now, time enough for the
    # steps before the pending check (1.5 s on a quiet 2-core machine, over 10 s on one running
    # several test suites), since the page shows #join-details-pending only before that time
    session_id = _schedule(live_server, "Journey: Hub office hours", 15 + 20 / 60)
    sign_in(page, base_url, "premium@demo.test")
    menu_link(page, "Live sessions").click()
    page.get_by_role("link", name="Journey: Hub office hours").click()
    expect(page.locator("#join-details")).to_have_count(0)
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_text("You are registered.", exact=True)).to_be_visible()
    expect(page.locator("#join-details-pending")).to_be_visible()

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the calendar invite (.ics)").click()
    invite = tmp_path / "invite.ics"
    download_info.value.save_as(invite)
    calendar = Calendar.from_ical(invite.read_bytes())
    event = calendar.walk("VEVENT")[0]
    assert str(calendar["METHOD"]) == "REQUEST" and str(event["STATUS"]) == "CONFIRMED"
    assert event.walk("VALARM") and "journey-pass" not in invite.read_text()

    expect(page.locator("#join-details")).to_contain_text("journey-pass", timeout=90_000)
    expect(page.locator("#join-details")).to_contain_text("https://meet.example.test/j/777")
    expect(page).to_have_url(f"{base_url}/sessions/live/{session_id}")


def test_xtreme_sees_the_schedule_with_the_prompt_and_cannot_register(
        page: Page, base_url, live_server):
    session_id = _schedule(live_server, "Journey: ERP questions", 3 * 24 * 60)
    sign_in(page, base_url, "xtreme@demo.test")
    menu_link(page, "Live sessions").click()
    expect(page.get_by_role("heading", name="Live sessions are available on Premium and Elite"))\
        .to_be_visible()
    page.get_by_role("link", name="Journey: ERP questions").click()
    expect(page.locator("#upgrade-prompt")).to_be_visible()
    expect(page.get_by_role("button", name="Register")).to_have_count(0)
    token = page.locator('meta[name="csrf-token"]').get_attribute("content")
    form = page.request.post(f"{base_url}/sessions/live/{session_id}/register",
                             form={"csrf_token": token}, max_redirects=0)
    api = page.request.post(f"{base_url}/api/v1/live-sessions/{session_id}/registration",
                            headers={"X-CSRFToken": token})
    assert form.status == 403 and api.status == 403
    assert api.json()["feature"] == "interactive_sessions"


def test_staff_cancel_a_session_and_the_registrant_reads_why(
        page: Page, browser, base_url, live_server, tmp_path):
    session_id = _schedule(live_server, "Journey: cancelled clinic", 3 * 24 * 60)
    sign_in(page, base_url, "premium@demo.test")
    page.goto(f"{base_url}/sessions/live/{session_id}")
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_text("You are registered.", exact=True)).to_be_visible()

    context = browser.new_context()
    staff = context.new_page()
    try:
        sign_in(staff, base_url, "staff@demo.test")
        staff.goto(f"{base_url}/sessions/live/{session_id}")
        staff.get_by_role("link", name="Cancel the session", exact=True).click()
        expect(staff.locator("#cancel-consequences")).to_contain_text("1 person with a seat")
        confirm = staff.get_by_role("button", name="Cancel the session and tell 1 registrant")
        confirm.click()  # no reason yet: refused, nothing cancelled
        expect(staff.locator("#reason-error")).to_contain_text("Give the reason")
        staff.get_by_label("Reason", exact=True).fill("The presenter is ill.")
        confirm.click()
        expect(staff.locator("#session-cancelled")).to_contain_text("The presenter is ill.")
    finally:
        context.close()

    page.reload()
    expect(page.locator("#session-cancelled")).to_contain_text("The presenter is ill.")
    expect(page.get_by_role("button", name="Cancel my registration")).to_have_count(0)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the calendar cancellation (.ics)").click()
    invite = tmp_path / "cancel.ics"
    download_info.value.save_as(invite)
    assert str(Calendar.from_ical(invite.read_bytes())["METHOD"]) == "CANCEL"
    menu_link(page, "Live sessions").click()
    listed = page.locator("#live-sessions li").filter(has_text="Journey: cancelled clinic")
    expect(listed).to_contain_text("Cancelled: The presenter is ill.")


def test_customer_requests_a_topic_and_sees_a_suggestion(page: Page, base_url):
    sign_in(page, base_url, "elite@demo.test")
    menu_link(page, "Topic requests").click()
    page.get_by_role("link", name="Request a topic").click()
    page.get_by_label("Topic").press_sequentially("monitoring flows", delay=20)
    suggestion = page.locator("#suggestions").get_by_role(
        "link", name="Integration Hub 4.0: monitoring message flows")
    expect(suggestion).to_be_visible()
    page.get_by_label("What would you like to learn? (Markdown)").fill("Alerts for *night* runs")
    page.get_by_role("button", name="Send the request").click()
    expect(page.get_by_role("heading", name="monitoring flows")).to_be_visible()
    expect(page.locator(".topic-details em")).to_have_text("night")


def _current_time(page: Page) -> float:
    return page.evaluate("document.getElementById('player').currentTime")


def _wait_until(page: Page, expression: str, seconds: float = 30) -> None:
    """Poll ``expression`` from here. ``page.wait_for_function`` compiles its predicate inside
    the page once the first check fails, which the portal's Content Security Policy (no
    'unsafe-eval') refuses: the test then failed whenever the video had not yet moved."""
    deadline = time.monotonic() + seconds
    while not page.evaluate(expression):
        assert time.monotonic() < deadline, f"still false after {seconds} s: {expression}"
        page.wait_for_timeout(100)


def test_staff_publish_a_recording_and_a_timestamp_opens_the_video_at_the_moment(
        page: Page, base_url):
    sign_in(page, base_url, "staff@demo.test")
    page.goto(base_url + "/sessions/staff/recordings/new")
    page.get_by_label("Title").fill("Journey: queue monitoring")
    page.get_by_label("Recorded on").fill("2026-11-20")
    page.get_by_label("Product").select_option("Orbit Integration Hub")
    page.get_by_label("Video file (MP4, WebM, Ogg)").set_input_files(
        str(DEMO_FILES / "orbit-demo.webm"))
    # the file's own length fills the empty duration (under a minute counts as one)
    expect(page.get_by_label("Duration (minutes)")).to_have_value("1")
    page.get_by_label("Transcript (WebVTT or SRT)").set_input_files(
        str(DEMO_FILES / "message-flows.vtt"))
    page.get_by_role("button", name="Save the recording").click()
    expect(page.get_by_role("heading", name="Journey: queue monitoring")).to_be_visible()
    recording_url = page.url

    page.locator("#transcript").get_by_role("link", name="0:21").click()
    _wait_until(page, "Math.abs(document.getElementById('player').currentTime - 21) < 2")
    assert 21 <= _current_time(page) < 23
    expect(page).to_have_url(re.compile(r"#t=21$"))

    recording_id = recording_url.rsplit("/", 1)[1]
    segments = page.request.get(f"{base_url}/api/v1/recordings/{recording_id}").json()[
        "transcript"]
    hit = next(s for s in segments if s["text"].startswith("Open a message"))
    page.goto("about:blank")
    page.goto(base_url + hit["url"])
    _wait_until(page, "document.getElementById('player').readyState >= 1 && "
                      "Math.abs(document.getElementById('player').currentTime - 15) < 0.5")
