"""API tokens that expire: chosen on the account page (90 days unless the user picks another
term or "never") or with ``kb token create --expires-in-days``; an expired token is refused with
401 saying when it expired; its owner is warned by e-mail a week before, once; and scripts list
their tokens and revoke one (a leaked one, or the one they run with) through the API."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from kb import db
from kb.accounts.models import ApiToken, User
from kb.accounts.token_expiry import warn_of_expiring_tokens
from kb.db import utcnow
from kb.mail import OutboxEmail
from tests.conftest import bearer


def _created_on_the_page(auth, client, name: str, expires: str) -> str:
    page = auth.post("/account/tokens", {"name": name, "expires": expires})
    assert page.status_code == 201
    return re.search(r'<code id="new-token">(kb_[\w-]+)</code>', page.get_data(as_text=True))[1]


def _stored(app, name: str) -> ApiToken:
    with app.app_context():
        return db.session.scalar(select(ApiToken).where(ApiToken.name == name))


def _expire(app, name: str, at) -> None:
    with app.app_context():
        db.session.scalar(select(ApiToken).where(ApiToken.name == name)).expires_at = at
        db.session.commit()


def test_the_account_page_sets_the_term_and_an_expired_token_is_refused_saying_when(
        app, client, auth, customer_on):
    auth.login(customer_on("premium"))
    monthly = _created_on_the_page(auth, client, "monthly", "30")
    _created_on_the_page(auth, client, "forever", "never")
    started = utcnow()
    assert abs(_stored(app, "monthly").expires_at - (started + timedelta(days=30))) \
        < timedelta(minutes=1)
    assert _stored(app, "forever").expires_at is None
    listing = client.get("/account").get_data(as_text=True)
    assert f"{(started + timedelta(days=30)):%Y-%m-%d}" in listing and ">never</td>" in listing

    refused = auth.post("/account/tokens", {"name": "odd", "expires": "7"})
    assert refused.status_code == 422 and _stored(app, "odd") is None

    assert client.get("/api/v1/me", headers=bearer(monthly)).status_code == 200
    _expire(app, "monthly", utcnow() - timedelta(minutes=1))
    expired = client.get("/api/v1/me", headers=bearer(monthly))
    assert expired.status_code == 401 and expired.headers["WWW-Authenticate"]
    assert expired.get_json()["error"].startswith("This API token expired on ")
    assert "expired</strong>" in client.get("/account").get_data(as_text=True)


def test_the_command_sets_an_expiry_only_when_asked(app, runner, customer_on):
    email = customer_on("xtreme")
    result = runner.invoke(args=["token", "create", email, "--name", "ci",
                                 "--expires-in-days", "10"])
    assert result.exit_code == 0 and ", expiring " in result.output
    assert app.test_client().get(
        "/api/v1/me", headers=bearer(result.output.strip().splitlines()[-1])).status_code == 200
    assert _stored(app, "ci").expires_at > utcnow() + timedelta(days=9)
    for days in ("0", "99999", "soon"):
        refused = runner.invoke(args=["token", "create", email, "--expires-in-days", days])
        assert refused.exit_code == 2 and "--expires-in-days" in refused.output
    kept = runner.invoke(args=["token", "create", email, "--name", "plain"])
    assert kept.exit_code == 0 and _stored(app, "plain").expires_at is None


def test_scripts_list_their_tokens_and_revoke_one(app, client, customer_on, api_token):
    email = customer_on("elite")
    running, leaked = api_token(email), api_token(email)
    others = api_token(customer_on("elite"))
    listed = client.get("/api/v1/tokens", headers=bearer(running))
    assert listed.status_code == 200 and len(listed.json) == 2
    current = [t for t in listed.json if t["current"]]
    assert len(current) == 1 and running.startswith(current[0]["prefix"])
    assert all(running not in str(t) and leaked not in str(t) for t in listed.json)
    leaked_id = next(t["id"] for t in listed.json if not t["current"])

    their_id = client.get("/api/v1/tokens", headers=bearer(others)).json[0]["id"]
    assert client.delete(f"/api/v1/tokens/{their_id}", headers=bearer(running)).status_code \
        == 404
    assert client.get("/api/v1/me", headers=bearer(others)).status_code == 200

    assert client.delete(f"/api/v1/tokens/{leaked_id}", headers=bearer(running)).status_code \
        == 204
    assert client.get("/api/v1/me", headers=bearer(leaked)).status_code == 401
    assert client.delete(f"/api/v1/tokens/{current[0]['id']}",
                         headers=bearer(running)).status_code == 204
    assert client.get("/api/v1/tokens", headers=bearer(running)).status_code == 401


def test_the_owner_is_warned_by_e_mail_a_week_before_once(app, runner, smtp, customer_on,
                                                         api_token):
    email = customer_on("premium")
    for name in ("soon", "later", "revoked", "gone"):
        api_token(email)
        with app.app_context():
            newest = db.session.scalar(select(ApiToken).order_by(ApiToken.id.desc()))
            newest.name = name
            db.session.commit()
    now = utcnow()
    _expire(app, "soon", now + timedelta(days=5))
    _expire(app, "later", now + timedelta(days=20))
    _expire(app, "revoked", now + timedelta(days=2))
    _expire(app, "gone", now - timedelta(days=1))
    with app.app_context():
        db.session.scalar(select(ApiToken).where(ApiToken.name == "revoked")).revoked_at = now
        db.session.commit()
        assert warn_of_expiring_tokens(utcnow()) == 1
        assert warn_of_expiring_tokens(utcnow()) == 0
    assert runner.invoke(args=["outbox", "run", "--once"]).exit_code == 0

    [warning] = smtp.inbox.to(email)
    subject = warning["Subject"].strip()
    assert subject.startswith("Orbitec Support: Your API token 'soon' expires on ")
    text = warning.get_body(("plain",)).get_content()
    assert "create a new token on your account page" in text and "http://kb.test/account" in text


def test_a_deactivated_owner_is_warned_once_reactivated_not_never(app, customer_on, api_token):
    """A deactivated user's tokens do not work, so nobody is told of them; but reactivated a
    day later, their scripts run again and would stop at the expiry with no warning at all."""
    email = customer_on("premium")
    api_token(email)
    _expire(app, "test", utcnow() + timedelta(days=5))
    with app.app_context():
        owner = db.session.scalar(select(User).where(User.email == email))
        owner.is_enabled = False
        db.session.commit()
        assert warn_of_expiring_tokens(utcnow()) == 0
        owner.is_enabled = True
        db.session.commit()
        assert warn_of_expiring_tokens(utcnow()) == 1
        [warning] = db.session.scalars(select(OutboxEmail).where(
            OutboxEmail.recipient == email, OutboxEmail.subject.contains("expires on")))
        assert "'test'" in warning.subject
