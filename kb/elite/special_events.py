"""Special event support (Elite): one weekend per annual support term with support at every
severity and a named support person, booked at least 14 days ahead through the CSM, for a
standard product. Each rule the brochure states is checked by name (``RuleBroken.rule``), so
the page and the API can say which one a request broke."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from kb import db, policy
from kb.accounts.audit import record_audit
from kb.accounts.models import Organization, User
from kb.alerts.dispatch import Notice, confirm, tell
from kb.db import utcnow
from kb.elite import csm as csms
from kb.elite.models import SpecialEventBooking, SpecialEventExclusion
from kb.errors import Invalid, NotFound, RuleBroken
from kb.links import path_for
from kb.listing import Listing
from kb.locking import row_locked
from kb.products.names import slugify

FEATURE = "special_event_support"
NOTICE_DAYS = 14
SATURDAY = 5
NOTES_LIMIT = 2000

# what the brochure says the weekend is and is not; shown beside the booking form
CONDITIONS = (
    "One weekend (Saturday and Sunday) per annual support term, inside the term; an unused "
    "weekend does not carry over to the next term.",
    f"Book at least {NOTICE_DAYS} days ahead; your customer success manager schedules it.",
    "Every severity is covered for that weekend, with a support person named for you.",
    "Standard products only; support is given in English.",
    "It does not replace implementation consulting.",
)


def book(actor, organization: Organization, weekend: date, product_name: str,
         notes: str = "") -> SpecialEventBooking:
    """Book ``weekend`` (its Saturday) for the organisation: its own Elite users, or staff on
    its behalf. ``RuleBroken`` names the rule a request breaks."""
    _require_booker(actor, organization)
    notes = notes.strip()
    if len(notes) > NOTES_LIMIT:
        raise Invalid(f"Notes hold at most {NOTES_LIMIT} characters.")
    with row_locked(Organization, organization.id):  # one booking per term, even in a race
        product = _eligible_product(organization, product_name)
        _check_weekend(organization, weekend)
        booking = SpecialEventBooking(organization_id=organization.id, weekend=weekend,
                                      product_id=product.id, notes=notes,
                                      requested_by_id=actor.id)
        db.session.add(booking)
        db.session.flush()
        record_audit(actor, "special_event.book", "special_event_booking", booking.id, None,
                     {"weekend": weekend.isoformat(), "product": product.name})
        _tell_csm(organization, booking, f"{organization.name} booked special event support "
                  f"for the weekend of {weekend.isoformat()}")
        if not policy.acts_as_staff(actor):
            _confirm(actor, booking, f"Booked: special event support for the weekend of "
                     f"{weekend.isoformat()}", "Your customer success manager names your "
                     "support person; you are told when they do.")
        db.session.commit()
    return booking


def cancel(actor, booking_id: int, reason: str = "") -> SpecialEventBooking:
    """Cancel a booking before its weekend begins; the term's weekend is free again. The CSM and
    the named support person are told; when staff cancel, so is the person who booked it, with
    staff's ``reason``."""
    booking = booking_for(actor, booking_id)
    reason = reason.strip()
    if len(reason) > NOTES_LIMIT:
        raise Invalid(f"The reason holds at most {NOTES_LIMIT} characters.")
    if booking.status != "booked":
        raise Invalid("This booking is already cancelled.")
    if booking.weekend <= policy.today():
        raise RuleBroken("weekend_started", "The weekend has begun: it can no longer be "
                                            "cancelled.")
    booking.status, booking.cancelled_at = "cancelled", utcnow()
    record_audit(actor, "special_event.cancel", "special_event_booking", booking.id,
                 {"status": "booked"}, {"status": "cancelled", "reason": reason})
    by_staff = policy.acts_as_staff(actor)
    name, weekend = booking.organization.name, booking.weekend.isoformat()
    manager = _tell_csm(booking.organization, booking,
                        f"Staff cancelled {name}'s special event weekend of {weekend}"
                        if by_staff else f"{name} cancelled the special event weekend of "
                        f"{weekend}", body=reason or booking.notes, unless=actor)
    if not by_staff:
        _confirm(actor, booking, f"Cancelled: special event support for the weekend of "
                 f"{weekend}", "Your organisation may book another weekend of this term.")
    booker, person = booking.requested_by, booking.support_person
    if by_staff and booker is not None and booker.is_enabled and booker.id != actor.id:
        tell(booker, Notice(kind="elite.special_event", title=(
            f"Your special event weekend of {weekend} was cancelled"),
            body=reason, url=_booking_url(booker, booking)))
    told = {user.id for user in (actor, manager, booker) if user is not None}
    if person is not None and person.is_enabled and person.id not in told:
        tell(person, Notice(kind="elite.special_event", title=(
            f"{name}'s special event weekend of {weekend}, for which you are the support "
            "person, was cancelled"), body=reason, url=_booking_url(person, booking)))
    db.session.commit()
    return booking


