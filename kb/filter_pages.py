"""A list page refusing a filter value nothing can have (``kb.filter_values``), as the API and
search do: 422, the page with its filters still shown, a sentence naming the value and a link
to the same list without that filter. A value the reader may not learn of is refused in the
same words as one that does not exist."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import request, url_for

from kb.filter_values import UnknownFilter

STATUS = 422


def refusal(problem: UnknownFilter) -> dict:
    """The template context of the refusal: ``refused_filter`` (the refusal) and
    ``without_refused_filter`` (this list's address without that filter, on its first
    page)."""
    return {"refused_filter": problem, "without_refused_filter": address_without(problem.field)}


def address_without(field: str) -> str:
    """This page's address with the other arguments as they were, but ``field`` and ``page``."""
    kept = [(name, value) for name, value in request.args.items(multi=True)
            if name not in (field, "page")]
    address = url_for(request.endpoint, **(request.view_args or {}))
    return f"{address}?{urlencode(kept)}" if kept else address
