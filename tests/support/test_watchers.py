"""Watchers: colleagues of the organisation kept informed of an incident. Who logged it (or the
organisation's customer administrator) adds them when logging it and later; they get the
customer's e-mails through a real SMTP server on loopback, read and reply; nobody outside the
organisation can be one."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from kb import db
from kb.accounts.queries import user_by_email
from kb.accounts.users import create_user
from kb.errors import Invalid
from kb.policy import AccessDenied
from kb.support import incidents, watchers
from kb.support.models import Incident
from tests.conftest import csrf_token

CUSTOMER, ADMIN, OUTSIDER = "premium@demo.test", "premium-admin@demo.test", "elite@demo.test"


def _id(desk, email: str) -> int:
    with desk.app_context():
        return user_by_email(email).id


def _colleague(desk, email: str = "olga@contoso.test") -> int:
    """Another customer of Contoso Manufacturing (the premium demo organisation)."""
    with desk.app_context():
        organization = user_by_email(CUSTOMER).organization
        return create_user(None, email, organization=organization, name="Olga Orders",
                           password="demo-password-olga").id


def _deliver(runner) -> None:
    result = runner.invoke(args=["outbox", "run", "--once"])
    assert result.exit_code == 0, result.output


def _subjects(smtp, email: str) -> list[str]:
    return [" ".join(message["Subject"].split()) for message in smtp.inbox.to(email)]


def _watcher_emails(desk, incident_id: int) -> list[str]:
    with desk.app_context():
        return [user.email for user in db.session.get(Incident, incident_id).watchers]


def test_a_colleague_ticked_when_logging_gets_the_customers_emails(
        desk, client, auth, runner, smtp):
    colleague = _colleague(desk)
    auth.login(CUSTOMER)
    form = client.get("/support/incidents/new").get_data(as_text=True)
    assert "Olga Orders (olga@contoso.test)" in form and "Carl Contoso" in form
    assert "Elena Elite" not in form  # another organisation's users are never offered
    response = client.post("/support/incidents/new", data={
        "csrf_token": csrf_token(client, "/support/incidents/new"), "product": "Orbit ERP",
        "severity": "3", "title": "Invoices print blank", "description": "Since Monday.",
        "watchers": [str(colleague)]}, content_type="multipart/form-data")
    assert response.status_code == 302
    incident_id = int(response.headers["Location"].rsplit("/", 1)[1])
    assert _watcher_emails(desk, incident_id) == ["olga@contoso.test"]
    with desk.app_context():
        incident = db.session.get(Incident, incident_id)
        staff = user_by_email("staff@demo.test")
        incidents.reply(staff, incident, "Which printer?")
        incidents.change_status(staff, incident, "resolved")
    _deliver(runner)

    watched = _subjects(smtp, "olga@contoso.test")
    assert any(s.startswith("Orbitec Support: You are watching: Incident #1") for s in watched)
    assert any(s.startswith("Orbitec Support: Support replied (In progress): Incident #1")
               for s in watched)
    assert any(s.startswith("Orbitec Support: Resolved: Incident #1") for s in watched)
    [added] = [m for m in smtp.inbox.to("olga@contoso.test") if "watching" in m["Subject"]]
    assert "Paula Premium added you as a watcher" in added.get_body(("plain",)).get_content()
    assert any(s.startswith("Orbitec Support: Support replied") for s in _subjects(
        smtp, CUSTOMER))
    assert _subjects(smtp, ADMIN) == []  # a colleague not ticked hears nothing


def test_nobody_outside_the_organisation_can_watch(desk, client, auth, log_incident):
    outsider = _id(desk, OUTSIDER)
    auth.login(CUSTOMER)
    response = client.post("/support/incidents/new", data={
        "csrf_token": csrf_token(client, "/support/incidents/new"), "product": "Orbit ERP",
        "severity": "3", "title": "Invoices print blank", "description": "Since Monday.",
        "watchers": [str(outsider)]}, content_type="multipart/form-data")
    assert response.status_code == 422
    with desk.app_context():
        assert db.session.scalar(select(Incident)) is None
        with pytest.raises(Invalid):
            incidents.log_incident(user_by_email(CUSTOMER), incidents.IncidentDetails(
                product="Orbit ERP", severity=3, title="Invoices print blank",
                watchers=[user_by_email(OUTSIDER).id]))
        assert db.session.scalar(select(Incident)) is None
    incident_id = log_incident(CUSTOMER)
    page = f"/support/incidents/{incident_id}"
    refused = client.post(f"{page}/watchers", data={
        "csrf_token": csrf_token(client, page), "watchers": [str(outsider)]})
    assert refused.status_code == 422
    with desk.app_context():
        incident = db.session.get(Incident, incident_id)
        with pytest.raises(Invalid):
            watchers.add(user_by_email(CUSTOMER), incident, [outsider])
        staff_id = user_by_email("staff@demo.test").id
        with pytest.raises(Invalid):  # staff are support, not the customer's colleagues
            watchers.add(user_by_email(CUSTOMER), incident, [staff_id])
    assert _watcher_emails(desk, incident_id) == []


def test_the_reporter_and_the_customer_admin_add_watchers_later_others_may_not(
        desk, client, auth, log_incident):
    colleague = _colleague(desk)
    incident_id = log_incident(CUSTOMER)
    page = f"/support/incidents/{incident_id}"
    auth.login("olga@contoso.test", "demo-password-olga")
    shown = client.get(page).get_data(as_text=True)  # any colleague reads the incident
    assert "Kept informed" in shown and "Keep them informed" not in shown
    assert client.post(f"{page}/watchers", data={
        "csrf_token": csrf_token(client, page), "watchers": [str(colleague)]}).status_code == 403
    auth.logout()
    auth.login(ADMIN)
    added = client.post(f"{page}/watchers", data={
        "csrf_token": csrf_token(client, page), "watchers": [str(colleague)]})
    assert added.status_code == 302
    assert _watcher_emails(desk, incident_id) == ["olga@contoso.test"]
    assert "Olga Orders will be kept informed" in client.get(page).get_data(as_text=True)
    with desk.app_context():
        with pytest.raises(AccessDenied):
            watchers.add(user_by_email("staff@demo.test"),
                         db.session.get(Incident, incident_id), [colleague])


def test_a_watcher_replies_and_stops_watching(desk, client, auth, log_incident, as_user):
    colleague = _colleague(desk)
    incident_id = log_incident(CUSTOMER, watchers=[colleague])
    page = f"/support/incidents/{incident_id}"
    auth.login("olga@contoso.test", "demo-password-olga")
    assert "Stop watching" in client.get(page).get_data(as_text=True)
    sent = client.post(f"{page}/replies", data={
        "csrf_token": csrf_token(client, page), "body": "Printer is an HP 4050."},
        content_type="multipart/form-data")
    assert sent.status_code == 302
    stopped = client.post(f"{page}/watchers/{colleague}/remove",
                          data={"csrf_token": csrf_token(client, page)})
    assert stopped.status_code == 302
    assert _watcher_emails(desk, incident_id) == []
    # a colleague who is not a watcher is not removed by another plain colleague
    as_user(CUSTOMER, lambda user: watchers.add(
        user, db.session.get(Incident, incident_id), [_id(desk, ADMIN)]))
    assert client.post(f"{page}/watchers/{_id(desk, ADMIN)}/remove", data={
        "csrf_token": csrf_token(client, page)}).status_code == 403
    assert _watcher_emails(desk, incident_id) == [ADMIN]


def test_a_disabled_watcher_hears_nothing(desk, log_incident, runner, smtp):
    colleague = _colleague(desk)
    incident_id = log_incident(CUSTOMER, watchers=[colleague])
    with desk.app_context():
        db.session.get(type(user_by_email(CUSTOMER)), colleague).is_enabled = False
        db.session.commit()
        incidents.reply(user_by_email("staff@demo.test"),
                        db.session.get(Incident, incident_id), "Which printer?")
    _deliver(runner)
    assert not any("Support replied" in s for s in _subjects(smtp, "olga@contoso.test"))
