"""The staff forms: schedule and reschedule a live session in its own time zone, edit a
recording; refusals show on the form and keep what was typed."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest

from kb import db
from kb.sessions.models import LiveSession, Recording
from tests.stores import StoredFiles
from tests.videos import MP4

SESSION_FORM = {"title": "Ask us anything", "description": "Bring **questions**.",
                "presenter": "Sam Staff", "local_start": "2030-01-15T10:00",
                "time_zone": "Europe/Berlin", "duration_minutes": "45", "capacity": "12",
                "meeting_url": "https://meet.example.test/j/1", "meeting_number": "1",
                "meeting_password": "pw", "join_details_minutes": "10"}


def test_schedule_and_reschedule_through_the_form(app, client, auth, demo_accounts):
    auth.login("staff@demo.test")
    created = auth.post("/sessions/staff/live/new", SESSION_FORM)
    assert created.status_code == 302
    session_id = int(created.location.rsplit("/", 1)[1])
    with app.app_context():
        live_session = db.session.get(LiveSession, session_id)
        assert live_session.starts_at == datetime(2030, 1, 15, 9, 0, tzinfo=UTC)
        assert (live_session.time_zone, live_session.sequence) == ("Europe/Berlin", 0)
    edit_page = client.get(f"/sessions/staff/live/{session_id}/edit").get_data(as_text=True)
    assert 'value="2030-01-15T10:00"' in edit_page
    auth.post(f"/sessions/staff/live/{session_id}/edit",
              {**SESSION_FORM, "local_start": "2030-07-15T10:00"})
    with app.app_context():
        live_session = db.session.get(LiveSession, session_id)
        assert live_session.starts_at == datetime(2030, 7, 15, 8, 0, tzinfo=UTC)  # summer time
        assert live_session.sequence == 1


def test_a_refused_schedule_keeps_the_typed_input(client, auth, demo_accounts):
    auth.login("staff@demo.test")
    for changes, message in (
            ({"local_start": "2030-03-31T02:30"}, "does not exist in Europe/Berlin"),
            ({"meeting_url": "javascript:alert(1)"}, "must start with https://"),
            ({"registration_opens": "2030-01-10T10:00", "registration_closes": "2030-01-09T10:00"},
             "Registration must close after it opens")):
        refused = auth.post("/sessions/staff/live/new", {**SESSION_FORM, **changes})
        page = refused.get_data(as_text=True)
        assert refused.status_code == 422 and message in page
        assert 'value="Ask us anything"' in page


def test_a_bad_transcript_on_publish_is_shown_on_the_form(auth, demo_accounts):
    auth.login("staff@demo.test")
    refused = auth.post("/sessions/staff/recordings/new", {
        "title": "Keeps its title", "recorded_on": "2026-10-01", "status": "published",
        "external_url": "https://media.example.test/v.mp4",
        "transcript": (io.BytesIO(b"WEBVTT\n\nbroken\n"), "t.vtt")},
        content_type="multipart/form-data")
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422 and 'value="Keeps its title"' in page
    assert "line 3: expected a timing line" in page


def test_edit_a_recording_keeps_its_media_unless_replaced(app, auth, publish):
    recording_id = publish()
    with app.app_context():
        before = db.session.get(Recording, recording_id).media_path
    auth.login("staff@demo.test")
    response = auth.post(f"/sessions/staff/recordings/{recording_id}/edit", {
        "title": "Renamed", "recorded_on": "2026-10-02", "status": "published",
        "product": "Orbit ERP", "duration_minutes": "30"}, content_type="multipart/form-data")
    assert response.status_code == 302
    with app.app_context():
        recording = db.session.get(Recording, recording_id)
        assert (recording.title, recording.media_path, recording.duration_seconds) == (
            "Renamed", before, 1800)
        assert recording.product.name == "Orbit ERP"


def test_a_replaced_video_file_is_removed_after_the_change(app, auth, publish):
    stored = StoredFiles(app)
    recording_id = publish()
    with app.app_context():
        old = db.session.get(Recording, recording_id).media_path
    assert old in stored.keys("media")
    auth.login("staff@demo.test")
    auth.post(f"/sessions/staff/recordings/{recording_id}/edit", {
        "title": "New cut", "recorded_on": "2026-10-02", "status": "published",
        "video": (io.BytesIO(MP4), "cut.mp4")}, content_type="multipart/form-data")
    with app.app_context():
        recording = db.session.get(Recording, recording_id)
        assert stored.read(recording.media_path, "media") == MP4
        assert recording.media_type == "video/mp4"
    assert old not in stored.keys("media")


def test_a_transcript_with_absurd_cue_times_is_refused_on_publish(auth, demo_accounts):
    auth.login("staff@demo.test")
    transcript = b"WEBVTT\n\n" + b"7" * 5000 + b":00:00.000 --> 9999:00:00.000\nLate.\n"
    refused = auth.post("/sessions/staff/recordings/new", {
        "title": "Far too long", "recorded_on": "2026-10-01", "status": "published",
        "external_url": "https://media.example.test/v.mp4",
        "transcript": (io.BytesIO(transcript), "t.vtt")}, content_type="multipart/form-data")
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422 and 'value="Far too long"' in page
    assert f"line 3: &#39;{'7' * 40}…&#39; is later than 100:00:00.000" in page


@pytest.mark.parametrize("hours", ["600000", "4" * 4400])
def test_a_replacement_transcript_with_absurd_cue_times_is_refused(app, auth, publish, hours):
    recording_id = publish()
    auth.login("staff@demo.test")
    transcript = f"WEBVTT\n\n{hours}:00:00.000 --> {hours}:00:01.000\nLate.\n".encode()
    refused = auth.post(f"/sessions/staff/recordings/{recording_id}/transcript",
                        {"transcript": (io.BytesIO(transcript), "t.vtt")},
                        content_type="multipart/form-data")
    assert refused.status_code == 422
    assert "is later than 100:00:00.000" in refused.get_data(as_text=True)
    with app.app_context():
        assert len(db.session.get(Recording, recording_id).segments) == 3  # unchanged
