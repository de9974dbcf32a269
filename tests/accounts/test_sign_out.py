"""Sign-out ends the session on the server (a copied cookie too) and leaves the user's other
sessions and API tokens."""

from __future__ import annotations

from tests.accounts.security_helpers import (
    browser,
)


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
