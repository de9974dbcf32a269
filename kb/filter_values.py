"""Filter values that no item can have, refused rather than answered with nothing: search
and every API list read their ``product``, ``version``, ``kind``, ``tag`` and ``topic``
filters here, so that a typo in a script is a 422 naming the field, never "no results". A
product or version the caller may not learn of (``kb.products.known``) is refused exactly as
one that does not exist."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import null, select

from kb import db
from kb.errors import Invalid
from kb.forms import CONTROLS, sent_value
from kb.products.known import asked_ids, hidden_ids
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

    def plainly(self) -> str:
        """The refusal as a page says it: "There is no product called 'Orbitt'." (the value
        as Python writes it, so that a control character shows as ``\\x00``)."""
        return (f"There is no {self.field} called "
                f"{' or '.join(repr(value) for value in self.unknown)}.")

    def shown(self) -> str:
        """The value refused, as its page's field shows it: as sent, or as Python writes it
        (without the quotes) when it holds a character Python does not print: a control
        character, which no page can carry, or a direction override or isolate, which would
        show the text around it reversed (as ``plainly`` writes them)."""
        value = self.unknown[0]
        return value if value.isprintable() else repr(value)[1:-1]

    def json_fields(self) -> dict:
        fields = {"field": self.field, "unknown": self.unknown}
        if self.allowed is not None:
            fields["allowed"] = self.allowed
        return fields


def _sendable(value: str) -> bool:
    """Whether ``value`` is free of control characters (``kb.forms.CONTROLS``). The request
    takes them out of every argument; a filter reads its values as sent
    (``kb.forms.sent_values``), so that one holding any is refused as a value nothing can
    have, not read, once cleaned, as no filter ("\\x00") or as another value."""
    return CONTROLS.search(value) is None


def stripped(value: str) -> str:
    """``value`` without the white space around it ("" is no filter), but as sent when it
    holds a control character: ``str.strip`` takes some (\\x1c to \\x1f) for white space."""
    return value.strip() if _sendable(value) else value


def _once(values: Iterable[str]) -> list[str]:
    """``values`` in order, each once: a value repeated (``?product=x&product=x``) is one
    unknown value, named once in the refusal."""
    return list(dict.fromkeys(values))


def all_allowed(field: str, values: tuple[str, ...], found: list[str],
                allowed: list[str]) -> tuple[str, ...]:
    """The values as read (``found``), once each, when every one is allowed."""
    unknown = _once(value for value, name in zip(values, found, strict=True)
                    if name not in allowed or not _sendable(value))
    if unknown:
        raise UnknownFilter(f"{field} must be one of {', '.join(allowed)} (not "
                            f"{', '.join(repr(value) for value in unknown)}).", field,
                            unknown, allowed)
    return tuple(dict.fromkeys(found))


def one_of(field: str, value: str, allowed: Iterable[str]) -> str:
    """``value`` in lower case when it is one of ``allowed`` (any case); "" stays "" (no
    filter)."""
    value = stripped(value)
    if not value:
        return ""
    return all_allowed(field, (value,), [value.lower()], sorted(allowed))[0]


@dataclass
class _Named:
    """What the product and version values of one request name: each product value's slug
    (a product's slug or the slug of its name) with its product's (id, slug); each version
    value (``_version_value``) with the (product id, version id) of the versions it names."""

    products: dict[str, tuple[int, str]] = field(default_factory=dict)
    versions: dict[str, list[tuple[int, int]]] = field(default_factory=dict)


def _named(products: tuple[str, ...], versions: list[str]) -> _Named:
    """One query for both: every product, with its versions when versions are asked for."""
    wanted = {slugify(value) for value in products}
    statement = select(Product.id, Product.slug, Product.name, ProductVersion.id,
                       ProductVersion.name).outerjoin(
        ProductVersion, ProductVersion.product_id == Product.id) if versions \
        else select(Product.id, Product.slug, Product.name, null(), null())
    named = _Named()
    for product_id, slug, name, version_id, version in db.session.execute(statement):
        named.products.update({spelled: (product_id, slug) for spelled in (slug, slugify(name))
                               if spelled in wanted})
        for spelled in ((version.lower(), f"{slug}@{version.lower()}") if version_id else ()):
            if spelled in versions:
                named.versions.setdefault(spelled, []).append((product_id, version_id))
    return named


def _checked(user, products: tuple[str, ...], versions: tuple[str, ...]
             ) -> tuple[dict[str, str], tuple[str, ...]]:
    """The slugs of the products the values name (by the value's slug) and the versions as
    ``known_products_and_versions`` gives them, asked together: one query for what the
    values name, one for which of those ``user`` may not learn of (``kb.products.known``), so
    that a product or version only a draft or an early-adopter programme's patch names is
    refused as one that does not exist, and the answer never tells that it does."""
    if not products and not versions:
        return {}, versions
    found = [_version_value(value) for value in versions]
    named = _named(products, found)
    version_pairs = [pair for pairs in named.versions.values() for pair in pairs]
    hidden_products, hidden_versions = hidden_ids(
        user, asked_ids({product_id for product_id, _ in named.products.values()}
                     | {product_id for product_id, _ in version_pairs}),
        asked_ids({version_id for _, version_id in version_pairs}) if versions else set())
    slugs = {spelled: slug for spelled, (product_id, slug) in named.products.items()
             if product_id not in hidden_products}
    _refuse_unknown_products(products, slugs)
    known = {spelled for spelled, pairs in named.versions.items()
             if any(product_id not in hidden_products and version_id not in hidden_versions
                    for product_id, version_id in pairs)}
    unknown = _once(value for value, version in zip(versions, found, strict=True)
                    if version not in known or not _sendable(value))
    if unknown:
        raise UnknownFilter(f"Unknown version {', '.join(repr(value) for value in unknown)}: "
                            "no product has that version.", "version", unknown)
    return slugs, tuple(dict.fromkeys(found))


def known_products_and_versions(user, products: tuple[str, ...], versions: tuple[str, ...]
                                ) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The products as given, each the name or slug of a product ``user`` may learn of (in any
    case), and the versions, each a version some product has ("12.0") or a product's version
    by the product's name or slug ("Orbit ERP@12.0"), given back in lower case with the slug
    ("orbit-erp@12.0"), only of the products and versions ``user`` may learn of."""
    return products, _checked(user, products, versions)[1]


def _refuse_unknown_products(values: tuple[str, ...], slugs: dict[str, str]) -> None:
    unknown = _once(value for value in values
                    if slugify(value) not in slugs or not _sendable(value))
    if unknown:
        raise UnknownFilter(f"Unknown product {', '.join(repr(value) for value in unknown)}: "
                            "no product has that name or slug.", "product", unknown)


def product_and_version(user, product: str, version: str) -> tuple[str, str]:
    """The slug of the product named ``product`` by its name or slug, in any case, and
    ``version`` as ``known_products_and_versions`` gives it, both checked at once; "" stays
    "" (no filter)."""
    product, version = stripped(product), stripped(version)
    slugs, versions = _checked(user, (product,) if product else (),
                               (version,) if version else ())
    return slugs[slugify(product)] if product else "", versions[0] if versions else ""


def product_and_version_of(user, arguments) -> dict[str, str]:
    """``product_and_version`` of a list's ``product`` and ``version`` arguments as sent
    (``kb.forms.sent_value``), as the list's ``product`` and ``version`` filters."""
    product, version = product_and_version(user, sent_value(arguments, "product"),
                                           sent_value(arguments, "version"))
    return {"product": product, "version": version}


def product_slug(user, value: str) -> str:
    """``product_and_version`` of a product alone."""
    return product_and_version(user, value, "")[0]


def version_value(user, value: str) -> str:
    """``product_and_version`` of a version alone."""
    return product_and_version(user, "", value)[1]


def _version_value(value: str) -> str:
    product, at, version = value.strip().lower().rpartition("@")
    return f"{slugify(product)}@{version.strip()}" if at else version


def known_name(field: str, value: str, names: Iterable[str]) -> str:
    """``value`` when it is one of ``names`` in any case (a tag, a topic), as ``names`` spell
    it; "" stays "" (no filter). Too many to list, so the refusal names none."""
    value = stripped(value)
    if not value:
        return ""
    spelled = {name.lower(): name for name in names}.get(value.lower())
    if spelled is None or not _sendable(value):
        raise UnknownFilter(f"Unknown {field} {value!r}: nothing has that {field}.", field,
                            [value])
    return spelled
