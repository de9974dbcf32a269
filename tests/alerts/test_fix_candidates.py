"""The patches an alert offers as its fix: those for what it names (its products, and its
versions where it names some), never one superseded already or kept to a programme."""

from __future__ import annotations

import re

from kb.alerts import critical
from tests.alerts.critical_helpers import ERP, _staff


def test_an_alert_offers_the_patches_for_its_versions_only(app, runner, auth):
    assert runner.invoke(args=["demo"]).exit_code == 0
    with app.app_context():
        alert_id = critical.open_alert(_staff(), "Invoices round wrongly", "", [ERP],
                                       ["12.0"]).id
    auth.login("staff@demo.test")
    page = auth.client.get(f"/staff/alerts/{alert_id}").get_data(as_text=True)
    offered = re.findall(r'<option value="\d+">([^<]+)</option>', page)
    assert "Orbit ERP 12.0 service pack 1" in " ".join(offered)
    for elsewhere in ("12.0 patch 1",  # superseded by the service pack
                      "payroll tax tables",  # for 11.x
                      "13.0"):  # the early adopter programme's beta
        assert elsewhere not in " ".join(offered), elsewhere
