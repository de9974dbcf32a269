"""Reading a search from request arguments (the page and the API share it). A filter value
that cannot be (an unknown type, product, version or kind) is refused rather than answered
with nothing."""

from __future__ import annotations

from werkzeug.datastructures import MultiDict

from kb.errors import Invalid
from kb.filter_values import all_allowed, known_products_and_versions, stripped
from kb.forms import sent_values
from kb.paging import page_number, page_size
from kb.search.documents import content_types
from kb.search.query import SearchRequest
from kb.search.typed import split_typed_filters, type_name

MAX_PER_PAGE = 100
MAX_QUERY_CHARACTERS = 500


def _values(arguments: MultiDict, name: str) -> tuple[str, ...]:
    """The values of a filter as sent (one holding a control character is refused), less
    empty ones (no filter)."""
    return tuple(value for value in sent_values(arguments, name) if stripped(value))


def search_request(user, arguments: MultiDict, per_page: int) -> SearchRequest:
    """The SearchRequest of ``q``, ``type``, ``product``, ``version``, ``kind``, ``sort``,
    ``page``, ``per_page`` (each filter may repeat) and ``as_typed`` (no corrected search)."""
    sort = arguments.get("sort", "").strip() or "relevance"  # an empty sort is the default
    if sort not in ("relevance", "date"):
        raise Invalid("sort must be 'relevance' or 'date'.")
    text = arguments.get("q", "")[:MAX_QUERY_CHARACTERS]
    check_typed_filters(user, text)
    types = known_types(_values(arguments, "type"))
    products, versions = known_products_and_versions(
        user, _values(arguments, "product"), _values(arguments, "version"))
    return SearchRequest(
        text=text,
        types=types,
        products=products,
        versions=versions,
        kinds=known_kinds(_values(arguments, "kind")),
        sort=sort,
        page=page_number(arguments),
        per_page=page_size(arguments, per_page, MAX_PER_PAGE),
        as_typed=arguments.get("as_typed", "").strip().lower() in ("1", "true", "yes"),
    )


def check_typed_filters(user, text: str) -> None:
    """Refuse a ``product:``, ``version:``, ``type:`` or ``kind:`` typed in the words that no
    document can have, as the same filter picked is refused: typed, it found nothing without
    a word why."""
    _, typed = split_typed_filters(text)
    known_products_and_versions(user, tuple(typed.get("product", ())),
                                tuple(typed.get("version", ())))
    known_types(tuple(typed.get("type", ())))
    known_kinds(tuple(typed.get("kind", ())))


def document_types() -> list[str]:
    """The types of the documents search finds (an article is an article or a release note)."""
    from kb.search.documents.articles import URL_PREFIX_BY_TYPE

    names = [name for name in content_types() if name != "article"]
    return sorted([*URL_PREFIX_BY_TYPE, *names])


def known_types(values: tuple[str, ...]) -> tuple[str, ...]:
    """Each type by its name or the name the search page shows (``typed.type_name``:
    "Patches" and "downloads" are patch)."""
    return all_allowed("type", values, [type_name(value) for value in values],
                       document_types())


def known_kinds(values: tuple[str, ...]) -> tuple[str, ...]:
    """Each a kind some document can have ("how-to", "service-pack", "solved"), in any case."""
    if not values:
        return values
    allowed = sorted({kind for content in content_types().values() for kind in content.kinds})
    return all_allowed("kind", values, [value.strip().lower() for value in values], allowed)
