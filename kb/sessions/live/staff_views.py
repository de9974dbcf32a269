"""Staff pages of live sessions: schedule and edit them, see and export attendees, mark
attendance, attach the recording."""

from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_login import current_user

from kb import policy
from kb.db import utcnow
from kb.errors import Conflict, DomainError, Invalid
from kb.forms import choices, database_id
from kb.sessions.live import attendance
from kb.sessions.live import queries as live_queries
from kb.sessions.live import service as live
from kb.sessions.live import times as live_times
from kb.sessions.live.forms import (
    AttachRecordingForm,
    AttendanceForm,
    CancelLiveSessionForm,
    LiveSessionForm,
)
from kb.sessions.live.service import LiveSessionFields
from kb.sessions.recordings import queries as recording_queries

blueprint = Blueprint("live_staff", __name__, url_prefix="/sessions/staff/live")


@blueprint.before_request
def _staff_only():
    policy.require_staff(current_user)


def _refused(form, error: DomainError) -> int:
    """Show a service's refusal on the form it came from, beside the field it is about (the
    typed input stays)."""
    field = getattr(error, "field", None)
    if field and field in form:
        form[field].errors.append(error.message)
    else:
        form.form_errors.append(error.message)
    return error.status


# filled from the session as stored; its times come in its own zone from ``local_fields``
STORED_AS_TYPED = ("title", "description", "presenter", "time_zone", "duration_minutes",
                   "capacity", "meeting_url", "meeting_number", "meeting_password",
                   "join_details_minutes")


def _edit_form(live_session) -> LiveSessionForm:
    """The form filled from the session. Not through ``obj``: WTForms would take the model's
    ``registration_closes`` (UTC, defaulting to the start) before the time in the session's
    zone, and saving reads the field in that zone."""
    stored = {name: getattr(live_session, name) for name in STORED_AS_TYPED}
    return LiveSessionForm(data={**stored, **live_times.local_fields(live_session)})


def _session_fields(form: LiveSessionForm) -> LiveSessionFields:
    return LiveSessionFields(
        title=form.title.data, description=form.description.data or "",
        presenter=form.presenter.data or "", local_start=form.local_start.data,
        time_zone=form.time_zone.data, duration_minutes=form.duration_minutes.data,
        capacity=form.capacity.data, registration_opens=form.registration_opens.data,
        registration_closes=form.registration_closes.data,
        meeting_url=form.meeting_url.data or "", meeting_number=form.meeting_number.data or "",
        meeting_password=form.meeting_password.data or "",
        join_details_minutes=form.join_details_minutes.data or 0)


@blueprint.route("/new", methods=["GET", "POST"])
def new_session():
    form = LiveSessionForm(time_zone=current_user.time_zone)
    status = 422 if form.is_submitted() else 200  # a refusal of the service says its own
    if form.validate_on_submit():
        try:
            live_session = live.schedule_session(current_user, _session_fields(form))
        except Invalid as error:
            status = _refused(form, error)
        else:
            flash("The session is scheduled.", "success")
            return redirect(url_for("live.show", session_id=live_session.id))
    return render_template("sessions/live_session_form.html", form=form,
                           live_session=None), status


@blueprint.route("/<int:session_id>/edit", methods=["GET", "POST"])
def edit_session(session_id: int):
    live_session = live_queries.get_session(current_user, session_id)
    form = _edit_form(live_session)
    status = 422 if form.is_submitted() else 200
    if form.validate_on_submit():
        try:
            live.update_session(current_user, session_id, _session_fields(form))
        except (Invalid, Conflict) as error:
            status = _refused(form, error)
        else:
            flash("The session is saved; registrants were told if it moved.", "success")
            return redirect(url_for("live.show", session_id=session_id))
    return render_template("sessions/live_session_form.html", form=form,
                           live_session=live_session), status


@blueprint.route("/<int:session_id>/cancel", methods=["GET", "POST"])
def cancel_session(session_id: int):
    """Confirm the cancellation with its reason; the page says who will be told."""
    live_session = live_queries.get_session(current_user, session_id)
    form, status = CancelLiveSessionForm(), 200
    refusal = live.cancellation_refusal(live_session, utcnow())
    if refusal:
        form.form_errors.append(refusal)
        status = 409
    elif form.validate_on_submit():
        try:
            live.cancel_session(current_user, session_id, form.reason.data)
        except (Invalid, Conflict) as error:
            status = _refused(form, error)
        else:
            flash("The session is cancelled; every registrant was told why.", "success")
            return redirect(url_for("live.show", session_id=session_id))
    elif form.is_submitted():
        status = 422
    return render_template(
        "sessions/live_session_cancel.html", live_session=live_session, form=form,
        refused=bool(refusal), seated=live_queries.confirmed_count(live_session),
        waiting=len(live_queries.registrations_with_status(live_session, ("waitlisted",)))
    ), status


@blueprint.get("/<int:session_id>/attendees")
def attendees(session_id: int):
    return _attendees_page(live_queries.get_session(current_user, session_id),
                           _recording_form())


def _recording_form() -> AttachRecordingForm:
    form = AttachRecordingForm()
    form.recording_id.choices = choices((str(r.id), r.title)
                                        for r in recording_queries.list_recordings(current_user))
    return form


def _attendees_page(live_session, recording_form: AttachRecordingForm, status: int = 200,
                    attendance_form: AttendanceForm | None = None,
                    ticked: set[int] | None = None):
    """The attendees; a refused recording to attach or attendance to save comes back in its
    form (422), the attendance with the boxes ticked as sent (``ticked``)."""
    return render_template("sessions/attendees.html", live_session=live_session,
                           registrations=attendance.attendees(current_user, live_session),
                           recording_form=recording_form,
                           attendance_form=attendance_form or AttendanceForm(formdata=None),
                           ticked=ticked), status


@blueprint.get("/<int:session_id>/attendees.csv")
def attendees_csv(session_id: int):
    live_session = live_queries.get_session(current_user, session_id)
    return Response(attendance.attendees_csv(current_user, live_session), mimetype="text/csv",
                    headers={"Content-Disposition":
                             f'attachment; filename="attendees-{session_id}.csv"',
                             # registrants' names and e-mail addresses: kept by no cache
                             "Cache-Control": "private, no-store"})


@blueprint.post("/<int:session_id>/attendance")
def mark_attendance(session_id: int):
    live_session = live_queries.get_session(current_user, session_id)
    form = AttendanceForm()
    attended = set(request.form.getlist("attended", type=database_id))
    try:
        attendance.mark_attendance(current_user, live_session, attended)
    except Invalid as refusal:  # the page again, the ticks as sent, the reason beside them
        form.attended.errors = [refusal.message]
        return _attendees_page(live_session, _recording_form(), refusal.status,
                               attendance_form=form, ticked=attended)
    flash("Attendance is saved.", "success")
    return redirect(url_for("live_staff.attendees", session_id=session_id))


@blueprint.post("/<int:session_id>/recording")
def attach_recording(session_id: int):
    live_session = live_queries.get_session(current_user, session_id)
    form = _recording_form()
    if not form.validate_on_submit():  # the page again, the reason beside the list
        return _attendees_page(live_session, form, 422)
    recording = recording_queries.get_recording(current_user, database_id(form.recording_id.data))
    told = attendance.attach_recording(current_user, live_session, recording)
    flash(f"The recording is attached; {told} registrant{'s were' if told != 1 else ' was'} told."
          if told else "The recording is attached.", "success")
    return redirect(url_for("live.show", session_id=session_id))
