"""Lapsed organisations (the contract): their users authenticate in the browser and with a
token, ``/api/v1/me`` answers 200 with ``active: false`` and no features, and every feature
answers 403 with ``"reason": "term_lapsed"`` beside ``error``."""

from __future__ import annotations

import pytest

from tests.conftest import bearer

FEATURE_ENDPOINTS = ["/api/v1/search?q=posting", "/api/v1/patches", "/api/v1/recordings",
                     "/api/v1/topics", "/api/v1/live-sessions", "/api/v1/campus",
                     "/api/v1/incidents", "/api/v1/support/coverage"]


@pytest.fixture
def lapsed_token(demo_accounts, api_token):
    return api_token("lapsed@demo.test")


def test_a_lapsed_token_authenticates_and_me_says_inactive(client, lapsed_token):
    response = client.get("/api/v1/me", headers=bearer(lapsed_token))
    assert response.status_code == 200
    assert response.json["organization"]["active"] is False
    assert response.json["features"] == []


@pytest.mark.parametrize("path", FEATURE_ENDPOINTS)
def test_every_feature_refuses_a_lapsed_token_naming_the_term(client, lapsed_token, path):
    response = client.get(path, headers=bearer(lapsed_token))
    assert response.status_code == 403, response.get_data(as_text=True)
    assert response.json["reason"] == "term_lapsed" and response.json["error"]


def test_a_lapsed_user_signs_in_and_gets_the_same_answers(client, auth, demo_accounts):
    assert auth.login("lapsed@demo.test").status_code == 302
    assert client.get("/api/v1/me").status_code == 200
    refused = client.get("/api/v1/patches")
    assert refused.status_code == 403 and refused.json["reason"] == "term_lapsed"
