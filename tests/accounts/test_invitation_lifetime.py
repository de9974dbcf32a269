"""An invitation's link works for days (``INVITATION_DAYS``, 7 by default), not the hour of a
password reset, and says so in the e-mail; once expired it says so and tells the person to ask
for a new invitation, which their administrator sends again. Reset links keep their minutes."""

from __future__ import annotations

from datetime import timedelta

import lxml.html
from sqlalchemy import select, update

from kb import db
from kb.accounts.models import PasswordResetToken
from kb.accounts.queries import user_by_email
from kb.db import utcnow
from kb.mail import OutboxEmail
from tests.accounts.security_helpers import _reset_links, _use_link

ADMIN = "premium-admin@demo.test"
INVITED = "new.colleague@contoso.example"


def _invite(auth) -> None:
    auth.login(ADMIN)
    response = auth.post("/organization/users", {"email": INVITED, "role": "customer",
                                                 "name": ""})
    assert response.status_code == 302
    auth.logout()


def _invitations(app) -> list[str]:
    with app.app_context():
        return [message.body for message in db.session.scalars(
            select(OutboxEmail).where(OutboxEmail.recipient == INVITED)
            .order_by(OutboxEmail.id))]


def _link_in(body: str) -> str:
    [line] = [line for line in body.splitlines() if "/reset-password/" in line]
    return line.removeprefix("http://kb.test")


def _lifetime(app, email: str) -> tuple[str, timedelta]:
    """The purpose of the user's unused link and how long it works, to the minute (its end and
    its creation are two readings of the clock)."""
    with app.app_context():
        [token] = db.session.scalars(select(PasswordResetToken).join(PasswordResetToken.user)
                                     .where(PasswordResetToken.used_at.is_(None))
                                     .where(PasswordResetToken.user.has(email=email)))
        minutes = round((token.expires_at - token.created_at).total_seconds() / 60)
        return token.purpose, timedelta(minutes=minutes)


def _let_time_pass(app, email: str, days: int) -> None:
    """The user's unused links as they are ``days`` later: their end that much earlier."""
    with app.app_context():
        for token in db.session.scalars(select(PasswordResetToken).where(
                PasswordResetToken.user_id == user_by_email(email).id,
                PasswordResetToken.used_at.is_(None))):
            token.expires_at -= timedelta(days=days)
        db.session.commit()


def _heading(response) -> str:
    return lxml.html.fromstring(response.get_data(as_text=True)).xpath("string(//h1)").strip()


def test_an_invitation_link_works_for_seven_days_and_says_so(app, client, auth,
                                                             demo_accounts):
    _invite(auth)
    [body] = _invitations(app)
    assert "Choose your password here within 7 days:" in body
    assert "If the link has expired, ask" in body and "to send you a new invitation" in body
    assert _lifetime(app, INVITED) == ("invitation", timedelta(days=7))
    _let_time_pass(app, INVITED, 6)  # long past a reset link's hour
    link = _link_in(body)
    page = client.get(link)
    assert page.status_code == 200 and _heading(page) == "Choose your password"
    assert _use_link(client, link).status_code == 302
    reused = client.get(link)
    assert reused.status_code == 422 and _heading(reused) == "This invitation was accepted"


def test_an_expired_invitation_says_so_and_a_new_one_works(app, client, auth,
                                                           demo_accounts):
    _invite(auth)
    _let_time_pass(app, INVITED, 8)
    expired_link = _link_in(_invitations(app)[0])
    expired = client.get(expired_link)
    assert expired.status_code == 422
    assert _heading(expired) == "This invitation has expired"
    text = expired.get_data(as_text=True)
    assert "customer administrator, to send you a new" in text and "invitation" in text
    assert _use_link(client, expired_link).status_code == 422
    with app.app_context():
        assert user_by_email(INVITED).password_hash is None

    auth.login(ADMIN)
    with app.app_context():
        user_id = user_by_email(INVITED).id
    assert auth.post(f"/organization/users/{user_id}/resend-invitation").status_code == 302
    fresh_link = _link_in(_invitations(app)[-1])
    auth.logout()  # the invited person opens it, not the administrator's session
    assert client.get(fresh_link).status_code == 200
    assert _use_link(client, fresh_link).status_code == 302


def test_the_lifetime_is_a_setting(app, auth, demo_accounts):
    app.config["INVITATION_DAYS"] = 14
    _invite(auth)
    assert "within 14 days:" in _invitations(app)[0]
    assert _lifetime(app, INVITED) == ("invitation", timedelta(days=14))


def test_a_reset_link_keeps_its_hour(app, client, auth, customer_on):
    email = customer_on("premium")
    auth.post("/reset-password", {"email": email})
    [link] = _reset_links(app, email)
    assert _lifetime(app, email) == ("reset", timedelta(minutes=60))
    with app.app_context():
        db.session.execute(update(PasswordResetToken).values(
            expires_at=utcnow() - timedelta(minutes=1)))
        db.session.commit()
    expired = client.get(link)
    assert expired.status_code == 422
    assert "This reset link is invalid, used or expired. Ask for a new one." in (
        expired.get_data(as_text=True))


def test_deactivating_an_invited_user_ends_their_invitation(app, client, auth, demo_accounts):
    """An invitation sent to a mistyped address is what an administrator deactivates: whoever
    reads that mailbox must not choose the password of an account a later reactivation opens."""
    _invite(auth)
    link = _link_in(_invitations(app)[0])
    auth.login(ADMIN)
    with app.app_context():
        user_id = user_by_email(INVITED).id
    assert auth.post(f"/organization/users/{user_id}/deactivate").status_code == 302
    assert auth.post(f"/organization/users/{user_id}/reactivate").status_code == 302
    auth.logout()
    assert client.get(link).status_code == 422
    assert _use_link(client, link).status_code == 422
    with app.app_context():
        assert user_by_email(INVITED).password_hash is None
