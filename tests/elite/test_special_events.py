"""Special event support: one weekend per term, at least 14 days ahead, inside the term, for a
standard product, through the CSM. Each broken rule answers 422 with its name."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from kb import db
from kb.accounts.models import Organization
from kb.accounts.queries import user_by_email
from kb.elite import special_events
from kb.elite.models import SpecialEventBooking
from kb.products.models import Product
from kb.support import service as support
from tests.elite.conftest import make_elite_customer
from tests.sessions.conftest import at_once


def book(client, customer, weekend: str, product: str = "Orbit ERP", **extra):
    return client.post("/api/v1/elite/special-events", headers=customer.headers,
                       json={"weekend": weekend, "product": product, **extra})


def refused_rule(response) -> str:
    assert response.status_code == 422, response.get_json()
    body = response.get_json()
    assert set(body) == {"error", "rule"} and body["error"]
    return body["rule"]


def test_a_weekend_fourteen_days_ahead_is_booked_thirteen_is_not(client, elite_customer, today):
    today(date(2027, 3, 7))  # Sunday: the Saturday of 2027-03-20 is 13 days ahead
    assert refused_rule(book(client, elite_customer, "2027-03-20")) == "notice_period"

    today(date(2027, 3, 6))  # Saturday: it is 14 days ahead
    booked = book(client, elite_customer, "2027-03-20", notes="Go-live of the new plant")

    assert booked.status_code == 201
    assert booked.get_json() | {"id": 0, "created": ""} == {
        "id": 0, "created": "", "weekend": "2027-03-20", "sunday": "2027-03-21",
        "product": "Orbit ERP", "notes": "Go-live of the new plant", "status": "booked",
        "support_person": None}
    listed = client.get("/api/v1/elite/special-events", headers=elite_customer.headers)
    assert [b["weekend"] for b in listed.get_json()] == ["2027-03-20"]


def test_the_weekend_is_named_by_its_saturday(client, elite_customer):
    assert refused_rule(book(client, elite_customer, "2027-04-02")) == "saturday"  # a Friday
    assert refused_rule(book(client, elite_customer, "2027-04-04")) == "saturday"  # a Sunday


def test_the_terms_last_weekend_counts_only_when_it_lies_wholly_inside(client, elite_customer,
                                                                       app):
    with app.app_context():
        elite_customer.set_term(date(2026, 9, 1), date(2027, 8, 28))  # ends on a Saturday
    assert refused_rule(book(client, elite_customer, "2027-08-28")) == "within_term"
    assert refused_rule(book(client, elite_customer, "2027-09-04")) == "within_term"

    with app.app_context():
        elite_customer.set_term(date(2026, 9, 1), date(2027, 8, 29))  # ends on that Sunday
    assert book(client, elite_customer, "2027-08-28").status_code == 201


def test_one_weekend_per_term_and_an_unused_one_does_not_carry_over(client, elite_customer,
                                                                    app, today):
    assert book(client, elite_customer, "2027-05-01").status_code == 201
    assert refused_rule(book(client, elite_customer, "2027-06-05")) == "once_per_term"

    # the next term allows one weekend again, not two (nothing was carried over)
    with app.app_context():
        elite_customer.set_term(date(2027, 9, 1), date(2028, 8, 31))
    today(date(2027, 9, 1))
    assert book(client, elite_customer, "2027-10-02").status_code == 201
    assert refused_rule(book(client, elite_customer, "2027-11-06")) == "once_per_term"


def test_a_cancelled_weekend_frees_the_term(client, elite_customer, auth, app):
    first = book(client, elite_customer, "2027-05-01").get_json()
    auth.login(elite_customer.email)

    cancelled = auth.post(f"/elite/special-events/{first['id']}/cancel")

    assert cancelled.status_code == 302
    assert book(client, elite_customer, "2027-06-05").status_code == 201
    with app.app_context():
        statuses = db.session.scalars(select(SpecialEventBooking.status).order_by(
            SpecialEventBooking.id)).all()
    assert statuses == ["cancelled", "booked"]


def test_only_standard_products_the_organisation_runs(client, elite_customer, app, make_user):
    assert refused_rule(book(client, elite_customer, "2027-05-01", "Orbit Integration Hub")) \
        == "standard_product"
    with app.app_context():
        staff = user_by_email(elite_customer.csm_email)
        analytics = db.session.scalar(select(Product).where(Product.name == "Orbit Analytics"))
        special_events.exclude_product(staff, analytics, "Custom builds only")
    assert refused_rule(book(client, elite_customer, "2027-05-01", "Orbit Analytics")) \
        == "standard_product"
    assert book(client, elite_customer, "2027-05-01", "orbit-erp").status_code == 201


def test_without_a_csm_nothing_can_be_booked(client, app, today, make_user, api_token):
    customer = make_elite_customer(app, make_user, api_token, with_csm=False)
    assert refused_rule(book(client, customer, "2027-05-01")) == "csm_assigned"


@pytest.mark.parametrize("body", [None, [], {"weekend": "2027-05-01"},
                                  {"weekend": "1 May", "product": "Orbit ERP"},
                                  {"weekend": "2027-05-01", "product": 3},
                                  {"weekend": "2027-05-01", "product": "Orbit ERP",
                                   "notes": "x" * 2001}])
def test_malformed_requests_get_a_json_error(client, elite_customer, body):
    response = client.post("/api/v1/elite/special-events", headers=elite_customer.headers,
                           json=body)
    assert response.status_code == 422 and response.get_json()["error"]


def test_parallel_bookings_take_one_weekend_per_term(app, elite_customer, make_user):
    colleagues = [make_user(organization_id=elite_customer.organization_id) for _ in range(6)]
    saturdays = iter(date(2027, 5, 1) + timedelta(weeks=n) for n in range(len(colleagues)))
    weekend_of = {email: next(saturdays) for email in colleagues}

    def book_own_weekend(user, _):
        special_events.book(user, user.organization, weekend_of[user.email], "Orbit ERP")

    failures = at_once(app, colleagues, book_own_weekend, None)

    assert len(failures) == len(colleagues) - 1
    assert {getattr(f, "rule", repr(f)) for f in failures} == {"once_per_term"}
    with app.app_context():
        booked = db.session.scalars(select(SpecialEventBooking)).all()
    assert len(booked) == 1


def test_the_booked_weekend_is_read_in_the_organisations_time_zone(client, elite_customer, app):
    """New York is UTC-4 in May: its weekend runs from Saturday 04:00 to Monday 04:00 UTC."""
    assert book(client, elite_customer, "2027-05-01").status_code == 201
    with app.app_context():
        support.ensure_default_table()
        erp = db.session.scalar(select(Product).where(Product.name == "Orbit ERP"))
        organization = db.session.get(Organization, elite_customer.organization_id)
        organization.time_zone, organization.holiday_country = "America/New_York", None
        db.session.commit()

        def due(utc: str) -> datetime:
            logged = datetime.fromisoformat(utc).replace(tzinfo=UTC)
            return support.due_for(organization, "elite", 3, erp, logged)

        # Friday 23:30 in New York: business hours are over, the weekend starts at midnight
        assert due("2027-05-01T03:30:00") == datetime(2027, 5, 1, 8, 0, tzinfo=UTC)
        # Sunday 23:00 in New York: one hour of the weekend, then Monday from 9:00
        assert due("2027-05-03T03:00:00") == datetime(2027, 5, 3, 16, 0, tzinfo=UTC)


def test_incidents_logged_on_the_booked_weekend_get_weekend_targets(
        client, elite_customer, app, make_user, api_token):
    """Severity 3 on Elite is 4 business hours: logged on a Saturday it is due on Monday, except
    on the organisation's booked special event weekend, whose days count whole; one logged on
    Friday afternoon runs on through that weekend."""
    assert book(client, elite_customer, "2027-05-01").status_code == 201
    other = make_elite_customer(app, make_user, api_token)
    saturday_ten = datetime(2027, 5, 1, 10, 0, tzinfo=UTC)
    with app.app_context():
        support.ensure_default_table()
        erp = db.session.scalar(select(Product).where(Product.name == "Orbit ERP"))
        booked, unbooked = (db.session.get(Organization, customer.organization_id)
                            for customer in (elite_customer, other))
        for organization in (booked, unbooked):
            organization.time_zone, organization.holiday_country = "UTC", None
        db.session.commit()

        assert support.due_for(booked, "elite", 3, erp, saturday_ten) \
            == saturday_ten + timedelta(hours=4)
        assert support.due_for(unbooked, "elite", 3, erp, saturday_ten) \
            == datetime(2027, 5, 3, 13, 0, tzinfo=UTC)  # Monday 9:00 + 4 business hours
        friday_ten = saturday_ten - timedelta(days=1)
        assert support.due_for(booked, "elite", 3, erp, friday_ten) \
            == friday_ten + timedelta(hours=4)  # business hours on a Friday, as always
        friday_four = friday_ten + timedelta(hours=6)  # 1 h of Friday, then Saturday 00:00-03:00
        assert support.due_for(booked, "elite", 3, erp, friday_four) \
            == datetime(2027, 5, 1, 3, 0, tzinfo=UTC)
        assert support.due_for(unbooked, "elite", 3, erp, friday_four) \
            == datetime(2027, 5, 3, 12, 0, tzinfo=UTC)
        sunday_late = datetime(2027, 5, 2, 22, 0, tzinfo=UTC)  # 2 h of Sunday, then Monday
        assert support.due_for(booked, "elite", 3, erp, sunday_late) \
            == datetime(2027, 5, 3, 11, 0, tzinfo=UTC)
