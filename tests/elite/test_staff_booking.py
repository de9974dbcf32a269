"""Staff book an organisation's special event weekend on its page, under the customers' rules:
a broken rule is shown beside the form (422) and books nothing."""

from __future__ import annotations

import html

from sqlalchemy import select

from kb import db
from kb.elite.models import SpecialEventBooking
from tests.conftest import Auth


def _bookings(app, organization_id: int) -> list[tuple[str, str]]:
    with app.app_context():
        return [(booking.weekend.isoformat(), booking.requested_by.email)
                for booking in db.session.scalars(select(SpecialEventBooking).where(
                    SpecialEventBooking.organization_id == organization_id))]


def test_staff_book_the_weekend_and_see_broken_rules_beside_the_form(client, app,
                                                                      elite_customer):
    staff = Auth(client)
    staff.login(elite_customer.csm_email)
    page = f"/staff/elite/organizations/{elite_customer.organization_id}"
    assert 'id="book-special-event"' in client.get(page).text

    for weekend, rule in (("2027-04-02", "Name the weekend by its Saturday."),
                          ("2027-03-13", "Book at least 14 days ahead")):
        refused = staff.post(f"{page}/special-events",
                             data={"weekend": weekend, "product": "Orbit ERP"})
        assert refused.status_code == 422
        error = refused.text.split('id="weekend-error"', 1)[1].split("</small>", 1)[0]
        assert rule in html.unescape(error)
    assert _bookings(app, elite_customer.organization_id) == []

    booked = staff.post(f"{page}/special-events", data={
        "weekend": "2027-05-01", "product": "Orbit ERP", "notes": "Plant go-live"})

    assert booked.status_code == 302 and booked.location.endswith(f"{page}#special-events")
    assert _bookings(app, elite_customer.organization_id) == [
        ("2027-05-01", elite_customer.csm_email)]
    shown = client.get(page).text
    assert "This term's weekend is booked: 2027-05-01" in shown
    assert 'id="book-special-event"' not in shown


def test_customers_cannot_use_the_staff_form(client, auth, elite_customer, app):
    auth.login(elite_customer.email)
    refused = auth.post(f"/staff/elite/organizations/{elite_customer.organization_id}"
                        "/special-events", data={"weekend": "2027-05-01", "product": "Orbit ERP"})
    assert refused.status_code == 403
    assert _bookings(app, elite_customer.organization_id) == []
