"""The headers of the API's answers: a 204 has no Content-Type, a 201 that creates something
with an address of its own gives it in ``Location``; and a question asked in a space that does
not exist is refused for the space, whatever else is wrong with it."""

from __future__ import annotations

import io

import pytest

from kb.community import spaces
from tests.conftest import bearer


@pytest.fixture
def elite(demo_accounts, api_token):
    return bearer(api_token("elite@demo.test"))


@pytest.fixture
def space(app, demo_accounts) -> str:
    with app.app_context():
        return spaces.create_space(None, spaces.SpaceFields(name="Orbit ERP",
                                                            product="Orbit ERP")).slug


def test_a_204_carries_no_content_type(client, elite):
    subscribed = client.post("/api/v1/alerts/subscriptions", json={"product": "Orbit ERP"},
                             headers=elite)
    assert subscribed.status_code == 201
    for method, path in (("post", "/api/v1/notifications/read"),
                         ("delete", f"/api/v1/alerts/subscriptions/{subscribed.json['id']}")):
        answer = client.open(path, method=method, headers=elite)
        assert answer.status_code == 204 and answer.data == b"", path
        assert "Content-Type" not in answer.headers, path


def _location_path(answer) -> str:
    location = answer.headers["Location"]
    assert location.startswith("http")
    return "/" + location.split("/", 3)[3]


def test_a_new_subscription_and_question_give_their_address(client, elite, space):
    made = {
        "subscription": client.post("/api/v1/alerts/subscriptions", headers=elite,
                                    json={"product": "Orbit ERP"}),
        "question": client.post("/api/v1/community/questions", headers=elite, json={
            "space": space, "title": "How do I close the year?", "body": "Step by step?"}),
    }
    for name, answer in made.items():
        assert answer.status_code == 201, (name, answer.json)
    question = made["question"].json["id"]
    assert _location_path(made["question"]) == f"/api/v1/community/questions/{question}"
    assert client.get(_location_path(made["question"]), headers=elite).json["id"] == question
    subscription = made["subscription"].json["id"]
    assert _location_path(made["subscription"]) == \
        f"/api/v1/alerts/subscriptions/{subscription}"
    again = client.post("/api/v1/alerts/subscriptions", headers=elite,
                        json={"product": "Orbit ERP"})
    assert again.status_code == 200 and "Location" not in again.headers  # nothing new
    assert client.delete(_location_path(made["subscription"]), headers=elite).status_code == 204


@pytest.mark.parametrize("title", ["Hm", ""])
def test_an_unknown_space_is_named_before_a_short_title(client, elite, title):
    refused = client.post("/api/v1/community/questions", headers=elite, json={
        "space": "no-such-space", "title": title, "body": "Details"})
    assert refused.status_code == 422
    assert "no-such-space" in refused.json["error"]


def test_a_known_space_with_a_short_title_is_refused_for_the_title(client, elite, space):
    refused = client.post("/api/v1/community/questions", headers=elite, json={
        "space": space, "title": "Hm", "body": "Details"})
    assert refused.status_code == 422 and "title" in refused.json["error"]


def test_the_document_gives_201_location_and_409_retry_after(client):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    incidents = paths["/api/v1/incidents"]["post"]["responses"]
    assert {"Location", "Idempotent-Replayed"} <= set(incidents["201"]["headers"])
    assert "Retry-After" in incidents["409"]["headers"]
    assert "Location" in paths["/api/v1/patches"]["post"]["responses"]["201"]["headers"]


def test_a_new_patch_and_recording_give_their_address(client, demo_accounts, api_token):
    staff = bearer(api_token("staff@demo.test"))
    patch = client.post("/api/v1/patches", headers=staff, content_type="multipart/form-data",
                        data={"product": "Orbit ERP", "title": "Ledger fix",
                              "files": (io.BytesIO(b"fix"), "fix.zip")})
    recording = client.post("/api/v1/recordings", headers=staff,
                            content_type="multipart/form-data",
                            data={"title": "Year end", "recorded_on": "2030-01-15",
                                  "external_url": "https://media.example.test/a.mp4"})
    for answer, path in ((patch, "/api/v1/patches/"), (recording, "/api/v1/recordings/")):
        assert answer.status_code == 201, answer.json
        assert _location_path(answer) == f"{path}{answer.json['id']}"
        assert client.get(_location_path(answer), headers=staff).json["id"] == answer.json["id"]
