"""Staff pages: publish and edit recordings (media, transcript, attachments), schedule and edit
live sessions, see and export attendees, mark attendance, attach the recording."""

from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_login import current_user

from kb import policy
from kb.errors import Invalid
from kb.forms import choices, database_id
from kb.sessions import attendance, live, recordings
from kb.sessions.forms import (
    AttachmentForm,
    AttachRecordingForm,
    LiveSessionForm,
    RecordingForm,
    TranscriptForm,
)
from kb.sessions.live import LiveSessionFields
from kb.sessions.recordings import RecordingFields
from kb.sessions.transcripts import read_upload
from kb.storage import Upload

blueprint = Blueprint("sessions_staff", __name__, url_prefix="/sessions/staff")


@blueprint.before_request
def _staff_only():
    policy.require_staff(current_user)


def _upload(field) -> Upload | None:
    data = field.data
    return Upload(data.filename, data.stream) if data and data.filename else None


def _shown_minutes(seconds: int) -> int | None:
    """A stored duration as the form shows it: whole minutes, at least one; empty if unknown."""
    return max(1, round(seconds / 60)) if seconds else None


def _duration_seconds(form: RecordingForm, recording=None) -> int | None:
    """The duration staff gave; ``None`` (the service reads it from an uploaded video) for an
    empty field, or for an edit's untouched field when a new video replaces the old one. An
    untouched field otherwise keeps the stored seconds its rounded minutes stand for."""
    minutes = form.duration_minutes.data
    if recording is not None and minutes == _shown_minutes(recording.duration_seconds):
        return None if _upload(form.video) else recording.duration_seconds
    return None if minutes is None else minutes * 60


def _recording_fields(form: RecordingForm, recording=None) -> RecordingFields:
    return RecordingFields(
        title=form.title.data, summary=form.summary.data or "", presenter=form.presenter.data or "",
        product=form.product.data or "", topic=form.topic.data or "",
        recorded_on=form.recorded_on.data, duration_seconds=_duration_seconds(form, recording),
        external_url=form.external_url.data or "", status=form.status.data)


def _refused(form, error: Invalid) -> int:
    """Show a service's refusal on the form it came from (the typed input stays)."""
    problems = getattr(error, "problems", None)
    if problems and "transcript" in form:
        form.transcript.errors = list(problems)
    form.form_errors.append(error.message)
    return 422


@blueprint.route("/recordings/new", methods=["GET", "POST"])
def new_recording():
    form, status = RecordingForm(), 200
    if form.validate_on_submit():
        transcript = form.transcript.data
        try:
            recording = recordings.publish_recording(
                current_user, _recording_fields(form), _upload(form.video),
                read_upload(transcript) if transcript and transcript.filename else None)
        except Invalid as error:
            status = _refused(form, error)
        else:
            flash("The recording is saved.", "success")
            return redirect(url_for("recordings.show", recording_id=recording.id))
    return render_template("sessions/recording_form.html", form=form, recording=None), status


@blueprint.route("/recordings/<int:recording_id>/edit", methods=["GET", "POST"])
def edit_recording(recording_id: int):
    recording = recordings.get_recording(current_user, recording_id)
    form = RecordingForm(obj=recording, product=recording.product.name if recording.product
                         else "", duration_minutes=_shown_minutes(recording.duration_seconds))
    status = 200
    if form.validate_on_submit():
        try:
            recordings.update_recording(current_user, recording,
                                        _recording_fields(form, recording), _upload(form.video))
        except Invalid as error:
            status = _refused(form, error)
        else:
            flash("The recording is saved.", "success")
            return redirect(url_for("recordings.show", recording_id=recording.id))
    return render_template("sessions/recording_form.html", form=form,
                           recording=recording), status


@blueprint.post("/recordings/<int:recording_id>/transcript")
def upload_transcript(recording_id: int):
    recording = recordings.get_recording(current_user, recording_id)
    form = TranscriptForm()
    if form.validate_on_submit():
        count = recordings.set_transcript(current_user, recording,
                                          read_upload(form.transcript.data))
        flash(f"The transcript is saved ({count} segments).", "success")
    return redirect(url_for("recordings.show", recording_id=recording.id))


@blueprint.post("/recordings/<int:recording_id>/attachments")
def add_attachment(recording_id: int):
    recording = recordings.get_recording(current_user, recording_id)
    form = AttachmentForm()
    if form.validate_on_submit():
        recordings.add_attachment(current_user, recording, _upload(form.attachment))
        flash("The file is attached.", "success")
    return redirect(url_for("recordings.show", recording_id=recording.id))


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


@blueprint.route("/live/new", methods=["GET", "POST"])
def new_session():
    form, status = LiveSessionForm(time_zone=current_user.time_zone), 200
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


@blueprint.route("/live/<int:session_id>/edit", methods=["GET", "POST"])
def edit_session(session_id: int):
    live_session = live.get_session(current_user, session_id)
    form = LiveSessionForm(obj=live_session, **live.local_fields(live_session))
    status = 200
    if form.validate_on_submit():
        try:
            live.update_session(current_user, session_id, _session_fields(form))
        except Invalid as error:
            status = _refused(form, error)
        else:
            flash("The session is saved; registrants were told if it moved.", "success")
            return redirect(url_for("live.show", session_id=session_id))
    return render_template("sessions/live_session_form.html", form=form,
                           live_session=live_session), status


@blueprint.get("/live/<int:session_id>/attendees")
def attendees(session_id: int):
    live_session = live.get_session(current_user, session_id)
    form = AttachRecordingForm()
    form.recording_id.choices = choices((str(r.id), r.title)
                                        for r in recordings.list_recordings(current_user))
    return render_template("sessions/attendees.html", live_session=live_session,
                           registrations=attendance.attendees(current_user, live_session),
                           recording_form=form)


@blueprint.get("/live/<int:session_id>/attendees.csv")
def attendees_csv(session_id: int):
    live_session = live.get_session(current_user, session_id)
    return Response(attendance.attendees_csv(current_user, live_session), mimetype="text/csv",
                    headers={"Content-Disposition":
                             f'attachment; filename="attendees-{session_id}.csv"'})


@blueprint.post("/live/<int:session_id>/attendance")
def mark_attendance(session_id: int):
    live_session = live.get_session(current_user, session_id)
    attended = set(request.form.getlist("attended", type=database_id))
    attendance.mark_attendance(current_user, live_session, attended)
    flash("Attendance is saved.", "success")
    return redirect(url_for("sessions_staff.attendees", session_id=session_id))


@blueprint.post("/live/<int:session_id>/recording")
def attach_recording(session_id: int):
    live_session = live.get_session(current_user, session_id)
    recording_id = request.form.get("recording_id", type=database_id)
    if recording_id is None:
        raise Invalid("Choose the recording to attach.")
    recording = recordings.get_recording(current_user, recording_id)
    attendance.attach_recording(current_user, live_session, recording)
    flash("The recording is attached; registrants were told.", "success")
    return redirect(url_for("live.show", session_id=session_id))
