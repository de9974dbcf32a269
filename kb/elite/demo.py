"""The demo's Elite services: Sam Staff manages Fabrikam Logistics (the Elite organisation),
has written to it, and one special event weekend is booked with its support person named."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from sqlalchemy import select

from kb import db, policy
from kb.accounts.models import Organization
from kb.accounts.queries import user_by_email
from kb.demo import staff_actor
from kb.elite import csm, meetings, special_events
from kb.elite.models import CsmMessage, SpecialEventBooking

ELITE_ORGANIZATION = "Fabrikam Logistics"
WELCOME = ("Welcome to Elite support. I am your customer success manager: write to me here "
           "about anything that needs a push, and let us plan your support activity review "
           "for the end of the quarter.")


def load(echo) -> None:
    organization = db.session.scalar(
        select(Organization).where(Organization.name == ELITE_ORGANIZATION))
    if organization is None:
        return
    manager = staff_actor()
    if csm.csm_of(organization) is None:
        csm.assign(manager, organization, manager)
        echo(f"Elite: {manager.display_name} manages {organization.name}.")
    if not _has_messages(organization):
        csm.send_message(manager, organization, WELCOME)
    if not special_events.bookings_of(organization):
        _book_a_weekend(organization, manager)
    if not meetings.meetings_of(organization):
        _ask_for_meetings(manager)


def _has_messages(organization: Organization) -> bool:
    return db.session.scalar(select(CsmMessage.id).where(
        CsmMessage.organization_id == organization.id).limit(1)) is not None


def _ask_for_meetings(manager) -> None:
    customer = user_by_email("elite@demo.test")
    if customer is None:
        return
    meetings.request_meeting(
        customer, "senior_consultation", "Ledger close performance at year end",
        "Closing takes nine hours on our largest company; we would like an architect's view.",
        "Tuesday or Thursday mornings, CET")
    review = meetings.request_meeting(customer, "activity_review", "Quarterly support review")
    starts = datetime.combine(policy.today() + timedelta(days=10), time(9), tzinfo=UTC)
    meetings.schedule(manager, review.id, starts, 60, "https://meet.orbitec.example/review",
                      "")


def _book_a_weekend(organization: Organization, manager) -> None:
    customer = user_by_email("elite@demo.test")
    products = special_events.eligible_products(organization)
    saturday = special_events.first_bookable() + timedelta(weeks=4)
    if customer is None or not products or saturday + timedelta(days=1) > organization.term_end:
        return
    booking: SpecialEventBooking = special_events.book(
        customer, organization, saturday, products[0].name,
        "Year-end closing run: finance processes the whole weekend.")
    special_events.assign_support_person(manager, booking.id, manager)
