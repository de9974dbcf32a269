"""Every step of a critical alert's life reaches its subscribers in the app and by e-mail
through a real SMTP server; the home page shows the open alerts; concurrent publications on
PostgreSQL tell once."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from kb import db
from kb.alerts import critical
from kb.alerts.alert_models import Alert, AlertEvent
from kb.articles import service as articles
from kb.articles.fields import ensure_rendered
from kb.articles.models import Article
from tests.alerts.critical_helpers import (
    ERP,
    _alert_notices,
    _deliver,
    _lapsed_subscriber,
    _patch,
    _staff,
    _subscribe,
    _waiting_on_a_lock,
    _workaround,
)
from tests.conftest import on_postgres


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
