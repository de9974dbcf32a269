"""A recording's duration, when staff give none, is read on the server from the stored video
(the API, and the staff form without JavaScript): a duration given explicitly wins, and a file
whose length cannot be read is kept with an empty duration. The fixtures in tests/data/media are
real 75-second videos (16x16 px, made with ffmpeg)."""

from __future__ import annotations

import io

import pytest

from kb import db
from kb.sessions.models import Recording
from tests.conftest import bearer
from tests.stores import StoredFiles
from tests.videos import MP4, WEBM

# an MP4 whose movie header (time scale, length) was zeroed: damaged, but still kept
DAMAGED = MP4[:MP4.index(b"mvhd") + 4] + bytes(4096)


def _publish(client, headers, video: bytes, filename: str, **fields):
    data = {"title": "Queue monitoring", "recorded_on": "2026-11-20",
            "product": "Orbit Integration Hub", **fields,
            "video": (io.BytesIO(video), filename)}
    return client.post("/api/v1/recordings", data=data, headers=headers,
                       content_type="multipart/form-data")


def _replace_media(client, headers, recording_id: int, video: bytes, filename: str, **fields):
    return client.put(f"/api/v1/recordings/{recording_id}/media",
                      data={**fields, "video": (io.BytesIO(video), filename)},
                      headers=headers, content_type="multipart/form-data")


def _stored(app, recording_id: int) -> tuple[int, bytes]:
    with app.app_context():
        recording = db.session.get(Recording, recording_id)
        duration, key = recording.duration_seconds, recording.media_path
    return duration, StoredFiles(app).read(key, "media")


@pytest.fixture
def staff_headers(api_token, demo_accounts):
    return bearer(api_token("staff@demo.test"))


@pytest.mark.parametrize(("video", "filename"), [(MP4, "monitoring.mp4"),
                                                 (WEBM, "monitoring.webm"),
                                                 (MP4, "monitoring.mov")])
def test_an_upload_without_a_duration_gets_the_files_length(app, client, api_token,
                                                             staff_headers, video, filename):
    response = _publish(client, staff_headers, video, filename)
    assert response.status_code == 201, response.json
    assert response.json["duration_seconds"] == 75
    assert _stored(app, response.json["id"]) == (75, video)

    customer = bearer(api_token("xtreme@demo.test"))
    page = client.get(response.json["url"], headers=customer).get_data(as_text=True)
    assert "· 1:15" in page


def test_an_explicit_duration_wins_over_the_files(app, client, staff_headers):
    response = _publish(client, staff_headers, MP4, "monitoring.mp4", duration_seconds="600")
    assert response.status_code == 201, response.json
    assert _stored(app, response.json["id"]) == (600, MP4)


def test_a_file_whose_length_cannot_be_read_is_kept_without_a_duration(app, client,
                                                                       staff_headers):
    response = _publish(client, staff_headers, DAMAGED, "monitoring.mp4")
    assert response.status_code == 201, response.json
    assert response.json["duration_seconds"] == 0
    assert _stored(app, response.json["id"]) == (0, DAMAGED)


def test_replaced_media_brings_its_own_length_unless_one_is_given(app, client, staff_headers):
    recording_id = _publish(client, staff_headers, DAMAGED, "first-cut.mp4",
                            duration_seconds="600").json["id"]

    replaced = _replace_media(client, staff_headers, recording_id, WEBM, "final-cut.webm")
    assert replaced.status_code == 200, replaced.json
    assert _stored(app, recording_id) == (75, WEBM)
    assert replaced.json["title"] == "Queue monitoring"

    _replace_media(client, staff_headers, recording_id, MP4, "final-cut.mp4",
                   duration_seconds="1200")
    assert _stored(app, recording_id) == (1200, MP4)

    unreadable = _replace_media(client, staff_headers, recording_id, DAMAGED, "cut.mp4")
    assert unreadable.status_code == 200, unreadable.json
    assert _stored(app, recording_id) == (0, DAMAGED)  # the old file's length is not its


def test_publishing_and_replacing_media_are_for_staff(client, api_token, staff_headers):
    customer = bearer(api_token("elite@demo.test"))
    refused = _publish(client, customer, MP4, "monitoring.mp4")
    assert refused.status_code == 403 and "error" in refused.json
    recording_id = _publish(client, staff_headers, MP4, "monitoring.mp4").json["id"]
    assert _replace_media(client, customer, recording_id, WEBM, "x.webm").status_code == 403


def test_bad_api_details_are_refused_as_json(client, staff_headers):
    no_date = _publish(client, staff_headers, MP4, "monitoring.mp4", recorded_on="")
    assert no_date.status_code == 422 and "recorded_on" in no_date.json["error"]
    bad_duration = _publish(client, staff_headers, MP4, "monitoring.mp4", duration_seconds="1h")
    assert bad_duration.status_code == 422 and "duration_seconds" in bad_duration.json["error"]
    assert _replace_media(client, staff_headers, 999999, MP4, "x.mp4").status_code == 404


def _form(auth, url, video=None, filename="monitoring.mp4", **fields):
    data = {"title": "Queue monitoring", "recorded_on": "2026-11-20", "status": "published",
            **fields}
    if video is not None:
        data["video"] = (io.BytesIO(video), filename)
    return auth.post(url, data, content_type="multipart/form-data")


def test_the_staff_form_without_javascript_reads_an_empty_duration_from_the_file(app, auth,
                                                                                 demo_accounts):
    auth.login("staff@demo.test")
    response = _form(auth, "/sessions/staff/recordings/new", MP4, duration_minutes="")
    assert response.status_code == 302
    recording_id = int(response.location.rsplit("/", 1)[1])
    assert _stored(app, recording_id) == (75, MP4)

    # the edit form shows 75 s as 1 minute; saved untouched, the seconds stay
    page = auth.client.get(f"/sessions/staff/recordings/{recording_id}/edit")
    assert 'name="duration_minutes"' in page.get_data(as_text=True)
    _form(auth, f"/sessions/staff/recordings/{recording_id}/edit", duration_minutes="1",
          title="Renamed")
    assert _stored(app, recording_id) == (75, MP4)

    # a new video with the field untouched brings its own length; a changed field wins
    _form(auth, f"/sessions/staff/recordings/{recording_id}/edit", DAMAGED, duration_minutes="1")
    assert _stored(app, recording_id) == (0, DAMAGED)
    _form(auth, f"/sessions/staff/recordings/{recording_id}/edit", MP4, duration_minutes="")
    assert _stored(app, recording_id)[0] == 75
    _form(auth, f"/sessions/staff/recordings/{recording_id}/edit", WEBM, "monitoring.webm",
          duration_minutes="3")
    assert _stored(app, recording_id) == (180, WEBM)


@pytest.mark.parametrize(("seconds", "shown"), [("30", "0:30"), ("3725", "1:02:05")])
def test_the_list_and_the_page_show_the_same_length(client, api_token, staff_headers, seconds,
                                                    shown):
    """The list rounded to whole minutes ("1 min" for a 30-second recording whose page said
    0:30): both show the length one way."""
    response = _publish(client, staff_headers, MP4, "monitoring.mp4", duration_seconds=seconds)
    assert response.status_code == 201, response.json
    customer = bearer(api_token("xtreme@demo.test"))
    page = client.get(response.json["url"], headers=customer).get_data(as_text=True)
    listed = client.get("/sessions/recordings", headers=customer).get_data(as_text=True)
    assert f"· {shown}" in page and f"· {shown}</small>" in listed
    assert " min</small>" not in listed
