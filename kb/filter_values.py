"""Filter values that no item can have, refused rather than answered with nothing: search
and every API list read their ``product``, ``version``, ``kind``, ``tag`` and ``topic``
filters here, so that a typo in a script is a 422 naming the field, never "no results"."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select

from kb import db
from kb.errors import Invalid
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


def all_allowed(field: str, values: tuple[str, ...], found: list[str],
                allowed: list[str]) -> tuple[str, ...]:
    """The values as read (``found``), once each, when every one is allowed."""
    unknown = [value for value, name in zip(values, found, strict=True) if name not in allowed]
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


def _product_slugs() -> dict[str, str]:
    """Every product's slug, by its slug and by the slug of its name."""
    slugs = {}
    for slug, name in db.session.execute(select(Product.slug, Product.name)):
        slugs.update({slug: slug, slugify(name): slug})
    return slugs


def known_products(values: tuple[str, ...]) -> tuple[str, ...]:
    """The products as given, each the name or slug of a product (in any case)."""
    if not values:
        return values
    slugs = _product_slugs()
    unknown = [value for value in values if slugify(value) not in slugs]
    if unknown:
        raise UnknownFilter(f"Unknown product {', '.join(repr(value) for value in unknown)}: "
                            "no product has that name or slug.", "product", unknown)
    return values


def product_slug(value: str) -> str:
    """The slug of the product named ``value`` by its name or slug, in any case; "" stays ""
    (no filter)."""
    value = value.strip()
    if not value:
        return ""
    known_products((value,))
    return _product_slugs()[slugify(value)]


def known_versions(values: tuple[str, ...]) -> tuple[str, ...]:
    """Each a version some product has ("12.0"), or a product's version by the product's name
    or slug ("Orbit ERP@12.0"), given back in lower case with the slug ("orbit-erp@12.0")."""
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


def version_value(value: str) -> str:
    """``known_versions`` of one value; "" stays "" (no filter)."""
    value = value.strip()
    return known_versions((value,))[0] if value else ""


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
