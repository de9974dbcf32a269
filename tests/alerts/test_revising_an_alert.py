"""Staff rewrite an alert's title and summary while it runs, and tell its subscribers only if
they choose; a staff alert keeps its words when its workaround is published, and the note typed
when a draft workaround was linked is told once the draft is published."""

from __future__ import annotations

from sqlalchemy import select

from kb import db
from kb.accounts.models import AuditEntry
from kb.alerts import critical
from kb.alerts.alert_models import Alert
from kb.articles import service as articles
from kb.articles.models import Article
from tests.alerts.critical_helpers import (
    ERP,
    _alert_notices,
    _deliver,
    _edit,
    _staff,
    _subscribe,
    _workaround,
)


def _open_alert(app, title="Posting fails for locked periods") -> int:
    with app.app_context():
        return critical.open_alert(_staff(), title, "We are looking into it.", [ERP]).id


def _alert(app, alert_id: int) -> Alert:
    with app.app_context():
        alert = db.session.get(Alert, alert_id)
        db.session.expunge(alert)
        return alert


def test_staff_correct_an_alert_without_telling_anyone(app, auth, client, catalogue,
                                                      customer_on):
    reader = customer_on("xtreme")
    _subscribe(app, reader, ERP)
    alert_id = _open_alert(app)
    auth.login("staff@demo.test")
    page = auth.client.get(f"/staff/alerts/{alert_id}").get_data(as_text=True)
    assert "Edit what customers see" in page and "We are looking into it." in page

    saved = auth.post(f"/staff/alerts/{alert_id}/text", {
        "title": "Posting\nfails for closed periods", "summary": "Only closed periods."})

    assert saved.status_code == 302
    alert = _alert(app, alert_id)
    assert (alert.title, alert.summary, alert.own_text) == (
        "Posting fails for closed periods", "Only closed periods.", True)
    assert [kind for kind, _ in _alert_notices(app, reader)] == ["alert.opened"]
    with app.app_context():
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "alert.revise"))
        assert entry.before["title"] == "Posting fails for locked periods"
    auth.logout()
    auth.login(reader)
    shown = client.get(f"/alerts/{alert_id}").get_data(as_text=True)
    assert "Posting fails for closed periods" in shown and "Only closed periods." in shown


def test_staff_tell_subscribers_of_an_update_with_a_note(app, auth, runner, smtp, catalogue,
                                                         customer_on):
    reader = customer_on("xtreme")
    _subscribe(app, reader, ERP)
    alert_id = _open_alert(app)
    auth.login("staff@demo.test")

    told = auth.post(f"/staff/alerts/{alert_id}/text", {
        "title": "Posting fails for closed periods", "summary": "Only closed periods.",
        "tell": "y", "update_note": "Open periods are not affected."})

    assert told.status_code == 302
    assert _alert_notices(app, reader)[-1] == (
        "alert.revised", "Critical issue: Posting fails for closed periods — update")
    _deliver(runner)
    text = smtp.inbox.to(reader)[-1].get_body(("plain",)).get_content()
    assert "Only closed periods." in text and "Open periods are not affected." in text
    history = auth.client.get(f"/alerts/{alert_id}").get_data(as_text=True)
    assert "<strong>Update</strong>" in history


def test_a_bad_title_is_refused_and_what_was_typed_is_kept(app, auth, catalogue):
    alert_id = _open_alert(app)
    auth.login("staff@demo.test")
    refused = auth.post(f"/staff/alerts/{alert_id}/text", {
        "title": "x" * 501, "summary": "A summary worth keeping."})
    assert refused.status_code == 422
    assert "A summary worth keeping." in refused.get_data(as_text=True)
    assert _alert(app, alert_id).title == "Posting fails for locked periods"


def test_a_closed_alert_is_corrected_but_nobody_is_told(app, auth, catalogue, customer_on):
    reader = customer_on("xtreme")
    _subscribe(app, reader, ERP)
    alert_id = _open_alert(app)
    auth.login("staff@demo.test")
    assert auth.post(f"/staff/alerts/{alert_id}", {"state": "closed"}).status_code == 302

    refused = auth.post(f"/staff/alerts/{alert_id}/text", {
        "title": "Corrected", "summary": "", "tell": "y"})
    assert refused.status_code == 422 and "without telling anyone" in refused.get_data(
        as_text=True)
    assert auth.post(f"/staff/alerts/{alert_id}/text", {
        "title": "Corrected", "summary": ""}).status_code == 302
    assert _alert(app, alert_id).title == "Corrected"
    assert [kind for kind, _ in _alert_notices(app, reader)] == ["alert.opened", "alert.closed"]


