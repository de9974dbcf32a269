"""Recordings: staff publish them with media, attachments and a transcript; every plan with
``recorded_sessions`` watches them and keeps watched marks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from urllib.parse import urlparse

from sqlalchemy import delete, select

from kb import db, markdown, policy, search
from kb.accounts.audit import record_audit
from kb.db import utcnow
from kb.errors import Invalid
from kb.forms import one_line
from kb.products import service as products
from kb.sessions.models import (
    Recording,
    RecordingAttachment,
    RecordingWatch,
    TranscriptSegment,
)
from kb.sessions.recordings import captions, media
from kb.sessions.recordings.transcripts import parse_transcript
from kb.storage import Upload
from kb.storage.names import safe_file_name


@dataclass
class RecordingFields:
    title: str
    recorded_on: date
    summary: str = ""
    presenter: str = ""
    product: str = ""
    topic: str = ""
    duration_seconds: int | None = None  # None: read from an uploaded video, else unchanged
    external_url: str = ""
    status: str = "published"
    language: str = captions.DEFAULT_LANGUAGE  # the transcript's (and so the captions')


def _check_language(language: str) -> str:
    if language not in captions.LANGUAGES:
        raise Invalid(f"Unknown transcript language: {language}", field="language")
    return language


def _apply_fields(recording: Recording, fields: RecordingFields) -> None:
    if not one_line(fields.title):
        raise Invalid("A recording needs a title.")
    if fields.status not in ("draft", "published"):
        raise Invalid(f"Unknown status: {fields.status}")
    if fields.duration_seconds is not None and fields.duration_seconds < 0:
        raise Invalid("The duration cannot be negative.")
    recording.title = one_line(fields.title)
    recording.summary = fields.summary
    recording.summary_html = markdown.render(fields.summary).html
    recording.presenter = fields.presenter.strip()
    recording.product = products.ensure_product(fields.product) if fields.product.strip() else None
    recording.topic = fields.topic.strip()
    recording.recorded_on = fields.recorded_on
    if fields.duration_seconds is not None:
        recording.duration_seconds = fields.duration_seconds
    elif recording.duration_seconds is None:
        recording.duration_seconds = 0
    recording.status = fields.status
    recording.language = _check_language(fields.language)
    recording.updated_at = utcnow()


def _check_external_url(url: str) -> str:
    parsed = urlparse(url.strip())
    if parsed.scheme != "https" or not parsed.netloc:
        raise Invalid("The external address must start with https://.", field="external_url")
    return url.strip()


def _set_media(recording: Recording, fields: RecordingFields, video: Upload | None) -> str | None:
    """Point the recording at its new media; return the stored file it no longer uses (to be
    removed once the change is committed)."""
    replaced = recording.media_path
    if video is not None:
        mimetype = media.video_type(video.name)
        media.check_video_bytes(video)
        blob = media.store_upload(video, "recordings")
        recording.media_path, recording.media_type, recording.media_size = (
            blob.key, mimetype, blob.size)
        recording.external_url = None
        if fields.duration_seconds is None:  # a duration given explicitly wins over the file's
            recording.duration_seconds = media.duration_seconds(blob.key) or 0
    elif fields.external_url.strip():
        recording.external_url = _check_external_url(fields.external_url)
        recording.media_path = recording.media_type = recording.media_size = None
    if not recording.media_path and not recording.external_url:
        raise Invalid("Upload the video or give its https:// address.")
    return replaced if replaced != recording.media_path else None


def publish_recording(actor, fields: RecordingFields, video: Upload | None = None,
                      transcript: bytes | None = None) -> Recording:
    """Create a recording (staff only) with its media and, optionally, its transcript."""
    policy.require_staff(actor)
    recording = Recording()
    _apply_fields(recording, fields)
    segments = parse_transcript(transcript) if transcript else []
    _set_media(recording, fields, video)
    db.session.add(recording)
    _replace_segments(recording, segments)
    db.session.flush()
    record_audit(actor, "recording.publish", "recording", recording.id, None,
                 {"title": recording.title, "status": recording.status})
    search.record_change("recording", recording.id)
    db.session.commit()
    return recording


def update_recording(actor, recording: Recording, fields: RecordingFields,
                     video: Upload | None = None) -> None:
    """Change a recording's details or media (staff only)."""
    policy.require_staff(actor)
    _apply_fields(recording, fields)
    replaced = _set_media(recording, fields, video)
    record_audit(actor, "recording.update", "recording", recording.id, None,
                 {"title": recording.title, "status": recording.status})
    search.record_change("recording", recording.id)
    db.session.commit()
    media.remove(replaced)


def _replace_segments(recording: Recording, segments) -> None:
    if recording.id is not None:
        db.session.execute(delete(TranscriptSegment).where(
            TranscriptSegment.recording_id == recording.id))
        db.session.expire(recording, ["segments"])
    for position, segment in enumerate(segments):
        db.session.add(TranscriptSegment(recording=recording, position=position,
                                         start_ms=segment.start_ms, end_ms=segment.end_ms,
                                         text=segment.text))


def set_transcript(actor, recording: Recording, data: bytes, language: str | None = None) -> int:
    """Replace the transcript with a WebVTT or SRT file (``TranscriptError`` lists each
    problem by line; nothing changes then), in ``language`` if given (else the recording's
    language stays). Returns the number of segments."""
    policy.require_staff(actor)
    segments = parse_transcript(data)
    if language is not None:
        recording.language = _check_language(language)
    _replace_segments(recording, segments)
    recording.updated_at = utcnow()
    search.record_change("recording", recording.id)
    db.session.commit()
    return len(segments)


def add_attachment(actor, recording: Recording, upload: Upload) -> RecordingAttachment:
    """Attach slides or another file to a recording (staff only)."""
    policy.require_staff(actor)
    name = safe_file_name(upload.name)
    blob = media.store_upload(Upload(name, upload.stream), "attachments")
    attachment = RecordingAttachment(recording_id=recording.id, filename=name,
                                     stored_path=blob.key, size=blob.size)
    db.session.add(attachment)
    db.session.commit()
    return attachment


def set_watched(user, recording: Recording, watched: bool) -> None:
    """Set or clear the user's "watched" mark."""
    policy.require_read(user, recording, "recording")
    existing = db.session.scalar(select(RecordingWatch).where(
        RecordingWatch.recording_id == recording.id, RecordingWatch.user_id == user.id))
    if watched and existing is None:
        db.session.add(RecordingWatch(recording_id=recording.id, user_id=user.id))
    elif not watched and existing is not None:
        db.session.delete(existing)
    db.session.commit()


def fields_of(recording: Recording) -> RecordingFields:
    """The recording's details as they stand, to change some of them."""
    return RecordingFields(
        title=recording.title, recorded_on=recording.recorded_on, summary=recording.summary,
        presenter=recording.presenter, product=recording.product.name if recording.product else "",
        topic=recording.topic, duration_seconds=recording.duration_seconds,
        external_url=recording.external_url or "", status=recording.status,
        language=recording.language)
