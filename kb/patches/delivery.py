"""Sending a patch file: Range, ETag, conditional requests, and a body the WSGI server can
hand to ``sendfile``.

The file is opened, positioned at the range's first byte and given to the server's
``wsgi.file_wrapper``. gunicorn then sends ``Content-Length`` bytes from the descriptor's
current offset with ``socket.sendfile`` (gunicorn/http/wsgi.py ``Response.sendfile``), so a
range at the end of a large file costs what one at the start costs; other servers iterate the
same reader, which never reads past the range. When the body is closed the bytes that really
went out are recorded (``socket.sendfile`` reports its progress through ``seek``).

With ``PATCH_SEND_VIA = "x-accel-redirect"`` kb still checks access, integrity and records the
request, then lets nginx send the bytes (Range included) from an internal location:

    location /_kb_files/ { internal; alias /path/to/KB_DATA_DIR/files/; }
"""

from __future__ import annotations

import logging

from flask import Response, current_app, request
from werkzeug.wsgi import wrap_file

from kb.patches import download_log
from kb.patches.models import PatchFile
from kb.storage import file_store
from kb.storage.conditional import gated_headers, last_modified_header, part_to_send
from kb.storage.names import content_disposition
from kb.storage.ranges import BLOCK_SIZE

log = logging.getLogger(__name__)


def send_patch_file(user, patch_file: PatchFile) -> Response:
    """The answer to GET or HEAD of an allowed, intact patch file."""
    headers = _common_headers(patch_file)
    part = part_to_send(patch_file.size, patch_file.sha256, headers, patch_file.created_at)
    if isinstance(part, Response):
        return part
    if request.method == "HEAD":
        return _bodiless(part.status, headers, part.stop - part.start, patch_file)
    if current_app.config["PATCH_SEND_VIA"]:
        return _handed_to_proxy(user, patch_file, headers, part.start, part.stop)
    return _streamed(user, patch_file, headers, part.status, part.start, part.stop)


def _common_headers(patch_file: PatchFile) -> dict[str, str]:
    return {
        "ETag": f'"{patch_file.sha256}"',
        "Accept-Ranges": "bytes",
        "Content-Disposition": content_disposition(patch_file.name),
        "Last-Modified": last_modified_header(patch_file.created_at),
        **gated_headers(),
        "X-Checksum-SHA256": patch_file.sha256,
    }


def _bodiless(status: int, headers: dict, length: int, patch_file: PatchFile) -> Response:
    response = Response(status=status, headers=headers, mimetype=patch_file.content_type)
    response.content_length = length
    return response


def _handed_to_proxy(user, patch_file: PatchFile, headers: dict, start: int,
                     stop: int) -> Response:
    """A fronting nginx or Apache sends the bytes (and handles Range itself)."""
    via = current_app.config["PATCH_SEND_VIA"]
    headers.pop("Content-Range", None)
    if via == "x-accel-redirect":
        headers["X-Accel-Redirect"] = current_app.config["PATCH_ACCEL_PREFIX"].rstrip("/") + (
            "/" + patch_file.storage_key)
    else:
        headers["X-Sendfile"] = str(file_store().path(patch_file.storage_key))
    download_log.start_download(user, patch_file, start, stop, handed_off=True)
    return Response(status=200, headers=headers, mimetype=patch_file.content_type)


def _streamed(user, patch_file: PatchFile, headers: dict, status: int, start: int,
              stop: int) -> Response:
    download_id = download_log.start_download(user, patch_file, start, stop)
    app = current_app._get_current_object()

    def record(bytes_delivered: int) -> None:
        # runs when the server closes the body, after the request's context is gone
        try:
            with app.app_context():
                download_log.finish_download(download_id, bytes_delivered)
        except Exception:
            log.exception("could not record the end of download %s", download_id)

    reader = file_store().open(patch_file.storage_key, start, stop, on_close=record)
    body = wrap_file(request.environ, reader, BLOCK_SIZE)
    response = Response(body, status=status, headers=headers, mimetype=patch_file.content_type,
                        direct_passthrough=True)
    response.content_length = stop - start
    return response
