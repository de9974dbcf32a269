"""An invitation or reset link opened in a browser signed in as someone else: the page says
whose browser it is and whom the link is for, offers to sign out, and does not act on the link
until then (a shared computer must not end with one person choosing another's password)."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from kb import db
from kb.accounts.models import PasswordResetToken
from tests.accounts.security_helpers import _reset_links, _use_link
from tests.conftest import Auth, csrf_token


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", "", html).split())


def test_a_reset_link_in_another_users_browser_is_refused_until_sign_out(app, auth,
                                                                        customer_on):
    owner, other = customer_on("premium"), customer_on("premium")
    Auth(app.test_client()).post("/reset-password", {"email": owner})
    (link,) = _reset_links(app, owner)
    auth.login(other)

    page = auth.client.get(link)
    html = page.get_data(as_text=True)
    assert page.status_code == 409
    assert f"You are signed in as {other}; this password reset link is for {owner}." in _text(html)
    assert 'name="password"' not in html

    refused = _use_link(auth.client, link)
    assert refused.status_code == 409
    with app.app_context():
        assert db.session.scalar(select(PasswordResetToken.used_at)) is None

    signed_out = auth.client.post("/sign-out", data={
        "csrf_token": csrf_token(auth.client, link), "next": link})
    assert signed_out.status_code == 302 and signed_out.headers["Location"] == link
    reopened = auth.client.get(link).get_data(as_text=True)
    assert 'name="password"' in reopened and "You are signed out." in reopened
    assert _use_link(auth.client, link).status_code == 302


def test_an_invitation_in_another_users_browser_is_refused(app, auth, demo_accounts):
    auth.login("elite-admin@demo.test")
    auth.post("/organization/users", {"email": "new.colleague@fabrikam.example",
                                      "role": "customer"})
    (link,) = _reset_links(app, "new.colleague@fabrikam.example")
    page = auth.client.get(link)
    html = page.get_data(as_text=True)
    assert page.status_code == 409
    assert ("You are signed in as elite-admin@demo.test; this invitation is for "
            "new.colleague@fabrikam.example. Sign out to accept it") in _text(html)


def test_the_link_of_the_signed_in_user_still_works(app, auth, customer_on):
    owner = customer_on("premium")
    Auth(app.test_client()).post("/reset-password", {"email": owner})
    (link,) = _reset_links(app, owner)
    auth.login(owner)
    assert 'name="password"' in auth.client.get(link).get_data(as_text=True)


def test_sign_out_goes_nowhere_off_the_site(auth, customer_on):
    auth.login(customer_on("premium"))
    answer = auth.client.post("/sign-out", data={
        "csrf_token": csrf_token(auth.client), "next": "//evil.example/"})
    assert answer.headers["Location"] == "/sign-in"


@pytest.mark.parametrize("target", [
    "/\\evil.example/", "/%5Cevil.example/", "%2F%2Fevil.example/", "/%2F%2Fevil.example/",
    "/%252F%252Fevil.example/", "/%0d%0aSet-Cookie:%20x=1", "/\r\nSet-Cookie: x=1",
    "javascript:alert(1)", "/%09/evil.example", "https:evil.example", "\\\\evil.example",
    "/%2525252F%2525252Fevil.example/"])
def test_sign_out_next_refuses_every_way_off_the_site(auth, customer_on, target):
    auth.login(customer_on("premium"))
    answer = auth.client.post("/sign-out", data={
        "csrf_token": csrf_token(auth.client), "next": target})
    assert answer.status_code == 302 and answer.headers["Location"] == "/sign-in"
    assert "Set-Cookie: x" not in str(answer.headers) and "x=1" not in answer.headers.get(
        "Set-Cookie", "")

