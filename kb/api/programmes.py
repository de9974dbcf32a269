"""/api/v1/programmes: the early adopter programmes an Elite customer may apply to, and
applying (the same services as the /programmes pages; 403 below Elite and for a lapsed term)."""

from __future__ import annotations

from flask import url_for
from flask_login import current_user

from kb.api import blueprint
from kb.api.openapi import documented
from kb.api.responses import respond
from kb.api.responses.programmes import Programme
from kb.api.schemas import ApplicationBody, read_body
from kb.links import absolute_url
from kb.programmes import queries, service


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
            "applied to, with your application's status", response_model=list[Programme])
def api_programmes():
    return respond(list[Programme],
                   [programme_json(entry) for entry in queries.programmes_for(current_user)])


@blueprint.get("/programmes/<int:programme_id>")
@documented("One early adopter programme (Elite)", response_model=Programme)
def api_programme(programme_id: int):
    return respond(Programme, programme_json(queries.programme_for(current_user, programme_id)))


@blueprint.post("/programmes/<int:programme_id>/applications")
@documented("Apply to an early adopter programme for your organisation (Elite)",
            responses={"201": "Applied", "403": "Below Elite, or term lapsed",
                       "409": "Applied already, or the programme takes no applications now"},
            request_body=ApplicationBody, response_model=Programme)
def api_apply(programme_id: int):
    service.require_feature(current_user)
    note = read_body(ApplicationBody).note
    service.apply(current_user, programme_id, note or "")
    return respond(Programme, programme_json(queries.programme_for(current_user, programme_id)),
                   201)