def assign_support_person(actor, booking_id: int, person: User) -> SpecialEventBooking:
    """Name the staff member dedicated to the organisation for the weekend (staff only)."""
    policy.require_staff(actor)
    booking = booking_for(actor, booking_id)
    if not person.is_staff or not person.is_enabled:
        raise Invalid("The support person is an enabled staff member.")
    previous = booking.support_person_id
    booking.support_person_id = person.id
    record_audit(actor, "special_event.support_person", "special_event_booking", booking.id,
                 {"support_person_id": previous}, {"support_person_id": person.id})
    title = (f"{person.display_name} is your support person for the weekend of "
             f"{booking.weekend.isoformat()}")
    for reader in {booking.requested_by, person} - {None}:
        tell(reader, Notice(kind="elite.special_event", title=title,
                            url=_booking_url(reader, booking)))
    db.session.commit()
    return booking


def booking_for(actor, booking_id: int) -> SpecialEventBooking:
    """A booking of the actor's own organisation (any, for staff); one of another
    organisation is as unknown as one that does not exist."""
    if not policy.acts_as_staff(actor):
        policy.require(actor, FEATURE)
    booking = db.session.get(SpecialEventBooking, booking_id)
    if booking is None:
        raise NotFound("No such booking.")
    _require_booker(actor, booking.organization, missing=NotFound("No such booking."))
    return booking


def support_person_of(booking: SpecialEventBooking) -> User | None:
    """The booking's support person while serving (``policy.is_serving_staff``): one
    deactivated is none, so the customer reads that one is to be named, not a name nobody
    answers to, until staff name another."""
    person = booking.support_person
    return person if policy.is_serving_staff(person) else None


def bookings_of(organization: Organization) -> list[SpecialEventBooking]:
    return booking_listing(organization).all()


def booking_listing(organization: Organization) -> Listing[SpecialEventBooking]:
    """The organisation's bookings, newest weekend first."""
    return Listing(
        select(SpecialEventBooking).where(SpecialEventBooking.organization_id == organization.id)
        .order_by(SpecialEventBooking.weekend.desc(), SpecialEventBooking.id.desc()))


def booked_weekend_days(organization_id: int, since: datetime,
                        time_zone: str) -> frozenset[date]:
    """The local dates (Saturdays and Sundays) of the organisation's booked weekends from the
    one ``since`` falls in onwards: the support clock covers them whole."""
    first = since.astimezone(ZoneInfo(time_zone)).date() - timedelta(days=1)
    saturdays = db.session.scalars(select(SpecialEventBooking.weekend).where(
        SpecialEventBooking.organization_id == organization_id,
        SpecialEventBooking.status == "booked", SpecialEventBooking.weekend >= first))
    return frozenset(day for saturday in saturdays
                     for day in (saturday, saturday + timedelta(days=1)))


def eligible_products(organization: Organization) -> list:
    """The organisation's installed products special-event support is available for."""
    excluded = set(db.session.scalars(select(SpecialEventExclusion.product_id)))
    found = {entry.product.id: entry.product for entry in organization.installed}
    return sorted((p for p in found.values() if p.id not in excluded), key=lambda p: p.name)


def _require_booker(actor, organization: Organization, missing=None) -> None:
    if policy.acts_as_staff(actor):
        return
    policy.require(actor, FEATURE)
    if actor.organization_id != organization.id:
        raise missing or NotFound("No such organisation.")


