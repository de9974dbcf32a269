"""/api/v1 topics, live-sessions and campus: the same services as the pages."""

from __future__ import annotations

from flask import url_for
from flask_login import current_user

from kb import policy
from kb.api import blueprint
from kb.api.idempotency import idempotent
from kb.api.lists import list_answer
from kb.api.openapi import ON_REQUEST, documented
from kb.api.responses import created, respond
from kb.api.responses.sessions import (
    CampusOffer,
    LiveSession,
    Registration,
    Topic,
)
from kb.api.schemas import TopicRequestBody, read_body
from kb.db import utcnow
from kb.sessions.campus import service as campus
from kb.sessions.live import calendar
from kb.sessions.live import queries as live_queries
from kb.sessions.live import service as live
from kb.sessions.models import TopicRequest
from kb.sessions.topics import queries as topic_queries
from kb.sessions.topics import service as topics


def topic_json(topic) -> dict:
    recording = topic_queries.recording_of(current_user, topic)
    return {
        "id": topic.id, "title": topic.title, "details": topic.details,
        "product": topic.product.name if topic.product else None, "status": topic.status,
        "votes": topic_queries.vote_count(topic), "decline_reason": topic.decline_reason or None,
        "live_session_id": topic.live_session_id,
        "recording_id": recording.id if recording else None,
        "created": topic.created_at,
        "url": url_for("topics.show", topic_id=topic.id),
    }


@blueprint.get("/topics")
@documented("Topic requests, most votes first", response_model=list[Topic], paged=ON_REQUEST)
def api_topics():
    return list_answer(list[Topic], topic_queries.topic_listing(current_user), topic_json)


@blueprint.post("/topics")
@documented("Ask for a session on a topic", responses={"201": "Created", "422": "Invalid"},
            request_body=TopicRequestBody, response_model=Topic)
@idempotent
def api_request_topic():
    policy.require(current_user, TopicRequest.access_feature)  # a lapsed term before the body
    body = read_body(TopicRequestBody)
    values = {"title": body.title, "details": body.details, "product": body.product}
    topic = topics.request_topic(current_user, **values)
    return respond(Topic, topic_json(topic), 201)


def live_session_json(live_session, now, registration, confirmed: int) -> dict:
    body = {
        "id": live_session.id, "title": live_session.title,
        "description": live_session.description, "presenter": live_session.presenter,
        "starts_at": live_session.starts_at,
        "ends_at": live_session.ends_at, "time_zone": live_session.time_zone,
        "duration_minutes": live_session.duration_minutes, "capacity": live_session.capacity,
        "seats_left": 0 if live_session.is_cancelled else max(0, live_session.capacity
                                                               - confirmed),
        "join_details_from": live_session.join_details_from,
        "state": live_session.state_at(now),
        "status": live_session.status,
        "cancelled_at": live_session.cancelled_at,
        "cancellation_reason": live_session.cancellation_reason or None,
        "registration_opens_at": live_session.registration_opens_at,
        "registration_closes_at": live_session.registration_closes,
        "url": url_for("live.show", session_id=live_session.id),
        "registration": registration_json(registration),
        "join": None,
    }
    if policy.can_see_join_details(current_user, live_session, registration, now):
        body["join"] = {"url": live_session.meeting_url, "number": live_session.meeting_number,
                        "password": live_session.meeting_password}
    return body


def registration_json(registration) -> dict | None:
    if registration is None:
        return None
    waiting = registration.status == "waitlisted"  # the invite comes with the seat
    return {"status": registration.status,
            "waitlist_position": live_queries.waitlist_rank(registration),
            "invite_url": None if waiting else url_for(
                "api.api_invite", session_id=registration.live_session_id)}


@blueprint.get("/live-sessions")
@documented("Live sessions not yet over, each with its state (registration_not_open, upcoming, "
            "registration_closed, in_progress, or cancelled) and status (scheduled, or "
            "cancelled with the reason: listed until its start, with no seats left); join "
            "details only for registered users, "
            "shortly before the start, never for a cancelled session",
            response_model=list[LiveSession], paged=ON_REQUEST)
def api_live_sessions():
    now = utcnow()

    def sessions_json(sessions: list) -> list[dict]:
        registrations = live_queries.registrations_of(current_user, sessions)
        confirmed = live_queries.confirmed_counts(sessions)
        return [live_session_json(session, now, registrations[session.id],
                                  confirmed[session.id]) for session in sessions]

    return list_answer(list[LiveSession], live_queries.schedule(current_user),
                       items_json=sessions_json)


@blueprint.get("/live-sessions/<int:session_id>")
@documented("One live session, ended ones included, with its state, your registration and "
            "join details as the list gives them", responses={"404": "No such session"},
            response_model=LiveSession)
def api_live_session(session_id: int):
    live_session = live_queries.get_session(current_user, session_id)
    registration = live_queries.registration_of(current_user, live_session)
    return respond(LiveSession, live_session_json(
        live_session, utcnow(), registration, live_queries.confirmed_count(live_session)))


@blueprint.post("/live-sessions/<int:session_id>/registration")
@documented("Register for a live session", responses={
    "200": "Already registered", "201": "Registered", "202": "Wait-listed (the session is full)",
    "404": "No such session",
    "409": "Registration is not open: not yet, closed at its set time, the session has "
           "started or ended, or it is cancelled"}, response_model=Registration)
@idempotent
def api_register(session_id: int):
    policy.require(current_user, "interactive_sessions")  # its feature, before the session's
    live_queries.get_session(current_user, session_id)  # 404 for a session the user may not see
    outcome = live.register_with_outcome(current_user, session_id)
    body = registration_json(outcome.registration)
    if outcome.already_registered or outcome.registration.status != "confirmed":
        return respond(Registration, body, 200 if outcome.already_registered else 202)
    return created(Registration, body, url_for("api.api_register", session_id=session_id))


@blueprint.delete("/live-sessions/<int:session_id>/registration")
@documented("Cancel your registration; the first wait-listed person moves up",
            responses={"204": "Cancelled", "404": "Not registered",
                       "409": "Already started, or the session is cancelled"})
def api_cancel(session_id: int):
    live.cancel(current_user, session_id)
    return "", 204


@blueprint.get("/live-sessions/<int:session_id>/invite.ics")
@documented("Your calendar invite for the session (text/calendar)",
            responses={"200": "The .ics file",
                       "404": "Not registered, or on the waiting list (no invite until a seat)"},
            media_type="text/calendar")
def api_invite(session_id: int):
    registration = live_queries.registration_for_invite(current_user, session_id)
    return calendar.invite_attachment(registration)


@blueprint.get("/campus")
@documented("Your organisation's Campus discount code (Elite)",
            responses={"200": "OK", "404": "No current offer"}, response_model=CampusOffer)
def api_campus():
    reveal = campus.reveal(current_user, "api")
    organization = current_user.organization
    return respond(CampusOffer, {
        "code": reveal.code, "organization": organization.name if organization else None,
        "percentage": reveal.offer.percentage, "terms": reveal.offer.terms,
        "how_to_redeem": reveal.offer.how_to_redeem, "redeem_url": reveal.offer.redeem_url,
        "valid_until": reveal.offer.valid_until,
    })
