"""Downloading an incident's files: always as a download, streamed from the file store."""

from __future__ import annotations

from urllib.parse import quote

from flask import Response, stream_with_context
from flask_login import current_user

from kb.accounts.auth import file_login_required
from kb.support import attachments, queries
from kb.support.views import blueprint


@blueprint.get("/incidents/<int:incident_id>/files/<int:attachment_id>/<name>")
@file_login_required
def attachment(incident_id: int, attachment_id: int, name: str):
    item = queries.attachment_for_download(current_user, incident_id, attachment_id, name)
    stored = attachments.open_stored(item.storage_key)

    def chunks():
        with stored:
            while chunk := stored.read(256 * 1024):
                yield chunk

    return Response(stream_with_context(chunks()), mimetype="application/octet-stream",
                    headers={"Content-Disposition": _disposition(item.name),
                             "Content-Length": str(item.size), "Cache-Control": "private"})


def _disposition(name: str) -> str:
    """Always a download (never rendered in the portal's origin); any script's name kept."""
    fallback = name.encode("ascii", "replace").decode().replace("?", "_")
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name)}"
