"""The demo's target table: the defaults, and one product without Severity 1 targets (the
seed's "not available for some products")."""

from __future__ import annotations

from kb import plans
from kb.demo import staff_actor
from kb.products.service import ensure_product
from kb.support import defaults, service

PRODUCT_WITHOUT_CRITICAL_SUPPORT = "Orbit Analytics"


def load(echo) -> None:
    added = service.ensure_default_table()
    product = ensure_product(PRODUCT_WITHOUT_CRITICAL_SUPPORT)
    actor = staff_actor()
    for plan in plans.PLANS:
        if service.product_target(plan, 1, product) is None:
            default_clock = defaults.TARGETS[(plan, 1)][1]
            service.set_target(actor, plan, 1, product, None, default_clock)
            added += 1
    if added:
        echo(f"Support: {added} response-target row(s) added.")
