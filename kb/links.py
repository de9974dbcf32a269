"""Absolute links (e-mails, calendar invites, feeds, commands shown on pages) from one place.

The base is ``KB_BASE_URL`` when set. Otherwise a page uses the address its request came to,
and work outside a request uses the address ``kb serve`` was started on (``SERVE_URL``), or
kb serve's default address when neither is known. A link that leaves in an e-mail never comes
from a request's Host header: anyone can send any Host, and a password-reset link pointing at
their server would hand them the token.
"""

from __future__ import annotations

import socket

from flask import current_app, has_request_context, request, url_for

DEFAULT_SERVE_URL = "http://127.0.0.1:8000"
WILDCARD_HOSTS = {"", "0.0.0.0", "::", "[::]"}


def absolute_url(path: str, *, for_email: bool = False) -> str:
    """``path`` (starting with ``/``) as an absolute URL; ``for_email`` ignores the request."""
    return base_url(for_email=for_email) + path


def base_url(*, for_email: bool = False) -> str:
    """The scheme, host and port (and any path prefix) links start with, without a final /."""
    configured = current_app.config["BASE_URL"]
    if configured:
        return configured.rstrip("/")
    if has_request_context() and not for_email:
        return request.host_url.rstrip("/")
    return (current_app.config["SERVE_URL"] or DEFAULT_SERVE_URL).rstrip("/")


def serve_url(host: str, port: int) -> str:
    """The address ``kb serve`` answers on, as links should name it (a wildcard bind becomes
    this machine's name)."""
    name = socket.getfqdn() if host in WILDCARD_HOSTS else host
    if ":" in name and not name.startswith("["):
        name = f"[{name}]"
    return f"http://{name}:{port}"


def path_for(endpoint: str, **values) -> str:
    """``url_for``'s site-relative path, also outside a request (commands, the outbox worker)."""
    if has_request_context():
        return url_for(endpoint, **values)
    return current_app.url_map.bind("localhost").build(endpoint, values)
