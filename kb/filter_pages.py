"""A list page refusing a filter value nothing can have (``kb.filter_values``), as the API and
search do: 422, the page with its filters still shown, a sentence naming the value and a link
to the same list without that filter. A value the reader may not learn of is refused in the
same words as one that does not exist."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar
from urllib.parse import urlencode

from flask import request, url_for

from kb.filter_values import UnknownFilter
from kb.forms import ArgumentsWithoutNul, sent_values

Filters = TypeVar("Filters")

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


def as_read(check: Callable[[ArgumentsWithoutNul], Filters], arguments,
            refused: str) -> Filters:
    """The filters ``check`` (a list's filters, checked) reads from ``arguments`` but the
    ``refused`` field, and any other it then refuses too, for the form of a page that refused
    ``refused``: each other value chosen as the list reads it (``kind=PATCH`` as ``patch``,
    as the page and the API accept it), the refused one blank, its select showing the value
    refused instead (``_refused_filter.html``)."""
    kept = ArgumentsWithoutNul([(name, value) for name in arguments if name != refused
                                for value in sent_values(arguments, name)])
    try:
        return check(kept)
    except UnknownFilter as problem:
        return as_read(check, kept, problem.field)
