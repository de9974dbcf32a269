"""Sending a stored file that has no download record of its own (recording media, their
attachments): Range exactly as patch downloads answer it (206 with Content-Range, 416 with
``Content-Range: bytes */size``; another unit or several ranges: the whole file, 200) and
If-None-Match; private, since the view asked the policy before calling ``send_stored``."""

from __future__ import annotations

import hashlib

from flask import Response, request
from werkzeug.wsgi import wrap_file

from kb.storage.base import FileStore, problem
from kb.storage.conditional import part_to_send
from kb.storage.names import content_disposition
from kb.storage.ranges import BLOCK_SIZE


def send_stored(store: FileStore, key: str, mimetype: str, *,
                download_name: str | None = None) -> Response:
    fingerprint, size = store.fingerprint(key), store.size(key)
    if fingerprint is None or size is None:
        raise problem(download_name or "requested", "is missing from the file store")
    etag = hashlib.sha256(f"{key}:{fingerprint}".encode()).hexdigest()[:32]
    headers = {"ETag": f'"{etag}"', "Accept-Ranges": "bytes",
               "Cache-Control": "private, max-age=0"}
    if download_name is not None:
        headers["Content-Disposition"] = content_disposition(download_name)
    part = part_to_send(size, etag, headers)
    if isinstance(part, Response):
        return part
    start, stop = part.start, part.stop
    reader = store.open(key, start, stop)
    response = Response(wrap_file(request.environ, reader, BLOCK_SIZE),
                        status=part.status, headers=headers,
                        mimetype=mimetype, direct_passthrough=True)
    response.content_length = stop - start
    return response
