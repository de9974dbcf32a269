"""The staff's attendees page of a live session: with nobody registered it says so and
offers no attendance form (nothing to mark); once someone registers, the list and its
"Save attendance" button."""

from __future__ import annotations

import lxml.html

from tests.a11y import problems, refused_summary


def _attendance_forms(page) -> list:
    return [form for form in page.forms if form.get("action", "").endswith("/attendance")]


def test_with_nobody_registered_the_page_says_so_and_offers_no_form(auth, schedule,
                                                                   customer_on):
    session_id = schedule()
    auth.login("staff@demo.test")

    empty = auth.client.get(f"/sessions/staff/live/{session_id}/attendees")

    assert empty.status_code == 200
    page = lxml.html.fromstring(empty.get_data(as_text=True))
    assert page.get_element_by_id("attendees").text_content() == "Nobody has registered yet."
    assert not _attendance_forms(page) and "Save attendance" not in empty.text
    auth.logout()
    auth.login(customer_on("premium"))
    auth.post(f"/sessions/live/{session_id}/register")
    auth.logout()
    auth.login("staff@demo.test")

    listed = auth.client.get(f"/sessions/staff/live/{session_id}/attendees")

    page = lxml.html.fromstring(listed.get_data(as_text=True))
    [form] = _attendance_forms(page)
    assert [button.text_content() for button in form.iter("button")] == ["Save attendance"]
    assert len(page.get_element_by_id("attendees").xpath(".//tbody/tr")) == 1
    assert "Nobody has registered yet." not in listed.text


def test_attendance_sent_with_nobody_registered_is_refused_above_the_sentence(
        auth, schedule, staff):
    from kb.sessions.live import service as live

    session_id = schedule()
    staff(lambda staff_user: live.cancel_session(staff_user, session_id, "The presenter is ill."))
    auth.login("staff@demo.test")

    refused = auth.post(f"/sessions/staff/live/{session_id}/attendance", {})

    assert refused.status_code == 422
    page, summary = refused_summary(refused, "attendance-problem")
    message = "The session was cancelled: it did not take place."
    assert problems(summary) == {"#attendees": f"Attended: {message}"}
    assert page.get_element_by_id("attendees").text_content() == "Nobody has registered yet."
    assert page.get_element_by_id("attended-error").text_content() == message
    assert not _attendance_forms(page)
