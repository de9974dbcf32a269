"""Filter values that no item can have, refused rather than answered with nothing: search
and every API list read their ``product``, ``version``, ``kind``, ``tag`` and ``topic``
filters here, so that a typo in a script is a 422 naming the field, never "no results". A
product or version the caller may not learn of (``kb.products.known``) is refused exactly as
one that does not exist."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select

from kb import db
from kb.errors import Invalid
from kb.products.known import NO_ID, hidden_ids, hidden_product_ids
from kb.products.models import Product, ProductVersion
from kb.products.names import slugify


class UnknownFilter(Invalid):
    """A filter value no item can have; the JSON names the field, the values it does not know
    and, where the values are a fixed few (a type or kind), the values it knows."""

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


def _once(values: Iterable[str]) -> list[str]:
    """``values`` in order, each once: a value repeated (``?product=x&product=x``) is one
    unknown value, named once in the refusal."""
    return list(dict.fromkeys(values))


def all_allowed(field: str, values: tuple[str, ...], found: list[str],
                allowed: list[str]) -> tuple[str, ...]:
    """The values as read (``found``), once each, when every one is allowed."""
    unknown = _once(value for value, name in zip(values, found, strict=True)
                    if name not in allowed)
    if unknown:
        raise UnknownFilter(f"{field} must be one of {', '.join(allowed)} (not "
                            f"{', '.join(repr(value) for value in unknown)}).", field,
                            unknown, allowed)
    return tuple(dict.fromkeys(found))


def one_of(field: str, value: str, allowed: Iterable[str]) -> str:
    """``value`` in lower case when it is one of ``allowed`` (any case); "" stays "" (no
    filter)."""
    value = value.strip()
    if not value:
        return ""
    return all_allowed(field, (value,), [value.lower()], sorted(allowed))[0]


def _product_slugs(user, values: tuple[str, ...]) -> dict[str, str]:
    """The slugs of the products ``values`` name, by the value's slug (a product's slug or the
    slug of its name), but of the products ``user`` may not learn of
    (``kb.products.known``): a product only a draft or an early-adopter programme's patch
    names is refused as one that does not exist, so the answer never tells that it does."""
    wanted = {slugify(value) for value in values}
    found: dict[str, tuple[int, str]] = {}
    for product_id, slug, name in db.session.execute(
            select(Product.id, Product.slug, Product.name)):
        found.update({named: (product_id, slug) for named in (slug, slugify(name))
                      if named in wanted})
    hidden = hidden_product_ids(user, _asked({product_id for product_id, _ in found.values()}))
    return {named: slug for named, (product_id, slug) in found.items()
            if product_id not in hidden}


def _asked(ids: set[int]) -> set[int]:
    """``ids``, or for a value that names nothing an id no row has: a made-up value runs the
    statements a hidden one does, so the refusal's time tells neither apart."""
    return ids or {NO_ID}


def _refuse_unknown_products(values: tuple[str, ...], slugs: dict[str, str]) -> None:
    unknown = _once(value for value in values if slugify(value) not in slugs)
    if unknown:
        raise UnknownFilter(f"Unknown product {', '.join(repr(value) for value in unknown)}: "
                            "no product has that name or slug.", "product", unknown)


def known_products(user, values: tuple[str, ...]) -> tuple[str, ...]:
    """The products as given, each the name or slug of a product ``user`` may learn of (in any
    case)."""
    if values:
        _refuse_unknown_products(values, _product_slugs(user, values))
    return values


def product_slug(user, value: str) -> str:
    """The slug of the product named ``value`` by its name or slug, in any case, one ``user``
    may learn of; "" stays "" (no filter)."""
    value = value.strip()
    if not value:
        return ""
    slugs = _product_slugs(user, (value,))
    _refuse_unknown_products((value,), slugs)
    return slugs[slugify(value)]


def known_versions(user, values: tuple[str, ...]) -> tuple[str, ...]:
    """Each a version some product has ("12.0"), or a product's version by the product's name
    or slug ("Orbit ERP@12.0"), given back in lower case with the slug ("orbit-erp@12.0");
    as with products, only the versions (of products) ``user`` may learn of."""
    if not values:
        return values
    found = [_version_value(value) for value in values]
    named: dict[str, list[tuple[int, int]]] = {}
    for product_id, slug, version_id, version in db.session.execute(
            select(Product.id, Product.slug, ProductVersion.id, ProductVersion.name)
            .join(ProductVersion.product)):
        for spelled in (version.lower(), f"{slug}@{version.lower()}"):
            if spelled in found:
                named.setdefault(spelled, []).append((product_id, version_id))
    known = _known_to(user, named)
    unknown = _once(value for value, version in zip(values, found, strict=True)
                    if version not in known)
    if unknown:
        raise UnknownFilter(f"Unknown version {', '.join(repr(value) for value in unknown)}: "
                            "no product has that version.", "version", unknown)
    return tuple(dict.fromkeys(found))


def _known_to(user, named: dict[str, list[tuple[int, int]]]) -> set[str]:
    """The version values of ``named`` (each with its products' and versions' ids) that name
    at least one version, of a product, that ``user`` may learn of."""
    hidden_products, hidden_versions = hidden_ids(
        user, _asked({product_id for pairs in named.values() for product_id, _ in pairs}),
        _asked({version_id for pairs in named.values() for _, version_id in pairs}))
    return {spelled for spelled, pairs in named.items()
            if any(product_id not in hidden_products and version_id not in hidden_versions
                   for product_id, version_id in pairs)}


def version_value(user, value: str) -> str:
    """``known_versions`` of one value; "" stays "" (no filter)."""
    value = value.strip()
    return known_versions(user, (value,))[0] if value else ""


def _version_value(value: str) -> str:
    product, at, version = value.strip().lower().rpartition("@")
    return f"{slugify(product)}@{version.strip()}" if at else version


def known_name(field: str, value: str, names: Iterable[str]) -> str:
    """``value`` when it is one of ``names`` in any case (a tag, a topic), as ``names`` spell
    it; "" stays "" (no filter). Too many to list, so the refusal names none."""
    value = value.strip()
    if not value:
        return ""
    spelled = {name.lower(): name for name in names}.get(value.lower())
    if spelled is None:
        raise UnknownFilter(f"Unknown {field} {value!r}: nothing has that {field}.", field,
                            [value])
    return spelled
