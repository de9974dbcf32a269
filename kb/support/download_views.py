"""Downloading an incident's files: always as a download, with Range, ETag and conditional
requests as patch files answer them (``kb/storage/sending.py``)."""

from __future__ import annotations

from flask_login import current_user

from kb.accounts.auth import file_login_required
from kb.storage import file_store
from kb.storage.base import problem
from kb.storage.names import requested_name
from kb.storage.sending import send_range
from kb.support import queries
from kb.support.views import blueprint


@blueprint.get("/incidents/<int:incident_id>/files/<int:attachment_id>/<name>")
@file_login_required
def attachment(incident_id: int, attachment_id: int, name: str):
    item = queries.attachment_for_download(current_user, incident_id, attachment_id,
                                           requested_name(name))
    store = file_store()
    if store.size(item.storage_key) != item.size:  # one stat: never a short or missing file
        raise problem(f"{item.name} (incident #{incident_id})",
                      "is missing from the file store or has another size")
    # octet-stream whatever it holds: never rendered in the portal's origin
    return send_range(store, item.storage_key, item.size, item.sha256,
                      "application/octet-stream", download_name=item.name,
                      last_modified=item.created_at)
