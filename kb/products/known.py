"""The products and versions a user may name or be offered (in a topic request, an alert
subscription, the patch list's filters): every one, but those that only items the user may
not learn of name, so that a draft or an early-adopter programme's patch never gives a new
product or version away."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import Select, case, literal, select, union_all

from kb import db, gating, policy
from kb.alerts.alert_models import Alert, alert_versions
from kb.articles.models import Article, article_products, article_versions
from kb.errors import Invalid
from kb.patches.models import Patch, patch_versions
from kb.products import service as products
from kb.products.models import Product, ProductVersion
from kb.products.names import slugify
from kb.sessions.models import Recording


def products_to_name(user) -> list[Product]:
    """The products ``user`` may name in a request: every product but those that only items
    they may not learn of name (a product first named by a draft stays unknown)."""
    hidden = hidden_product_ids(user)
    return [product for product in products.all_products() if product.id not in hidden]


def product_to_name(user, name: str) -> Product:
    """The product ``name`` (its name or slug) is, of those ``user`` may name; any other name,
    a hidden product's too, is refused as unknown."""
    wanted = (name.strip(), slugify(name))
    product = next((p for p in products_to_name(user) if p.name in wanted or p.slug in wanted),
                   None)
    if product is None:
        raise Invalid(f"Unknown product: {name.strip()!r}.")
    return product


# no row has this id: asked about in place of a value that names nothing, so that a made-up
# value runs the statements a hidden one does and its refusal takes as long
NO_ID = 0
# the ids asked about come in blocks of this many (``asked_ids``)
ASKED_BLOCK = 16


def asked_ids(ids: set[int]) -> set[int]:
    """``ids`` and ids no row has (``NO_ID`` and below), as many as make a whole number of
    ``ASKED_BLOCK``s, to ask ``hidden_ids`` about: a made-up value runs the statements a
    hidden one does, however many hidden rows it names (a version two products' drafts name,
    two hidden products), so the statements and their time tell neither apart."""
    size = max(1, -(-len(ids) // ASKED_BLOCK)) * ASKED_BLOCK
    return ids | {NO_ID - filler for filler in range(size - len(ids))}


def may_name_product(user, product: Product | None) -> bool:
    """Whether ``user`` may name ``product`` (an incident's): one they may learn of, or one
    their organisation runs; None (a name no product has) is asked about alike, and is not."""
    product_id = product.id if product is not None else NO_ID
    organization = getattr(user, "organization", None)
    runs = organization is not None and any(entry.product_id == product_id
                                            for entry in organization.installed)
    hidden = hidden_product_ids(user, {product_id})
    return product is not None and (runs or product_id not in hidden)


def versions_to_name(user, products: list[Product]) -> dict[int, list[ProductVersion]]:
    """Each product's versions ``user`` may name or be offered, by product id: all but those
    that only items they may not learn of name (a version first named by an early-adopter
    programme's patch stays unknown outside the programme)."""
    hidden = hidden_version_ids(user)
    return {product.id: [version for version in product.versions if version.id not in hidden]
            for product in products}


def hidden_product_ids(user, among: Collection[int] | None = None) -> set[int]:
    """The products (of ``among``; None: of all) ``user`` may not learn of: named by items
    they may not learn of (drafts, an early-adopter programme's patches) and by none they
    may."""
    return hidden_ids(user, product_ids=among)[0]


def hidden_version_ids(user, among: Collection[int] | None = None) -> set[int]:
    """The versions (of ``among``; None: of all) ``user`` may not learn of, as
    ``hidden_product_ids`` the products."""
    return hidden_ids(user, version_ids=among)[1]


# what names a product or a version: (the named id, the item naming it, how to join it)
_PRODUCT_NAMERS = [
    (article_products.c.product_id, Article, Article.id == article_products.c.article_id),
    (Article.release_product_id, Article, None),
    (Patch.product_id, Patch, None),
    (Recording.product_id, Recording, None),
]
_VERSION_NAMERS = [
    (article_versions.c.version_id, Article, Article.id == article_versions.c.article_id),
    (Article.release_version_id, Article, None),
    (patch_versions.c.version_id, Patch, Patch.id == patch_versions.c.patch_id),
    (alert_versions.c.version_id, Alert, Alert.id == alert_versions.c.alert_id),
]


def hidden_ids(user, product_ids: Collection[int] | None = (),
               version_ids: Collection[int] | None = ()) -> tuple[set[int], set[int]]:
    """Which of ``product_ids`` and of ``version_ids`` (None: of all) ``user`` may not learn
    of, asked together: the user's programmes, then one query; no query for staff (they
    learn of every item) nor when neither asks for any id."""
    asked = [(kind, among, namers) for kind, among, namers in (
        ("product", product_ids, _PRODUCT_NAMERS), ("version", version_ids, _VERSION_NAMERS))
        if among is None or len(among) > 0]
    if policy.acts_as_staff(user) or not asked:
        return set(), set()
    programmes = policy.programmes_of(user)
    models = {model for _, _, namers in asked for _, model, _ in namers}  # each built once
    known = {model: case((gating.known_filter(model, user, programmes), True), else_=False)
             for model in models}
    statements = [_naming(kind, named_id, model, joined, among, known[model])
                  for kind, among, namers in asked for named_id, model, joined in namers]
    named: dict[tuple[str, int], bool] = {}
    for kind, named_id, known in db.session.execute(union_all(*statements)):
        named[kind, named_id] = named.get((kind, named_id), False) or bool(known)
    hidden = [(kind, named_id) for (kind, named_id), known in named.items() if not known]
    return ({named_id for kind, named_id in hidden if kind == "product"},
            {named_id for kind, named_id in hidden if kind == "version"})


def _naming(kind: str, named_id, model, joined, among: Collection[int] | None,
            known) -> Select:
    """The ids (of ``among``) items of ``model`` name, each with ``known``: whether the user
    may learn of the item naming it."""
    statement = select(literal(kind).label("kind"), named_id.label("named_id"),
                       known.label("known")).where(named_id.is_not(None))
    if joined is not None:
        statement = statement.join(model, joined)
    return statement if among is None else statement.where(named_id.in_(tuple(among)))
