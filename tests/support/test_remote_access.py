"""Remote access: staff ask, the customer grants a window or refuses; a grant ends by itself at
its end (no job has to run), can be revoked early, and every step is audited and shown on the
incident."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from kb import db, policy
from kb.accounts.models import AuditEntry
from kb.db import utcnow
from kb.errors import Conflict, Invalid
from kb.support import remote_access
from kb.support.models import Incident, RemoteAccess
from tests.a11y import problems, refused_summary
from tests.conftest import csrf_token


@pytest.fixture
def asked(desk, log_incident, as_user):
    incident_id = log_incident("premium@demo.test")
    access_id = as_user("staff@demo.test", lambda staff: remote_access.request_access(
        staff, db.session.get(Incident, incident_id), "Check the integration queue").id)
    return incident_id, access_id


def test_a_grant_expires_at_its_end(asked, as_user):
    incident_id, access_id = asked

    def grant(customer):
        access = db.session.get(RemoteAccess, access_id)
        now = utcnow()
        remote_access.grant(customer, access, now, now + timedelta(hours=2))
        incident = access.incident
        return (access.state_at(now + timedelta(minutes=1)),
                remote_access.may_connect(incident, now + timedelta(minutes=1)),
                access.state_at(now + timedelta(hours=2)),
                access.state_at(now + timedelta(hours=3)))

    assert as_user("premium@demo.test", grant) == ("active", True, "expired", "expired")
    with_page = as_user("premium@demo.test", lambda _: [
        entry.body for entry in db.session.get(Incident, incident_id).entries])
    assert any(body.startswith("Remote access granted by Paula Premium") for body in with_page)


def test_an_expired_grant_no_longer_lets_support_connect(asked, as_user):
    incident_id, access_id = asked

    def grant_then_look_later(customer):
        access = db.session.get(RemoteAccess, access_id)
        start = utcnow()
        remote_access.grant(customer, access, start, start + timedelta(minutes=30))
        incident = db.session.get(Incident, incident_id)
        return (remote_access.may_connect(incident, start + timedelta(minutes=29)),
                remote_access.may_connect(incident, start + timedelta(minutes=31)))

    assert as_user("premium@demo.test", grant_then_look_later) == (True, False)


def test_refusal_revocation_and_the_audit_log(asked, as_user):
    incident_id, access_id = asked

    def refuse(customer):
        access = db.session.get(RemoteAccess, access_id)
        remote_access.refuse(customer, access)
        with pytest.raises(Conflict):
            remote_access.grant(customer, access, utcnow(), utcnow() + timedelta(hours=1))
        return access.status

    assert as_user("premium@demo.test", refuse) == "refused"
    second = as_user("staff@demo.test", lambda staff: remote_access.request_access(
        staff, db.session.get(Incident, incident_id), "Once more, please").id)

    def grant_and_revoke(customer):
        access = db.session.get(RemoteAccess, second)
        remote_access.grant(customer, access, utcnow(), utcnow() + timedelta(days=1))
        remote_access.revoke(customer, access)
        return access.state_at(utcnow())

    assert as_user("premium@demo.test", grant_and_revoke) == "revoked"
    actions = as_user("staff@demo.test", lambda _: list(db.session.scalars(
        select(AuditEntry.action).where(AuditEntry.action.like("incident.remote%"))
        .order_by(AuditEntry.id))))
    assert actions == ["incident.remote_access.request", "incident.remote_access.refuse",
                       "incident.remote_access.request", "incident.remote_access.grant",
                       "incident.remote_access.revoke"]


def test_only_the_customer_grants_and_windows_are_checked(asked, as_user):
    _, access_id = asked

    def staff_tries(staff):
        access = db.session.get(RemoteAccess, access_id)
        with pytest.raises(policy.AccessDenied):
            remote_access.grant(staff, access, utcnow(), utcnow() + timedelta(hours=1))

    as_user("staff@demo.test", staff_tries)

    def bad_windows(customer):
        access = db.session.get(RemoteAccess, access_id)
        now = utcnow()
        for start, end in ((now, now - timedelta(minutes=1)),
                           (now - timedelta(days=1), now + timedelta(hours=1)),
                           (now, now + timedelta(days=8))):
            with pytest.raises(Invalid):
                remote_access.grant(customer, access, start, end)
        return access.status

    assert as_user("premium@demo.test", bad_windows) == "requested"
    other = as_user("elite@demo.test", lambda customer: pytest.raises(
        policy.AccessDenied, remote_access.refuse, customer,
        db.session.get(RemoteAccess, access_id)).value.reason)
    assert other == "not_found"


def test_grant_through_the_page_in_the_customers_time_zone(client, auth, asked, as_user):
    incident_id, access_id = asked
    auth.login("premium@demo.test")
    page = client.get(f"/support/incidents/{incident_id}").get_data(as_text=True)
    assert "Check the integration queue" in page and "Grant remote access" in page
    start = utcnow().replace(second=0, microsecond=0)
    response = client.post(
        f"/support/incidents/{incident_id}/remote-access/{access_id}/grant",
        data={"csrf_token": csrf_token(client), "starts": start.strftime("%Y-%m-%dT%H:%M"),
              "ends": (start + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M")})
    assert response.status_code == 302
    ends = as_user("premium@demo.test", lambda _: db.session.get(RemoteAccess, access_id).ends_at)
    assert ends == start + timedelta(hours=3)  # the customer's zone is UTC here


@pytest.mark.parametrize("starts, ends, field, message", [
    ("2030-12-07T10:00", "2030-12-07T09:00", "ends", "The window must end after it starts."),
    ("2020-01-06T10:00", "2020-01-06T12:00", "starts", "The window cannot start in the past."),
    ("2030-02-30T10:00", "2030-03-01T12:00", "starts",
     "Give the date and time it starts, such as 2030-01-31T09:00."),
    ("", "2030-03-01T12:00", "starts", "Give the date and time it starts."),
])
def test_a_refused_window_is_shown_beside_its_field_as_typed(client, auth, asked, as_user,
                                                              starts, ends, field, message):
    incident_id, access_id = asked
    auth.login("premium@demo.test")
    client.get(f"/support/incidents/{incident_id}")
    response = client.post(
        f"/support/incidents/{incident_id}/remote-access/{access_id}/grant",
        data={"csrf_token": csrf_token(client), "starts": starts, "ends": ends})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f'<small id="{field}-error" class="field-error">{message}</small>' in page
    assert f'value="{starts}"' in page and f'value="{ends}"' in page
    _, summary = refused_summary(response, "grant-problem")
    assert "Remote access is not granted yet" in summary.text_content()
    assert problems(summary)[f"#{field}"].endswith(message)
    assert as_user("premium@demo.test",
                   lambda _: db.session.get(RemoteAccess, access_id).status) == "requested"


@pytest.mark.parametrize("reason, message", [
    ("", "Say why support needs remote access."),
    ("   ", "Say why support needs remote access."),
    ("Check the queue. " * 118, "Say it in at most 2,000 characters."),
])
def test_a_refused_request_for_remote_access_keeps_the_reason_beside_its_field(
        client, auth, log_incident, as_user, reason, message):
    incident_id = log_incident("premium@demo.test")
    auth.login("staff@demo.test")
    url = f"/support/incidents/{incident_id}"
    response = client.post(f"/staff/incidents/{incident_id}/remote-access",
                           data={"csrf_token": csrf_token(client, url), "reason": reason})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f'<small id="reason-error" class="field-error">{message}</small>' in page
    assert f'aria-invalid="true" id="reason" maxlength="2000" name="reason" required>\r\n' \
           f'{reason}</textarea>' in page
    # the pattern of every refused form: a summary where the browser lands, linked to the field
    _, summary = refused_summary(response, "request-problem")
    assert "Remote access is not requested yet:" in summary.text_content()
    assert problems(summary) == {"#reason": f"Why support needs remote access: {message}"}
    assert "flash-error" not in page
    assert as_user("staff@demo.test", lambda _: db.session.scalar(
        select(RemoteAccess).where(RemoteAccess.incident_id == incident_id))) is None


def test_a_second_request_while_one_is_pending_is_refused_beside_the_reason(
        client, auth, asked):
    incident_id, _ = asked
    auth.login("staff@demo.test")
    url = f"/support/incidents/{incident_id}"
    response = client.post(f"/staff/incidents/{incident_id}/remote-access",
                           data={"csrf_token": csrf_token(client, url), "reason": "Once more"})
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert ('<small id="reason-error" class="field-error">A remote access request of this '
            'incident is pending or granted.</small>') in page
    assert ">\r\nOnce more</textarea>" in page
    _, summary = refused_summary(response, "request-problem")
    assert list(problems(summary)) == ["#reason"]
