"""/api/v1/programmes: the early adopter programmes an Elite customer may apply to, and
applying (the same services as the /programmes pages; 403 below Elite and for a lapsed term);
for staff, a programme's applications and deciding them (as on /staff/programmes)."""

from __future__ import annotations

from flask import url_for
from flask_login import current_user

from kb import policy
from kb.api import blueprint
from kb.api.idempotency import idempotent
from kb.api.lists import list_answer
from kb.api.openapi import ON_REQUEST, documented
from kb.api.responses import respond
from kb.api.responses.programmes import Programme, StaffApplication
from kb.api.schemas import ApplicationBody, DecisionBody, read_body
from kb.links import absolute_url
from kb.programmes import queries, service
from kb.programmes.models import ProgrammeApplication


def programme_json(entry: queries.ProgrammeEntry) -> dict:
    programme, application = entry.programme, entry.application
    return {
        "id": programme.id, "title": programme.title, "product": programme.product.name,
        "offer": programme.offer, "conditions": programme.conditions,
        "seats": programme.seats, "seats_left": entry.seats_left,
        "opens_on": programme.opens_on, "ends_on": programme.ends_on,
        "state": entry.state, "member": entry.member,
        "application": {"status": application.status, "answer": application.answer,
                        "applied": application.applied_at} if application else None,
        "page_url": absolute_url(url_for("programmes.show", programme_id=programme.id)),
    }


@blueprint.get("/programmes")
@documented("Early adopter programmes (Elite): the running ones and those your organisation "
            "applied to, with your application's status", response_model=list[Programme],
            paged=ON_REQUEST)
def api_programmes():
    return list_answer(list[Programme], queries.programme_listing(current_user), programme_json)


@blueprint.get("/programmes/<int:programme_id>")
@documented("One early adopter programme (Elite)",
            responses={"200": "OK", "404": "No such programme"}, response_model=Programme)
def api_programme(programme_id: int):
    return respond(Programme, programme_json(queries.programme_for(current_user, programme_id)))


@blueprint.post("/programmes/<int:programme_id>/applications")
@documented("Apply to an early adopter programme for your organisation (Elite)",
            responses={"201": "Applied", "403": "Below Elite, or term lapsed",
                       "404": "No such programme",
                       "409": "Applied already, or the programme takes no applications now"},
            request_body=ApplicationBody, response_model=Programme)
@idempotent
def api_apply(programme_id: int):
    service.require_feature(current_user)
    note = read_body(ApplicationBody).note
    service.apply(current_user, programme_id, note or "")
    return respond(Programme, programme_json(queries.programme_for(current_user, programme_id)),
                   201)


def application_json(application: ProgrammeApplication) -> dict:
    return {
        "id": application.id, "programme_id": application.programme_id,
        "organization": application.organization.name, "note": application.note,
        "status": application.status, "applied": application.applied_at,
        "applied_by": application.applied_by.email if application.applied_by else None,
        "decided": application.decided_at, "answer": application.answer,
    }


@blueprint.get("/programmes/<int:programme_id>/applications")
@documented("A programme's applications (staff): open ones first, then by when they came",
            responses={"200": "OK", "403": "Staff only", "404": "No such programme"},
            response_model=list[StaffApplication], paged=ON_REQUEST)
def api_applications(programme_id: int):
    programme = service.staff_programme(current_user, programme_id)
    return list_answer(list[StaffApplication], queries.application_listing(current_user, programme),
                       application_json)


@blueprint.post("/programmes/applications/<int:application_id>/decision")
@documented("Accept or decline an application (staff); the organisation's users are told. "
            "Deciding as it stands changes nothing",
            responses={"200": "Decided", "403": "Staff only", "404": "No such application",
                       "409": "No seat left, the programme has ended, or the organisation is "
                              "no longer on Elite"},
            request_body=DecisionBody, response_model=StaffApplication)
def api_decide(application_id: int):
    policy.require_staff(current_user)
    body = read_body(DecisionBody)
    application = service.decide(current_user, application_id, body.decision == "accept",
                                 body.answer or "")
    return respond(StaffApplication, application_json(application))
