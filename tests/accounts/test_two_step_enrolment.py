"""Turning two-step sign-in on from the account page: QR code and key, nothing on until a
code verifies, recovery codes shown once and kept hashed, the secret kept encrypted."""

from __future__ import annotations

from sqlalchemy import select

from kb import db
from kb.accounts.models import RecoveryCode, TwoStep
from kb.accounts.queries import user_by_email
from tests.accounts.two_step_helpers import (
    Clock,
    code_at,
    enrol,
    mail_to,
    post,
    shown_secret,
    sign_in_with_password,
)


def test_enrolment_shows_a_qr_code_and_the_key_and_waits_for_a_right_code(
        app, client, auth, customer_on, monkeypatch):
    clock = Clock(monkeypatch)
    email = customer_on("premium")
    auth.login(email)
    account = client.get("/account").get_data(as_text=True)
    assert "Turn on two-step sign-in" in account and "<strong>Off.</strong>" in account

    assert post(client, "/account/two-step/start", page="/account").status_code == 302
    page = client.get("/account/two-step").get_data(as_text=True)
    assert '<svg' in page and 'class="qr-code"' in page and "<path" in page
    secret = shown_secret(page)
    assert len(secret) == 32

    wrong = post(client, "/account/two-step", {"code": code_at(secret, clock.now, steps=5)},
                 page="/account/two-step")
    assert wrong.status_code == 422
    assert "That code is not right" in wrong.get_data(as_text=True)
    # not on: the password alone still signs in, and the page still offers the same key
    assert shown_secret(wrong.get_data(as_text=True)) == secret
    auth.logout()
    assert auth.login(email).headers["Location"] == "/"
    assert mail_to(app, email) == []

    right = post(client, "/account/two-step", {"code": code_at(secret, clock.now)},
                 page="/account/two-step")
    assert right.status_code == 200 and right.headers["Cache-Control"] == "no-store"
    assert "Two-step sign-in is on" in right.get_data(as_text=True)
    [(subject, body, kind)] = mail_to(app, email)
    assert subject.endswith("Two-step sign-in is on") and kind == "account"
    assert "turned on for your account" in body
    # the key is never shown again
    assert client.get("/account/two-step").headers["Location"] == "/account#two-step"
    account = client.get("/account").get_data(as_text=True)
    assert secret not in account and "You have 10 unused recovery codes" in account
    auth.logout()
    assert sign_in_with_password(client, email).headers["Location"] == "/sign-in/two-step"


def test_recovery_codes_are_ten_shown_once_and_kept_hashed_and_the_secret_encrypted(
        app, client, auth, customer_on, monkeypatch):
    clock = Clock(monkeypatch)
    email = customer_on("xtreme")
    auth.login(email)
    secret, codes = enrol(client, clock)
    assert len(codes) == len(set(codes)) == 10
    with app.app_context():
        user = user_by_email(email)
        stored = db.session.scalar(select(TwoStep).where(TwoStep.user_id == user.id))
        assert stored.confirmed_at is not None
        assert secret not in stored.secret_encrypted
        hashes = db.session.scalars(
            select(RecoveryCode.code_hash).where(RecoveryCode.user_id == user.id)).all()
    assert len(hashes) == 10
    assert not any(code in stored_hash for code in codes for stored_hash in hashes)
    assert all(stored_hash.startswith("pbkdf2:") for stored_hash in hashes)
    assert not any(code in client.get("/account").get_data(as_text=True) for code in codes)


def test_a_second_start_while_on_changes_nothing(app, client, auth, customer_on, monkeypatch):
    clock = Clock(monkeypatch)
    email = customer_on("elite")
    auth.login(email)
    secret, _ = enrol(client, clock)
    post(client, "/account/two-step/start", page="/account")
    auth.logout()
    sign_in_with_password(client, email)
    response = post(client, "/sign-in/two-step", {"code": code_at(secret, clock.now)},
                    page="/sign-in/two-step")
    assert response.status_code == 302 and response.headers["Location"] == "/"
