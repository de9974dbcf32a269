"""An incident whose assignee was deactivated (they left) is support's again: its breach is told
to every staff member, as an unassigned one's is, not to nobody; and no incident is assigned to
a deactivated account."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from kb import db
from kb.accounts import users
from kb.accounts.queries import user_by_email
from kb.alerts.schedule import run_due_jobs
from kb.errors import Invalid
from kb.notifications import Notification
from kb.support import incidents
from kb.support.models import Incident


def breaches_told(email: str) -> int:
    return len(db.session.scalars(select(Notification).where(
        Notification.user_id == user_by_email(email).id,
        Notification.title.startswith("Response target missed"))).all())


def test_a_breach_of_a_deactivated_assignees_incident_reaches_the_other_staff(
        desk, log_incident):
    incident_id = log_incident("elite@demo.test", severity=1, title="Site down")
    with desk.app_context():
        incident = db.session.get(Incident, incident_id)
        incidents.assign(user_by_email("staff@demo.test"), [incident],
                         user_by_email("staff@demo.test"))
        users.set_user_enabled(user_by_email("admin@demo.test"),
                               user_by_email("staff@demo.test"), False)
        due = db.session.get(Incident, incident_id).response_due

        assert run_due_jobs(due + timedelta(minutes=1)) == 1
        assert breaches_told("admin@demo.test") == 1
        assert breaches_told("staff@demo.test") == 0


def test_no_incident_is_assigned_to_a_deactivated_account(desk, log_incident):
    incident_id = log_incident("elite@demo.test", severity=3)
    with desk.app_context():
        admin = user_by_email("admin@demo.test")
        users.set_user_enabled(admin, user_by_email("staff@demo.test"), False)
        with pytest.raises(Invalid):
            incidents.assign(admin, [db.session.get(Incident, incident_id)],
                             user_by_email("staff@demo.test"))
        assert db.session.get(Incident, incident_id).assignee_id is None
