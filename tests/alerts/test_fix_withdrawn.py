"""A critical issue's fix withdrawn: the alert takes the replacement as its fix, or is open
again until staff name a new one; its subscribers are told either way, with the reason."""

from __future__ import annotations

from kb import db
from kb.alerts import critical
from kb.alerts.alert_models import Alert
from kb.patches import changes
from tests.alerts.critical_helpers import ERP, _alert_notices, _patch, _staff, _subscribe

REASON = "It corrupts the ledger on large journals."


def _fixed_alert(app, patch_id: int) -> int:
    with app.app_context():
        alert = critical.open_alert(_staff(), "Ledger totals double", "", [ERP], ["12.0"])
        critical.advance(_staff(), alert.id, "fixed", patch_id=patch_id)
        return alert.id


def _withdraw(app, patch_id: int, replacement_id: int | None = None) -> None:
    with app.app_context():
        changes.withdraw_patch(_staff(), patch_id, REASON, replacement_id)


def _state(app, alert_id: int) -> tuple[str, int | None, list[str]]:
    with app.app_context():
        alert = db.session.get(Alert, alert_id)
        return alert.state, alert.patch_id, [event.kind for event in alert.events]


def test_the_replacement_becomes_the_fix_and_subscribers_are_told(app, catalogue, customer_on):
    reader = customer_on("xtreme")
    _subscribe(app, reader, ERP)
    bad, good = _patch(app, "Service pack 12.0.3"), _patch(app, "Service pack 12.0.4")
    alert_id = _fixed_alert(app, bad)

    _withdraw(app, bad, good)

    assert _state(app, alert_id) == ("fixed", good, ["opened", "fixed", "fix_withdrawn"])
    assert _alert_notices(app, reader)[-1] == (
        "alert.fix_withdrawn", "Critical issue: Ledger totals double — fix withdrawn")


def test_without_a_replacement_the_issue_is_open_again_until_a_new_fix(
        app, auth, client, catalogue, customer_on):
    reader = customer_on("xtreme")
    _subscribe(app, reader, ERP)
    bad = _patch(app, "Service pack 12.0.3")
    alert_id = _fixed_alert(app, bad)

    _withdraw(app, bad)

    assert _state(app, alert_id) == ("investigating", None,
                                     ["opened", "fixed", "fix_withdrawn"])
    auth.login(reader)
    page = client.get(f"/alerts/{alert_id}").get_data(as_text=True)
    assert "Fix withdrawn" in page and REASON in page and "open again" in page
    auth.logout()
    later = _patch(app, "Service pack 12.0.5")
    with app.app_context():
        critical.advance(_staff(), alert_id, "fixed", patch_id=later)
    assert _state(app, alert_id)[:2] == ("fixed", later)
