"""Critical-issue alerts told only to those who asked and may read them, once per revision:
publishing a critical article (editor, ``kb import``) opens its alert, a substantive update
tells again and a re-save tells nobody; every step of an alert's life reaches its subscribers
in the app and by e-mail through a real SMTP server; concurrent publications on PostgreSQL
tell once; new patches reach their product's subscribers as the patch page's gate allows."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select, text

from kb import db, policy
from kb.accounts.queries import user_by_email
from kb.alerts import critical, subscriptions
from kb.alerts.models import Alert, AlertEvent
from kb.articles import service as articles
from kb.articles.fields import ArticleFields, ensure_rendered
from kb.articles.models import Article, ArticleRevision
from kb.articles.revisions import fields_of_revision
from kb.db import utcnow
from kb.notifications import Notification
from kb.patches import service as patches
from kb.products import service as products
from kb.storage import file_store
from tests.conftest import on_postgres

ERP = "Orbit ERP"


@pytest.fixture
def catalogue(app, demo_accounts):
    """Orbit ERP 11.1 and 12.0, and Orbit Analytics."""
    with app.app_context():
        erp = products.ensure_product(ERP)
        products.ensure_version(erp, "11.1")
        products.ensure_version(erp, "12.0")
        products.ensure_product("Orbit Analytics")
        db.session.commit()


def _subscribe(app, email: str, product: str = ERP, version: str | None = None) -> None:
    with app.app_context():
        subscriptions.subscribe(user_by_email(email), product, version)


def _lapsed_subscriber(app, customer_on, plan: str = "elite", product: str = ERP) -> str:
    """A customer who subscribed while their term ran, and whose term has ended since."""
    email = customer_on(plan)
    _subscribe(app, email, product)
    with app.app_context():
        organization = user_by_email(email).organization
        organization.term_start -= timedelta(days=400)
        organization.term_end = policy.today() - timedelta(days=1)
        db.session.commit()
    return email


def _staff():
    return user_by_email("staff@demo.test")


def _workaround(app, title="Ledger totals double after 12.0 upgrade", *, min_plan="xtreme",
                body="Set `ledger.recount` to false, then restart.", status="published",
                **fields) -> int:
    with app.app_context():
        return articles.create_article(_staff(), ArticleFields(
            title=title, body=body, kind="workaround", critical=True, min_plan=min_plan,
            products=[ERP], versions=["12.0"], status=status, **fields)).id


def _edit(app, article_id: int, **changes) -> None:
    """Save the article again through the editor's service, with ``changes``."""
    with app.app_context():
        article = db.session.get(Article, article_id)
        latest = db.session.scalar(select(ArticleRevision).where(
            ArticleRevision.article_id == article.id).order_by(ArticleRevision.number.desc()))
        fields = fields_of_revision(latest)
        for name, value in changes.items():
            setattr(fields, name, value)
        articles.update_article(_staff(), article, fields)


def _alert_notices(app, email: str) -> list[tuple[str, str]]:
    """(kind, title) of the user's alert and patch notifications, oldest first."""
    with app.app_context():
        rows = db.session.scalars(select(Notification).where(
            Notification.user_id == user_by_email(email).id).order_by(Notification.id))
        return [(row.kind, row.title) for row in rows]


def _deliver(runner) -> None:
    result = runner.invoke(args=["outbox", "run", "--once"])
    assert result.exit_code == 0, result.output


# --- who is told -----------------------------------------------------------------------------

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


# --- once per revision -----------------------------------------------------------------------

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


CONTENT = """---
title: Posting hangs on locked periods
kind: workaround
critical: true
products: [Orbit ERP]
versions: ["12.0"]
---
Unlock the period first, then post again.
"""


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


# --- an alert's life -------------------------------------------------------------------------

def _patch(app, title: str, *, min_plan="xtreme", versions=("12.0",), publish=True) -> int:
    with app.app_context():
        staged = file_store().stage(filename="fix.zip")
        staged.write(b"patch " + title.encode())
        return patches.publish_patch(_staff(), patches.PatchDetails(
            product=ERP, title=title, versions=list(versions), kind="service-pack",
            min_plan=min_plan), [patches.Upload("fix.zip", staged)], publish=publish).id


