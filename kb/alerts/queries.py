"""Reading critical-issue alerts: one alert, the open alerts a user hears of, a product's alerts
for its feed, the staff lists and the candidates a staff step offers."""

from __future__ import annotations

from sqlalchemy import or_, select

from kb import db, gating, policy
from kb.accounts.models import OrganizationProduct, User
from kb.alerts import subscriptions
from kb.alerts.alert_models import Alert, AlertSubscription, alert_products
from kb.articles.models import Article
from kb.errors import NotFound
from kb.gating import read_filter
from kb.patches.models import Patch
from kb.patches.queries import applies_to_version_clause
from kb.products.models import ProductVersion


def get_alert(user: User, alert_id: int) -> Alert:
    return gating.readable(user, Alert, alert_id, "alert")


def open_alerts_for(user: User) -> list[Alert]:
    """The open alerts of the products (and versions) ``user`` subscribed to or their
    organisation runs, as far as they may read them (nothing without ``workaround_alerts``)."""
    if not policy.can(user, subscriptions.FEATURE):
        return []
    interests = _interests(user)
    if not interests:
        return []
    candidates = db.session.scalars(
        select(Alert).where(
            Alert.state != "closed", read_filter(Alert, policy.read_scope(user)),
            Alert.id.in_(select(alert_products.c.alert_id).where(
                alert_products.c.product_id.in_({product for product, _ in interests}))))
        .order_by(Alert.updated_at.desc(), Alert.id.desc()))
    return [alert for alert in candidates if _concerns(alert, interests)]


def _interests(user: User) -> set[tuple[int, int | None]]:
    """(product id, version id or None for every version) the user subscribed to or their
    organisation runs."""
    subscribed = db.session.execute(select(AlertSubscription.product_id,
                                           AlertSubscription.version_id)
                                    .where(AlertSubscription.user_id == user.id))
    interests = {(product_id, version_id) for product_id, version_id in subscribed}
    if user.organization_id:
        interests |= set(db.session.execute(
            select(OrganizationProduct.product_id, OrganizationProduct.version_id)
            .where(OrganizationProduct.organization_id == user.organization_id)))
    return interests


def _concerns(alert: Alert, interests: set[tuple[int, int | None]]) -> bool:
    """Whether the alert is about one of these products and versions."""
    covers = version_covered_by(alert)
    versions = {version.id: version for product in alert.products
                for version in product.versions}
    product_ids = {product.id for product in alert.products}
    return any(product_id in product_ids and (version_id is None or covers(versions[version_id]))
               for product_id, version_id in interests if version_id is None
               or version_id in versions)


def alerts_of_product(product_id: int, scope: policy.ReadScope, limit: int) -> list[Alert]:
    """A product's alerts ``scope`` may read, latest change first (for its feed)."""
    return list(db.session.scalars(
        select(Alert).join(alert_products, alert_products.c.alert_id == Alert.id)
        .where(alert_products.c.product_id == product_id, read_filter(Alert, scope))
        .order_by(Alert.updated_at.desc(), Alert.id.desc()).limit(limit)))


def all_alerts(actor: User) -> list[Alert]:
    """Every alert for staff: open ones first, latest change first."""
    policy.require_staff(actor)
    return list(db.session.scalars(select(Alert).order_by(
        (Alert.state == "closed"), Alert.updated_at.desc(), Alert.id.desc())))


def get_alert_for_staff(actor: User, alert_id: int) -> Alert:
    policy.require_staff(actor)
    alert = db.session.get(Alert, alert_id)
    if alert is None:
        raise NotFound("No such alert.")
    return alert


def alerts_awaiting_a_workaround() -> list[Alert]:
    """Alerts still investigating with no workaround article named: those a critical article
    in the editor may answer."""
    return list(db.session.scalars(
        select(Alert).where(Alert.state == "investigating", Alert.article_id.is_(None))
        .order_by(Alert.id.desc())))


def workaround_candidates() -> list[Article]:
    """Critical articles (drafts too) that are no alert's workaround yet."""
    return list(db.session.scalars(
        select(Article).outerjoin(Alert, Alert.article_id == Article.id)
        .where(Article.type == "article", Article.critical.is_(True),
               Article.status != "archived", Alert.id.is_(None))
        .order_by(Article.updated_at.desc())))


def fixing_candidates(alert: Alert) -> list[Patch]:
    """Published patches that may fix what the alert names, newest first: of its products
    and, where it names versions, for one of them; none withdrawn or superseded already (by
    one not withdrawn), and none kept to a programme (many of the alert's readers could not
    open it)."""
    with_versions = {version.product_id for version in alert.versions}
    for_what_it_names = [applies_to_version_clause(version) for version in alert.versions] + [
        Patch.product_id == product.id for product in alert.products
        if product.id not in with_versions]
    if not for_what_it_names:
        return []
    return list(db.session.scalars(
        select(Patch).where(or_(*for_what_it_names), Patch.status == "published",
                            Patch.programme_id.is_(None),
                            ~Patch.superseded_by.any(Patch.status != Patch.retired_status))
        .order_by(Patch.published_at.desc(), Patch.id.desc()).limit(50)))


def subscription_telling(user: User, alert: Alert) -> AlertSubscription | None:
    """The user's subscription that tells them of the alert's steps, if any (as
    ``subscriptions.subscribers`` chooses whom to tell)."""
    covers = version_covered_by(alert)
    product_ids = [product.id for product in alert.products]
    for subscription in db.session.scalars(
            select(AlertSubscription).where(AlertSubscription.user_id == user.id,
                                            AlertSubscription.product_id.in_(product_ids))
            .order_by(AlertSubscription.id)):
        if subscription.version is None or covers(subscription.version):
            return subscription
    return None


def subscription_offers(alert: Alert) -> list[tuple[str, str]]:
    """(subscription form target, label) for each product of the alert: its one version the
    alert names, or every version."""
    offers = []
    for product in alert.products:
        versions = [version for version in alert.versions if version.product_id == product.id]
        if len(versions) == 1:
            offers.append((f"{product.id}:{versions[0].id}", f"{product.name} {versions[0].name}"))
        else:
            offers.append((str(product.id), product.name))
    return offers


def version_covered_by(alert: Alert):
    """``covers(version)``: the alert names that version, or no version of its product."""
    named = {version.id for version in alert.versions}
    products_with_versions = {version.product_id for version in alert.versions}

    def covers(version: ProductVersion) -> bool:
        return version.id in named or version.product_id not in products_with_versions

    return covers
