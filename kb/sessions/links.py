"""Site-relative links for notifications and invites, built alike in a request and in a
command (``kb demo``, ``kb sessions ...``), where Flask's ``url_for`` has no request."""

from __future__ import annotations

from flask import current_app, has_request_context, url_for


def path_for(endpoint: str, **values) -> str:
    if has_request_context():
        return url_for(endpoint, **values)
    return current_app.url_map.bind("localhost").build(endpoint, values)
