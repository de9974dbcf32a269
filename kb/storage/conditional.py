"""What a file download answers when no byte of the file is sent (RFC 9110): 416 for a range
that starts past the end of the file."""

from __future__ import annotations

from flask import Response

from kb.web import json_error, wants_json


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
