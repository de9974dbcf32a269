"""Sending a stored file that has no download record of its own (recording media, their
attachments, incident files): Range exactly as patch downloads answer it (206 with
Content-Range, 416 with ``Content-Range: bytes */size``; another unit or several ranges: the
whole file, 200), If-None-Match and If-Modified-Since; private, since the view asked the
policy before calling ``send_stored`` or ``send_range``."""

from __future__ import annotations

import hashlib
from datetime import datetime

from flask import Response, request
from werkzeug.wsgi import wrap_file

from kb.storage.base import FileStore, problem
from kb.storage.conditional import gated_headers, last_modified_header, part_to_send
from kb.storage.names import content_disposition
from kb.storage.ranges import BLOCK_SIZE


def send_stored(store: FileStore, key: str, mimetype: str, *,
                download_name: str | None = None) -> Response:
    """A file whose size and ETag the store tells (from what it holds now)."""
    fingerprint, size = store.fingerprint(key), store.size(key)
    if fingerprint is None or size is None:
        raise problem(download_name or "requested", "is missing from the file store")
    etag = hashlib.sha256(f"{key}:{fingerprint}".encode()).hexdigest()[:32]
    return send_range(store, key, size, etag, mimetype, download_name=download_name)


def send_range(store: FileStore, key: str, size: int, etag: str, mimetype: str, *,
               download_name: str | None = None,
               last_modified: datetime | None = None) -> Response:
    """The answer to GET or HEAD of the ``size`` bytes at ``key``, known by ``etag``."""
    headers = {"ETag": f'"{etag}"', "Accept-Ranges": "bytes", **gated_headers()}
    if download_name is not None:
        headers["Content-Disposition"] = content_disposition(download_name)
    if last_modified is not None:
        headers["Last-Modified"] = last_modified_header(last_modified)
    part = part_to_send(size, etag, headers, last_modified)
    if isinstance(part, Response):
        return part
    if request.method == "HEAD":  # the headers alone: no file opened for a body never sent
        response = Response(status=part.status, headers=headers, mimetype=mimetype)
    else:
        reader = store.open(key, part.start, part.stop)
        response = Response(wrap_file(request.environ, reader, BLOCK_SIZE), status=part.status,
                            headers=headers, mimetype=mimetype, direct_passthrough=True)
    response.content_length = part.stop - part.start
    return response
