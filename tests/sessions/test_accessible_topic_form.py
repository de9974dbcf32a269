"""The topic request form for assistive technology: a refused title is invalid and tied to its
message (not to a hidden heading of suggestions), the form is summarised where the browser
lands, and suggestions are told through a live region present from the start."""

from __future__ import annotations

from tests.a11y import described_by, parsed, problems, refused_summary


def test_a_topic_without_title_is_summarised_and_tied_to_its_message(auth, demo_accounts):
    auth.login("premium@demo.test")

    answer = auth.post("/sessions/topics/new", {"title": "", "details": "", "product": ""})

    assert answer.status_code == 422
    page, summary = refused_summary(answer, "topic-problem")
    assert list(problems(summary)) == ["#title"]
    title = page.get_element_by_id("title")
    assert title.get("aria-invalid") == "true" and title.get("autofocus") is None
    assert described_by(page, "title") == ["Say in a few words what the session should be about."]


def test_the_title_is_not_described_by_suggestions_not_shown(client, auth, demo_accounts):
    auth.login("premium@demo.test")

    page = parsed(client.get("/sessions/topics/new"))

    assert page.get_element_by_id("title").get("aria-describedby") is None
    status = page.get_element_by_id("suggestions-status")
    assert status.get("role") == "status" and status.text_content() == ""
    assert not page.xpath('//*[@aria-live and @hidden]')


def test_a_refused_recording_is_summarised(auth, demo_accounts):
    auth.login("staff@demo.test")

    answer = auth.post("/sessions/staff/recordings/new", {"title": "", "recorded_on": ""})

    page, summary = refused_summary(answer, "recording-problem")
    assert "#title" in problems(summary)
    assert page.get_element_by_id("title").get("autofocus") is None


def test_a_refused_live_session_is_summarised(auth, demo_accounts):
    auth.login("staff@demo.test")

    answer = auth.post("/sessions/staff/live/new", {"title": ""})

    _, summary = refused_summary(answer, "session-problem")
    assert "#title" in problems(summary)
