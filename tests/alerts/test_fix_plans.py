"""An alert's fix is named only to readers who may download it: one whose plan does not include
it reads that a fix is available on a higher plan (page, list, notice), never its title; staff
are warned before naming such a fix, and a withdrawn fix's replacement for fewer plans than the
alert does not become its fix."""

from __future__ import annotations

from sqlalchemy import select

from kb import db
from kb.alerts import critical
from kb.alerts.alert_models import Alert
from kb.alerts.models import OutboxEmail
from kb.patches import changes
from kb.patches.models import Patch
from tests.alerts.critical_helpers import ERP, _patch, _staff, _subscribe
from tests.conftest import csrf_token

HIGHER_PLAN = "available on Premium and Elite; your plan does not include it."


def _open_alert(app) -> int:
    with app.app_context():
        return critical.open_alert(_staff(), "Ledger totals double", "", [ERP], ["12.0"]).id


def _fixed_mail(app, email: str) -> str:
    with app.app_context():
        return db.session.scalar(select(OutboxEmail.body).where(
            OutboxEmail.recipient == email, OutboxEmail.subject.contains("fixed")))


def test_a_fix_above_a_readers_plan_is_said_to_be_on_a_higher_plan_never_named(
        app, auth, client, catalogue, customer_on):
    xtreme, premium = customer_on("xtreme"), customer_on("premium")
    for email in (xtreme, premium):
        _subscribe(app, email, ERP)
    alert_id = _open_alert(app)
    fix = _patch(app, "Ledger service pack", min_plan="premium")
    with app.app_context():
        critical.advance(_staff(), alert_id, "fixed", patch_id=fix)

    assert "Fixed in service pack Ledger service pack: " in _fixed_mail(app, premium)
    xtreme_mail = _fixed_mail(app, xtreme)
    assert f"Fixed in a service pack {HIGHER_PLAN}" in xtreme_mail
    assert "Ledger service pack" not in xtreme_mail
    auth.login(xtreme)
    page = client.get(f"/alerts/{alert_id}").get_data(as_text=True)
    listed = client.get("/alerts").get_data(as_text=True)
    assert f"A service pack {HIGHER_PLAN}" in page and f"Fixed in a service pack {HIGHER_PLAN}" \
        in listed
    assert "Ledger service pack" not in page + listed and f"/patches/{fix}" not in page + listed
    auth.logout()
    auth.login(premium)
    page = client.get(f"/alerts/{alert_id}").get_data(as_text=True)
    assert f'<a href="/patches/{fix}">Service pack: Ledger service pack</a>' in page


def test_staff_are_warned_before_naming_a_fix_for_fewer_plans_than_the_alert(
        app, auth, client, catalogue):
    alert_id = _open_alert(app)
    fix = _patch(app, "Ledger service pack", min_plan="premium")
    auth.login("staff@demo.test")
    url = f"/staff/alerts/{alert_id}"
    assert "Ledger service pack — for Premium and Elite only</option>" in \
        client.get(url).get_data(as_text=True)

    def advance(**fields):
        return client.post(url, data={"state": "fixed", "patch_id": str(fix), "note": "",
                                      "csrf_token": csrf_token(client, url), **fields})

    warned = advance()
    assert warned.status_code == 422
    assert (f"Service pack #{fix} is for Premium and Elite only; this alert is told to every "
            "plan.") in warned.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Alert, alert_id).state == "investigating"
    assert advance(fewer_reached="y").status_code == 302
    with app.app_context():
        assert db.session.get(Alert, alert_id).patch_id == fix


def test_a_replacement_for_fewer_plans_than_the_alert_does_not_become_its_fix(
        app, catalogue, customer_on):
    _subscribe(app, customer_on("xtreme"), ERP)
    alert_id = _open_alert(app)
    bad = _patch(app, "Service pack 12.0.3")
    premium_only = _patch(app, "Service pack 12.0.4", min_plan="premium")
    with app.app_context():
        critical.advance(_staff(), alert_id, "fixed", patch_id=bad)
        warning = changes.replacement_warning(_staff(), db.session.get(Patch, bad),
                                              premium_only)
        assert "1 critical-issue alert it fixed will be open again." in warning
        changes.withdraw_patch(_staff(), bad, "It corrupts the ledger.", premium_only)

    with app.app_context():
        alert = db.session.get(Alert, alert_id)
        assert (alert.state, alert.patch_id) == ("investigating", None)
        assert "Service pack 12.0.4" not in alert.events[-1].note
