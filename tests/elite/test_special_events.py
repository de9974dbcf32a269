"""Special event support: one weekend per term, at least 14 days ahead, inside the term, for a
standard product, through the CSM. Each broken rule answers 422 with its name."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from kb import db
from kb.accounts.queries import user_by_email
from kb.elite import special_events
from kb.elite.models import SpecialEventBooking
from kb.products.models import Product
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


def test_the_booked_weekend_holds_from_saturday_to_monday_in_the_organisations_zone(
        client, elite_customer, app):
    booking_id = book(client, elite_customer, "2027-05-01").get_json()["id"]
    zone = "America/New_York"  # UTC-4 in May

    def covered(utc: str) -> bool:
        moment = datetime.fromisoformat(utc).replace(tzinfo=UTC)
        found = special_events.covering_booking(elite_customer.organization_id, moment, zone)
        return found is not None and found.id == booking_id

    with app.app_context():
        assert not covered("2027-05-01T03:59:00")  # Friday 23:59 in New York
        assert covered("2027-05-01T04:00:00")  # Saturday 00:00
        assert covered("2027-05-03T03:59:00")  # Sunday 23:59
        assert not covered("2027-05-03T04:00:00")  # Monday 00:00
