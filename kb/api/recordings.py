"""/api/v1 recordings: the same services as the recordings pages."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from flask import request, url_for
from flask_login import current_user

from kb import filter_values, policy
from kb.api import blueprint
from kb.api.lists import list_answer
from kb.api.multipart import MEDIA_FORM, RECORDING_FORM
from kb.api.openapi import LIST_RESPONSES, ON_REQUEST, PRODUCT, documented, query_parameter
from kb.api.responses import created, respond
from kb.api.responses.sessions import Recording, RecordingWithTranscript
from kb.errors import Invalid
from kb.forms import sent_value
from kb.sessions.models import Recording as RecordingRow
from kb.sessions.recordings import queries as recording_queries
from kb.sessions.recordings import service as recordings
from kb.sessions.recordings.captions import DEFAULT_LANGUAGE
from kb.sessions.recordings.transcripts import read_upload
from kb.storage import Upload


def recording_json(recording, watched: set[int]) -> dict:
    return {
        "id": recording.id, "title": recording.title, "summary": recording.summary,
        "presenter": recording.presenter,
        "product": recording.product.name if recording.product else None,
        "topic": recording.topic, "recorded_on": recording.recorded_on,
        "duration_seconds": recording.duration_seconds, "status": recording.status,
        "language": recording.language,
        "url": url_for("recordings.show", recording_id=recording.id),
        "media_url": (url_for("recordings.media_file", recording_id=recording.id)
                      if recording.media_path else recording.external_url),
        "watched": recording.id in watched,
    }


@blueprint.get("/recordings")
@documented("Recordings, newest first", parameters=[
    PRODUCT, query_parameter("topic", description="a recording's topic, in any case; one no "
                             "recording you may know of has is refused (422)")],
    responses=LIST_RESPONSES, response_model=list[Recording], paged=ON_REQUEST)
def api_recordings():
    # one who may not watch recordings is told that, whatever the filters, as the page tells
    policy.require(current_user, RecordingRow.access_feature)
    items = recording_queries.recording_listing(
        current_user,
        product_slug=filter_values.product_slug(current_user,
                                                sent_value(request.args, "product")),
        topic=filter_values.known_name("topic", sent_value(request.args, "topic"),
                                       recording_queries.topics_in_use(current_user)))
    watched = recording_queries.watched_ids(current_user)
    return list_answer(list[Recording], items, lambda item: recording_json(item, watched))


@blueprint.get("/recordings/<int:recording_id>")
@documented("One recording with its transcript segments (seconds) and attachments",
            responses={"200": "OK", "404": "No such recording"},
            response_model=RecordingWithTranscript)
def api_recording(recording_id: int):
    recording = recording_queries.get_recording(current_user, recording_id)
    body = recording_json(recording, recording_queries.watched_ids(current_user))
    body["transcript"] = [{"start": s.start_ms / 1000, "end": s.end_ms / 1000, "text": s.text,
                           "url": f"{body['url']}#t={s.start_seconds}"}
                          for s in recording.segments]
    body["attachments"] = [
        {"name": a.filename, "size": a.size,
         "url": url_for("recordings.attachment", recording_id=recording.id, attachment_id=a.id)}
        for a in recording.attachments]
    return respond(RecordingWithTranscript, body)


def _form_duration() -> int | None:
    """``duration_seconds`` of the multipart form; absent or empty: ``None`` (read from the
    uploaded video)."""
    given = request.form.get("duration_seconds", "").strip()
    if not given:
        return None
    if not given.isdigit():
        raise Invalid("duration_seconds must be a whole number of seconds.")
    return int(given)


def _form_video() -> Upload | None:
    video = request.files.get("video")
    return Upload(video.filename, video.stream) if video and video.filename else None


def _form_fields() -> recordings.RecordingFields:
    form = request.form
    try:
        recorded_on = date.fromisoformat(form.get("recorded_on", ""))
    except ValueError:
        raise Invalid("recorded_on must be a date, YYYY-MM-DD.") from None
    return recordings.RecordingFields(
        title=form.get("title", ""), recorded_on=recorded_on, summary=form.get("summary", ""),
        presenter=form.get("presenter", ""), product=form.get("product", ""),
        topic=form.get("topic", ""), duration_seconds=_form_duration(),
        external_url=form.get("external_url", ""), status=form.get("status", "published"),
        language=form.get("language", "") or DEFAULT_LANGUAGE)


@blueprint.post("/recordings")
@documented("Publish a recording (staff): multipart form with title, recorded_on (YYYY-MM-DD), "
            "summary, presenter, product, topic, status (published or draft), duration_seconds, "
            "language (the transcript's, default en), "
            "and the video file or an https:// external_url, and optionally a transcript file "
            "(WebVTT or SRT). Without duration_seconds it is read from the video, where the "
            "file tells it (MP4, M4V, MOV, WebM)",
            responses={"201": "Created", "422": "Invalid details, media or transcript"},
            form_body=RECORDING_FORM, response_model=Recording)
def api_publish_recording():
    policy.require_staff(current_user)
    transcript = request.files.get("transcript")
    recording = recordings.publish_recording(
        current_user, _form_fields(), _form_video(),
        read_upload(transcript.stream) if transcript and transcript.filename else None)
    return created(Recording, recording_json(recording, set()),
                   url_for("api.api_recording", recording_id=recording.id))


@blueprint.put("/recordings/<int:recording_id>/media")
@documented("Replace a recording's media (staff): multipart form with the video file or an "
            "https:// external_url, and optionally duration_seconds; without it the duration is "
            "read from the new video (or left empty when the file does not tell it)",
            responses={"200": "OK", "404": "No such recording", "422": "Invalid media"},
            form_body=MEDIA_FORM, response_model=Recording)
def api_replace_recording_media(recording_id: int):
    policy.require_staff(current_user)
    recording = recording_queries.get_recording(current_user, recording_id)
    video = _form_video()
    fields = replace(recordings.fields_of(recording), duration_seconds=_form_duration(),
                     external_url="" if video else request.form.get("external_url", ""))
    if video is None and not fields.external_url.strip():
        raise Invalid("Send the video file or its https:// external_url.")
    recordings.update_recording(current_user, recording, fields, video)
    return respond(Recording,
                   recording_json(recording, recording_queries.watched_ids(current_user)))
