"""``Idempotency-Key`` on the API's creating POSTs: a retried request creates nothing and gets
the first answer again; the key with another body, a key still in use, a malformed key and a
key whose first request failed, each through the app on the database the tests run on."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from kb import db
from kb.accounts.queries import user_by_email
from kb.db import utcnow
from kb.idempotency import service
from kb.idempotency.models import IdempotentRequest
from kb.support.models import Incident, IncidentEntry
from tests.conftest import bearer

INCIDENT = {"product": "Orbit ERP", "version": "11.1", "severity": 2, "title": "Slow close",
            "description": "Month-end close takes hours."}


@pytest.fixture
def token(desk, api_token):
    return api_token("xtreme@demo.test")


def keyed(token: str, key: str) -> dict[str, str]:
    return {**bearer(token), "Idempotency-Key": key}


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(model.id)))


def test_a_retried_incident_is_logged_once_and_answered_the_same(app, client, token):
    first = client.post("/api/v1/incidents", headers=keyed(token, "retry-1"), json=INCIDENT)
    again = client.post("/api/v1/incidents", headers=keyed(token, "retry-1"), json=INCIDENT)

    assert first.status_code == again.status_code == 201
    assert again.json == first.json and again.data == first.data
    assert again.headers["Idempotent-Replayed"] == "true" and again.is_json
    assert "Idempotent-Replayed" not in first.headers
    assert count(app, Incident) == 1
    listed = client.get("/api/v1/incidents", headers=bearer(token)).json
    assert [item["id"] for item in listed] == [first.json["id"]]
    unkeyed = client.post("/api/v1/incidents", headers=bearer(token), json=INCIDENT)
    assert unkeyed.status_code == 201 and "Idempotent-Replayed" not in unkeyed.headers
    assert count(app, Incident) == 2 and count(app, IdempotentRequest) == 1


def test_a_replayed_201_answers_as_the_first_did_location_included(app, client, token):
    first = client.post("/api/v1/incidents", headers=keyed(token, "located"), json=INCIDENT)
    again = client.post("/api/v1/incidents", headers=keyed(token, "located"), json=INCIDENT)

    assert first.status_code == again.status_code == 201
    assert first.headers["Location"].endswith(f"/api/v1/incidents/{first.json['id']}")
    replayed = {name: value for name, value in again.headers.items()
                if name != "Idempotent-Replayed"}
    assert replayed == dict(first.headers.items()) and again.data == first.data
    shown = client.get(again.headers["Location"], headers=bearer(token))
    assert shown.status_code == 200 and shown.json["id"] == first.json["id"]
    assert count(app, Incident) == 1


def test_the_same_object_written_otherwise_is_the_same_request(app, client, token):
    first = client.post("/api/v1/incidents", headers=keyed(token, "k"), json=INCIDENT)
    reordered = "{" + ", ".join(f'"{name}" : {value!r}'.replace("'", '"')
                                for name, value in reversed(INCIDENT.items())) + "}"
    again = client.post("/api/v1/incidents", headers={**keyed(token, "k"),
                                                       "Content-Type": "application/json"},
                        data=reordered)

    assert again.status_code == 201 and again.headers["Idempotent-Replayed"] == "true"
    assert again.json == first.json and count(app, Incident) == 1


def test_the_key_with_another_body_is_refused_and_nothing_is_logged(app, client, token):
    client.post("/api/v1/incidents", headers=keyed(token, "k"), json=INCIDENT)
    other = client.post("/api/v1/incidents", headers=keyed(token, "k"),
                        json={**INCIDENT, "severity": 1})

    assert other.status_code == 422 and other.is_json
    assert "Idempotency-Key" in other.json["error"] and "different request" in other.json["error"]
    assert count(app, Incident) == 1


def test_the_key_on_another_endpoint_is_another_request(app, client, token):
    created = client.post("/api/v1/incidents", headers=keyed(token, "k"), json=INCIDENT)
    reply = client.post(f"/api/v1/incidents/{created.json['id']}/replies",
                        headers=keyed(token, "k"), json={"body": "More detail."})

    assert reply.status_code == 422 and "Idempotency-Key" in reply.json["error"]
    assert count(app, IncidentEntry) == 0


def test_another_user_with_the_same_key_is_independent(app, client, token, api_token):
    other_token = api_token("premium@demo.test")
    mine = client.post("/api/v1/incidents", headers=keyed(token, "shared"), json=INCIDENT)
    theirs = client.post("/api/v1/incidents", headers=keyed(other_token, "shared"),
                         json=INCIDENT)

    assert mine.status_code == theirs.status_code == 201
    assert "Idempotent-Replayed" not in theirs.headers
    assert theirs.json["id"] != mine.json["id"] and theirs.json["plan"] == "premium"
    assert count(app, Incident) == 2
    mine_again = client.post("/api/v1/incidents", headers=keyed(token, "shared"), json=INCIDENT)
    assert mine_again.headers["Idempotent-Replayed"] == "true" and mine_again.json == mine.json
    assert count(app, Incident) == 2


def test_a_refused_first_attempt_does_not_block_the_corrected_retry(app, client, token):
    refused = client.post("/api/v1/incidents", headers=keyed(token, "fix-me"),
                          json={**INCIDENT, "severity": 5})
    corrected = client.post("/api/v1/incidents", headers=keyed(token, "fix-me"), json=INCIDENT)
    again = client.post("/api/v1/incidents", headers=keyed(token, "fix-me"), json=INCIDENT)

    assert refused.status_code == 422 and "Severity" in refused.json["error"]
    assert count(app, IdempotentRequest) == 1  # the corrected one's, kept for its repeats
    assert corrected.status_code == 201 and "Idempotent-Replayed" not in corrected.headers
    assert again.headers["Idempotent-Replayed"] == "true" and again.json == corrected.json
    assert count(app, Incident) == 1


@pytest.mark.parametrize("key", ["k" * 256, "", "tab\there", "caf\u00e9", "bell\x07"])
def test_a_key_that_is_no_key_is_refused_with_400(app, client, token, key):
    refused = client.post("/api/v1/incidents", headers=keyed(token, key), json=INCIDENT)

    assert refused.status_code == 400 and refused.is_json
    assert "Idempotency-Key" in refused.json["error"] and "255" in refused.json["error"]
    assert count(app, Incident) == 0


def test_the_longest_key_is_taken(app, client, token):
    key = "~ !" + "k" * 252
    first = client.post("/api/v1/incidents", headers=keyed(token, key), json=INCIDENT)
    again = client.post("/api/v1/incidents", headers=keyed(token, key), json=INCIDENT)

    assert first.status_code == 201 and again.headers["Idempotent-Replayed"] == "true"
    assert count(app, Incident) == 1


def claimed_earlier(app, email: str, key: str, body: dict, age: timedelta, path: str):
    """Claim ``key`` as a request to ``path`` with ``body`` made ``age`` ago would have."""
    with app.test_request_context(path, method="POST", json=body):
        from kb.api.idempotency import _fingerprint

        return service.claim(user_by_email(email).id, key, _fingerprint(), utcnow() - age)


def test_a_repeat_while_the_first_is_in_progress_gets_409(app, client, token):
    claimed_earlier(app, "xtreme@demo.test", "busy", INCIDENT, timedelta(seconds=5),
                    "/api/v1/incidents")

    busy = client.post("/api/v1/incidents", headers=keyed(token, "busy"), json=INCIDENT)

    assert busy.status_code == 409 and busy.is_json
    assert "still being processed" in busy.json["error"]
    assert busy.headers["Retry-After"] == "1"  # a client may retry it after a second
    assert count(app, Incident) == 0


def test_a_first_request_that_never_finished_is_taken_over(app, client, token):
    claimed_earlier(app, "xtreme@demo.test", "died", INCIDENT, timedelta(minutes=11),
                    "/api/v1/incidents")

    retried = client.post("/api/v1/incidents", headers=keyed(token, "died"), json=INCIDENT)

    again = client.post("/api/v1/incidents", headers=keyed(token, "died"), json=INCIDENT)

    assert retried.status_code == 201 and again.json == retried.json
    assert again.headers["Idempotent-Replayed"] == "true" and count(app, Incident) == 1


def test_a_first_request_that_died_after_its_work_is_never_run_again(app, client, token,
                                                                    monkeypatch):
    def dies(claimed, status, body):
        raise RuntimeError("the worker died before it kept the answer")

    monkeypatch.setattr(service, "remember", dies)
    died = client.post("/api/v1/incidents", headers=keyed(token, "lost"), json=INCIDENT)
    monkeypatch.undo()
    assert died.status_code == 500 and count(app, Incident) == 1
    with app.app_context():
        row = db.session.scalar(select(IdempotentRequest))
        assert row.worked_at is not None and row.status is None
        row.created_at -= timedelta(minutes=11)
        db.session.commit()

    retried = client.post("/api/v1/incidents", headers=keyed(token, "lost"), json=INCIDENT)

    assert retried.status_code == 409 and "its answer was lost" in retried.json["error"]
    assert "Retry-After" not in retried.headers  # retrying it would not help
    assert count(app, Incident) == 1


def test_keys_are_forgotten_after_24_hours(app, client, token):
    old = claimed_earlier(app, "xtreme@demo.test", "old", INCIDENT, timedelta(hours=25),
                          "/api/v1/incidents")
    with app.app_context():
        service.remember(old, 201, '{"id": 0}')

    fresh = client.post("/api/v1/incidents", headers=keyed(token, "old"), json=INCIDENT)

    assert fresh.status_code == 201 and "Idempotent-Replayed" not in fresh.headers
    assert fresh.json["id"] != 0 and count(app, Incident) == 1
    with app.app_context():
        assert db.session.scalars(select(IdempotentRequest.created_at)).one() > \
            utcnow() - timedelta(minutes=1)


def test_a_new_key_purges_those_older_than_24_hours(app, client, token):
    old = claimed_earlier(app, "xtreme@demo.test", "stale", INCIDENT, timedelta(hours=25),
                          "/api/v1/incidents")
    with app.app_context():
        service.remember(old, 201, "{}")
    recent = claimed_earlier(app, "xtreme@demo.test", "recent", INCIDENT, timedelta(hours=23),
                             "/api/v1/incidents")
    with app.app_context():
        service.remember(recent, 201, "{}")

    client.post("/api/v1/incidents", headers=keyed(token, "new"), json=INCIDENT)

    with app.app_context():
        assert set(db.session.scalars(select(IdempotentRequest.key))) == {"recent", "new"}


def test_a_retried_reply_is_posted_once(app, client, token):
    incident = client.post("/api/v1/incidents", headers=bearer(token), json=INCIDENT).json
    url = f"/api/v1/incidents/{incident['id']}/replies"
    first = client.post(url, headers=keyed(token, "reply"), json={"body": "More detail."})
    again = client.post(url, headers=keyed(token, "reply"), json={"body": "More detail."})

    assert first.status_code == again.status_code == 201 and again.json == first.json
    replies = client.get(f"/api/v1/incidents/{incident['id']}", headers=bearer(token))
    assert [reply["body"] for reply in replies.json["replies"]] == ["More detail."]


@pytest.mark.parametrize("path, body", [
    ("/api/v1/topics", {"title": "Closing the year in Orbit"}),
    ("/api/v1/alerts/subscriptions", {"product": "Orbit ERP"}),
])
def test_other_creating_posts_replay_too(client, token, path, body):
    first = client.post(path, headers=keyed(token, "k"), json=body)
    again = client.post(path, headers=keyed(token, "k"), json=body)

    assert first.status_code == again.status_code == 201
    assert again.json == first.json and again.headers["Idempotent-Replayed"] == "true"
    assert [item["id"] for item in client.get(path, headers=bearer(token)).json] == [
        first.json["id"]]


def test_the_openapi_document_names_the_header_on_creating_posts(client):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    post = paths["/api/v1/incidents"]["post"]
    header = next(parameter for parameter in post["parameters"]
                  if parameter["name"] == "Idempotency-Key")
    assert header["in"] == "header" and header["required"] is False
    assert header["schema"]["maxLength"] == 255
    assert {"400", "409", "422"} <= set(post["responses"])
    assert "Idempotent-Replayed" in post["responses"]["201"]["headers"]
    for path, method in [("/api/v1/incidents/{incident_id}/replies", "post"),
                         ("/api/v1/topics", "post"), ("/api/v1/community/questions", "post"),
                         ("/api/v1/alerts/subscriptions", "post")]:
        assert "Idempotency-Key" in {p["name"] for p in paths[path][method]["parameters"]}
    assert "Idempotency-Key" not in {
        p["name"] for p in paths["/api/v1/incidents"]["get"]["parameters"]}
