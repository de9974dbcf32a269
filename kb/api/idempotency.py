"""``Idempotency-Key`` on the API's creating POSTs (as Stripe and the IETF draft "The
Idempotency-Key HTTP Header Field" define it): a script that retries a request after a timeout
gets the first answer again (status, body and ``Location``), marked ``Idempotent-Replayed:
true``, instead of a duplicate.
Requests without the header are handled as ever."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from functools import wraps

from flask import Response, current_app, request
from flask_login import current_user
from sqlalchemy import event

from kb.db import get_session, utcnow
from kb.errors import BadRequest
from kb.idempotency import service
from kb.idempotency.models import MAX_KEY_LENGTH

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
KEY_PATTERN = f"[\\x20-\\x7e]{{1,{MAX_KEY_LENGTH}}}"  # printable ASCII
_KEY = re.compile(KEY_PATTERN)


def idempotent(view: Callable) -> Callable:
    """Honour ``Idempotency-Key`` on this view (``/api/v1/openapi.json`` documents it)."""

    @wraps(view)
    def run(*args, **kwargs):
        key = request.headers.get(HEADER)
        if key is None:
            return view(*args, **kwargs)
        claimed = service.claim(current_user.id, _checked(key), _fingerprint(), utcnow())
        if isinstance(claimed, service.Remembered):
            return _replay(claimed)
        try:
            response = current_app.make_response(_marking_work(claimed, view, args, kwargs))
        except BaseException:
            service.release(claimed)
            raise
        if 200 <= response.status_code < 300:
            service.remember(claimed, response.status_code, response.get_data(as_text=True),
                             response.headers.get("Location"))
        else:
            service.release(claimed)
        return response

    run.idempotent = True
    return run


def _marking_work(claimed: service.Claim, view: Callable, args, kwargs):
    """The view's answer; each commit it makes also marks the claim as having done work."""
    session = get_session()

    def mark(committing) -> None:
        service.mark_work(claimed, utcnow())

    event.listen(session, "before_commit", mark)
    try:
        return view(*args, **kwargs)
    finally:
        event.remove(session, "before_commit", mark)


def _checked(key: str) -> str:
    if not _KEY.fullmatch(key):
        raise BadRequest(f"{HEADER} must be 1 to {MAX_KEY_LENGTH} printable ASCII characters.")
    return key


def _fingerprint() -> str:
    """The request a key belongs to: method, path and body (a JSON body in a canonical form,
    so a retry that writes the same object with other spacing or key order is the same)."""
    body = request.get_data(cache=True)
    data = request.get_json(silent=True) if request.is_json else None
    if data is not None:
        body = json.dumps(data, sort_keys=True, separators=(",", ":")).encode()
    return hashlib.sha256(f"{request.method} {request.path}\n".encode() + body).hexdigest()


def _replay(remembered: service.Remembered) -> Response:
    response = Response(remembered.body, remembered.status,
                        mimetype="application/json" if remembered.body else None)
    if remembered.location is not None:
        response.headers["Location"] = remembered.location
    response.headers[REPLAYED_HEADER] = "true"
    return response
