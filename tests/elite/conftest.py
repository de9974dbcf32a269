"""An Elite organisation running Orbit ERP and Orbit Analytics, with a CSM, a customer with an
API token, and a fixed "today" (Saturday 2027-03-06) inside its term."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from kb import db, policy
from kb.accounts.models import Organization, User
from kb.accounts.organizations import create_organization
from kb.accounts.queries import user_by_email
from kb.elite import csm
from tests.conftest import bearer

TODAY = date(2027, 3, 6)  # a Saturday
TERM = (date(2026, 9, 1), date(2027, 8, 31))


@dataclass
class EliteCustomer:
    organization_id: int
    email: str
    csm_email: str
    headers: dict[str, str]

    def organization(self) -> Organization:
        return db.session.get(Organization, self.organization_id)

    def set_term(self, start: date, end: date) -> None:
        organization = self.organization()
        organization.term_start, organization.term_end = start, end
        db.session.commit()


@pytest.fixture
def today(monkeypatch):
    """Fix the policy's date (``features.today``, which every decision and ``policy.today`` read);
    returns a setter to move it."""
    def set_today(day: date) -> None:
        monkeypatch.setattr(policy.features, "today", lambda: day)

    set_today(TODAY)
    return set_today


@pytest.fixture
def elite_customer(app, today, make_user, api_token) -> EliteCustomer:
    return make_elite_customer(app, make_user, api_token)


def make_elite_customer(app, make_user, api_token, *, with_csm: bool = True,
                        plan: str = "elite") -> EliteCustomer:
    staff_email = make_user(role="staff")
    with app.app_context():
        staff = user_by_email(staff_email)
        staff.name = "Carla Manager"
        organization = create_organization(
            staff, f"Elite {staff.id}", plan, *TERM,
            [("Orbit ERP", "12.0"), ("Orbit Analytics", "2026.1")])
        if with_csm and plan == "elite":
            csm.assign(staff, organization, staff)
        organization_id = organization.id
    email = make_user(organization_id=organization_id)
    return EliteCustomer(organization_id, email, staff_email, bearer(api_token(email)))


def staff_user(email: str) -> User:
    return user_by_email(email)
