"""What the two-step sign-in tests share: a frozen clock the pages read, turning two-step on
through the account pages, codes of the authenticator app at any moment."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pyotp
from sqlalchemy import select

from kb import db
from kb.accounts import two_step_views
from kb.mail import OutboxEmail
from tests.web import csrf_token

T0 = datetime(2026, 12, 7, 9, 0, 10, tzinfo=UTC)  # 10 s into a 30-second window


class Clock:
    """The time the two-step pages see (``utcnow`` in ``kb.accounts.two_step_views``)."""

    def __init__(self, monkeypatch, now: datetime = T0):
        self.now = now
        monkeypatch.setattr(two_step_views, "utcnow", lambda: self.now)

    def pass_seconds(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


def code_at(secret: str, moment: datetime, steps: int = 0) -> str:
    """The app's code at ``moment``, or ``steps`` 30-second windows before or after it."""
    return pyotp.TOTP(secret).at(moment + timedelta(seconds=30 * steps))


def post(client, url: str, data: dict | None = None, page: str = "/sign-in", **kwargs):
    """POST a form with the session's CSRF token, read from ``page``."""
    return client.post(url, data={**(data or {}), "csrf_token": csrf_token(client, page)},
                       **kwargs)


def shown_secret(html: str) -> str:
    match = re.search(r'id="two-step-secret"[^>]*>([^<]+)<', html)
    assert match, "no secret on the page"
    return match.group(1).replace(" ", "")


def shown_recovery_codes(html: str) -> list[str]:
    block = re.search(r'id="recovery-codes">(.*?)</ol>', html, re.S)
    assert block, "no recovery codes on the page"
    return re.findall(r"<code>([a-z0-9-]+)</code>", block.group(1))


def enrol(client, clock: Clock) -> tuple[str, list[str]]:
    """Turn two-step sign-in on for the signed-in ``client`` as a person would: the secret
    and the recovery codes shown. Moves the clock past the confirming code's window."""
    assert post(client, "/account/two-step/start", page="/account/two-step").status_code == 302
    secret = shown_secret(client.get("/account/two-step").get_data(as_text=True))
    page = post(client, "/account/two-step", {"code": code_at(secret, clock.now)},
                page="/account/two-step")
    assert page.status_code == 200, page.get_data(as_text=True)
    clock.pass_seconds(30)
    return secret, shown_recovery_codes(page.get_data(as_text=True))


def sign_in_with_password(client, email: str, password: str = "demo-password"):
    return post(client, "/sign-in", {"email": email, "password": password})


def second_step(client, code: str):
    return post(client, "/sign-in/two-step", {"code": code}, page="/sign-in/two-step")


def mail_to(app, email: str) -> list[tuple[str, str, str]]:
    """(subject, body, kind) of every e-mail queued for ``email``, oldest first."""
    with app.app_context():
        rows = db.session.scalars(select(OutboxEmail).where(OutboxEmail.recipient == email)
                                  .order_by(OutboxEmail.id))
        return [(row.subject, row.body, row.kind) for row in rows]
