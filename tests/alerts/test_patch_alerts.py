"""New patches reach their product's subscribers as the patch page's gate allows; the
subscription page offers the organisation's products."""

from __future__ import annotations

import lxml.html

from kb.patches import service as patches
from kb.products import service as products
from tests.alerts.critical_helpers import (
    ERP,
    _alert_notices,
    _deliver,
    _lapsed_subscriber,
    _patch,
    _staff,
    _subscribe,
)


def test_new_patches_reach_the_subscribers_the_patch_page_admits(
        app, runner, smtp, catalogue, customer_on):
    xtreme, elite = customer_on("xtreme"), customer_on("elite")
    lapsed, other_version = _lapsed_subscriber(app, customer_on), customer_on("elite")
    for email in (xtreme, elite):
        _subscribe(app, email, ERP)
    _subscribe(app, other_version, ERP, "11.1")

    _patch(app, "Hotfix 12.0.1")
    _patch(app, "Elite hotfix 12.0.2", min_plan="elite")
    draft = _patch(app, "Hotfix 12.0.4", publish=False)
    _patch(app, "Hotfix for every version", versions=())

    def titles(email):
        return [title for kind, title in _alert_notices(app, email) if kind == "patch.published"]

    assert [t.rsplit(": ", 1)[-1] for t in titles(xtreme)] == [
        "Hotfix 12.0.1", "Hotfix for every version"]
    assert [t.rsplit(": ", 1)[-1] for t in titles(elite)] == [
        "Hotfix 12.0.1", "Elite hotfix 12.0.2", "Hotfix for every version"]
    assert titles(lapsed) == []
    assert [t.rsplit(": ", 1)[-1] for t in titles(other_version)] == [
        "Hotfix for every version"]
    with app.app_context():
        patches.publish_draft(_staff(), draft)
    assert titles(xtreme)[-1].endswith("Hotfix 12.0.4")
    _deliver(runner)
    assert len(smtp.inbox.to(elite)) == 4


def test_the_subscription_page_offers_the_organisations_products(
        app, client, auth, catalogue):
    auth.login("elite@demo.test")
    page = client.get("/alerts").get_data(as_text=True)
    assert "What your organisation runs" in page and "Orbit Analytics 2026.1" in page
    # each one-click button names its product to a screen reader's list of buttons
    offered = lxml.html.fromstring(page).xpath('//*[@id="suggestions"]//button')
    names = [" ".join(button.text_content().split()) for button in offered]
    assert "Subscribe to Orbit Analytics 2026.1" in names and len(set(names)) == len(names) > 1
    with app.app_context():
        erp = products.ensure_product(ERP)
        version = next(v for v in erp.versions if v.name == "12.0")
        target = f"{erp.id}:{version.id}"
    assert auth.post("/alerts/subscriptions", {"target": target}).status_code == 302
    page = client.get("/alerts").get_data(as_text=True)
    assert "Orbit ERP 12.0" in page.split('id="subscription-list"')[1].split("</ul>")[0]
    refused = auth.post("/alerts/subscriptions", {"target": "999999"})
    assert refused.status_code == 422
    auth.logout()
    auth.login("lapsed@demo.test")
    assert client.get("/alerts").status_code == 403
