"""Staff pages of recordings: publish and edit them (media, transcript, attachments)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user

from kb import policy
from kb.errors import Invalid, TooLarge
from kb.sessions.recordings import queries as recording_queries
from kb.sessions.recordings import service as recordings
from kb.sessions.recordings.forms import AttachmentForm, RecordingForm, TranscriptForm
from kb.sessions.recordings.service import RecordingFields
from kb.sessions.recordings.transcripts import read_upload
from kb.sessions.recordings.views import recording_page
from kb.storage import Upload

blueprint = Blueprint("recordings_staff", __name__, url_prefix="/sessions/staff/recordings")


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
        external_url=form.external_url.data or "", status=form.status.data,
        language=form.language.data)


def _refused(form, error: Invalid) -> int:
    """Show a service's refusal on the form it came from (the typed input stays)."""
    problems = getattr(error, "problems", None)
    if problems and "transcript" in form:
        form.transcript.errors = list(problems)
    field = getattr(error, "field", None)
    if field and field in form:
        form[field].errors = [*form[field].errors, error.message]
    else:
        form.form_errors.append(error.message)
    return 422


@blueprint.route("/new", methods=["GET", "POST"])
def new_recording():
    form = RecordingForm()
    status = 422 if form.is_submitted() else 200  # a refusal of the service says its own
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


@blueprint.route("/<int:recording_id>/edit", methods=["GET", "POST"])
def edit_recording(recording_id: int):
    recording = recording_queries.get_recording(current_user, recording_id)
    form = RecordingForm(obj=recording, product=recording.product.name if recording.product
                         else "", duration_minutes=_shown_minutes(recording.duration_seconds))
    status = 422 if form.is_submitted() else 200
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


@blueprint.post("/<int:recording_id>/transcript")
def upload_transcript(recording_id: int):
    recording = recording_queries.get_recording(current_user, recording_id)
    form = TranscriptForm()
    if not form.validate_on_submit():
        return recording_page(recording, transcript_form=form, status=422)
    try:
        count = recordings.set_transcript(current_user, recording,
                                          read_upload(form.transcript.data),
                                          form.language.data)
    except (Invalid, TooLarge) as refusal:
        form.transcript.errors.append(refusal.message)
        return recording_page(recording, transcript_form=form, status=refusal.status)
    flash(f"The transcript is saved ({count} segments).", "success")
    return redirect(url_for("recordings.show", recording_id=recording.id))


@blueprint.post("/<int:recording_id>/attachments")
def add_attachment(recording_id: int):
    recording = recording_queries.get_recording(current_user, recording_id)
    form = AttachmentForm()
    if not form.validate_on_submit():
        return recording_page(recording, attachment_form=form, status=422)
    try:
        recordings.add_attachment(current_user, recording, _upload(form.attachment))
    except (Invalid, TooLarge) as refusal:
        form.attachment.errors.append(refusal.message)
        return recording_page(recording, attachment_form=form, status=refusal.status)
    flash("The file is attached.", "success")
    return redirect(url_for("recordings.show", recording_id=recording.id))


