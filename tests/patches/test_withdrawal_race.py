"""Two staff members (or one double click) withdraw the same patch at the same moment, each in
a thread with its own connection and transaction: one withdrawal wins, the others are refused,
and what downloaders were told is what the patch page says."""

from __future__ import annotations

import threading

from sqlalchemy import select

from kb import db
from kb.accounts.models import AuditEntry
from kb.accounts.queries import user_by_email
from kb.alerts.models import OutboxEmail
from kb.errors import Conflict
from kb.patches import changes
from kb.patches.models import Patch
from tests.patches.test_withdrawal import download_everything

RACERS = 4


def _withdraw_at_once(app, patch_id: int) -> tuple[list[str], list[BaseException]]:
    barrier = threading.Barrier(RACERS)
    done: list[str] = []
    failures: list[BaseException] = []

    def worker(position: int):
        with app.app_context():
            staff = user_by_email("staff@demo.test")
            barrier.wait()
            try:
                changes.withdraw_patch(staff, patch_id, f"Reason number {position}.", None)
                done.append(f"Reason number {position}.")
            except BaseException as failure:  # noqa: BLE001 - reported by the test
                failures.append(failure)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(RACERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return done, failures


def test_one_of_several_simultaneous_withdrawals_wins(app, publish):
    patch_id = publish(title="Ledger hotfix", versions=["12.0"])
    download_everything(app, "premium@demo.test", patch_id)

    done, failures = _withdraw_at_once(app, patch_id)

    assert len(done) == 1
    assert len(failures) == RACERS - 1
    assert all(isinstance(failure, Conflict) for failure in failures)
    with app.app_context():
        assert db.session.get(Patch, patch_id).withdrawal_reason == done[0]
        told = db.session.scalars(select(OutboxEmail.body).where(
            OutboxEmail.subject.contains("is withdrawn"))).all()
        assert len(told) == 1 and f"Why: {done[0]}" in told[0]
        assert len(db.session.scalars(select(AuditEntry.id).where(
            AuditEntry.action == "patch.withdraw")).all()) == 1
