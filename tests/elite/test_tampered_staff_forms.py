"""Staff Elite forms sent with a value the page never offered (a user who is not staff, an id
that is no number, a reason past its length, as devtools or curl send them): the page comes
back refused (422) with the problem linked to its field, and nothing changes; an id naming
something that does not exist is 404."""

from __future__ import annotations

from sqlalchemy import func, select

from kb import db
from kb.accounts.models import Organization
from kb.accounts.queries import user_by_email
from kb.elite import csm
from kb.elite.models import SpecialEventBooking
from tests.a11y import problems, refused_summary
from tests.conftest import Auth
from tests.elite.test_special_events import book


def _staff(app, elite_customer) -> Auth:
    staff = Auth(app.test_client())
    staff.login(elite_customer.csm_email)
    return staff


def _user_id(app, email: str) -> int:
    with app.app_context():
        return user_by_email(email).id


def _csm_of(app, organization_id: int) -> str:
    with app.app_context():
        return csm.csm_of(db.session.get(Organization, organization_id)).email


def _booking(app, booking_id: int) -> tuple[str, int | None]:
    with app.app_context():
        found = db.session.get(SpecialEventBooking, booking_id)
        return found.status, found.support_person_id


def test_a_csm_who_is_no_staff_member_is_refused_beside_the_choice(app, elite_customer):
    staff = _staff(app, elite_customer)
    organization = elite_customer.organization_id
    for tampered in (str(_user_id(app, elite_customer.email)), "abc", ""):
        refused = staff.post(f"/staff/elite/organizations/{organization}/csm",
                             {"csm": tampered})
        assert refused.status_code == 422, tampered
        _, summary = refused_summary(refused, "csm-problem")
        assert problems(summary) == {
            f"#csm-{organization}": "Customer success manager: Choose a staff member from "
                                    "the list."}
    assert _csm_of(app, organization) == elite_customer.csm_email


def test_a_csm_for_an_unknown_organisation_is_not_found(app, elite_customer):
    staff = _staff(app, elite_customer)
    with app.app_context():
        missing = (db.session.scalar(select(func.max(Organization.id))) or 0) + 1
    answer = staff.post(f"/staff/elite/organizations/{missing}/csm",
                        {"csm": str(_user_id(app, elite_customer.csm_email))})
    assert answer.status_code == 404


def test_an_assigned_csm_lands_on_the_list_not_on_the_summary(app, elite_customer, make_user):
    staff = _staff(app, elite_customer)
    successor = make_user(role="staff")
    done = staff.post(f"/staff/elite/organizations/{elite_customer.organization_id}/csm",
                      {"csm": str(_user_id(app, successor))})
    assert done.status_code == 302 and done.location.endswith("/staff/elite#all-organizations")
    assert _csm_of(app, elite_customer.organization_id) == successor


def test_a_support_person_who_is_no_staff_member_is_refused(app, client, elite_customer):
    booking = book(client, elite_customer, "2027-05-01").get_json()["id"]
    staff = _staff(app, elite_customer)
    for tampered in (str(_user_id(app, elite_customer.email)), "abc"):
        refused = staff.post(f"/staff/elite/special-events/{booking}/support-person",
                             {"person": tampered})
        assert refused.status_code == 422, tampered
        _, summary = refused_summary(refused, "person-problem")
        assert problems(summary) == {
            f"#person-{booking}": "Support person: Choose a staff member from the list."}
    assert _booking(app, booking) == ("booked", None)
    assert staff.post("/staff/elite/special-events/999999/support-person", {
        "person": str(_user_id(app, elite_customer.csm_email))}).status_code == 404


def test_a_cancellation_reason_past_its_length_is_refused_and_cancels_nothing(
        app, client, elite_customer):
    booking = book(client, elite_customer, "2027-05-01").get_json()["id"]
    staff = _staff(app, elite_customer)
    refused = staff.post(f"/staff/elite/special-events/{booking}/cancel", {"reason": "x" * 2001})
    assert refused.status_code == 422
    page, summary = refused_summary(refused, "cancel-problem")
    assert list(problems(summary)) == [f"#cancel-reason-{booking}"]
    assert page.get_element_by_id(f"cancel-{booking}").get("open") is not None
    assert page.get_element_by_id(f"cancel-reason-{booking}").get("value") == "x" * 2001
    assert _booking(app, booking)[0] == "booked"
    assert staff.post("/staff/elite/special-events/999999/cancel",
                      {"reason": ""}).status_code == 404


def test_another_organisations_booking_is_not_found_for_a_customer(
        app, client, elite_customer, make_user, api_token):
    from tests.elite.conftest import make_elite_customer

    booking = book(client, elite_customer, "2027-05-01").get_json()["id"]
    other = Auth(app.test_client())
    other.login(make_elite_customer(app, make_user, api_token).email)
    assert other.post(f"/elite/special-events/{booking}/cancel").status_code == 404
    assert _booking(app, booking)[0] == "booked"
