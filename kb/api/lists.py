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


def list_answer(shape: Any, items: Iterable, item_json: Callable[[Any], dict]):
    """``items`` as the JSON list ``shape``: whole, or the page asked for."""
    asked, items = page_asked(), list(items)
    if asked is None:
        return respond(shape, [item_json(item) for item in items])
    chosen = items[asked.offset:asked.offset + asked.per_page]
    return page_answer(shape, [item_json(item) for item in chosen], len(items), asked)


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
