"""Results people can use (issue 14, point 4): a recording is one result with its matching
transcript moments, a version is marked where a part of it was asked for, and "did you mean"
draws on the words of the documents the reader may read, never on those of others."""

from __future__ import annotations

import io

from kb.accounts.queries import user_by_email
from kb.db import utcnow
from kb.search.query import SearchRequest, search
from kb.search.whoosh import snippets
from kb.sessions.recordings import service as recordings
from kb.storage import Upload
from tests.conftest import bearer
from tests.engines import both_search_backends
from tests.search.conftest import titles
from tests.videos import webm_like

pytestmark = both_search_backends

TRANSCRIPT = b"""WEBVTT

00:00.000 --> 00:04.000
Welcome: today, godwits.

00:21.000 --> 00:25.000
Godwits fly nonstop across the Pacific.

01:05.000 --> 01:10.000
A tagged godwit flew for eleven days.

01:02:03.000 --> 01:02:08.000
Questions about other birds.
"""


def publish_recording(title: str, transcript: bytes = TRANSCRIPT) -> int:
    staff = user_by_email("staff@demo.test")
    fields = recordings.RecordingFields(title=title, recorded_on=utcnow().date(),
                                        topic="Migration")
    video = Upload("flyway.webm", io.BytesIO(webm_like(bytes(256))))
    return recordings.publish_recording(staff, fields, video, transcript).id


def test_a_recording_is_one_result_with_its_matching_moments(app, app_context, demo_accounts,
                                                              api_token):
    recording_id = publish_recording("Flyways of the Pacific")
    answer = app.test_client().get("/api/v1/search", query_string={"q": "godwit"},
                                   headers=bearer(api_token("xtreme@demo.test"))).get_json()
    found = [result for result in answer["results"] if result["type"] == "recording"]
    assert [result["id"] for result in found] == [recording_id]
    assert answer["total"] == 1 and answer["facets"]["type"] == {"recording": 1}
    moments = found[0]["moments"]
    assert [moment["seconds"] for moment in moments] == [0, 21, 65]
    assert [moment["url"] for moment in moments] == [
        f"/sessions/recordings/{recording_id}#t={seconds}" for seconds in (0, 21, 65)]
    assert "<mark>Godwits</mark> fly nonstop" in moments[1]["snippet"]
    assert found[0]["url"] in {moment["url"] for moment in moments}


def test_the_search_page_lists_a_recordings_moments_under_it(client, auth, app, demo_accounts):
    with app.app_context():
        recording_id = publish_recording("Flyways of the Pacific")
    auth.login("xtreme@demo.test")
    page = client.get("/search?q=godwit").get_data(as_text=True)
    assert page.count(f'data-key="recording:{recording_id}') == 1
    assert f'href="/sessions/recordings/{recording_id}#t=65"><time datetime="PT65S">1:05</time>' \
        in page
    assert "1 result " in page


def test_a_moment_past_the_hour_shows_its_hours(app, app_context, demo_accounts):
    publish_recording("Flyways of the Pacific")
    hits = search(user_by_email("xtreme@demo.test"), SearchRequest(text="questions birds")).hits
    assert [moment.timestamp for moment in hits[0].moments] == ["1:02:03"]


def test_a_version_is_found_and_marked_by_its_leading_version(reader, publish):
    publish("Orbit hotfix", "Install 12.4.1 before the year-end close.")
    publish("Orbit wave", "Version 12.40 brings new reports.")
    hits = search(reader("staff"), SearchRequest(text="12.4")).hits
    assert [hit.title for hit in hits] == ["Orbit hotfix"]
    assert "<mark>12.4.1</mark>" in hits[0].snippet


def test_a_snippet_marks_a_version_found_by_its_part():
    assert "<mark>2026.1</mark>" in snippets.snippet("The 2026.1 wave.", frozenset({"2026"}))


def test_did_you_mean_offers_a_word_of_a_readable_body(reader, publish):
    publish("Ledger setup", "Reconciliation of the bank ledger, step by step.")
    results = search(reader("xtreme"), SearchRequest(text="bank reconcilation"))
    assert results.suggestion == "bank reconciliation"


def test_did_you_mean_never_offers_a_word_only_a_gated_body_holds(reader, publish):
    publish("Elite ledger", "Quinquennial reconciliation of the ledger.", min_plan="elite")
    assert search(reader("xtreme"), SearchRequest(text="quinquenial")).suggestion is None
    assert search(reader("elite"), SearchRequest(text="quinquenial")).suggestion == \
        "quinquennial"
    assert titles(reader("xtreme"), "quinquennial") == []


def test_topic_suggestions_come_from_the_index_one_per_item(client, auth, app, demo_accounts,
                                                          publish):
    with app.app_context():
        recording_id = publish_recording("Flyways of the Pacific")
        publish("Godwit counts", "Counting godwits at dawn.")
        publish("Godwit tagging", "Tagging godwits.", min_plan="elite")
    auth.login("xtreme@demo.test")
    found = client.get("/sessions/topics/suggest?q=godwits").json
    assert found["recordings"] == [{"title": "Flyways of the Pacific",
                                    "url": f"/sessions/recordings/{recording_id}"}]
    assert [article["title"] for article in found["articles"]] == ["Godwit counts"]
    assert found["topics"] == []
