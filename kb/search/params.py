"""Reading a search from request arguments (the page and the API share it). A filter value
that cannot be (an unknown type, product, version or kind) is refused rather than answered
with nothing."""

from __future__ import annotations

from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from kb import db
from kb.errors import Invalid
from kb.paging import page_number, page_size
from kb.products.models import Product, ProductVersion
from kb.products.names import slugify
from kb.search.documents import content_types
from kb.search.query import SearchRequest
from kb.search.typed import split_typed_filters

MAX_PER_PAGE = 100
MAX_QUERY_CHARACTERS = 500


class UnknownFilter(Invalid):
    """A ``type``, ``product``, ``version`` or ``kind`` that no document can have; the JSON
    names the field, the values it does not know and, for a type or kind, the values it
    knows."""

    def __init__(self, message: str, field: str, unknown: list[str],
                 allowed: list[str] | None = None):
        super().__init__(message, field)
        self.unknown = unknown
        self.allowed = allowed

    def json_fields(self) -> dict:
        fields = {"field": self.field, "unknown": self.unknown}
        if self.allowed is not None:
            fields["allowed"] = self.allowed
        return fields


def _values(arguments: MultiDict, name: str) -> tuple[str, ...]:
    return tuple(value for value in arguments.getlist(name) if value.strip())


def search_request(arguments: MultiDict, per_page: int) -> SearchRequest:
    """The SearchRequest of ``q``, ``type``, ``product``, ``version``, ``kind``, ``sort``,
    ``page``, ``per_page`` (each filter may repeat) and ``as_typed`` (no corrected search)."""
    sort = arguments.get("sort", "").strip() or "relevance"  # an empty sort is the default
    if sort not in ("relevance", "date"):
        raise Invalid("sort must be 'relevance' or 'date'.")
    text = arguments.get("q", "")[:MAX_QUERY_CHARACTERS]
    check_typed_filters(text)
    return SearchRequest(
        text=text,
        types=known_types(_values(arguments, "type")),
        products=known_products(_values(arguments, "product")),
        versions=known_versions(_values(arguments, "version")),
        kinds=known_kinds(_values(arguments, "kind")),
        sort=sort,
        page=page_number(arguments),
        per_page=page_size(arguments, per_page, MAX_PER_PAGE),
        as_typed=arguments.get("as_typed", "").strip().lower() in ("1", "true", "yes"),
    )


def check_typed_filters(text: str) -> None:
    """Refuse a ``product:``, ``version:``, ``type:`` or ``kind:`` typed in the words that no
    document can have, as the same filter picked is refused: typed, it found nothing without
    a word why."""
    _, typed = split_typed_filters(text)
    known_products(tuple(typed.get("product", ())))
    known_versions(tuple(typed.get("version", ())))
    known_types(tuple(typed.get("type", ())))
    known_kinds(tuple(typed.get("kind", ())))


def document_types() -> list[str]:
    """The types of the documents search finds (an article is an article or a release note)."""
    from kb.search.documents.articles import URL_PREFIX_BY_TYPE

    names = [name for name in content_types() if name != "article"]
    return sorted([*URL_PREFIX_BY_TYPE, *names])


def known_types(values: tuple[str, ...]) -> tuple[str, ...]:
    """Each type by its name, singular or plural in any case ("Patches" is patch)."""
    allowed = document_types()
    plurals = {_plural(name): name for name in allowed}
    found = [plurals.get(value.strip().lower(), value.strip().lower()) for value in values]
    return _all_allowed("type", values, found, allowed)


def _all_allowed(field: str, values: tuple[str, ...], found: list[str],
                 allowed: list[str]) -> tuple[str, ...]:
    """The values as read (``found``), once each, when every one is allowed."""
    unknown = [value for value, name in zip(values, found, strict=True) if name not in allowed]
    if unknown:
        raise UnknownFilter(f"{field} must be one of {', '.join(allowed)} (not "
                            f"{', '.join(repr(value) for value in unknown)}).", field,
                            unknown, allowed)
    return tuple(dict.fromkeys(found))


def _plural(name: str) -> str:
    return name + ("es" if name.endswith("h") else "s")


def known_products(values: tuple[str, ...]) -> tuple[str, ...]:
    """The products as given, each the name or slug of a product."""
    if not values:
        return values
    known = set()
    for slug, name in db.session.execute(select(Product.slug, Product.name)):
        known.update({slug, slugify(name)})
    unknown = [value for value in values if slugify(value) not in known]
    if unknown:
        raise UnknownFilter(f"Unknown product {', '.join(repr(value) for value in unknown)}: "
                            "no product has that name or slug.", "product", unknown)
    return values


def known_versions(values: tuple[str, ...]) -> tuple[str, ...]:
    """Each a version some product has ("12.0"), or a product's version by the product's name
    or slug ("Orbit ERP@12.0"), given back with the slug ("orbit-erp@12.0")."""
    if not values:
        return values
    known = set()
    for slug, version in db.session.execute(
            select(Product.slug, ProductVersion.name).join(ProductVersion.product)):
        known.update({version.lower(), f"{slug}@{version.lower()}"})
    found = [_version_value(value) for value in values]
    unknown = [value for value, version in zip(values, found, strict=True)
               if version not in known]
    if unknown:
        raise UnknownFilter(f"Unknown version {', '.join(repr(value) for value in unknown)}: "
                            "no product has that version.", "version", unknown)
    return tuple(dict.fromkeys(found))


def _version_value(value: str) -> str:
    product, at, version = value.strip().lower().rpartition("@")
    return f"{slugify(product)}@{version.strip()}" if at else version


def known_kinds(values: tuple[str, ...]) -> tuple[str, ...]:
    """Each a kind some document can have ("how-to", "service-pack", "solved"), in any case."""
    if not values:
        return values
    allowed = sorted({kind for content in content_types().values() for kind in content.kinds})
    return _all_allowed("kind", values, [value.strip().lower() for value in values], allowed)
