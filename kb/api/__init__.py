"""The /api/v1 blueprint: the same services as the pages, JSON in and out."""

from __future__ import annotations

from flask import Blueprint, Flask, Response, g, request
from flask_login import current_user

from kb.accounts.auth import authenticated_by_token, json_401
from kb.errors import Invalid
from kb.forms import UnreadableText, has_unreadable_text
from kb.web import csrf

blueprint = Blueprint("api", __name__, url_prefix="/api/v1")
PUBLIC_ENDPOINTS = {"api.openapi_document"}
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


@blueprint.before_request
def _authenticate():
    signed_in = current_user.is_authenticated  # loads the user; may note a bad token
    if request.endpoint in PUBLIC_ENDPOINTS and not g.get("authentication_error"):
        return None
    if not signed_in:
        return json_401("Authentication required: sign in or send 'Authorization: Bearer "
                        "TOKEN'.")
    if request.method not in SAFE_METHODS and not authenticated_by_token():
        csrf.protect()  # a browser session must prove the request came from our own page
    return None


@blueprint.before_request
def _refuse_unreadable_json():
    if not request.is_json:
        return
    try:
        unreadable = has_unreadable_text(request.get_json(silent=True))
    except RecursionError:  # arrays in arrays a thousand deep: no body kb takes is nested so
        raise Invalid("The JSON body is nested too deeply.") from None
    if unreadable:
        raise UnreadableText("JSON texts may not contain NUL or other control characters (but "
                             "tab and line breaks) or lone surrogates.")


@blueprint.after_request
def _no_content_has_no_type(response: Response) -> Response:
    """A 204 carries no body, so no Content-Type either (Flask would say text/html)."""
    if response.status_code == 204:
        response.headers.pop("Content-Type", None)
    return response


def init_app(app: Flask) -> None:
    from kb.api import (  # noqa: F401 - modules register their routes
        accounts,
        alerts,
        articles,
        community,
        elite,
        notifications,
        openapi,
        patches,
        programmes,
        recordings,
        reference,
        search,
        sessions,
        support,
    )

    csrf.exempt(blueprint)
    app.register_blueprint(blueprint)
    app.register_blueprint(reference.blueprint)
