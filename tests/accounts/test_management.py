"""Staff manage organisations and users; customer administrators manage their own users; every
change of plan, term or role lands in the audit log with before and after."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from kb import db
from kb.accounts.models import AuditEntry, Organization, User
from kb.mail import OutboxEmail


@pytest.fixture
def staff_client(client, auth, demo_accounts):
    auth.login("staff@demo.test")
    return auth


def test_staff_create_an_organisation_with_products(app, staff_client):
    response = staff_client.post("/staff/organizations/new", {
        "name": "Tailspin Toys", "plan": "premium", "term_start": "2026-01-01",
        "term_end": "2026-12-31", "products": "Orbit ERP: 12.0, 11.1\nOrbit Analytics"})
    assert response.status_code == 302
    with app.app_context():
        organization = db.session.scalar(
            select(Organization).where(Organization.name == "Tailspin Toys"))
        assert sorted(str(item) for item in organization.installed) == [
            "Orbit Analytics", "Orbit ERP 11.1", "Orbit ERP 12.0"]
        entry = db.session.scalar(select(AuditEntry).where(
            AuditEntry.action == "organization.create",
            AuditEntry.target_id == organization.id))
        assert entry.after["plan"] == "premium" and entry.actor.email == "staff@demo.test"


def test_plan_and_term_changes_are_audited_with_before_and_after(app, staff_client):
    with app.app_context():
        organization = db.session.scalar(
            select(Organization).where(Organization.name == "Northwind Traders"))
        organization_id, old_end = organization.id, organization.term_end.isoformat()
    response = staff_client.post(f"/staff/organizations/{organization_id}", {
        "name": "Northwind Traders", "plan": "elite", "term_start": "2026-01-01",
        "term_end": "2027-12-31", "products": "Orbit ERP: 11.1", "administrator": ""})
    assert response.status_code == 302
    with app.app_context():
        entry = db.session.scalars(select(AuditEntry).where(
            AuditEntry.action == "organization.update")).one()
        assert entry.before["plan"] == "xtreme" and entry.after["plan"] == "elite"
        assert entry.before["term_end"] == old_end and entry.after["term_end"] == "2027-12-31"
    assert staff_client.client.get("/staff/audit").status_code == 200


def test_plan_change_takes_effect_at_once(app, client, auth, staff_client):
    with app.app_context():
        organization_id = db.session.scalar(
            select(Organization.id).where(Organization.name == "Northwind Traders"))
    staff_client.post(f"/staff/organizations/{organization_id}", {
        "name": "Northwind Traders", "plan": "premium", "term_start": "2026-01-01",
        "term_end": "2030-12-31", "products": "", "administrator": ""})
    customer = app.test_client()
    from tests.conftest import Auth

    Auth(customer).login("xtreme@demo.test")
    assert "interactive_sessions" in customer.get("/api/v1/me").get_json()["features"]


def test_term_ending_before_it_starts_is_refused(app, staff_client):
    response = staff_client.post("/staff/organizations/new", {
        "name": "Backwards Inc", "plan": "xtreme", "term_start": "2026-05-01",
        "term_end": "2026-01-01", "products": ""})
    assert response.status_code == 422 and b"cannot end before it starts" in response.data


def test_role_change_is_audited(app, staff_client):
    with app.app_context():
        user_id = db.session.scalar(select(User.id).where(User.email == "premium@demo.test"))
    response = staff_client.post(f"/staff/users/{user_id}", {"role": "customer_admin"})
    assert response.status_code == 302
    with app.app_context():
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "user.role"))
        assert entry.before == {"role": "customer"} and entry.after == {"role": "customer_admin"}


def test_staff_cannot_make_staff_but_admins_can(app, client, auth, demo_accounts):
    with app.app_context():
        user_id = db.session.scalar(select(User.id).where(User.email == "premium@demo.test"))
    auth.login("staff@demo.test")
    refused = auth.post(f"/staff/users/{user_id}", {"role": "admin"})
    assert refused.status_code == 422
    assert "You may not give the role Administrator." in refused.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(User, user_id).role == "customer"


@pytest.mark.parametrize("email", ["xtreme@demo.test", "elite@demo.test",
                                   "elite-admin@demo.test", "lapsed@demo.test"])
@pytest.mark.parametrize("path", ["/staff/", "/staff/users", "/staff/audit",
                                  "/staff/organizations/new"])
def test_customers_never_reach_staff_pages(client, auth, demo_accounts, email, path):
    auth.login(email)
    assert client.get(path).status_code == 403


@pytest.mark.parametrize("path", ["/staff/", "/staff/users", "/account", "/organization/users"])
def test_anonymous_is_sent_to_sign_in(client, path):
    response = client.get(path)
    assert response.status_code == 302 and "/sign-in?next=" in response.headers["Location"]


def test_customer_admin_invites_and_deactivates_own_users(app, client, auth, demo_accounts):
    auth.login("elite-admin@demo.test")
    response = auth.post("/organization/users", {
        "email": "new.colleague@fabrikam.example", "name": "New Colleague", "role": "customer"})
    assert response.status_code == 302
    with app.app_context():
        invited = db.session.scalar(
            select(User).where(User.email == "new.colleague@fabrikam.example"))
        assert invited.organization.name == "Fabrikam Logistics" and invited.password_hash is None
        invitation = db.session.scalar(select(OutboxEmail).where(
            OutboxEmail.recipient == "new.colleague@fabrikam.example"))
        assert "/reset-password/" in invitation.body
        colleague_id = db.session.scalar(
            select(User.id).where(User.email == "elite@demo.test"))
    assert auth.post(f"/organization/users/{colleague_id}/deactivate").status_code == 302
    with app.app_context():
        assert db.session.get(User, colleague_id).is_enabled is False
        assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "user.enabled"))


def main_of(response) -> str:
    return response.get_data(as_text=True).partition("<main")[2].partition("</main>")[0]


def test_customer_admin_cannot_touch_another_organisation(app, client, auth, demo_accounts):
    with app.app_context():
        other_id = db.session.scalar(select(User.id).where(User.email == "premium@demo.test"))
    auth.login("elite-admin@demo.test")
    # answered as a user that does not exist: ids do not tell who is a user elsewhere
    other = auth.post(f"/organization/users/{other_id}/deactivate")
    missing = auth.post("/organization/users/999999/deactivate")
    assert other.status_code == missing.status_code == 404
    assert main_of(other) == main_of(missing)
    with app.app_context():
        assert db.session.get(User, other_id).is_enabled is True


def test_customer_admin_cannot_invite_staff(app, auth, demo_accounts):
    auth.login("elite-admin@demo.test")
    response = auth.post("/organization/users", {
        "email": "sneaky@fabrikam.example", "role": "staff"})
    assert response.status_code == 422
    with app.app_context():
        assert db.session.scalar(select(User).where(User.email == "sneaky@fabrikam.example")) \
            is None


def test_plain_customer_cannot_manage_users(client, auth, demo_accounts):
    auth.login("elite@demo.test")
    assert client.get("/organization/users").status_code == 403


def test_deactivated_user_session_ends_at_once(app, auth, demo_accounts):
    from tests.conftest import Auth

    customer = app.test_client()
    Auth(customer).login("elite@demo.test")
    assert customer.get("/api/v1/me").status_code == 200
    with app.app_context():
        user_id = db.session.scalar(select(User.id).where(User.email == "elite@demo.test"))
    auth.login("elite-admin@demo.test")
    auth.post(f"/organization/users/{user_id}/deactivate")
    assert customer.get("/api/v1/me").status_code == 401
