"""Incident notifications through the alerts outbox: replies and status changes reach the
other side (in-app and e-mail), staff-only notes reach nobody, and a breached target is told
by the outbox loop's due job once, to the assignee (every staff member when unassigned)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from kb import db
from kb.accounts.queries import user_by_email
from kb.alerts.models import OutboxEmail
from kb.alerts.schedule import run_due_jobs
from kb.notifications import Notification
from kb.support import incidents
from kb.support.models import Incident


def _titles(app, email: str) -> list[str]:
    with app.app_context():
        user = user_by_email(email)
        return list(db.session.scalars(select(Notification.title).where(
            Notification.user_id == user.id).order_by(Notification.id)))


def _mail_to(app, email: str) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(OutboxEmail.subject).where(
            OutboxEmail.recipient == email).order_by(OutboxEmail.id)))


def test_replies_and_status_changes_reach_the_other_side(desk, log_incident, as_user):
    incident_id = log_incident("premium@demo.test", severity=3, title="Totals off")

    def staff_work(staff):
        incident = db.session.get(Incident, incident_id)
        incidents.assign(staff, [incident], user_by_email("admin@demo.test"))
        incidents.add_note(staff, incident, "internal only")
        incidents.reply(staff, incident, "Which version exactly?")
        incidents.change_status(staff, incident, "waiting_for_customer")

    as_user("staff@demo.test", staff_work)
    as_user("premium@demo.test", lambda customer: incidents.reply(
        customer, db.session.get(Incident, incident_id), "12.0 SP1"))
    customer_told = _titles(desk, "premium@demo.test")
    assert customer_told[0].startswith("Logged: Incident #1 (severity 3)")
    assert any(t.startswith("Support replied") for t in customer_told)
    assert any(t.startswith("Waiting for customer") for t in customer_told)
    assert not any("internal" in t for t in customer_told)
    assignee_told = _titles(desk, "admin@demo.test")
    # support reads every organisation's #1: its notices name the organisation too
    assert assignee_told[0].startswith("Assigned to you: Incident #1 · Contoso Manufacturing")
    assert any(t.startswith("The customer replied (In progress): Incident #1 · Contoso "
                            "Manufacturing") for t in assignee_told)
    assert any("#1 · Contoso Manufacturing" in subject
               for subject in _mail_to(desk, "admin@demo.test"))
    assert any("Support replied" in subject for subject in _mail_to(desk, "premium@demo.test"))


def test_a_severity_1_incident_is_told_to_every_staff_member(desk, log_incident):
    log_incident("elite@demo.test", severity=1, title="Everything down")
    for email in ("staff@demo.test", "admin@demo.test"):
        assert any(t.startswith("Severity 1 logged: Incident #1 · Fabrikam Logistics")
                   for t in _titles(desk, email))


def test_a_breach_is_told_once_by_the_due_job(desk, log_incident, as_user):
    incident_id = log_incident("elite@demo.test", severity=1, title="Site down")
    due = as_user("staff@demo.test",
                  lambda _: db.session.get(Incident, incident_id).response_due)
    with desk.app_context():
        assert run_due_jobs(due - timedelta(minutes=1)) == 0
        first = run_due_jobs(due + timedelta(minutes=1))
        again = run_due_jobs(due + timedelta(minutes=2))
    assert first == 2 and again == 0  # both staff members, unassigned; told once
    assert any(t.startswith("Response target missed: Incident #1 · Fabrikam Logistics")
               for t in _titles(desk, "staff@demo.test"))


def test_an_answered_incident_is_no_breach(desk, log_incident, as_user):
    incident_id = log_incident("elite@demo.test", severity=1, title="Site down")
    as_user("staff@demo.test", lambda staff: incidents.reply(
        staff, db.session.get(Incident, incident_id), "On it."))
    due = as_user("staff@demo.test",
                  lambda _: db.session.get(Incident, incident_id).response_due)
    with desk.app_context():
        assert run_due_jobs(due + timedelta(hours=1)) == 0


def _unread(app, email: str) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(Notification.url).where(
            Notification.user_id == user_by_email(email).id,
            Notification.read_at.is_(None)).order_by(Notification.id)))


def test_opening_an_incident_marks_its_notifications_read_for_that_reader(
        desk, log_incident, as_user, client, auth):
    admin_id = as_user("premium-admin@demo.test", lambda admin: admin.id)
    answered = log_incident("premium@demo.test", title="Totals off", watchers=[admin_id])
    other = log_incident("premium@demo.test", title="Payroll run stuck")

    def staff_work(staff):
        for incident_id in (answered, other):
            incident = db.session.get(Incident, incident_id)
            incidents.reply(staff, incident, "Which version exactly?")
            incidents.change_status(staff, incident, "waiting_for_customer")

    as_user("staff@demo.test", staff_work)
    page = f"/support/incidents/{answered}"
    assert _unread(desk, "premium@demo.test").count(page) == 3  # logged, reply, status
    auth.login("premium@demo.test")
    unread = '<span class="visually-hidden">: </span>{}<span class="visually-hidden"> unread'
    assert unread.format(6) in client.get("/support/incidents").get_data(as_text=True)
    assert unread.format(3) in client.get(page).get_data(as_text=True)  # this page's count
    assert page not in _unread(desk, "premium@demo.test")
    assert f"/support/incidents/{other}" in _unread(desk, "premium@demo.test")
    assert page in _unread(desk, "premium-admin@demo.test")  # the watcher has not opened it
