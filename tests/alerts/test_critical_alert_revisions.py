"""Critical-issue alerts told only to those who asked and may read them, once per revision:
publishing a critical article (editor, ``kb import``, a scheduled publication) opens its alert,
a substantive update tells again and a re-save tells nobody."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from kb import db
from kb.accounts.queries import user_by_email
from kb.alerts import critical, subscriptions
from kb.alerts.alert_models import Alert
from kb.articles import service as articles
from kb.articles.models import Article
from kb.db import utcnow
from tests.alerts.critical_helpers import (
    CONTENT,
    ERP,
    _alert_notices,
    _deliver,
    _edit,
    _lapsed_subscriber,
    _staff,
    _subscribe,
    _workaround,
)


@pytest.mark.parametrize("min_plan, told_plans", [
    ("xtreme", {"xtreme", "premium", "elite"}),
    ("premium", {"premium", "elite"}),
    ("elite", {"elite"}),
])
def test_only_entitled_subscribers_of_the_product_and_version_are_told(
        app, runner, smtp, catalogue, customer_on, min_plan, told_plans):
    subscribed = {plan: customer_on(plan) for plan in ("xtreme", "premium", "elite")}
    for email in subscribed.values():
        _subscribe(app, email, ERP, "12.0")
    every_version = customer_on("elite")
    _subscribe(app, every_version, ERP)
    lapsed = _lapsed_subscriber(app, customer_on)
    unsubscribed = customer_on("elite")
    other_product = customer_on("elite")
    _subscribe(app, other_product, "Orbit Analytics")
    other_version = customer_on("elite")
    _subscribe(app, other_version, ERP, "11.1")
    # subscribed, then gone
    left = customer_on("elite")
    _subscribe(app, left, ERP)
    with app.app_context():
        user = user_by_email(left)
        [subscription] = subscriptions.subscriptions_of(user)
        subscriptions.unsubscribe(user, subscription.id)

    _workaround(app, min_plan=min_plan)
    _deliver(runner)

    expected = {subscribed[plan] for plan in told_plans} | {every_version}
    received = {message["To"] for message in smtp.inbox.messages}
    assert received == expected
    for email in expected:
        [(kind, title)] = _alert_notices(app, email)
        assert kind == "alert.workaround" and "workaround available" in title
    for email in {subscribed[p] for p in subscribed if p not in told_plans} | {
            lapsed, unsubscribed, other_product, other_version, left}:
        assert _alert_notices(app, email) == []
    [message] = smtp.inbox.to(every_version)
    assert "Ledger totals double" in message["Subject"]
    assert "/articles/" in message.get_body(("plain",)).get_content()


def test_told_once_per_revision_a_re_save_tells_nobody_a_substantive_update_tells_again(
        app, runner, smtp, catalogue, customer_on):
    reader = customer_on("premium")
    _subscribe(app, reader, ERP)
    article_id = _workaround(app)
    assert [kind for kind, _ in _alert_notices(app, reader)] == ["alert.workaround"]

    _edit(app, article_id)  # saved again as it was
    _edit(app, article_id, tags=["ledger"], summary="For the ledger.")  # nothing readers read
    _edit(app, article_id, body="Set `ledger.recount` to false, then restart.\n")  # same text
    assert len(_alert_notices(app, reader)) == 1

    _edit(app, article_id, body="Set `ledger.recount` to false, restart, and re-run totals.")
    _edit(app, article_id, versions=["11.1", "12.0"])
    _edit(app, article_id, title="Ledger totals double after the 12.0 upgrade")
    notices = _alert_notices(app, reader)
    assert [kind for kind, _ in notices] == ["alert.workaround"] + ["alert.updated"] * 3
    _deliver(runner)
    assert len(smtp.inbox.to(reader)) == 4
    with app.app_context():
        [alert] = db.session.scalars(select(Alert)).all()
        assert [event.number for event in alert.events] == [1, 2, 3, 4]
        assert alert.state == "workaround"


def test_a_draft_tells_nobody_until_it_is_published(app, catalogue, customer_on):
    reader = customer_on("xtreme")
    _subscribe(app, reader, ERP)
    article_id = _workaround(app, status="draft")
    assert _alert_notices(app, reader) == []
    with app.app_context():
        articles.change_status(_staff(), db.session.get(Article, article_id), "published")
    assert [kind for kind, _ in _alert_notices(app, reader)] == ["alert.workaround"]
    with app.app_context():  # archived and published again, unchanged: already told
        article = db.session.get(Article, article_id)
        articles.change_status(_staff(), article, "archived")
        articles.change_status(_staff(), article, "published")
    assert len(_alert_notices(app, reader)) == 1


def test_kb_import_of_a_critical_file_tells_once_per_substantive_change(
        app, runner, catalogue, customer_on, tmp_path):
    reader = customer_on("elite")
    _subscribe(app, reader, ERP, "12.0")
    folder = tmp_path / "content"
    folder.mkdir()
    page = folder / "posting-hangs.md"
    page.write_text(CONTENT)

    def import_folder() -> None:
        result = runner.invoke(args=["import", str(folder)])
        assert result.exit_code == 0, result.output

    import_folder()
    import_folder()
    assert [kind for kind, _ in _alert_notices(app, reader)] == ["alert.workaround"]
    page.write_text(CONTENT.replace("post again.", "post again; see ERP-5120."))
    import_folder()
    assert [kind for kind, _ in _alert_notices(app, reader)] == ["alert.workaround",
                                                                 "alert.updated"]


def test_the_content_hash_ignores_what_readers_do_not_read(app, catalogue):
    article_id = _workaround(app)
    with app.app_context():
        article = db.session.get(Article, article_id)
        before = critical.substance_hash(article)
        article.summary, article.kind = "Other summary", "how-to"
        assert critical.substance_hash(article) == before
        article.title = "Another title"
        assert critical.substance_hash(article) != before


def test_a_workaround_scheduled_for_later_is_told_when_its_time_has_come(
        app, runner, smtp, catalogue, customer_on):
    reader = customer_on("premium")
    _subscribe(app, reader, ERP)
    article_id = _workaround(app, publish_at=utcnow() + timedelta(hours=2))
    _deliver(runner)
    assert _alert_notices(app, reader) == []
    with app.app_context():  # the time has come
        db.session.get(Article, article_id).publish_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
    _deliver(runner)  # runs the due jobs, then delivers
    _deliver(runner)
    assert [kind for kind, _ in _alert_notices(app, reader)] == ["alert.workaround"]
    assert len(smtp.inbox.to(reader)) == 1
