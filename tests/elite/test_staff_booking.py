"""Staff book an organisation's special event weekend on its page, under the customers' rules:
a broken rule is shown beside the form (422) and books nothing. Staff cancel a booked weekend
there too, and the person who booked it is told why."""

from __future__ import annotations

import html

from sqlalchemy import select

from kb import db
from kb.accounts.models import AuditEntry
from kb.accounts.queries import user_by_email
from kb.alerts.models import OutboxEmail
from kb.elite import queries as elite_queries
from kb.elite import special_events
from kb.elite.models import SpecialEventBooking
from tests.conftest import Auth
from tests.elite.test_special_events import book
from tests.elite.test_success_manager import notifications_of


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


def test_staff_cancel_a_booked_weekend_and_the_booker_is_told_why(client, app, auth,
                                                                 elite_customer, make_user):
    booking = book(client, elite_customer, "2027-05-01").get_json()["id"]
    page = f"/staff/elite/organizations/{elite_customer.organization_id}"
    auth.login(elite_customer.email)
    refused = auth.post(f"/staff/elite/special-events/{booking}/cancel", data={"reason": "x"})
    assert refused.status_code == 403

    staff = Auth(app.test_client())
    staff.login(make_user(role="staff"))  # not the CSM, who is told
    person = make_user(role="staff")
    with app.app_context():  # the named support person is told too
        special_events.assign_support_person(user_by_email(elite_customer.csm_email), booking,
                                             user_by_email(person))
    assert f'id="cancel-{booking}"' in staff.client.get(page).text
    cancelled = staff.post(f"/staff/elite/special-events/{booking}/cancel",
                           data={"reason": "The plant's go-live moved to June."})
    assert cancelled.status_code == 302 and cancelled.location.endswith(
        f"{page}#special-events")
    with app.app_context():
        assert db.session.get(SpecialEventBooking, booking).status == "cancelled"
        assert notifications_of(elite_customer.email)[-1] == (
            "Your special event weekend of 2027-05-01 was cancelled")
        assert notifications_of(person)[-1].endswith(
            "for which you are the support person, was cancelled")
        told_csm = db.session.scalar(select(OutboxEmail.body).where(
            OutboxEmail.recipient == elite_customer.csm_email,
            OutboxEmail.subject.contains("Staff cancelled")))
        assert "The plant's go-live moved to June." in told_csm
        audit = db.session.scalar(select(AuditEntry).where(
            AuditEntry.action == "special_event.cancel"))
        assert audit.after == {"status": "cancelled",
                               "reason": "The plant's go-live moved to June."}
    assert f'id="cancel-{booking}"' not in staff.client.get(page).text
    again = staff.post(f"/staff/elite/special-events/{booking}/cancel", data={"reason": ""})
    assert again.status_code == 422
    assert book(client, elite_customer, "2027-06-05").status_code == 201  # the term is free


def test_a_refused_exclusion_is_shown_beside_its_field_as_typed(client, app, elite_customer):
    staff = Auth(client)
    staff.login(elite_customer.csm_email)
    client.get("/staff/elite")
    too_long = "Custom builds only " + "x" * 300

    refused = staff.post("/staff/elite/exclusions", data={"product": "", "reason": too_long})

    assert refused.status_code == 422
    assert 'id="product-error" class="field-error">Choose a product.</small>' in refused.text
    assert ('id="reason-error" class="field-error">Keep the reason to 300 characters or fewer.'
            in refused.text)
    assert f'value="{too_long}"' in refused.text
    with app.app_context():
        assert elite_queries.exclusions() == []
