"""Sign-out ends the session on the server (a copied cookie too) and leaves the user's other
sessions and API tokens; signing in again on a signed-in browser ends its earlier session."""

from __future__ import annotations

import pytest

from tests.accounts.security_helpers import (
    browser,
)
from tests.web import DEMO_PASSWORD, csrf_token


def test_sign_out_ends_the_session_for_a_copied_cookie(app, auth, customer_on):
    email = customer_on("elite")
    auth.login(email)
    cookie = auth.client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    thief = app.test_client()
    thief.set_cookie(app.config["SESSION_COOKIE_NAME"], cookie.value)
    assert thief.get("/api/v1/me").status_code == 200
    auth.logout()
    assert thief.get("/api/v1/me").status_code == 401


def test_sign_out_leaves_the_other_sessions_and_the_tokens(app, auth, customer_on, api_token):
    email = customer_on("elite")
    token = api_token(email)
    other_browser = browser(app)
    other_browser.login(email)
    auth.login(email)
    auth.logout()
    assert other_browser.client.get("/api/v1/me").status_code == 200
    fresh = app.test_client()
    assert fresh.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code \
        == 200


def copied_session_cookie(app, client):
    """Another browser holding a copy of ``client``'s session cookie."""
    copy = app.test_client()
    name = app.config["SESSION_COOKIE_NAME"]
    copy.set_cookie(name, client.get_cookie(name).value)
    return copy


@pytest.mark.parametrize("second", ["someone else", "the same user"])
def test_signing_in_again_ends_the_browsers_earlier_session(app, auth, customer_on, second):
    first = customer_on("elite")
    other = customer_on("premium") if second == "someone else" else first
    auth.login(first)
    earlier = copied_session_cookie(app, auth.client)
    assert earlier.get("/api/v1/me").json["email"] == first
    # the sign-in form, posted from a page of the signed-in browser (its own GET redirects home)
    answer = auth.client.post("/sign-in", data={
        "email": other, "password": DEMO_PASSWORD, "csrf_token": csrf_token(auth.client)})
    assert answer.status_code == 302
    assert auth.client.get("/api/v1/me").json["email"] == other
    assert earlier.get("/api/v1/me").status_code == 401
