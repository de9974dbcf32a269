"""Nothing a reader may not open is named to them: drafts and scheduled items stay out of
pages, API answers, redirects, status codes and filter lists (customers), while staff still
see them."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from kb.accounts.queries import user_by_email
from kb.articles import service as articles
from kb.articles.fields import ArticleFields
from kb.articles.slugs import rename_slug
from kb.db import utcnow
from kb.errors import Invalid
from kb.patches import service as patches
from kb.sessions.live import attendance
from kb.sessions.live import service as live
from kb.sessions.recordings import queries as recording_queries
from kb.sessions.recordings import service as recordings
from kb.sessions.topics import queries as topic_queries
from kb.sessions.topics import service as topics
from kb.storage import file_store
from tests.conftest import csrf_token
from tests.sessions.conftest import moved_back
from tests.web import same_page

SECRET_PRODUCT = "Phantom Suite"
SECRET_THEME = "Phantom theme"


def _patch(staff, title, *, publish=True, **details):
    staged = file_store().stage(filename="fix.zip")
    staged.write(b"patch bytes " + title.encode())
    return patches.publish_patch(
        staff, patches.PatchDetails(product="Orbit ERP", title=title, **details),
        [patches.Upload("fix.zip", staged)], publish=publish).id


@pytest.fixture
def hidden(app, demo_accounts):
    """Published items linked to drafts and scheduled items; the ids and slugs of both."""
    with app.app_context():
        staff = user_by_email("staff@demo.test")

        def article(title, **fields):
            return articles.create_article(staff, ArticleFields(title=title, body="Text.",
                                                                **fields))

        draft = article("Draft guide nobody may see", status="draft",
                        products=[SECRET_PRODUCT])
        scheduled = article("Scheduled guide for later",
                            publish_at=utcnow() + timedelta(days=3))
        draft_note = article("Draft release note", type="release-note", status="draft",
                             product="Orbit ERP", version="12.5")
        renamed = article("Renamed draft", status="draft")
        old_slug = renamed.slug
        rename_slug(renamed, "renamed-draft-now")
        older = _patch(staff, "Older hotfix", release_notes=[draft_note.slug])
        _patch(staff, "Unreleased service pack", publish=False, kind="service-pack",
               supersedes=[older])
        recording = recordings.publish_recording(
            staff, recordings.RecordingFields(title="Draft recording on queues",
                                              recorded_on=date.today(), status="draft",
                                              product=SECRET_PRODUCT, topic=SECRET_THEME,
                                              external_url="https://video.example.test/q"))
        asker = user_by_email("xtreme@demo.test")
        topic = topics.request_topic(asker, "Queues in depth")
        return {"draft": draft.slug, "draft_id": draft.id, "scheduled": scheduled.slug,
                "scheduled_id": scheduled.id, "draft_note": draft_note.slug,
                "old_slug": old_slug, "older": older, "recording": recording.id,
                "topic": topic.id}


def test_a_draft_successor_and_draft_release_notes_are_not_named(client, auth, hidden):
    auth.login("xtreme@demo.test")
    page = client.get(f"/patches/{hidden['older']}").get_data(as_text=True)
    assert "Unreleased service pack" not in page and "Superseded by" not in page
    assert "Draft release note" not in page
    answer = client.get(f"/api/v1/patches/{hidden['older']}").json
    assert answer["superseded_by"] == [] and answer["release_notes"] == []
    listed = client.get("/api/v1/patches").json["patches"]
    assert all(patch["superseded_by"] == [] for patch in listed)


def test_staff_still_see_the_draft_successor(client, auth, hidden):
    auth.login("staff@demo.test")
    page = client.get(f"/patches/{hidden['older']}").get_data(as_text=True)
    assert "Unreleased service pack" in page and "Draft release note" in page
    assert client.get(f"/api/v1/patches/{hidden['older']}").json["superseded_by"]


@pytest.mark.parametrize("which", ["draft_id", "scheduled_id"])
def test_the_helpful_vote_does_not_redirect_to_a_hidden_article(client, auth, hidden, which):
    auth.login("premium@demo.test")
    token = csrf_token(client)
    for data in ({"csrf_token": token}, {"csrf_token": token, "helpful": "yes"}):
        hidden_answer = client.post(f"/helpful-votes/{hidden[which]}", data=data)
        absent_answer = client.post("/helpful-votes/999999", data=data)
        assert hidden_answer.status_code == absent_answer.status_code == 404
        assert "Location" not in hidden_answer.headers
        assert same_page(hidden_answer.data, absent_answer.data)


@pytest.mark.parametrize("address", [
    "/release-notes/{draft}", "/release-notes/{scheduled}", "/articles/{draft_note}",
    "/articles/{old_slug}", "/api/v1/articles/{old_slug}", "/api/v1/articles/{draft}"])
def test_hidden_slugs_answer_like_unknown_ones(client, auth, hidden, address):
    auth.login("elite@demo.test")
    answer = client.get(address.format(**hidden))
    unknown = client.get(address.format(**{key: "no-such-slug" for key in hidden}))
    assert answer.status_code == unknown.status_code == 404
    assert "Location" not in answer.headers and same_page(answer.data, unknown.data)


def test_staff_follow_the_renamed_slug_of_a_draft(client, auth, hidden):
    auth.login("staff@demo.test")
    answer = client.get(f"/articles/{hidden['old_slug']}")
    assert answer.status_code == 301 and answer.location.endswith("/articles/renamed-draft-now")


def test_a_topic_never_names_a_draft_recording(app, client, auth, hidden):
    with app.app_context():
        staff = user_by_email("staff@demo.test")
        topic = topic_queries.get_topic(staff, hidden["topic"])
        recording = recording_queries.get_recording(staff, hidden["recording"])
        with pytest.raises(Invalid):
            topics.change_status(staff, topic, "recorded", recording=recording)
    auth.login("xtreme@demo.test")
    assert "Draft recording" not in client.get("/notifications").get_data(as_text=True)
    assert all("recording" not in n["url"] for n in client.get("/api/v1/notifications").json)


def test_a_topic_recorded_by_a_recording_later_unpublished_hides_it(app, client, auth, hidden):
    with app.app_context():
        staff = user_by_email("staff@demo.test")
        recording = recording_queries.get_recording(staff, hidden["recording"])
        fields = recordings.RecordingFields(title=recording.title, recorded_on=date.today(),
                                            external_url=recording.external_url,
                                            topic=SECRET_THEME)
        recordings.update_recording(staff, recording, fields)
        topics.change_status(staff, topic_queries.get_topic(staff, hidden["topic"]), "recorded",
                             recording=recording)
        recordings.update_recording(staff, recording,
                                    recordings.RecordingFields(**{**fields.__dict__,
                                                                  "status": "draft"}))
    auth.login("xtreme@demo.test")
    page = client.get(f"/sessions/topics/{hidden['topic']}").get_data(as_text=True)
    assert "Draft recording on queues" not in page and "Recorded:" not in page
    answers = client.get("/api/v1/topics").json
    assert [topic["recording_id"] for topic in answers] == [None]


@pytest.mark.parametrize("path", ["/articles/", "/release-notes/", "/sessions/recordings",
                                  "/sessions/topics/new"])
def test_products_named_only_by_drafts_are_in_no_filter_list(client, auth, hidden, path):
    auth.login("elite@demo.test")
    page = client.get(path)
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and SECRET_PRODUCT not in text and SECRET_THEME not in text



def test_a_live_session_does_not_name_its_recording_once_unpublished(app, client, auth,
                                                                    hidden):
    with app.app_context():
        staff = user_by_email("staff@demo.test")
        start = (utcnow() + timedelta(days=1)).replace(tzinfo=None)
        session = live.schedule_session(staff, live.LiveSessionFields(
            title="Past session", local_start=start, time_zone="UTC", duration_minutes=60,
            capacity=5))
        moved_back(session.id, timedelta(days=1, hours=3))  # held three hours ago
        recording = recording_queries.get_recording(staff, hidden["recording"])
        attendance.attach_recording(staff, session, recording)
        recordings.update_recording(staff, recording, recordings.RecordingFields(
            title=recording.title, recorded_on=date.today(), status="draft",
            external_url=recording.external_url))
        session_id = session.id
    auth.login("xtreme@demo.test")
    for path in (f"/sessions/live/{session_id}", "/sessions/live"):
        page = client.get(path).get_data(as_text=True)
        assert "Past session" in page
        assert "Draft recording on queues" not in page
        assert f"/sessions/recordings/{hidden['recording']}" not in page


@pytest.mark.parametrize("method, address", [
    ("get", "/sessions/recordings/{}"), ("get", "/sessions/recordings/{}/captions.vtt"),
    ("get", "/sessions/recordings/{}/media"), ("post", "/sessions/recordings/{}/watched"),
    ("get", "/api/v1/recordings/{}")])
def test_a_draft_recording_costs_what_a_missing_one_does(app, client, auth, hidden, method,
                                                         address):
    """``gating.readable`` (the feature, then a missing row, then the read gate): a draft's
    id answers as a made-up one's, page and statements alike."""
    from tests.accounts.security_helpers import statements_sent
    auth.login("elite@demo.test")
    token = csrf_token(client)

    def answer(item_id):
        path = address.format(item_id)
        return client.post(path, data={"csrf_token": token}) if method == "post" \
            else client.get(path)

    answer(999999)  # whatever a first request does once
    draft, missing = (statements_sent(app, lambda item_id=item_id: answer(item_id))
                      for item_id in (hidden["recording"], 999999))
    assert draft == missing and draft[0] == 404
    assert same_page(answer(hidden["recording"]).data, answer(999999).data)
