"""Response clocks through the pages and the review: staff finish an unanswered incident only
with a resolution message, which is the response (met or missed by its time) and reaches the
customer; only the customer closing before a response goes uncounted; a reopening starts a new
clock that the queue flags and the review counts."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from sqlalchemy import select

from kb import db
from kb.accounts.queries import user_by_email
from kb.alerts.models import OutboxEmail
from kb.alerts.schedule import run_due_jobs
from kb.db import utcnow
from kb.notifications import Notification
from kb.support import incidents, service
from kb.support.models import Incident
from kb.support.status_rules import RESOLUTION_NEEDED
from tests.web import csrf_token

CUSTOMER = "elite@demo.test"


def _sign_in(auth, email: str) -> None:
    auth.logout()
    auth.login(email)


def _post_status(client, incident_id: int, status: str, message: str = ""):
    page = f"/support/incidents/{incident_id}"
    return client.post(f"{page}/status", data={
        "csrf_token": csrf_token(client, page), "status": status, "message": message})


def _incident(app, incident_id: int) -> Incident:
    with app.app_context():
        incident = db.session.get(Incident, incident_id)
        _ = incident.clocks
        db.session.expunge_all()
        return incident


def _make_overdue(app, incident_id: int) -> None:
    """The target of the running clock passed an hour ago (no one answered)."""
    with app.app_context():
        incident = db.session.get(Incident, incident_id)
        due = utcnow() - timedelta(hours=1)
        incident.response_due = incident.clocks[-1].due = due
        incident.created_at = incident.clocks[-1].started_at = due - timedelta(hours=1)
        db.session.commit()


def _review_rows(app, client, auth) -> list[dict]:
    with app.app_context():
        organization_id = user_by_email(CUSTOMER).organization_id
    _sign_in(auth, "staff@demo.test")
    exported = client.get(f"/staff/elite/organizations/{organization_id}/review.csv")
    assert exported.status_code == 200
    return list(csv.DictReader(io.StringIO(exported.data.decode("utf-8-sig"))))


def _review_page(app, client) -> str:
    with app.app_context():
        organization_id = user_by_email(CUSTOMER).organization_id
    return client.get(f"/staff/elite/organizations/{organization_id}/review").text


def test_staff_cannot_finish_an_unanswered_incident_without_a_resolution(
        desk, client, auth, log_incident):
    incident_id = log_incident(CUSTOMER, severity=2, title="Posting fails")
    _sign_in(auth, "staff@demo.test")
    for status in ("resolved", "closed"):
        refused = _post_status(client, incident_id, status)
        assert refused.status_code == 422
        assert RESOLUTION_NEEDED in refused.text
        assert _incident(desk, incident_id).status == "new"
    # once support has answered, resolving needs no further message
    page = f"/support/incidents/{incident_id}"
    client.post(f"{page}/replies", data={"csrf_token": csrf_token(client, page),
                                          "body": "Please send the log.", "kind": "reply"})
    assert _post_status(client, incident_id, "resolved").status_code == 302
    assert _incident(desk, incident_id).status == "resolved"


def test_the_resolution_is_the_response_and_reaches_the_customer(desk, client, auth,
                                                                  log_incident):
    incident_id = log_incident(CUSTOMER, severity=2, title="Posting fails")
    _sign_in(auth, "staff@demo.test")
    done = _post_status(client, incident_id, "resolved", "Fixed by **patch 12.0.4127**.")
    assert done.status_code == 302
    incident = _incident(desk, incident_id)
    assert incident.status == "resolved" and incident.responded_at is not None
    assert incident.clocks[0].responded_at == incident.responded_at
    _sign_in(auth, CUSTOMER)
    seen = client.get(f"/support/incidents/{incident_id}").text
    assert "patch 12.0.4127" in seen and "met: support responded in time" in seen
    assert "closed before support responded" not in seen
    with desk.app_context():
        mails = db.session.scalars(select(OutboxEmail).where(
            OutboxEmail.recipient == CUSTOMER,
            OutboxEmail.subject.contains("Resolved: Incident #1"))).all()
        assert len(mails) == 1 and "patch 12.0.4127" in mails[0].body


def test_a_late_resolution_is_a_missed_target_in_the_review(desk, client, auth, log_incident):
    incident_id = log_incident(CUSTOMER, severity=2, title="Posting fails")
    _make_overdue(desk, incident_id)
    _sign_in(auth, "staff@demo.test")
    assert _post_status(client, incident_id, "closed", "Duplicate of #4; fixed there."
                        ).status_code == 302
    rows = _review_rows(desk, client, auth)
    assert [(row["title"], row["target"], row["status"]) for row in rows] == [
        ("Posting fails", "missed", "closed")]
    page = _review_page(desk, client)
    assert "0%" in page and "(0 met, 1 missed, 0 pending)" in page and "Pending" not in page


def test_only_the_customer_closing_before_a_response_goes_uncounted(desk, client, auth,
                                                                   log_incident):
    withdrawn = log_incident(CUSTOMER, severity=3, title="Solved it myself")
    too_late = log_incident(CUSTOMER, severity=3, title="Gave up waiting")
    _make_overdue(desk, too_late)
    _sign_in(auth, CUSTOMER)
    for incident_id in (withdrawn, too_late):
        assert _post_status(client, incident_id, "closed").status_code == 302
    assert "closed before support responded" in client.get(
        f"/support/incidents/{withdrawn}").text
    assert "closed before support responded" not in client.get(
        f"/support/incidents/{too_late}").text
    rows = {row["title"]: row["target"] for row in _review_rows(desk, client, auth)}
    assert rows == {"Solved it myself": "withdrawn", "Gave up waiting": "missed"}
    page = _review_page(desk, client)
    assert "(0 met, 1 missed, 0 pending)" in page
    assert "Not counted: 1 closed by the customer before support responded" in page


def _reopen_after_a_response(desk, client, auth, incident_id: int):
    _sign_in(auth, "staff@demo.test")
    page = f"/support/incidents/{incident_id}"
    client.post(f"{page}/replies", data={"csrf_token": csrf_token(client, page),
                                          "body": "Restarted the service.", "kind": "reply"})
    _sign_in(auth, CUSTOMER)
    _close_as_customer(client, incident_id)
    assert _post_status(client, incident_id, "reopened").status_code == 302
    return _incident(desk, incident_id)


def _close_as_customer(client, incident_id: int) -> None:
    """Close it as the customer does: a critical incident asks first, on its own page."""
    answer = _post_status(client, incident_id, "closed")
    if answer.status_code == 303:
        page = f"/support/incidents/{incident_id}/close"
        answer = client.post(page, data={"csrf_token": csrf_token(client, page),
                                         "confirm": "y"})
    assert answer.status_code == 302


def test_a_reopening_starts_a_new_response_clock_at_the_same_severity(desk, client, auth,
                                                                     log_incident):
    incident_id = log_incident(CUSTOMER, severity=1, title="Production is down")
    incident = _reopen_after_a_response(desk, client, auth, incident_id)
    reopened = incident.clocks[-1]
    assert [clock.reason for clock in incident.clocks] == ["logged", "reopened"]
    assert incident.responded_at is None and reopened.responded_at is None
    # Elite severity 1: an hour around the clock, from the reopening
    assert incident.response_due == reopened.due == reopened.started_at + timedelta(hours=1)
    seen = client.get(f"/support/incidents/{incident_id}").text
    assert "met: support responded in time" not in seen and "in 59 min" in seen
    _sign_in(auth, "staff@demo.test")
    assert "Production is down" in client.get("/staff/incidents?breaching=1").text
    page = f"/support/incidents/{incident_id}"
    client.post(f"{page}/replies", data={"csrf_token": csrf_token(client, page),
                                          "body": "Looking again.", "kind": "reply"})
    rows = _review_rows(desk, client, auth)
    assert [(row["target"], row["response_clocks"]) for row in rows] == [("met", "met; met")]
    assert "(2 met, 0 missed, 0 pending)" in _review_page(desk, client)


def test_a_reopened_clock_counts_business_hours_as_a_new_incident_would(desk, client, auth,
                                                                       log_incident):
    incident_id = log_incident(CUSTOMER, severity=3, title="Report totals off")
    incident = _reopen_after_a_response(desk, client, auth, incident_id)
    with desk.app_context():
        organization = user_by_email(CUSTOMER).organization
        expected = service.due_for(organization, "elite", 3, db.session.get(
            Incident, incident_id).product, incident.clocks[-1].started_at)
    assert incident.response_due == expected


def test_a_customer_reply_to_a_resolved_incident_starts_a_new_clock(desk, as_user,
                                                                   log_incident):
    incident_id = log_incident(CUSTOMER, severity=2)

    def staff_resolve(staff):
        incidents.change_status(staff, db.session.get(Incident, incident_id), "resolved",
                                "Fixed in the next build.")

    as_user("staff@demo.test", staff_resolve)
    as_user(CUSTOMER, lambda customer: incidents.reply(
        customer, db.session.get(Incident, incident_id), "Still failing here."))
    incident = _incident(desk, incident_id)
    assert incident.status == "reopened" and incident.responded_at is None
    assert [(clock.reason, clock.responded_at is None) for clock in incident.clocks] == [
        ("logged", False), ("reopened", True)]


def test_an_unanswered_reopening_is_told_as_a_breach(desk, client, auth, log_incident):
    incident_id = log_incident(CUSTOMER, severity=1, title="Production is down")
    incident = _reopen_after_a_response(desk, client, auth, incident_id)
    with desk.app_context():
        assert run_due_jobs(incident.response_due - timedelta(minutes=1)) == 0
        assert run_due_jobs(incident.response_due + timedelta(minutes=1)) > 0
        told = db.session.scalars(select(Notification.title).where(
            Notification.user_id == user_by_email("staff@demo.test").id)).all()
    assert any(title.startswith("Response target missed: Incident #1") for title in told)


def test_the_page_says_the_target_runs_from_the_reopening(desk, client, auth, log_incident):
    incident_id = log_incident(CUSTOMER, severity=2)
    _sign_in(auth, CUSTOMER)
    assert "(since the reopening)" not in client.get(f"/support/incidents/{incident_id}").text
    _reopen_after_a_response(desk, client, auth, incident_id)
    assert "(since the reopening)" in client.get(f"/support/incidents/{incident_id}").text
