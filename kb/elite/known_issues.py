"""What an update planning call goes through: the known issues of the update (a product
version), gathered from critical-issue alerts, workaround and troubleshooting articles and the
patches for that version, as far as the reader may read them."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from kb import db, policy
from kb.alerts.alert_models import Alert, alert_products
from kb.articles.models import Article
from kb.articles.queries import Filters, browse
from kb.elite.models import EliteMeeting
from kb.gating import read_filter
from kb.patches.models import Patch
from kb.patches.queries import find_patches

ISSUE_ARTICLE_KINDS = ("workaround", "troubleshooting")
LIMIT = 20


@dataclass(frozen=True)
class KnownIssues:
    alerts: list[Alert]
    articles: list[Article]
    patches: list[Patch]

    @property
    def empty(self) -> bool:
        return not (self.alerts or self.articles or self.patches)


def of_update(reader, meeting: EliteMeeting) -> KnownIssues | None:
    """The known issues of the meeting's update; None for other meetings."""
    if meeting.kind != "update_planning" or meeting.product is None:
        return None
    product, version = meeting.product, meeting.target_version
    return KnownIssues(alerts=_alerts(reader, product.id, version),
                       articles=_articles(reader, product.name, version),
                       patches=_patches(reader, product.name, version))


def _alerts(reader, product_id: int, version: str) -> list[Alert]:
    if not policy.can(reader, Alert.access_feature):
        return []
    found = db.session.scalars(
        select(Alert).where(read_filter(Alert, policy.read_scope(reader)),
                            Alert.state != "closed",
                            Alert.id.in_(select(alert_products.c.alert_id).where(
                                alert_products.c.product_id == product_id)))
        .order_by(Alert.updated_at.desc()))
    return [alert for alert in found if _names_version(alert, product_id, version)][:LIMIT]


def _names_version(alert: Alert, product_id: int, version: str) -> bool:
    """The alert names the version, or no version of the product (so every version)."""
    named = [v.name for v in alert.versions if v.product_id == product_id]
    return not named or version in named


def _articles(reader, product: str, version: str) -> list[Article]:
    found = []
    for kind in ISSUE_ARTICLE_KINDS:
        page = browse(reader, Filters(type="article", product=product, version=version,
                                      kind=kind), per_page=LIMIT)
        found += [listed.article for listed in page.items if listed.readable]
    return found


def _patches(reader, product: str, version: str) -> list[Patch]:
    if not policy.can(reader, Patch.access_feature):
        return []
    return find_patches(reader, product=product, version=version, per_page=LIMIT).patches
