"""An alert opened by its workaround article is titled by the issue the article names: customers
read "X fails" with the state "Workaround available", not "Workaround: X fails", and the list
links the workaround once without repeating the title."""

from __future__ import annotations

import re

from sqlalchemy import select

from kb import db
from kb.alerts.alert_models import Alert, issue_title
from kb.articles import service as articles
from kb.articles.models import Article
from tests.alerts.critical_helpers import (
    ERP,
    _alert_notices,
    _edit,
    _staff,
    _subscribe,
    _workaround,
)


def _alert_of(app, article_id: int) -> tuple[int, str]:
    with app.app_context():
        alert = db.session.scalar(select(Alert).where(Alert.article_id == article_id))
        return alert.id, alert.title


def _open_alert_item(page: str, alert_id: int) -> str:
    found = re.search(rf'<li class="alert-item">(?:(?!</li>).)*?/alerts/{alert_id}".*?</li>',
                      page, re.S)
    assert found, page
    return found.group(0)


def test_the_issue_title_drops_a_leading_workaround_label():
    assert issue_title("Workaround: posting fails (12.0)") == "Posting fails (12.0)"
    assert issue_title("workaround – posting fails") == "Posting fails"
    assert issue_title("Posting fails: workaround") == "Posting fails: workaround"
    assert issue_title("Workaround:") == "Workaround:"
    assert issue_title("Workaround-free posting fails") == "Workaround-free posting fails"
    assert issue_title("Workaround - posting fails") == "Posting fails"


def test_an_alert_opened_by_its_article_is_titled_by_the_issue(app, auth, client, catalogue,
                                                               customer_on):
    reader = customer_on("xtreme")
    _subscribe(app, reader, ERP, "12.0")
    article_id = _workaround(app, "Workaround: ledger totals double after the 12.0 upgrade")
    alert_id, title = _alert_of(app, article_id)
    assert title == "Ledger totals double after the 12.0 upgrade"
    assert _alert_notices(app, reader) == [
        ("alert.workaround", "Critical issue: Ledger totals double after the 12.0 upgrade — "
                             "workaround available")]

    auth.login(reader)
    item = _open_alert_item(client.get("/alerts").get_data(as_text=True), alert_id)
    assert item.count("Workaround") == 1  # the state alone, not the title nor the link
    with app.app_context():
        slug = db.session.get(Article, article_id).slug
    assert f'<a href="/articles/{slug}">Read the workaround</a>' in item
    assert "Ledger totals double after the 12.0 upgrade" in item

    # the alert follows its article's new title, still without the label
    _edit(app, article_id, title="Workaround: ledger totals double after upgrading to 12.0")
    assert _alert_of(app, article_id)[1] == "Ledger totals double after upgrading to 12.0"


def test_a_workaround_titled_apart_from_its_alert_is_named(app, auth, client, catalogue,
                                                          customer_on):
    reader = customer_on("xtreme")
    _subscribe(app, reader, ERP, "12.0")
    auth.login("staff@demo.test")
    opened = auth.post("/staff/alerts", {
        "title": "Posting fails for locked periods", "summary": "We are looking into it.",
        "products": ERP, "versions": "12.0", "min_plan": "xtreme"})
    page = opened.headers["Location"]
    alert_id = int(page.rsplit("/", 1)[-1])
    article_id = _workaround(app, "Unlock the period before posting", status="draft")
    with app.app_context():
        slug = db.session.get(Article, article_id).slug
    assert auth.post(page, {"state": "workaround", "article_slug": slug}).status_code == 302
    with app.app_context():
        articles.change_status(_staff(), db.session.get(Article, article_id), "published")
    auth.logout()

    auth.login(reader)
    item = _open_alert_item(client.get("/alerts").get_data(as_text=True), alert_id)
    assert "Posting fails for locked periods" in item
    assert f'Workaround: <a href="/articles/{slug}">Unlock the period before posting</a>' in item
