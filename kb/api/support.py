"""/api/v1 incidents and support coverage: the same services and queries as the pages."""

from __future__ import annotations

from flask import request, url_for
from flask_login import current_user

from kb import policy
from kb.api import blueprint
from kb.api.idempotency import idempotent
from kb.api.lists import list_answer
from kb.api.openapi import ON_REQUEST, documented, query_parameter
from kb.api.responses import created, respond
from kb.api.responses.support import Coverage, IncidentWithThread
from kb.api.responses.support import Incident as IncidentAnswer
from kb.api.responses.support import IncidentEntry as EntryAnswer
from kb.api.schemas import IncidentBody, ReplyBody, read_body
from kb.db import utcnow
from kb.errors import Invalid
from kb.support import coverage, incidents, queries
from kb.support.models import Incident, IncidentEntry


def entry_json(entry: IncidentEntry) -> dict:
    author = entry.author
    return {"id": entry.id, "kind": entry.kind, "body": entry.body,
            "author": author.display_name if author else None,
            "from_support": bool(author and author.is_staff), "created": entry.created_at}


def incident_json(incident: Incident, with_thread: bool = False) -> dict:
    body = {
        "id": incident.id, "number": incident.number, "product": incident.product.name,
        "version": incident.version or None, "severity": incident.severity,
        "status": incident.status, "title": incident.title, "created": incident.created_at,
        "response_due": incident.response_due,
        "responded": incident.responded_at, "plan": incident.plan,
        "url": url_for("incidents.show", incident_id=incident.id),
    }
    if with_thread:
        body["description"] = incident.description
        body["contact"] = incident.contact
        body["replies"] = [entry_json(entry) for entry in queries.thread(current_user, incident)]
        body["attachments"] = [
            {"name": item.name, "size": item.size, "url": url_for(
                "incidents.attachment", incident_id=incident.id, attachment_id=item.id,
                name=item.name)} for item in queries.attachments_of(current_user, incident)]
    return body


@blueprint.get("/incidents")
@documented("Your organisation's incidents, newest first (staff: the open queue in priority "
            "order)", parameters=[query_parameter(
                "status", description="open, closed or all (default all)")],
            response_model=list[IncidentAnswer], paged=ON_REQUEST)
def api_incidents():
    if policy.acts_as_staff(current_user):
        # the queue's order is worked out in Python (kb.support.priority), so its pages too
        found = queries.queue(current_user, queries.QueueFilters(), utcnow())
    else:
        show = request.args.get("status", "all")
        if show not in ("open", "closed", "all"):
            raise Invalid("status must be open, closed or all.")
        found = queries.organization_incidents(current_user, show)
    return list_answer(list[IncidentAnswer], found, incident_json)


def _details(body: IncidentBody) -> incidents.IncidentDetails:
    return incidents.IncidentDetails(
        product=body.product, version=body.version or "", severity=body.severity,
        title=body.title, description=body.description, contact=body.contact or "")


@blueprint.post("/incidents")
@documented("Log an incident; the answer holds its number and response target",
            request_body=IncidentBody,
            responses={"201": "Logged", "422": "Invalid details"},
            response_model=IncidentWithThread)
@idempotent
def api_log_incident():
    policy.require_incident(current_user, None)  # a lapsed term first, then the body
    incident = incidents.log_incident(current_user, _details(read_body(IncidentBody)))
    return created(IncidentWithThread, incident_json(incident, with_thread=True),
                   url_for("api.api_incident", incident_id=incident.id))


@blueprint.get("/incidents/<int:incident_id>")
@documented("One incident with its public replies (staff also see notes, kind \"note\") and "
            "files", responses={"200": "OK", "404": "No such incident"},
            response_model=IncidentWithThread)
def api_incident(incident_id: int):
    incident = queries.get_incident(current_user, incident_id)
    return respond(IncidentWithThread, incident_json(incident, with_thread=True))


@blueprint.post("/incidents/<int:incident_id>/replies")
@documented("Reply on an incident", request_body=ReplyBody,
            responses={"201": "Replied", "404": "No such incident",
                       "409": "The incident is closed", "422": "Invalid reply"},
            response_model=EntryAnswer)
@idempotent
def api_reply(incident_id: int):
    incident = queries.get_incident(current_user, incident_id)
    body = read_body(ReplyBody)
    entry = incidents.reply(current_user, incident, body.body)
    return respond(EntryAnswer, entry_json(entry), 201)


@blueprint.get("/support/coverage")
@documented("Your plan's response targets by severity (and products that differ), the phone "
            "numbers and the hours each severity is covered, in your organisation's time zone",
            parameters=[query_parameter("plan", description="staff only: which plan")],
            response_model=Coverage)
def api_coverage():
    found = coverage.coverage_of(current_user, utcnow(), request.args.get("plan"))
    return respond(Coverage, {
        "plan": found.plan, "time_zone": found.time_zone,
        "holiday_country": found.holiday_country,
        "phone": [{"label": line.label, "number": line.number} for line in found.phone_lines],
        "severities": [{
            "severity": item.severity, "name": item.name, "definition": item.definition,
            "response_minutes": item.response_minutes, "clock": item.clock,
            "hours": item.hours, "covered_now": item.open_now,
            "products": [{"product": name, "response_minutes": minutes}
                         for name, minutes in item.exceptions]}
            for item in found.severities],
    })
