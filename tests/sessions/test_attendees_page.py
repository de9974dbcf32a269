"""The staff's attendees page of a live session: with nobody registered it says so and
offers no attendance form (nothing to mark), no export (an empty file), and a recording
attached that tells nobody, as its button and the confirmation say; once someone registers,
the list, its "Save attendance" button, the export and a recording that tells them."""

from __future__ import annotations

import lxml.html


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


def _links(page) -> list[str]:
    return [" ".join(link.text_content().split()) for link in page.iter("a")]


def _recording_buttons(page) -> list[str]:
    return [button.text_content() for form in page.forms
            if form.get("action", "").endswith("/recording") for button in form.iter("button")]


def test_with_nobody_registered_no_export_and_the_recording_is_attached_telling_nobody(
        app, auth, schedule, publish, customer_on):
    from tests.sessions.test_live_sessions import _begin

    session_id, told_session = schedule(), schedule()
    recording_id = publish(status="draft")
    auth.login(customer_on("premium"))
    auth.post(f"/sessions/live/{told_session}/register")
    auth.logout()
    auth.login("staff@demo.test")

    empty = lxml.html.fromstring(
        auth.client.get(f"/sessions/staff/live/{session_id}/attendees").text)
    listed = lxml.html.fromstring(
        auth.client.get(f"/sessions/staff/live/{told_session}/attendees").text)

    assert "Export as CSV" not in _links(empty) and "Export as CSV" in _links(listed)
    assert _recording_buttons(empty) == ["Attach the recording"]
    assert _recording_buttons(listed) == ["Attach and tell the registrants"]
    _begin(app, session_id)
    attached = auth.post(f"/sessions/staff/live/{session_id}/recording",
                         {"recording_id": str(recording_id)})
    assert attached.status_code == 302
    shown = auth.client.get(attached.headers["Location"]).text
    assert "The recording is attached." in shown and "were told" not in shown
    _begin(app, told_session)
    attached = auth.post(f"/sessions/staff/live/{told_session}/recording",
                         {"recording_id": str(recording_id)})
    assert "The recording is attached; 1 registrant was told." in auth.client.get(
        attached.headers["Location"]).text
