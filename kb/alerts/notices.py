"""Telling of critical issues: who of a product's subscribers may hear of an alert's step or of
a new patch (the policy decides: ``workaround_alerts``, the alert's plan, its article), and the
notice they get."""

from __future__ import annotations

from dataclasses import replace

from kb import gating, policy
from kb.accounts.models import User
from kb.alerts import subscriptions
from kb.alerts.alert_models import Alert, AlertEvent
from kb.alerts.dispatch import Notice, tell
from kb.alerts.mail_body import MailBody
from kb.alerts.queries import version_covered_by
from kb.links import absolute_url, path_for
from kb.patches.models import Patch
from kb.products.models import ProductVersion


def may_be_told(user: User, alert: Alert) -> bool:
    """Whether the policy lets ``user`` read the alert and its workaround article."""
    if not policy.can_read(user, alert):
        return False
    return alert.article is None or policy.can_read(user, alert.article)


def tell_subscribers(alert: Alert, event: AlertEvent) -> None:
    product_ids = {product.id for product in alert.products}
    # the fixing patch is named only to those who may download it; one above their plan is
    # said to be, to those who may learn of it (not one kept to a programme they are not in)
    notices: dict[gating.Offer, Notice] = {}
    told = 0
    for user, product_id in subscriptions.subscribers(product_ids, version_covered_by(alert)):
        if may_be_told(user, alert):
            fix = gating.offer(user, alert.patch)
            if fix not in notices:
                notices[fix] = _alert_notice(alert, event, fix)
            told += tell(user, _for_product(notices[fix], product_id))
    event.told = told


def _for_product(notice: Notice, product_id: int) -> Notice:
    return replace(notice, product_id=product_id)


def _alert_notice(alert: Alert, event: AlertEvent, fix: gating.Offer) -> Notice:
    title = f"Critical issue: {alert.title} — {event.kind_name.lower()}"
    body = MailBody().paragraph(alert.title).paragraph(
        f"Concerns: {alert.applies_to_text}\nState: {alert.state_name}")
    fixed = alert.state in ("fixed", "closed") and alert.patch is not None
    if fixed:
        body.paragraph(_what_fixed_it(alert, fix))
    if event.note:
        body.markdown(event.note)
    if fixed and (alert.summary or alert.article is not None):
        body.paragraph("Until you install the fix, the workaround still applies:")
    if alert.summary:
        body.markdown(alert.summary)
    if alert.article is not None:
        body.paragraph("Workaround: " + absolute_url(
            path_for("articles.show", slug=alert.article.slug), for_email=True))
    return Notice(f"alert.{event.kind}", title, path_for("alerts.alert", alert_id=alert.id),
                  body=body.text, key=f"alert:{alert.id}:rev:{event.number}", html=body.html)


def _what_fixed_it(alert: Alert, fix: gating.Offer) -> str:
    """The fix, named to those who may download it; one above the reader's plan is said to be,
    to those who may learn of it."""
    if fix.item is not None:
        return (f"Fixed in {fix.item.kind_name.lower()} {fix.item.title}: install it to fix the "
                "issue. " + absolute_url(path_for("patches.show", patch_id=fix.item.id),
                                         for_email=True))
    if fix.on_plan is not None:
        return (f"Fixed in a {alert.patch.kind_name.lower()} available on "
                f"{fix.on_plans_phrase}; your plan does not include it.")
    return "A fix is published; ask support how to get it."


def announce_patch(patch: Patch) -> int:
    """Tell the subscribers of a newly published patch's product who may read it (in the
    caller's transaction); returns how many were told."""
    if not patch.is_published:
        return 0
    covers = patch_covers(patch)
    notice = Notice("patch.published", f"New {patch.kind_name.lower()} for {patch.product.name}: "
                    f"{patch.title}", path_for("patches.show", patch_id=patch.id),
                    body=f"{patch.title}\n\nApplies to {patch.product.name} "
                         f"{patch.applies_to_text}.\n\n{patch.summary}".strip(),
                    product_id=patch.product_id, key=f"patch:{patch.id}:published")
    return sum(tell(user, notice)
               for user, _ in subscriptions.subscribers({patch.product_id}, covers)
               if policy.can_read(user, patch))


def patch_covers(patch: Patch):
    """Whether a subscription to a version is one the patch applies to."""
    listed = {version.id for version in patch.versions}
    has_range = patch.range_from_key is not None or patch.range_to_key is not None

    def covers(version: ProductVersion) -> bool:
        if version.id in listed or (not listed and not has_range):
            return True
        return has_range and (patch.range_from_key is None
                              or patch.range_from_key <= version.sort_key) \
            and (patch.range_to_key is None or patch.range_to_key >= version.sort_key)

    return covers
