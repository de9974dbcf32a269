"""The feed addresses: plain-text refusals, since a feed reader shows a body but not a page."""

from __future__ import annotations

from flask import Blueprint, Response, request

from kb.alerts import feeds
from kb.errors import DomainError
from kb.policy import AccessDenied

blueprint = Blueprint("feeds", __name__, url_prefix="/feeds")

ATOM = "application/atom+xml"


@blueprint.get("/products/<product_slug>/<kind_slug>.atom")
def product_feed(product_slug: str, kind_slug: str):
    token = request.args.get("token")
    user = feeds.user_for_token(token)
    kind = feeds.get_kind(kind_slug)
    product = feeds.product_by_slug(product_slug)
    return _personal(Response(feeds.product_feed(user, kind, product, token), mimetype=ATOM))


@blueprint.get("/live-sessions.ics")
def sessions_calendar():
    user = feeds.user_for_token(request.args.get("token"))
    return _personal(Response(feeds.sessions_calendar(user), mimetype="text/calendar"))


def _personal(response: Response) -> Response:
    response.cache_control.private = True  # a shared cache must not hand it to someone else
    return response


@blueprint.errorhandler(DomainError)
def _refused(error: DomainError):
    return Response(error.message + "\n", status=error.status, mimetype="text/plain")


@blueprint.errorhandler(AccessDenied)
def _denied(denial: AccessDenied):
    status = 404 if denial.reason == "not_found" else 403
    return Response(denial.message + "\n", status=status, mimetype="text/plain")
