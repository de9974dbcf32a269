"""/api/v1/elite: the organisation's customer success manager and its special event weekends
(Elite only; the same services as the /elite page)."""

from __future__ import annotations

from flask_login import current_user

from kb import policy
from kb.api import blueprint
from kb.api.idempotency import idempotent
from kb.api.lists import list_answer
from kb.api.openapi import ON_REQUEST, documented
from kb.api.responses import respond
from kb.api.responses.alerts import Booking, CustomerSuccessManager
from kb.api.schemas import SpecialEventBody, read_body
from kb.elite import csm, special_events
from kb.errors import Invalid


def booking_json(booking) -> dict:
    return {"id": booking.id, "weekend": booking.weekend,
            "sunday": booking.sunday, "product": booking.product.name,
            "notes": booking.notes, "status": booking.status,
            "support_person": _name_of(special_events.support_person_of(booking)),
            "created": booking.created_at}


def _name_of(person) -> str | None:
    return person.display_name if person is not None else None


@blueprint.get("/elite/csm")
@documented("Your organisation's dedicated customer success manager (Elite): name and "
            "e-mail, or null while none is assigned", response_model=CustomerSuccessManager)
def api_csm():
    manager = csm.csm_of(csm.own_organization(current_user))
    return respond(CustomerSuccessManager, {
        "csm": {"name": manager.display_name, "email": manager.email} if manager else None})


@blueprint.get("/elite/special-events")
@documented("Your organisation's special event weekends, newest first (Elite)",
            response_model=list[Booking], paged=ON_REQUEST)
def api_special_events():
    organization = _own_organization_for(special_events.FEATURE)
    return list_answer(list[Booking], special_events.booking_listing(organization), booking_json)


@blueprint.post("/elite/special-events")
@documented("Book the organisation's special event weekend of the term (Elite): at least 14 "
            "days ahead, inside the term, one per term, a standard product, through the "
            "assigned CSM",
            responses={"201": "Booked", "403": "Below Elite, or term lapsed",
                       "422": "A rule is broken: {\"error\", \"rule\"}"},
            request_body=SpecialEventBody, response_model=Booking)
@idempotent
def api_book_special_event():
    organization = _own_organization_for(special_events.FEATURE)
    body = read_body(SpecialEventBody)
    booking = special_events.book(current_user, organization, body.weekend, body.product,
                                  body.notes or "")
    return respond(Booking, booking_json(booking), 201)


def _own_organization_for(feature: str):
    policy.require(current_user, feature)
    if current_user.organization is None:
        raise Invalid("Staff book special events on the organisation's page, not here.")
    return current_user.organization
