"""Live session pages: the schedule (every plan sees it; Xtreme with an upgrade prompt), one
session with registration, the calendar invite and, shortly before the start, join details."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user

from kb import gating, policy
from kb.db import utcnow
from kb.sessions.live import calendar
from kb.sessions.live import queries as live_queries
from kb.sessions.live import service as live

blueprint = Blueprint("live", __name__, url_prefix="/sessions/live")


@blueprint.get("")
def index():
    upcoming = live_queries.sessions_for(current_user)
    past = live_queries.sessions_for(current_user, past=True)[:10]
    now = utcnow()
    return render_template(
        "sessions/live_sessions.html", sessions=upcoming, past=past,
        recordings={s.id: gating.shown(current_user, s.recording) for s in past},
        registrations=live_queries.registrations_of(current_user, upcoming),
        seats_taken=live_queries.confirmed_counts(upcoming),
        states={s.id: s.state_at(now) for s in upcoming},
        denial=policy.feature_denial(current_user, "interactive_sessions"))


@blueprint.get("/<int:session_id>")
def show(session_id: int):
    live_session = live_queries.get_session(current_user, session_id)
    registration = live_queries.registration_of(current_user, live_session)
    now = utcnow()
    return render_template(
        "sessions/live_session.html", live_session=live_session, registration=registration,
        recording=gating.shown(current_user, live_session.recording),
        description=live_session.description_html,
        seats_taken=live_queries.confirmed_count(live_session),
        waitlist_rank=registration and live_queries.waitlist_rank(registration),
        join_visible=policy.can_see_join_details(current_user, live_session, registration, now),
        denial=policy.feature_denial(current_user, "interactive_sessions"), now=now,
        state=live_session.state_at(now))


@blueprint.post("/<int:session_id>/register")
def register(session_id: int):
    registration = live.register(current_user, session_id)
    if registration.status == "confirmed":
        flash("You are registered. Download the invite for your calendar.", "success")
    else:
        flash("The session is full: you are on the waiting list and will be told when a seat "
              "frees up.", "info")
    return redirect(url_for("live.show", session_id=session_id))


@blueprint.post("/<int:session_id>/cancel")
def cancel(session_id: int):
    live.cancel(current_user, session_id)
    flash("Your registration is cancelled. Download the invite again to remove it from your "
          "calendar.", "info")
    return redirect(url_for("live.show", session_id=session_id))


@blueprint.get("/<int:session_id>/invite.ics")
def invite(session_id: int):
    registration = live_queries.registration_for_invite(current_user, session_id)
    return calendar.invite_attachment(registration)
