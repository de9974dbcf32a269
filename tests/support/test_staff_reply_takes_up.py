"""Support's public reply on a new incident takes it up: the incident is in progress and,
when nobody had it, assigned to whoever answered; both are events of its thread, and the
customer hears of it by the reply's one message."""

from __future__ import annotations

from sqlalchemy import func, select

from kb import db
from kb.accounts.queries import user_by_email
from kb.alerts.models import OutboxEmail
from kb.notifications import Notification
from kb.support import incidents
from kb.support.models import Incident
from tests.conftest import bearer, csrf_token


def _told(app, email: str) -> tuple[int, int]:
    """(in-app notices, e-mails) the user has had."""
    with app.app_context():
        user = user_by_email(email)
        return (db.session.scalar(select(func.count(Notification.id)).where(
                    Notification.user_id == user.id)),
                db.session.scalar(select(func.count(OutboxEmail.id)).where(
                    OutboxEmail.recipient == email)))


def test_a_staff_reply_on_a_new_incident_puts_it_in_progress_and_assigns_it(
        desk, client, auth, log_incident, api_token):
    incident_id = log_incident("elite@demo.test", title="Posting fails at month end")
    before = _told(desk, "elite@demo.test")
    auth.login("staff@demo.test")
    page = f"/support/incidents/{incident_id}"
    sent = client.post(f"{page}/replies", data={
        "csrf_token": csrf_token(client, page), "body": "We are looking at it.",
        "kind": "reply"})
    assert sent.status_code == 302
    with desk.app_context():
        incident = db.session.get(Incident, incident_id)
        assert incident.status == "in_progress"
        assert incident.assignee.email == "staff@demo.test"
        assert [(entry.kind, entry.body) for entry in incident.entries] == [
            ("reply", "We are looking at it."), ("event", "Status: New → In progress"),
            ("event", "Assigned to Sam Staff")]
    after = _told(desk, "elite@demo.test")
    assert (after[0] - before[0], after[1] - before[1]) == (1, 1)  # the reply's message only

    auth.logout()
    auth.login("elite@demo.test")
    shown = client.get(page).get_data(as_text=True)
    assert 'id="incident-status">In progress<' in shown and "Not yet assigned" not in shown
    assert "Sam Staff" in shown
    listed = client.get("/support/incidents").get_data(as_text=True)
    assert "In progress" in listed
    answer = client.get(f"/api/v1/incidents/{incident_id}",
                        headers=bearer(api_token("elite@demo.test"))).json
    assert answer["status"] == "in_progress"


def test_a_note_changes_nothing_and_a_taken_up_incident_keeps_its_status_and_assignee(
        desk, log_incident, as_user):
    incident_id = log_incident("premium@demo.test", title="Totals are off")

    def work(staff):
        incident = db.session.get(Incident, incident_id)
        incidents.add_note(staff, incident, "Check the rounding first.")
        after_note = (incident.status, incident.assignee_id)
        incidents.assign(staff, [incident], user_by_email("admin@demo.test"))
        incidents.change_status(staff, incident, "waiting_for_customer")
        incidents.reply(staff, incident, "Which version exactly?")
        return after_note, incident.status, incident.assignee.email

    assert as_user("staff@demo.test", work) == (
        ("new", None), "waiting_for_customer", "admin@demo.test")


def test_an_assigned_new_incident_is_put_in_progress_without_another_assignment(
        desk, log_incident, as_user):
    incident_id = log_incident("premium@demo.test", title="Totals are off")

    def work(staff):
        incident = db.session.get(Incident, incident_id)
        incidents.assign(staff, [incident], user_by_email("admin@demo.test"))
        incidents.reply(staff, incident, "On it.")
        return (incident.status, incident.assignee.email,
                [entry.body for entry in incident.entries if entry.kind == "event"])

    assert as_user("staff@demo.test", work) == (
        "in_progress", "admin@demo.test",
        ["Assigned to Ada Admin", "Status: New → In progress"])
