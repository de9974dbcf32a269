"""Reading a search from request arguments (the page and the API share it)."""

from __future__ import annotations

from werkzeug.datastructures import MultiDict

from kb.errors import Invalid
from kb.paging import page_number, page_size
from kb.search.query import SearchRequest

MAX_PER_PAGE = 100
MAX_QUERY_CHARACTERS = 500


def _values(arguments: MultiDict, name: str) -> tuple[str, ...]:
    return tuple(value for value in arguments.getlist(name) if value.strip())


def search_request(arguments: MultiDict, per_page: int) -> SearchRequest:
    """The SearchRequest of ``q``, ``type``, ``product``, ``version``, ``kind``, ``sort``,
    ``page`` and ``per_page`` (each filter may repeat)."""
    sort = arguments.get("sort", "relevance")
    if sort not in ("relevance", "date"):
        raise Invalid("sort must be 'relevance' or 'date'.")
    return SearchRequest(
        text=arguments.get("q", "")[:MAX_QUERY_CHARACTERS],
        types=_values(arguments, "type"),
        products=_values(arguments, "product"),
        versions=_values(arguments, "version"),
        kinds=_values(arguments, "kind"),
        sort=sort,
        page=page_number(arguments),
        per_page=page_size(arguments, per_page, MAX_PER_PAGE),
    )
