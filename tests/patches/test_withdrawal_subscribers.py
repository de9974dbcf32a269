"""A withdrawn patch is news for the product's subscribers, not only for its downloaders: each
subscriber of a version it applies to (or of every version) who may read it is told once, in the
portal and by e-mail as their patch-news preferences choose, what to install instead; a
downloader who also subscribes gets the recall alone; e-mail arrives at a real SMTP server."""

from __future__ import annotations

from sqlalchemy import select

from kb import db
from kb.accounts.queries import user_by_email
from kb.alerts import preferences, subscriptions
from kb.notifications import Notification
from kb.products.service import ensure_product, ensure_version
from tests.alerts.conftest import smtp, smtp_server  # noqa: F401 - the real SMTP server
from tests.patches.test_withdrawal import REASON, download_everything, hotfix, withdraw  # noqa: F401
from tests.sessions.message_helpers import _deliver, _text

WITHDRAWN = "“Ledger hotfix” is withdrawn"


def _subscribe(app, email: str, version: str | None = None) -> None:
    with app.app_context():
        ensure_version(ensure_product("Orbit ERP"), "11.0")
        subscriptions.subscribe(user_by_email(email), "Orbit ERP", version)
        db.session.commit()


def _withdrawal_notices(app, email: str) -> list[str]:
    with app.app_context():
        return db.session.scalars(select(Notification.kind).where(
            Notification.user_id == user_by_email(email).id,
            Notification.title == WITHDRAWN)).all()


def test_subscribers_who_may_read_it_are_told_once_with_the_replacement(
        app, runner, smtp, staff_client, hotfix, customer_on):  # noqa: F811
    every, version, other_version, xtreme, quiet, downloader = (
        customer_on(plan) for plan in ("premium", "premium", "premium", "xtreme", "premium",
                                       "premium"))
    for email in (every, xtreme, quiet, downloader):
        _subscribe(app, email)
    _subscribe(app, version, "12.0")
    _subscribe(app, other_version, "11.0")
    with app.app_context():
        preferences.save(user_by_email(quiet), {("patch", "email"): False,
                                                ("patch", "in_app"): False}, {}, [])
    download_everything(app, downloader, hotfix["hotfix"])

    assert withdraw(staff_client, hotfix["hotfix"],
                    replacement=str(hotfix["service_pack"])).status_code == 302
    _deliver(runner)

    def withdrawn_mail(email):
        return [m for m in smtp.inbox.to(email) if m["Subject"].endswith(WITHDRAWN)]

    for email in (every, version):
        [message] = withdrawn_mail(email)
        text = _text(message)
        assert text.startswith("You follow news of patch “Ledger hotfix” for Orbit ERP")
        assert REASON in text and "Install service pack “Service pack 2” instead" in text
        assert "recall" not in text and message["List-Unsubscribe"]
        assert _withdrawal_notices(app, email) == ["patch.withdrawn"]
    [recall] = withdrawn_mail(downloader)
    assert "This is a recall notice." in _text(recall)
    assert _withdrawal_notices(app, downloader) == ["patch.withdrawn"]
    for email in (other_version, xtreme, quiet):
        assert withdrawn_mail(email) == [] and _withdrawal_notices(app, email) == []
