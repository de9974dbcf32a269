"""/api/v1/programmes: the early adopter programmes an Elite customer may apply to, and
applying (the same services as the /programmes pages; 403 below Elite and for a lapsed term)."""

from __future__ import annotations

from flask import jsonify, request, url_for
from flask_login import current_user

from kb.api import blueprint
from kb.api.openapi import documented
from kb.errors import Invalid
from kb.links import absolute_url
from kb.programmes import queries, service

APPLICATION_BODY = {"type": "object", "properties": {
    "note": {"type": ["string", "null"], "maxLength": service.NOTE_LIMIT,
             "description": "why the organisation would like to take part"},
}}


def programme_json(entry: queries.ProgrammeEntry) -> dict:
    programme, application = entry.programme, entry.application
    return {
        "id": programme.id, "title": programme.title, "product": programme.product.name,
        "offer": programme.offer, "conditions": programme.conditions,
        "seats": programme.seats, "seats_left": entry.seats_left,
        "opens_on": programme.opens_on.isoformat(), "ends_on": programme.ends_on.isoformat(),
        "state": entry.state, "member": entry.member,
        "application": {"status": application.status, "answer": application.answer,
                        "applied": application.applied_at.isoformat()} if application else None,
        "page_url": absolute_url(url_for("programmes.show", programme_id=programme.id)),
    }


@blueprint.get("/programmes")
@documented("Early adopter programmes (Elite): the running ones and those your organisation "
            "applied to, with your application's status")
def api_programmes():
    return jsonify([programme_json(entry) for entry in queries.programmes_for(current_user)])


@blueprint.get("/programmes/<int:programme_id>")
@documented("One early adopter programme (Elite)")
def api_programme(programme_id: int):
    return jsonify(programme_json(queries.programme_for(current_user, programme_id)))


@blueprint.post("/programmes/<int:programme_id>/applications")
@documented("Apply to an early adopter programme for your organisation (Elite)",
            responses={"201": "Applied", "403": "Below Elite, or term lapsed",
                       "409": "Applied already, or the programme takes no applications now"},
            request_body=APPLICATION_BODY)
def api_apply(programme_id: int):
    service.require_feature(current_user)
    body = request.get_json(silent=True)
    body = {} if body is None else body
    note = body.get("note") if isinstance(body, dict) else None
    if not isinstance(body, dict) or not (note is None or isinstance(note, str)):
        raise Invalid('Send a JSON object such as {"note": "We run 12.0 in three plants."}.')
    service.apply(current_user, programme_id, note or "")
    return jsonify(programme_json(queries.programme_for(current_user, programme_id))), 201
