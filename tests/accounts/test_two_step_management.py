"""Turning two-step sign-in off (password or code), an administrator's reset for a lost phone
(audited, e-mailed), and KB_REQUIRE_TWO_STEP_FOR_STAFF."""

from __future__ import annotations

from sqlalchemy import select

from kb import db
from kb.accounts.models import AuditEntry
from kb.accounts.queries import user_by_email
from tests.accounts.two_step_helpers import (
    Clock,
    code_at,
    enrol,
    mail_to,
    post,
    second_step,
    sign_in_with_password,
)
from tests.web import Auth, bearer


def _enrolled_browser(app, email: str, clock: Clock):
    client = app.test_client()
    Auth(client).login(email)
    secret, _ = enrol(client, clock)
    return client, secret


def test_turning_off_needs_the_password(app, client, auth, customer_on, monkeypatch):
    clock = Clock(monkeypatch)
    email = customer_on("premium")
    auth.login(email)
    enrol(client, clock)
    refused = post(client, "/account/two-step/off", {"password_or_code": "not-my-password"},
                   page="/account")
    assert refused.status_code == 422
    assert "two-step sign-in stays on" in refused.get_data(as_text=True)
    assert "<strong>On.</strong>" in client.get("/account").get_data(as_text=True)

    done = post(client, "/account/two-step/off", {"password_or_code": "demo-password"},
                page="/account")
    assert done.headers["Location"] == "/account#two-step"
    assert "<strong>Off.</strong>" in client.get("/account").get_data(as_text=True)
    assert [subject.split(": ")[-1] for subject, _, _ in mail_to(app, email)] == [
        "Two-step sign-in is on", "Two-step sign-in is off"]
    auth.logout()
    assert auth.login(email).headers["Location"] == "/"


def test_turning_off_with_a_current_code(client, auth, customer_on, monkeypatch):
    clock = Clock(monkeypatch)
    email = customer_on("xtreme")
    auth.login(email)
    secret, _ = enrol(client, clock)
    done = post(client, "/account/two-step/off",
                {"password_or_code": code_at(secret, clock.now)}, page="/account")
    assert done.headers["Location"] == "/account#two-step"
    auth.logout()
    assert auth.login(email).headers["Location"] == "/"


def test_a_customer_administrator_resets_a_users_two_step(
        app, client, auth, make_organization, make_user, monkeypatch):
    clock = Clock(monkeypatch)
    organization = make_organization("elite")
    administrator = make_user(role="customer_admin", organization_id=organization)
    member = make_user(organization_id=organization)
    _enrolled_browser(app, member, clock)
    with app.app_context():
        member_id = user_by_email(member).id

    auth.login(administrator)
    users_page = client.get("/organization/users").get_data(as_text=True)
    assert f"/organization/users/{member_id}/reset-two-step" in users_page
    response = post(client, f"/organization/users/{member_id}/reset-two-step",
                    page="/organization/users")
    assert response.headers["Location"] == "/organization/users"
    assert f"/organization/users/{member_id}/reset-two-step" not in client.get(
        "/organization/users").get_data(as_text=True)

    with app.app_context():
        entry = db.session.scalar(select(AuditEntry).where(
            AuditEntry.action == "user.two_step_reset"))
        assert entry.target_id == member_id
        assert entry.actor_id == user_by_email(administrator).id
    subject, body, kind = mail_to(app, member)[-1]
    assert subject.endswith("Your two-step sign-in has been reset") and kind == "account"
    assert "turned two-step sign-in off for your account" in body
    other = app.test_client()
    assert sign_in_with_password(other, member).headers["Location"] == "/"


def test_only_the_users_administrators_may_reset(
        app, client, auth, make_organization, make_user, monkeypatch):
    clock = Clock(monkeypatch)
    organization = make_organization("elite")
    colleague = make_user(organization_id=organization)
    stranger_admin = make_user(role="customer_admin",
                               organization_id=make_organization("elite"))
    member = make_user(organization_id=organization)
    _enrolled_browser(app, member, clock)
    with app.app_context():
        member_id = user_by_email(member).id
    for email, status in ((colleague, 403), (stranger_admin, 404)):
        auth.login(email)
        response = post(client, f"/organization/users/{member_id}/reset-two-step",
                        page="/account")
        assert response.status_code == status
        auth.logout()
    other = app.test_client()
    assert sign_in_with_password(other, member).headers["Location"] == "/sign-in/two-step"
    with app.app_context():
        assert db.session.scalar(select(AuditEntry).where(
            AuditEntry.action == "user.two_step_reset")) is None


def test_staff_reset_from_the_users_page(app, client, auth, make_user, customer_on,
                                         monkeypatch):
    clock = Clock(monkeypatch)
    member = customer_on("premium")
    _enrolled_browser(app, member, clock)
    with app.app_context():
        member_id = user_by_email(member).id
    auth.login(make_user(role="staff"))
    page = client.get(f"/staff/users/{member_id}").get_data(as_text=True)
    assert "two-step sign-in on" in page and "Reset two-step sign-in" in page
    response = post(client, f"/organization/users/{member_id}/reset-two-step",
                    page=f"/staff/users/{member_id}")
    assert response.headers["Location"] == f"/staff/users/{member_id}"
    assert "two-step sign-in off" in client.get(f"/staff/users/{member_id}").get_data(
        as_text=True)


def test_staff_may_be_required_to_use_two_step(app, client, auth, make_user, api_token,
                                               monkeypatch):
    clock = Clock(monkeypatch)
    staff = make_user(role="staff")
    assert auth.login(staff).headers["Location"] == "/"  # not required by default
    auth.logout()

    app.config["REQUIRE_TWO_STEP_FOR_STAFF"] = True
    assert auth.login(staff).headers["Location"] == "/account/two-step"
    assert client.get("/staff/").headers["Location"] == "/account/two-step"
    assert client.get("/account").headers["Location"] == "/account/two-step"
    refused = client.get("/api/v1/me")
    assert refused.status_code == 403 and "two-step" in refused.get_json()["error"]
    assert client.get("/api/v1/me", headers=bearer(api_token(staff))).status_code == 200
    page = client.get("/account/two-step").get_data(as_text=True)
    assert "Staff accounts must use two-step sign-in" in page

    secret, _ = enrol(client, clock)
    assert client.get("/staff/").status_code == 200
    post(client, "/sign-out", page="/account")
    sign_in_with_password(client, staff)
    assert second_step(client, code_at(secret, clock.now)).headers["Location"] == "/"