def test_customers_cannot_revise_an_alert(app, auth, catalogue, customer_on):
    alert_id = _open_alert(app)
    auth.login(customer_on("elite"))
    answer = auth.post(f"/staff/alerts/{alert_id}/text", {"title": "Mine now", "summary": ""})
    assert answer.status_code in (403, 404)
    assert _alert(app, alert_id).title == "Posting fails for locked periods"


def test_a_staff_alert_keeps_its_words_and_the_draft_note_is_told_on_publication(
        app, auth, runner, smtp, catalogue, customer_on):
    reader = customer_on("xtreme")
    _subscribe(app, reader, ERP)
    alert_id = _open_alert(app)
    article_id = _workaround(app, "Workaround: post to an open period", status="draft")
    with app.app_context():
        slug = db.session.get(Article, article_id).slug
    auth.login("staff@demo.test")
    page = f"/staff/alerts/{alert_id}"

    linked = auth.post(page, {"state": "workaround", "article_slug": slug, "patch_id": "",
                              "note": "Restart the posting service afterwards."})

    assert linked.status_code == 302
    assert "with your note: “Restart the posting service afterwards.”" in auth.client.get(
        page).get_data(as_text=True)
    with app.app_context():
        articles.change_status(_staff(), db.session.get(Article, article_id), "published")
    alert = _alert(app, alert_id)
    assert (alert.title, alert.state, alert.pending_note) == (
        "Posting fails for locked periods", "workaround", "")
    _deliver(runner)
    text = smtp.inbox.to(reader)[-1].get_body(("plain",)).get_content()
    assert "Restart the posting service afterwards." in text
    assert "Workaround available" in auth.client.get(f"/alerts/{alert_id}").get_data(
        as_text=True)


def test_an_alert_opened_by_its_article_follows_the_articles_title(app, catalogue):
    article_id = _workaround(app, "Ledger totals double: workaround")
    with app.app_context():
        alert = critical.alert_of_article(db.session.get(Article, article_id))
        assert alert.title == "Ledger totals double: workaround" and not alert.own_text
    _edit(app, article_id, title="Ledger totals double: a safer workaround")
    with app.app_context():
        assert critical.alert_of_article(db.session.get(Article, article_id)).title == \
            "Ledger totals double: a safer workaround"


def test_a_double_submitted_update_is_told_once(app, auth, catalogue, customer_on):
    reader = customer_on("xtreme")
    _subscribe(app, reader, ERP)
    alert_id = _open_alert(app)
    auth.login("staff@demo.test")
    update = {"title": "Posting fails for closed periods", "summary": "Only closed periods.",
              "tell": "y", "update_note": "Open periods are not affected."}

    first, second = (auth.post(f"/staff/alerts/{alert_id}/text", update) for _ in range(2))

    assert first.status_code == second.status_code == 302
    assert [kind for kind, _ in _alert_notices(app, reader)].count("alert.revised") == 1
    with app.app_context():
        assert [event.kind for event in db.session.get(Alert, alert_id).events] == [
            "opened", "revised"]
    # a new note is a new update, even with the same words
    auth.post(f"/staff/alerts/{alert_id}/text", {**update, "update_note": "Now also 11.x."})
    assert [kind for kind, _ in _alert_notices(app, reader)].count("alert.revised") == 2


def test_staff_see_which_plans_an_alert_is_not_told_to(app, auth, catalogue):
    with app.app_context():
        for_everyone = critical.open_alert(_staff(), "Posting fails", "", [ERP]).id
        for_elite = critical.open_alert(_staff(), "Elite add-on fails", "", [ERP],
                                        min_plan="elite").id
    article_id = _workaround(app, "Workaround: totals double", min_plan="premium")
    with app.app_context():
        by_article = db.session.scalar(select(Alert.id).where(Alert.article_id == article_id))
    auth.login("staff@demo.test")

    def warning(alert_id: int) -> str:
        page = auth.client.get(f"/staff/alerts/{alert_id}").get_data(as_text=True)
        start = page.find('id="not-told-to-all"')
        return "" if start < 0 else " ".join(page[start:page.index("</p>", start)].split())

    assert warning(for_everyone) == ""
    assert "Customers on Xtreme and Premium are not told of this issue: it was opened for " \
        "Elite only." in warning(for_elite)
    assert "Customers on Xtreme are not told of this issue: its workaround article is for " \
        "Premium and Elite." in warning(by_article)
