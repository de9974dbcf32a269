"""Recordings: staff publish (upload streamed to the store, or an https address) with a transcript;
the page shows the transcript with timestamps; media is served with Range after the policy;
lists by product and topic, newest first; watched marks; the search outbox learns changes."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from kb import db
from kb.sessions.models import Recording
from tests.a11y import described_by, problems, refused_summary
from tests.conftest import bearer, indexed_status
from tests.sessions.conftest import WEBVTT
from tests.stores import StoredFiles, both_stores
from tests.videos import webm_like

pytestmark = both_stores

VIDEO = webm_like(bytes(range(256)) * 64)  # a 16 KiB stand-in; served byte for byte


def _fetch(client, url, **kwargs):
    """GET a file and close the response (file responses hold the file open until closed)."""
    response = client.get(url, **kwargs)
    response.get_data()  # read (and keep) the body, then let go of the file
    response.close()
    return response


def _publish_form(auth, **overrides):
    data = {"title": "Message flows in depth", "summary": "Queues **explained**.",
            "presenter": "Sam Staff", "product": "Orbit Integration Hub", "topic": "Integration",
            "recorded_on": "2026-10-01", "duration_minutes": "42", "status": "published",
            "video": (io.BytesIO(VIDEO), "flows.webm"),
            "transcript": (io.BytesIO(WEBVTT), "flows.vtt"), **overrides}
    return auth.post("/sessions/staff/recordings/new", data,
                     content_type="multipart/form-data")


def test_staff_publish_with_upload_and_transcript_and_customers_watch(app, client, auth,
                                                                       demo_accounts):
    auth.login("staff@demo.test")
    response = _publish_form(auth)
    assert response.status_code == 302
    recording_id = int(response.location.rsplit("/", 1)[1])
    with app.app_context():
        recording = db.session.get(Recording, recording_id)
        stored = StoredFiles(app).read(recording.media_path, "media")
        assert stored == VIDEO and recording.media_type == "video/webm"
        assert [s.start_ms for s in recording.segments] == [0, 4000, 65000]
        assert indexed_status(f"recording:{recording_id}") == "published"
    auth.logout()

    auth.login("xtreme@demo.test")
    page = client.get(f"/sessions/recordings/{recording_id}").get_data(as_text=True)
    assert 'href="#t=65" data-seek="65">1:05</a>' in page
    assert "<strong>explained</strong>" in page and 'id="player"' in page
    assert "· 42:00" in page  # the duration
    media = _fetch(client, f"/sessions/recordings/{recording_id}/media")
    assert media.status_code == 200 and media.data == VIDEO
    assert media.headers["Accept-Ranges"] == "bytes" and "private" in media.headers[
        "Cache-Control"]


def test_media_answers_range_requests_for_seeking(client, auth, publish):
    recording_id = publish(video=VIDEO)
    auth.login("premium@demo.test")
    url = f"/sessions/recordings/{recording_id}/media"
    partial = _fetch(client, url, headers={"Range": "bytes=1000-1999"})
    assert partial.status_code == 206 and partial.data == VIDEO[1000:2000]
    assert partial.headers["Content-Range"] == f"bytes 1000-1999/{len(VIDEO)}"
    tail = _fetch(client, url, headers={"Range": "bytes=-10"})
    assert tail.status_code == 206 and tail.data == VIDEO[-10:]
    assert _fetch(client, url, headers={"Range": f"bytes={len(VIDEO) + 5}-"}).status_code == 416


def test_media_is_checked_against_the_policy_on_every_request(client, auth, publish, customer_on):
    recording_id = publish(video=VIDEO)
    url = f"/sessions/recordings/{recording_id}/media"
    assert client.get(url).status_code == 401  # anonymous script: never the sign-in page
    assert client.get(url, headers={"Accept": "text/html"}).status_code == 302  # a browser
    auth.login(customer_on("premium", lapsed=True))
    assert client.get(url, headers={"Range": "bytes=0-9"}).status_code == 403


def test_drafts_are_for_staff_only(client, auth, publish):
    recording_id = publish(status="draft")
    auth.login("elite@demo.test")
    assert client.get(f"/sessions/recordings/{recording_id}").status_code == 404
    assert client.get(f"/sessions/recordings/{recording_id}/media").status_code == 404
    assert b"Monitoring message flows" not in client.get("/sessions/recordings").data


def test_a_malformed_transcript_is_refused_line_by_line_and_nothing_changes(
        app, client, auth, publish):
    recording_id = publish()
    auth.login("staff@demo.test")
    bad = b"WEBVTT\n\n00:01.000 --> 00:00.500\nBackwards\n"
    response = auth.post(f"/sessions/staff/recordings/{recording_id}/transcript",
                         {"transcript": (io.BytesIO(bad), "bad.vtt")},
                         content_type="multipart/form-data")
    assert response.status_code == 422
    assert "line 3: the cue ends (00:00.500) before it starts (00:01.000)" in response.get_data(
        as_text=True)
    with app.app_context():
        assert len(db.session.get(Recording, recording_id).segments) == 3
    srt = b"1\n00:00:02,000 --> 00:00:03,000\nOnly one\n"
    auth.post(f"/sessions/staff/recordings/{recording_id}/transcript",
              {"transcript": (io.BytesIO(srt), "new.srt")}, content_type="multipart/form-data")
    with app.app_context():
        assert [s.text for s in db.session.get(Recording, recording_id).segments] == ["Only one"]


def test_external_addresses_must_be_https(app, auth, demo_accounts):
    auth.login("staff@demo.test")
    refused = _publish_form(auth, video=(io.BytesIO(b""), ""),
                            external_url="http://media.example.test/a.mp4")
    assert refused.status_code == 422 and b"https://" in refused.data
    accepted = _publish_form(auth, video=(io.BytesIO(b""), ""),
                             external_url="https://media.example.test/a.mp4")
    assert accepted.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(Recording.external_url)) == \
            "https://media.example.test/a.mp4"


def test_only_video_files_are_accepted(auth, demo_accounts):
    auth.login("staff@demo.test")
    refused = _publish_form(auth, video=(io.BytesIO(b"<html>"), "page.html"))
    assert refused.status_code == 422 and b"not a video file" in refused.data


def test_lists_by_product_and_topic_newest_first_with_watched_marks(client, auth, publish,
                                                                     api_token):
    today = date.today()
    old = publish("Old ERP session", product="Orbit ERP", topic="Finance",
                  recorded_on=today - timedelta(days=20))
    new = publish("New ERP session", product="Orbit ERP", topic="Finance", recorded_on=today)
    publish("Hub session", recorded_on=today - timedelta(days=5))
    headers = bearer(api_token("xtreme@demo.test"))
    listed = client.get("/api/v1/recordings", headers=headers).json
    assert [r["title"] for r in listed] == ["New ERP session", "Hub session", "Old ERP session"]
    by_product = client.get("/api/v1/recordings?product=orbit-erp", headers=headers).json
    assert [r["id"] for r in by_product] == [new, old]
    by_topic = client.get("/api/v1/recordings?topic=Integration", headers=headers).json
    assert [r["title"] for r in by_topic] == ["Hub session"]

    auth.login("xtreme@demo.test")
    auth.post(f"/sessions/recordings/{old}/watched", {"watched": "1"})
    page = client.get("/sessions/recordings?product=orbit-erp&topic=Finance").get_data(
        as_text=True)
    assert page.index("New ERP session") < page.index("Old ERP session")
    assert page.count(">Watched<") == 1 and page.count(">Not watched<") == 1
    assert {r["id"]: r["watched"] for r in client.get("/api/v1/recordings").json}[old] is True
    auth.post(f"/sessions/recordings/{old}/watched", {"watched": "0"})
    assert b">Watched<" not in client.get("/sessions/recordings").data


def test_api_gives_the_transcript_segments_with_seek_links(client, publish, api_token):
    recording_id = publish()
    body = client.get(f"/api/v1/recordings/{recording_id}",
                      headers=bearer(api_token("premium@demo.test"))).json
    assert body["transcript"][2] == {"start": 65.0, "end": 70.0,
                                     "text": "Resubmit after fixing the mapping.",
                                     "url": f"/sessions/recordings/{recording_id}#t=65"}
    assert body["media_url"] == f"/sessions/recordings/{recording_id}/media"


def test_attachments_download_after_the_policy(app, client, auth, publish):
    recording_id = publish()
    auth.login("staff@demo.test")
    auth.post(f"/sessions/staff/recordings/{recording_id}/attachments",
              {"attachment": (io.BytesIO(b"%PDF-1.4 slides"), "slides.pdf")},
              content_type="multipart/form-data")
    body = client.get(f"/api/v1/recordings/{recording_id}").json
    url = body["attachments"][0]["url"]
    auth.logout()
    assert client.get(url).status_code == 401
    auth.login("xtreme@demo.test")
    download = _fetch(client, url)
    assert download.data == b"%PDF-1.4 slides"
    assert 'attachment; filename="slides.pdf"' in download.headers["Content-Disposition"]


def test_an_oversized_transcript_is_refused(app, auth, publish, monkeypatch):
    from kb.sessions.recordings import transcripts

    monkeypatch.setattr(transcripts, "MAX_TRANSCRIPT_BYTES", len(WEBVTT) - 1)
    recording_id = publish()
    auth.login("staff@demo.test")
    refused = auth.post(f"/sessions/staff/recordings/{recording_id}/transcript",
                        {"transcript": (io.BytesIO(WEBVTT), "big.vtt")},
                        content_type="multipart/form-data")
    assert refused.status_code == 413 and b"at most" in refused.data


@pytest.mark.parametrize("kind, field, message, summary_id", [
    ("transcript", "transcript-file", "Choose a transcript file.", "transcript-problem"),
    ("attachments", "attachment", "Choose a file to attach.", "attachment-problem"),
])
def test_an_upload_without_a_file_is_summarised_on_the_recordings_page(
        app, auth, publish, kind, field, message, summary_id):
    recording_id = publish()
    auth.login("staff@demo.test")

    refused = auth.post(f"/sessions/staff/recordings/{recording_id}/{kind}",
                        {kind.rstrip("s"): (io.BytesIO(b""), "")},
                        content_type="multipart/form-data")

    assert refused.status_code == 422
    page, summary = refused_summary(refused, summary_id)
    assert list(problems(summary)) == [f"#{field}"]
    assert described_by(page, field) == [message]
    with app.app_context():
        recording = db.session.get(Recording, recording_id)
        assert len(recording.segments) == 3 and recording.attachments == []
