"""An invitation or reset link opened in a browser half signed in as someone else (their
password given, their two-step code still to come): answered as in a browser signed in as
them (409, the page offering to cancel that sign-in), so that the half sign-in never
survives into the link's account, and nobody is later signed in as someone else by a code
typed on a page left open."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from kb import db
from kb.accounts.models import PasswordResetToken
from tests.accounts.security_helpers import _reset_links, _use_link
from tests.accounts.two_step_helpers import (
    Clock,
    code_at,
    enrol,
    post,
    sign_in_with_password,
)
from tests.conftest import Auth, csrf_token

NEW_PASSWORD = "a-brand-new-password"


def _code_typed(client, code: str):
    """The code typed on a code page left open (its CSRF token is the session's)."""
    return post(client, "/sign-in/two-step", {"code": code}, page="/reset-password")


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", "", html).split())


@pytest.fixture
def half_signed_in(app, client, auth, customer_on, monkeypatch):
    """This browser half signed in as a customer with two-step sign-in on, and a reset link of
    another customer: (the half signed-in e-mail, its secret, the clock, the other's e-mail,
    the other's link)."""
    clock = Clock(monkeypatch)
    holder, owner = customer_on("premium"), customer_on("premium")
    auth.login(holder)
    secret, _ = enrol(client, clock)
    auth.logout()
    clock.pass_seconds(60)
    Auth(app.test_client()).post("/reset-password", {"email": owner})
    (link,) = _reset_links(app, owner)
    assert sign_in_with_password(client, holder).headers["Location"] == "/sign-in/two-step"
    return holder, secret, clock, owner, link


def test_the_link_waits_until_the_half_sign_in_is_cancelled(app, client, half_signed_in):
    holder, _, _, owner, link = half_signed_in
    page = client.get(link)
    html = page.get_data(as_text=True)
    assert page.status_code == 409
    assert (f"You are signing in as {holder} (the password is given, the code is still to "
            f"come); this password reset link is for {owner}.") in _text(html)
    assert 'name="password"' not in html
    assert f"Go on signing in as {holder}" in _text(html)
    assert _use_link(client, link).status_code == 409
    with app.app_context():
        assert db.session.scalar(select(PasswordResetToken.used_at)) is None

    cancelled = client.post("/sign-out", data={"csrf_token": csrf_token(client, link),
                                               "next": link})
    assert cancelled.status_code == 302 and cancelled.headers["Location"] == link
    assert 'name="password"' in client.get(link).get_data(as_text=True)
    assert client.get("/sign-in/two-step").headers["Location"] == "/sign-in"


def test_a_password_sign_in_ends_another_persons_half_sign_in(client, half_signed_in,
                                                              customer_on):
    _, secret, clock, _, _ = half_signed_in
    other = customer_on("premium")
    assert sign_in_with_password(client, other).status_code == 302
    assert _code_typed(client, code_at(secret, clock.now)).headers["Location"] == "/sign-in"
    assert client.get("/api/v1/me").get_json()["email"] == other


def test_the_half_signed_in_users_own_link_still_works_and_ends_the_half_sign_in(
        app, client, half_signed_in):
    holder, secret, clock, _, _ = half_signed_in
    Auth(app.test_client()).post("/reset-password", {"email": holder})
    (link,) = _reset_links(app, holder)
    assert 'name="password"' in client.get(link).get_data(as_text=True)
    assert _use_link(client, link, NEW_PASSWORD).status_code == 302
    assert _code_typed(client, code_at(secret, clock.now)).headers["Location"] == "/sign-in"
    assert client.get("/api/v1/me").status_code == 401
