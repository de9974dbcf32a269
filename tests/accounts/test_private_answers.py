"""What a signed-in reader is answered is kept from every cache (a shared computer's Back button
after signing out, a proxy); public pages, static files and answers that say how they may be
cached (downloads) are left as they are."""

from __future__ import annotations

import pytest

from tests.web import bearer


@pytest.mark.parametrize("path", ["/", "/articles/", "/account", "/api/v1/me"])
def test_a_signed_in_readers_answers_are_stored_nowhere(client, auth, customer_on, path):
    auth.login(customer_on("elite"))
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "private, no-store"


def test_an_api_answer_to_a_token_is_stored_nowhere(client, customer_on, api_token):
    response = client.get("/api/v1/me", headers=bearer(api_token(customer_on("premium"))))
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "private, no-store"


def test_public_pages_and_static_files_keep_their_own_caching(client, auth, customer_on):
    assert "no-store" not in client.get("/plans").headers.get("Cache-Control", "")
    auth.login(customer_on("elite"))
    static = client.get("/static/kb.css")
    assert static.status_code == 200
    assert "no-store" not in static.headers.get("Cache-Control", "")
