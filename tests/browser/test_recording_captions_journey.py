"""A recording's player for assistive technology: named by the recording's title, with the
transcript as a captions track the browser loads, and the transcript line being spoken marked
as the current one (aria-current), not only coloured."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser
RECORDING = "Integration Hub 4.0: monitoring message flows"


def _wait_until(page: Page, expression: str, seconds: float = 30) -> None:
    """Polled from here: the portal's CSP (no 'unsafe-eval') refuses wait_for_function's."""
    deadline = time.monotonic() + seconds
    while not page.evaluate(expression):
        assert time.monotonic() < deadline, f"still false after {seconds} s: {expression}"
        time.sleep(0.1)


def test_the_player_has_captions_and_marks_the_current_line(page: Page, base_url):
    sign_in(page, base_url, "elite@demo.test")
    page.goto(base_url + "/sessions/recordings")
    page.get_by_role("link", name=RECORDING, exact=True).first.click()

    expect(page.locator("#player")).to_have_attribute("aria-label", RECORDING)
    track = page.locator("#player track")
    expect(track).to_have_attribute("kind", "captions")
    expect(track).to_have_attribute("srclang", "en")
    # the browser loads the cues once the captions are asked for
    page.evaluate("document.getElementById('player').textTracks[0].mode = 'hidden'")
    _wait_until(page, "document.getElementById('player').textTracks[0].cues?.length > 0")
    first_cue = page.evaluate("document.getElementById('player').textTracks[0].cues[0].text")
    first_line = page.locator("#transcript li").first.inner_text()
    assert first_cue and first_cue in first_line

    second = page.locator("#transcript li").nth(1)
    expect(page.locator("#transcript li[aria-current]")).to_have_count(0)
    # seeking a paused player: the line is marked without the playback moving on past it
    start = float(second.get_attribute("data-segment-start"))
    _wait_until(page, "document.getElementById('player').readyState >= 1")
    page.evaluate(f"document.getElementById('player').currentTime = {start + 0.1}")
    expect(second).to_have_attribute("aria-current", "true")
    expect(page.locator("#transcript li[aria-current]")).to_have_count(1)
