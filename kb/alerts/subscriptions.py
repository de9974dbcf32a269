"""Alert subscriptions: which users want to hear of a product's critical issues (and its new
patches), for every version or one version.

Subscribing needs the ``workaround_alerts`` feature. The products a user may choose are those
they may learn of (``kb.products.known.products_to_name``); the products and versions
their organisation runs are offered first, as suggestions. Who of the subscribers is then told
of a given alert or patch is decided by the policy when it is announced (``kb.alerts.critical``).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from kb import db, policy
from kb.accounts.models import User
from kb.alerts.alert_models import AlertSubscription
from kb.errors import Invalid, NotFound
from kb.listing import Listing
from kb.products.known import product_to_name, products_to_name, versions_to_name
from kb.products.models import Product, ProductVersion

FEATURE = "workaround_alerts"


def subscriptions_of(user: User) -> list[AlertSubscription]:
    """The user's subscriptions, by product name and version."""
    return subscription_listing(user).all()


def subscription_listing(user: User) -> Listing[AlertSubscription]:
    """``subscriptions_of`` as a Listing, to read a page of it."""
    policy.require(user, FEATURE)
    return Listing(
        select(AlertSubscription).join(AlertSubscription.product)
        .outerjoin(AlertSubscription.version)
        .where(AlertSubscription.user_id == user.id)
        .order_by(Product.name, ProductVersion.sort_key.nulls_first(), AlertSubscription.id))


@dataclass(frozen=True)
class Subscribed:
    subscription: AlertSubscription
    created: bool  # False: the user already had it


def subscribe(user: User, product_name: str, version_name: str | None = None) -> Subscribed:
    """Subscribe ``user`` to a product's alerts (of one version when named); subscribing twice
    to the same is not an error and keeps the first subscription."""
    policy.require(user, FEATURE)
    product = _known_product(user, product_name)
    version = _version_of(user, product, version_name)
    existing = _existing(user, product, version)
    if existing is not None:
        return Subscribed(existing, False)
    subscription = AlertSubscription(user_id=user.id, product=product, version=version)
    try:
        with db.session.begin_nested():
            db.session.add(subscription)
    except IntegrityError:  # the same subscription made at this moment by another request
        return Subscribed(_existing(user, product, version), False)
    db.session.commit()
    return Subscribed(subscription, True)


def unsubscribe(user: User, subscription_id: int) -> None:
    """End one of the user's subscriptions."""
    policy.require(user, FEATURE)
    subscription = db.session.get(AlertSubscription, subscription_id)
    if subscription is None or subscription.user_id != user.id:
        raise NotFound("No such subscription.")
    db.session.delete(subscription)
    db.session.commit()


def _known_product(user: User, name: str | None) -> Product:
    if not isinstance(name, str) or not name.strip():
        raise Invalid("Name the product whose alerts you want.")
    return product_to_name(user, name)


def _version_of(user: User, product: Product, name: str | None) -> ProductVersion | None:
    if name is None or (isinstance(name, str) and not name.strip()):
        return None
    if not isinstance(name, str):
        raise Invalid("The version is a text such as \"12.0\".")
    versions = versions_to_name(user, [product])[product.id]
    version = next((v for v in versions if v.name == name.strip()), None)
    if version is None:
        known = ", ".join(v.name for v in versions) or "none recorded"
        raise Invalid(f"{product.name} has no version {name.strip()!r} (versions: {known}).")
    return version


def _existing(user: User, product: Product, version: ProductVersion | None):
    version_match = (AlertSubscription.version_id.is_(None) if version is None
                     else AlertSubscription.version_id == version.id)
    return db.session.scalar(select(AlertSubscription).where(
        AlertSubscription.user_id == user.id, AlertSubscription.product_id == product.id,
        version_match))


@dataclass(frozen=True)
class Suggestion:
    product: Product
    version: ProductVersion | None

    @property
    def label(self) -> str:
        return f"{self.product.name} {self.version.name}" if self.version else self.product.name


def suggestions_for(user: User) -> list[Suggestion]:
    """What the user's organisation runs and the user is not yet subscribed to."""
    organization = user.organization
    if organization is None:
        return []
    held = {(s.product_id, s.version_id) for s in db.session.scalars(
        select(AlertSubscription).where(AlertSubscription.user_id == user.id))}
    offered = [Suggestion(entry.product, entry.version) for entry in organization.installed]
    return sorted((s for s in offered
                   if (s.product.id, s.version.id if s.version else None) not in held),
                  key=lambda s: (s.product.name, s.version.sort_key if s.version else ""))


def choosable_products(user: User) -> list[Product]:
    """The products the subscription form offers: those the user may learn of."""
    return products_to_name(user)


# --- who is subscribed -----------------------------------------------------------------------

def subscribers(product_ids: set[int], covers_version) -> list[tuple[User, int]]:
    """The enabled users subscribed to any of these products, for every version or for a
    version ``covers_version(version) -> bool`` accepts: each user once, by id, with the
    product of their first such subscription (for per-product delivery preferences)."""
    if not product_ids:
        return []
    rows = db.session.scalars(
        select(AlertSubscription).join(AlertSubscription.user)
        .where(AlertSubscription.product_id.in_(product_ids), User.is_enabled.is_(True))
        .order_by(AlertSubscription.user_id, AlertSubscription.id))
    found: dict[int, tuple[User, int]] = {}
    for subscription in rows:
        if subscription.version is None or covers_version(subscription.version):
            found.setdefault(subscription.user_id, (subscription.user, subscription.product_id))
    return list(found.values())