def test_every_step_of_an_alerts_life_reaches_its_subscribers(
        app, client, auth, runner, smtp, catalogue, customer_on):
    reader, lapsed = customer_on("xtreme"), _lapsed_subscriber(app, customer_on, "xtreme")
    _subscribe(app, reader, ERP, "12.0")

    auth.login("staff@demo.test")
    opened = auth.post("/staff/alerts", {
        "title": "Posting fails for locked periods", "summary": "We are looking into it.",
        "products": ERP, "versions": "12.0", "min_plan": "xtreme"})
    assert opened.status_code == 302, opened.get_data(as_text=True)
    page = opened.headers["Location"]
    alert_id = int(page.rsplit("/", 1)[-1])

    article_id = _workaround(app, "Posting fails for locked periods: workaround",
                             status="draft")
    with app.app_context():
        slug = db.session.get(Article, article_id).slug
    linked = auth.post(page, {"state": "workaround", "article_slug": slug, "patch_id": ""})
    assert linked.status_code == 302
    assert [kind for kind, _ in _alert_notices(app, reader)] == ["alert.opened"]
    with app.app_context():  # publishing the linked draft takes the step
        articles.change_status(_staff(), db.session.get(Article, article_id), "published")

    patch_id = _patch(app, "Service pack 12.0.3")
    fixed = auth.post(page, {"state": "fixed", "patch_id": str(patch_id), "article_slug": "",
                             "note": "Install SP3."})
    assert fixed.status_code == 302
    backwards = auth.post(page, {"state": "workaround", "article_slug": slug})
    assert backwards.status_code == 422 and "only moves forward" in backwards.get_data(
        as_text=True)
    assert auth.post(page, {"state": "closed"}).status_code == 302

    assert [kind for kind, _ in _alert_notices(app, reader)] == [
        "alert.opened", "alert.workaround", "patch.published", "alert.fixed", "alert.closed"]
    assert _alert_notices(app, lapsed) == []
    _deliver(runner)
    subjects = [message["Subject"] for message in smtp.inbox.to(reader)]
    assert len(subjects) == 5 and "closed" in subjects[-1]
    assert "Install SP3." in smtp.inbox.to(reader)[3].get_body(("plain",)).get_content()
    with app.app_context():
        alert = db.session.get(Alert, alert_id)
        assert [(e.kind, e.told) for e in alert.events] == [
            ("opened", 1), ("workaround", 1), ("fixed", 1), ("closed", 1)]
        assert alert.article_id == article_id and alert.patch_id == patch_id

    auth.logout()
    auth.login(reader)
    history = client.get(f"/alerts/{alert_id}").get_data(as_text=True)
    for step in ("Under investigation", "Workaround available", "Fixed", "Closed",
                 "Install SP3."):
        assert step in history


def test_home_page_shows_open_alerts_of_the_organisations_and_subscribed_products(
        app, client, auth, catalogue):
    with app.app_context():
        staff = _staff()
        erp = critical.open_alert(staff, "ERP posting stalls", "", [ERP])
        analytics = critical.open_alert(staff, "Analytics cubes empty", "", ["Orbit Analytics"])
        elite_only = critical.open_alert(staff, "Elite-only ERP issue", "", [ERP],
                                         min_plan="elite")
        critical.open_alert(staff, "ERP 11.1 only issue", "", [ERP], ["11.1"])
        closed = critical.open_alert(staff, "Old ERP issue", "", [ERP])
        critical.advance(staff, closed.id, "closed")
        erp_id, analytics_id = erp.id, analytics.id
        assert elite_only.id
    article_id = _workaround(app, "Ledger totals double")
    with app.app_context():
        slug = db.session.get(Article, article_id).slug
    auth.login("premium@demo.test")  # Contoso runs Orbit ERP 12.0
    home = client.get("/").get_data(as_text=True)
    assert "ERP posting stalls" in home and f"/alerts/{erp_id}" in home
    assert f"/articles/{slug}" in home  # the workaround, linked from its alert
    assert "Analytics cubes empty" not in home
    assert "Elite-only ERP issue" not in home and "Old ERP issue" not in home
    assert "ERP 11.1 only issue" not in home  # Contoso runs 12.0
    _subscribe(app, "premium@demo.test", "Orbit Analytics")
    home = client.get("/").get_data(as_text=True)
    assert f"/alerts/{analytics_id}" in home
    assert client.get(f"/alerts/{elite_only.id}").status_code == 403


# --- concurrency -----------------------------------------------------------------------------

def _waiting_on_a_lock(app) -> bool:
    with app.app_context():
        return bool(db.session.scalar(text(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
            "AND datname = current_database()")))


@pytest.mark.skipif(not on_postgres(), reason="concurrent transactions need PostgreSQL")
@pytest.mark.parametrize("already_told", [False, True], ids=["first", "update"])
def test_concurrent_announcements_tell_once(app, catalogue, customer_on, already_told):
    reader = customer_on("premium")
    _subscribe(app, reader, ERP)
    article_id = _workaround(app, status="published" if already_told else "draft")
    with app.app_context():
        article = db.session.get(Article, article_id)
        if already_told:
            article.body = "A better workaround: recount overnight."
        else:
            article.status = "published"
        ensure_rendered(article)
        db.session.commit()

    # one transaction announces and holds its locks; a second announces meanwhile
    holder = app.app_context()
    holder.push()
    critical.announce_article(db.session.get(Article, article_id))
    outcome = {}

    def second():
        with app.app_context():
            outcome["event"] = critical.announce_article(db.session.get(Article, article_id))
            db.session.commit()

    thread = threading.Thread(target=second)
    thread.start()
    while not _waiting_on_a_lock(app) and thread.is_alive():
        thread.join(0.05)
    db.session.commit()
    holder.pop()
    thread.join()

    assert outcome["event"] is None
    with app.app_context():
        assert db.session.scalar(select(func.count(Alert.id))) == 1
        assert db.session.scalar(select(func.count(AlertEvent.id))) == (2 if already_told else 1)
    assert len(_alert_notices(app, reader)) == (2 if already_told else 1)


# --- new patches -----------------------------------------------------------------------------

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
