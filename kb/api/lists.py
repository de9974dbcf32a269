"""The bare JSON lists of /api/v1 (incidents, notifications, topics, ...) in pages on request.

Without ``page`` and ``per_page`` a list answers whole, as it always has (scripts rely on it).
With either, the answer is that page of the list, still a bare list, with ``X-Total-Count``
and RFC 8288 ``Link`` headers (first, prev, next, last: absolute, keeping the other query
parameters), as ``/api/v1/community/questions`` answers its pages. Bad values are 422."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from flask import Response, current_app, request, url_for

from kb.api.responses import respond
from kb.links import absolute_url
from kb.listing import Listing
from kb.paging import page_number, page_size

MAX_PER_PAGE = 100


@dataclass(frozen=True)
class PageAsked:
    page: int
    per_page: int

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page


def page_asked() -> PageAsked | None:
    """The page the request asks for, or ``None`` for the whole list."""
    if "page" not in request.args and "per_page" not in request.args:
        return None
    return PageAsked(page_number(request.args),
                     page_size(request.args, current_app.config["PAGE_SIZE"], MAX_PER_PAGE))


def list_answer(shape: Any, items: Listing | Iterable,
                item_json: Callable[[Any], dict] | None = None, *,
                items_json: Callable[[list], list[dict]] | None = None):
    """``items`` as the JSON list ``shape``: whole, or the page asked for. A ``Listing`` is
    paged in the database (a count and one slice of its query); any other iterable is a list
    only Python could decide, sliced here. ``items_json`` answers for a run of items at once
    (what it needs to look up, it looks up for that run only); else ``item_json`` for each."""
    as_json = items_json or (lambda chosen: [item_json(item) for item in chosen])
    asked = page_asked()
    if asked is None:
        whole = items.all() if isinstance(items, Listing) else list(items)
        return respond(shape, as_json(whole))
    if isinstance(items, Listing):
        total, chosen = items.count(), items.slice(asked.offset, asked.per_page)
    else:
        items = list(items)
        total, chosen = len(items), items[asked.offset:asked.offset + asked.per_page]
    return page_answer(shape, as_json(chosen), total, asked)


def page_answer(shape: Any, page: list[dict], total: int, asked: PageAsked):
    """One page of a list of ``total`` items, with its headers."""
    response, status = respond(shape, page)
    add_page_headers(response, total, asked)
    return response, status


def add_page_headers(response: Response, total: int, asked: PageAsked) -> None:
    last = max(1, -(-total // asked.per_page))
    pages = {"first": 1}
    if asked.page > 1:
        pages["prev"] = min(asked.page - 1, last)
    if asked.page < last:
        pages["next"] = asked.page + 1
    pages["last"] = last
    response.headers["Link"] = ", ".join(
        f'<{_page_url(number, asked.per_page)}>; rel="{relation}"'
        for relation, number in pages.items())
    response.headers["X-Total-Count"] = str(total)


def _page_url(page: int, per_page: int) -> str:
    arguments = request.args.copy()
    arguments["page"], arguments["per_page"] = str(page), str(per_page)
    path = url_for(request.endpoint, **(request.view_args or {}))
    return f"{absolute_url(path)}?{urlencode(list(arguments.items(multi=True)))}"
