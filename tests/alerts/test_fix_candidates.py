"""The patches an alert offers as its fix: those for what it names (its products, and its
versions where it names some), never one withdrawn, superseded already (by one not withdrawn)
or kept to a programme."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from kb import db
from kb.alerts import critical
from kb.errors import Invalid
from kb.patches import changes
from kb.patches.models import Patch
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


def test_a_withdrawn_patch_is_never_offered_and_what_it_superseded_comes_back(app, runner, auth):
    assert runner.invoke(args=["demo"]).exit_code == 0
    with app.app_context():
        alert_id = critical.open_alert(_staff(), "Invoices round wrongly", "", [ERP],
                                       ["12.0"]).id
        service_pack = db.session.scalar(select(Patch.id).where(
            Patch.title == "Orbit ERP 12.0 service pack 1"))
        changes.withdraw_patch(_staff(), service_pack, "Breaks the ledger.", None)
    auth.login("staff@demo.test")
    page = auth.client.get(f"/staff/alerts/{alert_id}").get_data(as_text=True)
    offered = " ".join(re.findall(r'<option value="\d+">([^<]+)</option>', page))
    assert "service pack 1" not in offered
    assert "12.0 patch 1" in offered  # superseded only by the withdrawn service pack
    with app.app_context(), pytest.raises(Invalid, match="Choose the published patch"):
        critical.advance(_staff(), alert_id, "fixed", patch_id=service_pack)
