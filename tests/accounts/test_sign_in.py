"""Sign-in, throttling, redirects, cookies, password reset and sign-out everywhere, tried the
way an attacker would try them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from kb import db
from kb.accounts.models import PasswordResetRequest, PasswordResetToken, User
from kb.accounts.passwords import send_requested_reset_links
from kb.alerts.schedule import run_due_jobs
from kb.db import utcnow
from kb.mail import OutboxEmail
from tests.conftest import DEMO_PASSWORD, csrf_token


def test_sign_in_and_out(client, auth, customer_on):
    email = customer_on("premium")
    response = auth.login(email)
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert client.get("/api/v1/me").get_json()["email"] == email
    auth.logout()
    assert client.get("/api/v1/me").status_code == 401


def test_wrong_password_is_refused_without_saying_which_part_was_wrong(auth, customer_on):
    email = customer_on("xtreme")
    wrong_password = auth.login(email, "not-the-password")
    unknown_user = auth.login("nobody@example.test", "not-the-password")
    assert wrong_password.status_code == unknown_user.status_code == 401
    assert b"Wrong e-mail address or password." in wrong_password.data
    assert b"Wrong e-mail address or password." in unknown_user.data


def test_sign_in_form_without_csrf_token_is_refused(client, customer_on):
    email = customer_on("xtreme")
    response = client.post("/sign-in", data={"email": email, "password": DEMO_PASSWORD})
    assert response.status_code == 400
    assert client.get("/api/v1/me").status_code == 401


def test_deactivated_user_cannot_sign_in(auth, make_user, make_organization):
    email = make_user(organization_id=make_organization("elite"), enabled=False)
    response = auth.login(email)
    assert response.status_code == 401
    assert b"deactivated" in response.data


def test_successful_sign_in_clears_the_account_failures(app, auth, customer_on):
    email = customer_on("premium")
    for _ in range(app.config["SIGN_IN_FREE_FAILURES"] - 1):
        auth.login(email, "guess-guess-guess")
    assert auth.login(email).status_code == 302
    auth.logout()
    auth.login(email, "guess-guess-guess")
    assert auth.login(email).status_code == 302


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "http://evil.example/path",
        "//evil.example/",
        "///evil.example/",
        "/\\evil.example/",
        "\\\\evil.example/",
        "/\\/evil.example/",
        "javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "%2F%2Fevil.example/",
        "/%2F%2Fevil.example/",
        "/%5Cevil.example/",
        "%252F%252Fevil.example",
        "/%252F%252Fevil.example",
        "/%09/evil.example",
        "/\t/evil.example",
        " //evil.example",
        "https:evil.example",
        "ftp://evil.example/",
    ],
)
def test_next_redirect_never_leaves_the_site(auth, customer_on, target):
    response = auth.login(customer_on("xtreme"), next_url=target)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


@pytest.mark.parametrize("target", ["/plans", "/account?tab=tokens", "/features/patches"])
def test_next_redirect_to_a_local_page_is_followed(auth, customer_on, target):
    response = auth.login(customer_on("xtreme"), next_url=target)
    assert response.headers["Location"] == target


def test_protected_page_sends_anonymous_visitor_to_sign_in_and_back(client, auth, customer_on):
    response = client.get("/account")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/sign-in?next=")
    email = customer_on("premium")
    assert auth.login(email, next_url="/account").headers["Location"] == "/account"


def test_session_cookie_flags(app, auth, customer_on):
    response = auth.login(customer_on("xtreme"))
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie


def test_session_cookie_is_secure_when_configured(tmp_path, isolated_database, new_app):
    from tests.conftest import app_settings

    settings = app_settings(tmp_path, isolated_database.url) | {"SECURE_COOKIES": True}
    assert new_app(settings).config["SESSION_COOKIE_SECURE"] is True


def _reset_link(app, email: str) -> str:
    """The newest link e-mailed to ``email`` once the outbox loop answered the requests."""
    with app.app_context():
        run_due_jobs()
        message = db.session.scalars(
            select(OutboxEmail).where(OutboxEmail.recipient == email)
            .order_by(OutboxEmail.id.desc())
        ).first()
        assert message is not None, "no reset e-mail in the outbox"
        body = message.body
    link = next(line for line in body.splitlines() if "/reset-password/" in line)
    assert link.startswith("http://kb.test/reset-password/")
    return link.removeprefix("http://kb.test")


def test_password_reset_by_e_mailed_single_use_link(app, client, auth, customer_on):
    email = customer_on("premium")
    response = auth.post("/reset-password", {"email": email})
    assert response.status_code == 302
    path = _reset_link(app, email)
    new_password = "a-brand-new-password"
    token = csrf_token(client, path)
    reset = client.post(path, data={"password": new_password, "confirm": new_password,
                                    "csrf_token": token})
    assert reset.status_code == 302
    assert auth.login(email, DEMO_PASSWORD).status_code == 401
    assert auth.login(email, new_password).status_code == 302
    auth.logout()
    again = client.get(path)
    assert again.status_code == 422 and b"invalid, used or expired" in again.data


def test_password_reset_link_expires(app, client, auth, customer_on):
    email = customer_on("premium")
    auth.post("/reset-password", {"email": email})
    path = _reset_link(app, email)
    with app.app_context():
        for reset in db.session.scalars(select(PasswordResetToken)):
            reset.expires_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
    assert client.get(path).status_code == 422


def test_password_reset_for_unknown_address_reveals_nothing(app, auth):
    response = auth.post("/reset-password", {"email": "nobody@example.test"})
    assert response.status_code == 302
    with app.app_context():
        [pending] = db.session.scalars(select(PasswordResetRequest)).all()
        assert pending.email == "nobody@example.test"
        assert send_requested_reset_links(utcnow()) == 0
        assert db.session.scalars(select(PasswordResetRequest)).all() == []
        assert db.session.scalars(select(OutboxEmail)).all() == []


def test_password_reset_with_a_forged_token_is_refused(client):
    assert client.get("/reset-password/forged-token").status_code == 422


def test_sign_out_everywhere_ends_other_sessions(app, auth, customer_on):
    email = customer_on("elite")
    other_browser = app.test_client()
    from tests.conftest import Auth

    Auth(other_browser).login(email)
    assert other_browser.get("/api/v1/me").status_code == 200
    auth.login(email)
    assert auth.post("/account/sign-out-everywhere").status_code == 302
    assert other_browser.get("/api/v1/me").status_code == 401
    assert auth.client.get("/api/v1/me").status_code == 401


def test_password_change_keeps_this_session_and_ends_others(app, auth, customer_on):
    from tests.conftest import Auth

    email = customer_on("elite")
    other_browser = app.test_client()
    Auth(other_browser).login(email)
    auth.login(email)
    response = auth.post("/account/password", {
        "current_password": DEMO_PASSWORD, "password": "another-password-1",
        "confirm": "another-password-1"})
    assert response.status_code == 302
    assert auth.client.get("/api/v1/me").status_code == 200
    assert other_browser.get("/api/v1/me").status_code == 401


def test_passwords_are_stored_with_a_kdf(app, customer_on):
    email = customer_on("xtreme")
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        assert DEMO_PASSWORD not in user.password_hash
        assert user.password_hash.startswith(("scrypt:", "pbkdf2:"))


def test_production_hashing_is_scrypt():
    from kb.config import DEFAULTS

    assert DEFAULTS["PASSWORD_HASH_METHOD"] == "scrypt"


def test_lapsed_customer_signs_in_and_is_told_why(client, auth, customer_on):
    auth.login(customer_on("premium", lapsed=True))
    page = client.get("/").get_data(as_text=True)
    assert "support term ended" in page
    me = client.get("/api/v1/me").get_json()
    assert me["organization"]["active"] is False and me["features"] == []
