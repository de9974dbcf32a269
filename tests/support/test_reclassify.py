"""Changing an incident's severity or product after it is logged, through the pages: staff
change either with a reason (audited, in the thread, the customer told); the customer raises
or lowers the severity of their own open incident with a reason (support told); the response
target follows without ever extending a running clock."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from kb import db
from kb.accounts.models import AuditEntry
from kb.accounts.queries import user_by_email
from kb.db import utcnow
from kb.notifications import Notification
from kb.support import incidents
from kb.support.models import Incident
from tests.web import csrf_token

CUSTOMER = "elite@demo.test"


def _sign_in(auth, email: str) -> None:
    auth.logout()
    auth.login(email)


def _change(client, incident_id: int, severity: int, reason: str, product: str = ""):
    page = f"/support/incidents/{incident_id}"
    fields = {"csrf_token": csrf_token(client, page), "change-severity": str(severity),
              "change-reason": reason}
    if product:
        fields["change-product"] = product
    return client.post(f"{page}/classification", data=fields)


def _incident(app, incident_id: int) -> Incident:
    with app.app_context():
        incident = db.session.get(Incident, incident_id)
        _ = incident.clocks, incident.product
        db.session.expunge_all()
        return incident


def _titles(app, email: str) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(Notification.title).where(
            Notification.user_id == user_by_email(email).id).order_by(Notification.id)))


def test_staff_raise_the_severity_and_the_target_comes_forward(desk, client, auth,
                                                              log_incident):
    incident_id = log_incident(CUSTOMER, severity=3, title="Totals are off")
    logged_due = _incident(desk, incident_id).response_due
    _sign_in(auth, "staff@demo.test")
    before = utcnow()
    assert _change(client, incident_id, 1, "All plants stopped shipping.").status_code == 302
    after = utcnow()
    incident = _incident(desk, incident_id)
    assert incident.severity == 1 and incident.clocks[-1].severity == 1
    # Elite severity 1: an hour around the clock from the change, unless already due sooner
    assert incident.response_due == incident.clocks[-1].due
    assert incident.response_due <= logged_due
    assert (incident.response_due == logged_due
            or before + timedelta(hours=1) <= incident.response_due <= after + timedelta(hours=1))
    with desk.app_context():
        audit = db.session.scalar(select(AuditEntry).where(
            AuditEntry.action == "incident.reclassify", AuditEntry.target_id == incident_id))
        assert audit.before["severity"] == 3 and audit.after["severity"] == 1
        assert audit.after["reason"] == "All plants stopped shipping."
    assert any(title.startswith("Changed: Incident #1 (severity 1)")
               for title in _titles(desk, CUSTOMER))
    _sign_in(auth, CUSTOMER)
    seen = client.get(f"/support/incidents/{incident_id}").text
    assert ("Severity: 3 Medium → 1 Critical. Reason: All plants stopped shipping." in seen)


def test_lowering_never_extends_a_running_clock(desk, client, auth, log_incident):
    incident_id = log_incident(CUSTOMER, severity=1, title="Production is down")
    logged_due = _incident(desk, incident_id).response_due
    _sign_in(auth, "staff@demo.test")
    assert _change(client, incident_id, 4, "Only a report layout is affected.").status_code == 302
    incident = _incident(desk, incident_id)
    assert incident.severity == 4 and incident.response_due == logged_due


def test_an_answered_clock_stays_and_a_later_reopening_runs_at_the_new_severity(
        desk, as_user, log_incident):
    incident_id = log_incident(CUSTOMER, severity=3)

    def staff_work(staff):
        incident = db.session.get(Incident, incident_id)
        incidents.reply(staff, incident, "Looking into it.")
        from kb.support.reclassify import reclassify
        reclassify(staff, incident, 1, None, "It turns out production is down.")
        incidents.change_status(staff, incident, "resolved")

    as_user("staff@demo.test", staff_work)
    answered = _incident(desk, incident_id).clocks[0]
    assert answered.due == _incident(desk, incident_id).response_due
    as_user(CUSTOMER, lambda customer: incidents.change_status(
        customer, db.session.get(Incident, incident_id), "reopened"))
    reopened = _incident(desk, incident_id).clocks[-1]
    assert reopened.severity == 1 and reopened.due == reopened.started_at + timedelta(hours=1)


def test_staff_change_the_product_with_a_reason(desk, client, auth, log_incident):
    incident_id = log_incident(CUSTOMER, severity=2, product="Orbit ERP")
    _sign_in(auth, "staff@demo.test")
    refused = _change(client, incident_id, 2, "", product="Orbit Analytics")
    assert refused.status_code == 422 and "Say why the incident changes." in refused.text
    unknown = _change(client, incident_id, 2, "Wrong module.", product="Orbit Nothing")
    assert unknown.status_code == 422 and "There is no product called" in unknown.text
    assert _change(client, incident_id, 2, "The report engine is Analytics.",
                   product="Orbit Analytics").status_code == 302
    incident = _incident(desk, incident_id)
    assert incident.product.name == "Orbit Analytics"
    _sign_in(auth, CUSTOMER)
    assert "Product: Orbit ERP → Orbit Analytics. Reason: The report engine is Analytics." \
        in client.get(f"/support/incidents/{incident_id}").text


def test_the_customer_raises_their_own_open_incident_and_support_hears(desk, client, auth,
                                                                       log_incident):
    incident_id = log_incident(CUSTOMER, severity=3, title="Slow posting")
    _sign_in(auth, CUSTOMER)
    page = client.get(f"/support/incidents/{incident_id}").text
    assert "Change the severity" in page
    assert _change(client, incident_id, 2, "").status_code == 422
    assert _change(client, incident_id, 1, "Posting has stopped completely.").status_code == 302
    assert _incident(desk, incident_id).severity == 1
    # raised to severity 1: every staff member hears, as when one is logged
    assert any(title.startswith("Raised to severity 1: Incident #1")
               for title in _titles(desk, "staff@demo.test"))
    _sign_in(auth, "staff@demo.test")
    assert "Posting has stopped completely." in client.get(
        f"/support/incidents/{incident_id}").text


def test_the_customer_cannot_change_the_product_a_finished_or_anothers_incident(
        desk, client, auth, log_incident):
    own = log_incident(CUSTOMER, severity=3)
    other = log_incident("premium@demo.test", severity=3)
    _sign_in(auth, CUSTOMER)
    assert _change(client, own, 3, "Wrong product.", product="Orbit Analytics"
                   ).status_code == 403
    assert _change(client, other, 1, "Not mine.").status_code == 404
    page = f"/support/incidents/{own}"
    client.post(f"{page}/status", data={"csrf_token": csrf_token(client, page),
                                         "status": "closed"})
    assert _change(client, own, 1, "Worse now.").status_code == 409
    incident = _incident(desk, own)
    assert (incident.severity, incident.product.name) == (3, "Orbit ERP")


def test_the_customer_lowering_tells_the_assignee_and_keeps_the_target(desk, as_user, client,
                                                                      auth, log_incident):
    incident_id = log_incident(CUSTOMER, severity=2, title="Reports slow")
    as_user("staff@demo.test", lambda staff: incidents.assign(
        staff, [db.session.get(Incident, incident_id)], user_by_email("admin@demo.test")))
    logged_due = _incident(desk, incident_id).response_due
    _sign_in(auth, CUSTOMER)
    assert _change(client, incident_id, 4, "Only one report, and it can wait.").status_code == 302
    incident = _incident(desk, incident_id)
    assert incident.severity == 4 and incident.response_due == logged_due
    assert any(title.startswith("The customer changed: Incident #1 · Fabrikam Logistics "
                                "(severity 4)") for title in _titles(desk, "admin@demo.test"))
