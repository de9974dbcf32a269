"""Recording pages: the list by product and topic, one recording with its player and
transcript, the media and attachments (policy checked on every request), watched marks."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user

from kb import filter_pages, filter_values, policy
from kb.accounts.auth import file_login_required
from kb.filter_values import UnknownFilter
from kb.forms import sent_value
from kb.sessions.models import Recording
from kb.sessions.recordings import captions, media
from kb.sessions.recordings import queries as recording_queries
from kb.sessions.recordings import service as recordings
from kb.sessions.recordings.forms import AttachmentForm, TranscriptForm
from kb.storage.conditional import gated_headers

blueprint = Blueprint("recordings", __name__, url_prefix="/sessions/recordings")


@blueprint.get("")
def index():
    """The recordings, or (422) the page saying which filter value no recording can have."""
    topics = recording_queries.topics_in_use(current_user)
    try:
        filters = _checked_filters(topics)
    except UnknownFilter as problem:
        policy.require(current_user, Recording.access_feature)  # no recordings: told that
        items, refused = [], filter_pages.refusal(problem)
        filters = filter_pages.as_read(lambda kept: _checked_filters(topics, kept),
                                       request.args, problem.field)
    else:
        items, refused = recording_queries.list_recordings(current_user, **filters), {}
    product, topic = filters["product_slug"], filters["topic"]
    return render_template(
        "sessions/recordings.html", recordings=items,
        watched=recording_queries.watched_ids(current_user),
        products=recording_queries.products_in_use(current_user),
        topics=topics, product=product, topic=topic, **refused,
    ), filter_pages.STATUS if refused else 200


def _checked_filters(topics: list[str], arguments=None) -> dict[str, str]:
    """The product (its slug) and topic asked for (in ``arguments``, or this request's),
    refused when no recording can have them."""
    arguments = request.args if arguments is None else arguments
    return {"product_slug": filter_values.product_slug(
                current_user, sent_value(arguments, "product")),
            "topic": filter_values.known_name("topic", sent_value(arguments, "topic"), topics)}


@blueprint.get("/<int:recording_id>")
def show(recording_id: int):
    return recording_page(recording_queries.get_recording(current_user, recording_id))


def recording_page(recording: Recording, transcript_form: TranscriptForm | None = None,
                   attachment_form: AttachmentForm | None = None, status: int = 200):
    """The recording's page; a staff upload refused comes back in its form, with 422."""
    return render_template(
        "sessions/recording.html", recording=recording, captions=captions,
        summary=recording.summary_html,
        watched=recording.id in recording_queries.watched_ids(current_user),
        transcript_form=transcript_form or TranscriptForm(language=recording.language),
        attachment_form=attachment_form or AttachmentForm()), status


@blueprint.get("/<int:recording_id>/media")
@file_login_required
def media_file(recording_id: int):
    recording = recording_queries.get_recording(current_user, recording_id)
    if not recording.media_path:
        abort(404)
    return media.send(recording.media_path, recording.media_type)


@blueprint.get("/<int:recording_id>/captions.vtt")
@file_login_required
def captions_file(recording_id: int):
    """The transcript as captions, to whoever may watch the recording."""
    recording = recording_queries.get_recording(current_user, recording_id)
    if not recording.segments:
        abort(404)
    return Response(captions.webvtt(recording.segments), mimetype="text/vtt",
                    headers=gated_headers())


@blueprint.get("/<int:recording_id>/attachments/<int:attachment_id>")
@file_login_required
def attachment(recording_id: int, attachment_id: int):
    item = recording_queries.get_attachment(current_user, recording_id, attachment_id)
    return media.send(item.stored_path, "application/octet-stream",
                      download_name=item.filename)


@blueprint.post("/<int:recording_id>/watched")
def watched(recording_id: int):
    recording = recording_queries.get_recording(current_user, recording_id)
    mark = request.form.get("watched") == "1"
    recordings.set_watched(current_user, recording, mark)
    flash("Marked as watched." if mark else "Marked as not watched.", "success")
    return redirect(url_for("recordings.show", recording_id=recording.id))
