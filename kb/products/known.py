"""The products and versions a user may name or be offered (in a topic request, an alert
subscription, the patch list's filters): every one, but those that only items the user may
not learn of name, so that a draft or an early-adopter programme's patch never gives a new
product or version away."""

from __future__ import annotations

from sqlalchemy import not_, select

from kb import db, gating
from kb.alerts.alert_models import Alert, alert_versions
from kb.articles.models import Article, article_products, article_versions
from kb.patches.models import Patch, patch_versions
from kb.products import service as products
from kb.products.models import Product, ProductVersion
from kb.sessions.models import Recording


def products_to_name(user) -> list[Product]:
    """The products ``user`` may name in a request: every product but those that only items
    they may not learn of name (a product first named by a draft stays unknown)."""
    hidden = _named_product_ids(user, known=False) - _named_product_ids(user, known=True)
    return [product for product in products.all_products() if product.id not in hidden]


def versions_to_name(user, products: list[Product]) -> dict[int, list[ProductVersion]]:
    """Each product's versions ``user`` may name or be offered, by product id: all but those
    that only items they may not learn of name (a version first named by an early-adopter
    programme's patch stays unknown outside the programme)."""
    hidden = _named_version_ids(user, known=False) - _named_version_ids(user, known=True)
    return {product.id: [version for version in product.versions if version.id not in hidden]
            for product in products}


def _among(model, user, known: bool):
    """The rows of ``model`` that ``user`` may (``known``) or may not learn of."""
    condition = gating.known_filter(model, user)
    return condition if known else not_(condition)


def _named_product_ids(user, *, known: bool) -> set[int]:
    """Products named by the articles, release notes, patches and recordings that ``user``
    may (``known``) or may not learn of."""
    statements = [
        select(article_products.c.product_id)
        .join(Article, Article.id == article_products.c.article_id)
        .where(_among(Article, user, known)),
        select(Article.release_product_id).where(_among(Article, user, known)),
        select(Patch.product_id).where(_among(Patch, user, known)),
        select(Recording.product_id).where(_among(Recording, user, known)),
    ]
    return _ids(statements)


def _named_version_ids(user, *, known: bool) -> set[int]:
    """Versions named by the articles, release notes, patches and alerts that ``user`` may
    (``known``) or may not learn of."""
    statements = [
        select(article_versions.c.version_id)
        .join(Article, Article.id == article_versions.c.article_id)
        .where(_among(Article, user, known)),
        select(Article.release_version_id).where(_among(Article, user, known)),
        select(patch_versions.c.version_id).join(Patch, Patch.id == patch_versions.c.patch_id)
        .where(_among(Patch, user, known)),
        select(alert_versions.c.version_id).join(Alert, Alert.id == alert_versions.c.alert_id)
        .where(_among(Alert, user, known)),
    ]
    return _ids(statements)


def _ids(statements) -> set[int]:
    return {found for statement in statements
            for found in db.session.scalars(statement) if found is not None}
