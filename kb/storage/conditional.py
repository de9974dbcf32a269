"""What a file download answers before any byte of the file is read (RFC 9110, section 13.2.2
gives the order): 304 when the client's copy is current, 416 for a range that starts past the
end, else the part to send, the whole file (200) or one range (206, ``Content-Range`` set)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from flask import Response, request
from werkzeug.http import http_date

from kb.db import utcnow
from kb.storage.ranges import Unsatisfiable, requested_range
from kb.web import json_error, wants_json


@dataclass(frozen=True)
class Part:
    """Bytes [start, stop) of the file, sent with ``status``."""

    status: int
    start: int
    stop: int


def gated_headers() -> dict[str, str]:
    """The caching headers of every gated download (patch files and SHA256SUMS, incident
    files, recording media, captions and attachments), each a view that asked the policy:
    a shared cache must never keep one for someone else nor transform it, and the browser
    asks again before reusing its copy (so an access withdrawn is withdrawn at once)."""
    return {"Cache-Control": "private, max-age=0, no-transform"}


def last_modified_header(moment: datetime) -> str:
    return http_date(moment.astimezone(UTC))


def part_to_send(size: int, etag: str, headers: dict[str, str],
                 last_modified: datetime | None = None) -> Part | Response:
    """The part of a file of ``size`` bytes to send (``headers`` gains its Content-Range), or
    the answer that sends none: 304 (``headers`` kept, as a 200 would carry them) or 416."""
    if not_modified(etag, last_modified):
        return Response(status=304, headers=headers)
    try:
        byte_range = requested_range(size, etag)
    except Unsatisfiable:
        return range_not_satisfiable(size, headers)
    if byte_range is None:
        return Part(200, 0, size)
    start, stop = byte_range
    headers["Content-Range"] = f"bytes {start}-{stop - 1}/{size}"
    return Part(206, start, stop)


def not_modified(etag: str, last_modified: datetime | None) -> bool:
    """Whether the client's copy is this file: If-None-Match decides when it is sent (weak
    comparison); only without it, If-Modified-Since (``curl -z``, ``wget -N``) against
    ``last_modified`` in whole seconds, as Last-Modified gave it. A date in the future is no
    valid date (RFC 9110, 13.1.3) and is ignored."""
    if "If-None-Match" in request.headers:
        return request.if_none_match.contains_weak(etag)
    since = request.if_modified_since
    if since is None or last_modified is None or since > utcnow():
        return False
    return last_modified.astimezone(UTC).replace(microsecond=0) <= since


def range_not_satisfiable(size: int, headers: dict[str, str]) -> Response:
    """416 with ``Content-Range: bytes */size`` (the size a client needs to ask again). The
    error is JSON for a script (a token, or asking for JSON), as every error it gets, else a
    line of text; never a name to save it under. ``curl -C -`` on a file it already has gets
    this answer and keeps the file as it is (curl takes 416 on a resume as "already
    complete" and skips the body)."""
    message = f"The requested range starts past the end of the file ({size} bytes)."
    if wants_json():
        response = json_error(message, 416, size=size)
    else:
        response = Response(message + "\n", status=416, mimetype="text/plain")
    response.headers.update({name: value for name, value in headers.items()
                             if name != "Content-Disposition"})
    response.headers["Content-Range"] = f"bytes */{size}"
    return response
