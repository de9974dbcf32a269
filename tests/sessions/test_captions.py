"""A recording's transcript as captions: a WebVTT file beside its media, for whoever may watch
the recording, its cues escaped so that the text is shown as said; the player names the
recording and offers the captions."""

from __future__ import annotations

import io

from sqlalchemy import select

from kb import db
from kb.sessions.models import Recording
from kb.sessions.recordings.transcripts import parse_transcript
from tests.a11y import parsed
from tests.conftest import bearer
from tests.sessions.conftest import WEBVTT

TRICKY = "Press <Ctrl> & F5 --> the queue reloads"


def _say(app, recording_id: int, text: str) -> None:
    with app.app_context():
        db.session.get(Recording, recording_id).segments[1].text = text
        db.session.commit()


def test_the_transcript_is_served_as_webvtt_with_its_timings(app, client, auth, publish):
    recording_id = publish()
    _say(app, recording_id, TRICKY)
    auth.login("premium@demo.test")

    answer = client.get(f"/sessions/recordings/{recording_id}/captions.vtt")

    assert answer.status_code == 200 and answer.mimetype == "text/vtt"
    # gated as the video is, so cached as it is: never by a shared cache
    media = client.get(f"/sessions/recordings/{recording_id}/media", buffered=True)
    assert "private" in answer.headers["Cache-Control"]
    assert answer.headers["Cache-Control"] == media.headers["Cache-Control"]
    text = answer.get_data(as_text=True)
    assert text.startswith("WEBVTT\n\n")
    assert "00:00:04.000 --> 00:00:12.500\nPress &lt;Ctrl&gt; &amp; F5 --&gt; the queue" in text
    assert "00:01:05.000 --> 00:01:10.000\nResubmit after fixing the mapping.\n" in text
    # a WebVTT reader gets back exactly the segments, the text as said
    assert [(s.start_ms, s.end_ms, s.text) for s in parse_transcript(answer.data)] == [
        (0, 4000, "Welcome to the session."), (4000, 12500, TRICKY),
        (65000, 70000, "Resubmit after fixing the mapping.")]


def test_a_line_break_in_a_segment_never_ends_its_cue(app, client, auth, publish):
    recording_id = publish()
    _say(app, recording_id, "First line\n\n\nsecond line")
    auth.login("premium@demo.test")

    answer = client.get(f"/sessions/recordings/{recording_id}/captions.vtt")

    assert "\nFirst line\nsecond line\n\n" in answer.get_data(as_text=True)
    assert parse_transcript(answer.data)[1].text == "First line second line"


def test_the_player_names_the_recording_and_offers_its_captions(client, auth, publish):
    recording_id = publish("Monitoring <message> flows")
    auth.login("premium@demo.test")

    page = parsed(client.get(f"/sessions/recordings/{recording_id}"))

    video = page.get_element_by_id("player")
    assert video.get("aria-label") == "Monitoring <message> flows"
    (track,) = video.findall("track")
    assert (track.get("kind"), track.get("srclang"), track.get("label")) == (
        "captions", "en", "English")
    assert track.get("src") == f"/sessions/recordings/{recording_id}/captions.vtt"


def test_a_recording_without_transcript_has_no_captions(client, auth, publish):
    recording_id = publish(transcript=None)
    auth.login("premium@demo.test")

    page = parsed(client.get(f"/sessions/recordings/{recording_id}"))

    assert page.get_element_by_id("player").findall("track") == []
    assert client.get(f"/sessions/recordings/{recording_id}/captions.vtt").status_code == 404


def test_the_captions_of_a_draft_are_gated_as_its_video(client, auth, publish):
    recording_id = publish(status="draft")
    base = f"/sessions/recordings/{recording_id}"

    def answers(email: str) -> tuple[int, int]:
        auth.login(email)
        captions, media = client.get(f"{base}/captions.vtt"), client.get(f"{base}/media")
        media.close()
        auth.logout()
        return captions.status_code, media.status_code

    assert answers("elite@demo.test") == (404, 404)
    assert answers("staff@demo.test") == (200, 200)


def _track_and_transcript(client, recording_id: int):
    page = parsed(client.get(f"/sessions/recordings/{recording_id}"))
    (track,) = page.get_element_by_id("player").findall("track")
    return (track.get("srclang"), track.get("label"),
            page.get_element_by_id("transcript").get("lang"))


def test_the_captions_carry_the_recordings_language(client, auth, publish):
    english, german = publish(), publish("Nachrichtenflüsse überwachen", language="de")
    auth.login("premium@demo.test")

    assert _track_and_transcript(client, english) == ("en", "English", "en")
    assert _track_and_transcript(client, german) == ("de", "Deutsch", "de")
    assert client.get(f"/api/v1/recordings/{german}").json["language"] == "de"


def test_staff_give_the_transcripts_language_when_publishing_and_replacing_it(
        app, client, auth, demo_accounts):
    auth.login("staff@demo.test")
    published = auth.post("/sessions/staff/recordings/new", {
        "title": "Flux de messages", "recorded_on": "2026-10-01", "status": "published",
        "external_url": "https://media.example.test/flux.mp4", "language": "fr",
        "transcript": (io.BytesIO(WEBVTT), "flux.vtt")}, content_type="multipart/form-data")
    recording_id = int(published.location.rsplit("/", 1)[1])
    assert _track_and_transcript(client, recording_id) == ("fr", "Français", "fr")
    page = parsed(client.get(f"/sessions/recordings/{recording_id}"))
    assert page.xpath('//form[contains(@action, "/transcript")]'
                      '//select[@name="language"]/option[@selected]/@value') == ["fr"]
    assert len(page.xpath('//*[@id="transcript"]')) == 1  # the list, not also the file input

    auth.post(f"/sessions/staff/recordings/{recording_id}/transcript",
              {"transcript": (io.BytesIO(WEBVTT), "flows.vtt"), "language": "en"},
              content_type="multipart/form-data")
    assert _track_and_transcript(client, recording_id) == ("en", "English", "en")
    # a script's upload that names no language leaves the recording's as it is
    auth.post(f"/sessions/staff/recordings/{recording_id}/transcript",
              {"transcript": (io.BytesIO(WEBVTT), "flows.vtt")},
              content_type="multipart/form-data")
    with app.app_context():
        assert db.session.get(Recording, recording_id).language == "en"


def test_a_language_kb_cannot_name_is_refused(app, client, api_token, demo_accounts):
    refused = client.post("/api/v1/recordings", data={
        "title": "Flows", "recorded_on": "2026-10-01", "language": "xx",
        "external_url": "https://media.example.test/flows.mp4"},
        headers=bearer(api_token("staff@demo.test")), content_type="multipart/form-data")
    assert refused.status_code == 422 and "xx" in refused.json["error"]
    with app.app_context():
        assert db.session.scalars(select(Recording)).all() == []
