"""A special event's support person who was deactivated is no longer named to the customer
(page and API): the weekend's support person is to be named again until staff name another,
and a reactivated one is named again. Staff see the weekend as having no support person, and
its choice reads "(to be named)", not the first staff member listed."""

from __future__ import annotations

import lxml.html

from kb.accounts import users
from kb.accounts.queries import user_by_email
from kb.elite import special_events
from tests.elite.test_special_events import book
from tests.web import Auth


def _shown(app, elite_customer) -> tuple[str, str | None]:
    """The booking's line on the customer's page, and its support person in the API."""
    browser = Auth(app.test_client())
    browser.login(elite_customer.email)
    page = browser.client.get("/elite").get_data(as_text=True)
    line = " ".join(page.partition('id="bookings"')[2].partition("</li>")[0].split())
    [listed] = browser.client.get("/api/v1/elite/special-events",
                                  headers=elite_customer.headers).get_json()
    return line, listed["support_person"]


def _set_enabled(app, admin: str, person: str, enabled: bool) -> None:
    with app.app_context():
        users.set_user_enabled(user_by_email(admin), user_by_email(person), enabled)


def test_a_deactivated_support_person_is_to_be_named_again(
        app, client, elite_customer, make_user):
    booking = book(client, elite_customer, "2027-05-01").get_json()["id"]
    person, admin = make_user(role="staff"), make_user(role="admin")
    with app.app_context():
        user_by_email(person).name = "Sam Support"
        special_events.assign_support_person(user_by_email(elite_customer.csm_email), booking,
                                             user_by_email(person))
    line, named = _shown(app, elite_customer)
    assert "support person: Sam Support" in line and named == "Sam Support"

    _set_enabled(app, admin, person, False)
    line, named = _shown(app, elite_customer)
    assert "support person: to be named" in line and "Sam Support" not in line
    assert named is None

    staff = Auth(app.test_client())
    staff.login(elite_customer.csm_email)
    overview = staff.client.get("/staff/elite").get_data(as_text=True)
    assert "no support person" in overview
    choice = lxml.html.fromstring(staff.client.get(
        f"/staff/elite/organizations/{elite_customer.organization_id}").text).get_element_by_id(
        f"person-{booking}")
    assert choice.value == "" and choice.value_options[0] == ""  # "(to be named)", chosen

    _set_enabled(app, admin, person, True)
    assert _shown(app, elite_customer)[1] == "Sam Support"