def _eligible_product(organization: Organization, product_name: str):
    if csms.csm_of(organization) is None:
        raise RuleBroken("csm_assigned", "Special events are scheduled through your customer "
                                         "success manager, and none is assigned yet.")
    eligible = eligible_products(organization)
    wanted = (product_name.strip(), slugify(product_name))
    product = next((p for p in eligible if p.name in wanted or p.slug in wanted), None)
    if product is None:
        offered = ", ".join(p.name for p in eligible) or "none"
        raise RuleBroken("standard_product", "Special event support covers the standard "
                         f"products your organisation runs (here: {offered}).")
    return product


def _check_weekend(organization: Organization, saturday: date) -> None:
    if saturday.weekday() != SATURDAY:
        raise RuleBroken("saturday", "Name the weekend by its Saturday.")
    if saturday < policy.today() + timedelta(days=NOTICE_DAYS):
        raise RuleBroken("notice_period", f"Book at least {NOTICE_DAYS} days ahead: the "
                         f"earliest weekend now is the one of "
                         f"{first_bookable().isoformat()}.")
    if saturday < organization.term_start or saturday + timedelta(days=1) > organization.term_end:
        raise RuleBroken("within_term", "The weekend must lie inside your annual support term "
                         f"({organization.term_start.isoformat()} to "
                         f"{organization.term_end.isoformat()}).")
    taken = booking_in_term(organization)
    if taken is not None:
        raise RuleBroken("once_per_term", "Your organisation has booked its weekend for this "
                         f"term already ({taken.weekend.isoformat()}).")


def booking_in_term(organization: Organization) -> SpecialEventBooking | None:
    """The weekend booked in the organisation's current term, if any."""
    return db.session.scalar(select(SpecialEventBooking).where(
        SpecialEventBooking.organization_id == organization.id,
        SpecialEventBooking.status == "booked",
        SpecialEventBooking.weekend.between(organization.term_start, organization.term_end)))


def first_bookable() -> date:
    """The Saturday of the first weekend that can be booked today."""
    earliest = policy.today() + timedelta(days=NOTICE_DAYS)
    return earliest + timedelta(days=(SATURDAY - earliest.weekday()) % 7)


def _tell_csm(organization: Organization, booking: SpecialEventBooking, title: str,
              body: str | None = None, unless: User | None = None) -> User | None:
    """Tell the organisation's CSM (the booking's notes, unless ``body``) unless the CSM is
    ``unless`` (who did it); the CSM, if any."""
    manager = csms.csm_of(organization)
    if manager is not None and (unless is None or manager.id != unless.id):
        tell(manager, Notice(kind="elite.special_event", title=title,
                             url=_booking_url(manager, booking),
                             body=booking.notes if body is None else body))
    return manager


def _confirm(customer: User, booking: SpecialEventBooking, title: str, after: str) -> None:
    """Confirm to the customer who booked or cancelled: what, when, and what happens next."""
    lines = [f"{title}.", "",
             f"Weekend: Saturday {booking.weekend.isoformat()} and Sunday "
             f"{booking.sunday.isoformat()}", f"Product: {booking.product.name}"]
    if booking.notes:
        lines.append(f"Your notes: {booking.notes}")
    lines += ["", after]
    confirm(customer, Notice(kind="elite.special_event", title=title,
                             url=_booking_url(customer, booking), body="\n".join(lines)))


def _booking_url(reader, booking: SpecialEventBooking) -> str:
    if reader.is_staff:
        return path_for("elite_staff.organization", organization_id=booking.organization_id)
    return path_for("elite.index") + "#special-events"


def exclude_product(actor, product, reason: str = "") -> SpecialEventExclusion:
    """Mark special-event support as not available for ``product`` (staff only)."""
    policy.require_staff(actor)
    exclusion = db.session.get(SpecialEventExclusion, product.id) or SpecialEventExclusion(
        product_id=product.id)
    exclusion.reason = reason.strip()[:300]
    db.session.add(exclusion)
    record_audit(actor, "special_event.exclude", "product", product.id, None,
                 {"reason": exclusion.reason})
    db.session.commit()
    return exclusion


def include_product(actor, product_id: int) -> None:
    policy.require_staff(actor)
    exclusion = db.session.get(SpecialEventExclusion, product_id)
    if exclusion is not None:
        db.session.delete(exclusion)
        record_audit(actor, "special_event.include", "product", product_id, None, None)
        db.session.commit()
