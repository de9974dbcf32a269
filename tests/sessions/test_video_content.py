"""A recording's video is what its name says: the first bytes of an upload must be the
container its suffix claims (an MP4 for .mp4, .m4v and .mov, a WebM for .webm, an Ogg for
.ogv), told by hachoir as kb reads durations. A text file renamed .mp4 is refused on the staff
form, beside the video field with everything else typed kept, and by the API; nothing is
stored or changed then."""

from __future__ import annotations

import io
import re
import struct

import pytest
from sqlalchemy import func, select

from kb import db
from kb.sessions.models import Recording
from tests.conftest import bearer
from tests.stores import StoredFiles
from tests.videos import MP4, WEBM, webm_like

TEXT = b"Meeting notes: queues, dead letters, retries.\n" * 50
_THEORA = b"\x80theora" + bytes(34)
# one Ogg page opening a Theora stream: capture pattern, version, "beginning of stream",
# granule position, serial number, page number, checksum, one segment and its bytes
OGG = (b"OggS" + bytes([0, 2]) + bytes(8) + struct.pack("<II", 1, 0) + bytes(4)
       + bytes([1, len(_THEORA)]) + _THEORA)
# an older QuickTime file: a "wide" atom, then the movie's data
OLD_QUICKTIME = b"\x00\x00\x00\x08wide" + b"\x00\x00\x10\x00mdat" + bytes(4088)
TYPED = {"title": "Message flows in depth", "summary": "Queues **explained**.",
         "presenter": "Sam Staff", "topic": "Integration", "recorded_on": "2026-10-01",
         "duration_minutes": "42", "status": "draft"}


def _publish_form(auth, video: bytes, filename: str):
    return auth.post("/sessions/staff/recordings/new",
                     {**TYPED, "video": (io.BytesIO(video), filename)},
                     content_type="multipart/form-data")


def _recordings(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Recording))


@pytest.mark.parametrize(("video", "filename", "container"), [
    (TEXT, "notes.mp4", "an MP4"),
    (TEXT, "notes.mov", "a QuickTime"),
    (WEBM, "flows.mp4", "an MP4"),
    (MP4, "flows.webm", "a WebM"),
    (MP4, "flows.ogv", "an Ogg"),
    (b"MZ\x90\x00" + bytes(200), "setup.m4v", "an MP4"),
])
def test_a_file_that_is_not_the_video_its_name_claims_is_refused_beside_the_field(
        app, auth, demo_accounts, video, filename, container):
    auth.login("staff@demo.test")
    response = _publish_form(auth, video, filename)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert (f'<small id="video-error" class="field-error">&#39;{filename}&#39; is not '
            f'{container} video: its content is something else under a video&#39;s name. '
            "Choose the recording&#39;s video file itself.</small>") in page
    assert re.search(r'<input [^>]*aria-describedby="video-help video-error" '
                     r'aria-invalid="true"[^>]*id="video"', page)
    for name in ("title", "presenter", "topic", "recorded_on", "duration_minutes"):
        assert f'value="{TYPED[name]}"' in page
    assert "Queues **explained**.</textarea>" in page
    assert _recordings(app) == 0
    assert StoredFiles(app).keys("media") == []


@pytest.mark.parametrize(("video", "filename", "mimetype"), [
    (MP4, "monitoring.mp4", "video/mp4"), (MP4, "monitoring.m4v", "video/mp4"),
    (MP4, "monitoring.MOV", "video/quicktime"), (OLD_QUICKTIME, "archive.mov", "video/quicktime"),
    (WEBM, "monitoring.webm", "video/webm"), (OGG, "monitoring.ogv", "video/ogg"),
    (webm_like(bytes(range(256)) * 1400), "longer-than-the-head-read.webm", "video/webm"),
])
def test_each_container_under_its_own_name_is_accepted_byte_for_byte(
        app, auth, demo_accounts, video, filename, mimetype):
    auth.login("staff@demo.test")
    response = _publish_form(auth, video, filename)
    assert response.status_code == 302
    with app.app_context():
        recording = db.session.scalars(select(Recording)).one()
        assert recording.media_type == mimetype
        assert StoredFiles(app).read(recording.media_path, "media") == video


def test_an_edit_with_a_false_video_keeps_the_recording_and_its_video(app, auth, publish):
    recording_id = publish(video=webm_like(b"the first cut"))
    with app.app_context():
        before = db.session.get(Recording, recording_id).media_path
    auth.login("staff@demo.test")
    response = auth.post(f"/sessions/staff/recordings/{recording_id}/edit",
                         {**TYPED, "title": "Renamed", "video": (io.BytesIO(TEXT), "cut.mp4")},
                         content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and 'id="video-error"' in page
    assert 'value="Renamed"' in page
    with app.app_context():
        recording = db.session.get(Recording, recording_id)
        assert (recording.title, recording.media_path) == ("Monitoring message flows", before)
    assert StoredFiles(app).keys("media") == [before]


def test_the_api_refuses_a_false_video_when_publishing_and_replacing(app, client, api_token,
                                                                     publish):
    headers = bearer(api_token("staff@demo.test"))
    published = client.post("/api/v1/recordings", headers=headers,
                            content_type="multipart/form-data", data={
                                "title": "Queue monitoring", "recorded_on": "2026-11-20",
                                "video": (io.BytesIO(TEXT), "monitoring.mp4")})
    assert published.status_code == 422
    assert published.json["error"].startswith("'monitoring.mp4' is not an MP4 video")
    recording_id = publish(video=webm_like(b"kept"))
    with app.app_context():
        before = db.session.get(Recording, recording_id).media_path
    replaced = client.put(f"/api/v1/recordings/{recording_id}/media", headers=headers,
                          content_type="multipart/form-data",
                          data={"video": (io.BytesIO(MP4), "final.webm")})
    assert replaced.status_code == 422
    assert replaced.json["error"].startswith("'final.webm' is not a WebM video")
    assert _recordings(app) == 1
    assert StoredFiles(app).keys("media") == [before]
