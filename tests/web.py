"""Talking to the app as a browser or an API client would: the session's CSRF token, signing
in and out through the real form, a bearer header."""

from __future__ import annotations

import hashlib
import os
import re

from itsdangerous import URLSafeTimedSerializer

DEMO_PASSWORD = "demo-password"


CSRF_PATTERN = re.compile(r'name="csrf-token" content="([^"]+)"')
# a CSRF token carries the second it was signed in, so two pages a second apart differ there
SIGNED_TOKEN = re.compile(rb'(name="csrf[-_]token" (?:content|value)=")[^"]+"')


def same_page(first: bytes, second: bytes) -> bool:
    """Whether two answers' bodies are the same page, but for the time in their CSRF tokens."""
    return SIGNED_TOKEN.sub(rb'\1"', first) == SIGNED_TOKEN.sub(rb'\1"', second)


def csrf_token(client, page: str | None = None) -> str:
    """The CSRF token of the client's session: read from ``page`` as a browser would, or,
    without a page, signed from the session's secret as Flask-WTF signs it for every page (the
    tests post some 8,000 forms a run, and reading a page first cost 4 ms of CPU each). The
    form posted with it is checked by the app as any other."""
    if page is not None:
        html = client.get(page).get_data(as_text=True)
        match = CSRF_PATTERN.search(html)
        assert match, f"no CSRF token on {page}"
        return match.group(1)
    application = client.application
    with client.session_transaction() as session:
        if not isinstance(session.get("csrf_token"), str):
            session["csrf_token"] = hashlib.sha1(os.urandom(64)).hexdigest()
        secret = session["csrf_token"]
    key = application.config.get("WTF_CSRF_SECRET_KEY") or application.secret_key
    return URLSafeTimedSerializer(key, salt="wtf-csrf-token").dumps(secret)


class Auth:
    """Signs a test client in and out through the real sign-in form."""

    def __init__(self, client):
        self.client = client

    def login(self, email: str, password: str = DEMO_PASSWORD, next_url: str = ""):
        token = csrf_token(self.client)
        return self.client.post(
            "/sign-in",
            data={"email": email, "password": password, "next": next_url, "csrf_token": token},
        )

    def logout(self):
        return self.client.post("/sign-out", data={"csrf_token": csrf_token(self.client)})

    def post(self, url: str, data: dict | None = None, **kwargs):
        """POST a form with the session's CSRF token, as the page's own form would."""
        return self.client.post(
            url, data={**(data or {}), "csrf_token": csrf_token(self.client)}, **kwargs
        )


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
