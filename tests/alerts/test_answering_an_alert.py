"""A workaround written in the article editor answers the open alert staff choose there: publishing
it moves that alert on, instead of opening a second alert for the same issue."""

from __future__ import annotations

from sqlalchemy import func, select

from kb import db
from kb.alerts import critical
from kb.alerts.alert_models import Alert
from kb.articles.models import Article
from tests.a11y import described_by, problems, refused_summary
from tests.alerts.critical_helpers import ERP, _alert_notices, _staff, _subscribe

WORKAROUND = {"type": "article", "title": "Workaround: re-import the IdP metadata",
              "kind": "workaround", "critical": "y", "min_plan": "xtreme", "products": ERP,
              "versions": "12.0", "body": "Re-import the metadata, then sign in again.",
              "summary": "", "tags": "", "note": "", "action": "publish"}


def _open_alert(app) -> int:
    with app.app_context():
        return critical.open_alert(_staff(), "Terminal sign-in refused", "We are looking.",
                                   [ERP]).id


def _alerts(app) -> list[tuple[int, str, int | None]]:
    with app.app_context():
        return list(db.session.execute(
            select(Alert.id, Alert.state, Alert.article_id).order_by(Alert.id)))


def test_a_workaround_published_for_an_open_alert_moves_that_alert_on(
        app, auth, catalogue, customer_on):
    reader = customer_on("xtreme")
    _subscribe(app, reader, ERP)
    alert_id = _open_alert(app)
    auth.login("staff@demo.test")
    editor = auth.client.get("/staff/articles/new").get_data(as_text=True)
    assert f'value="{alert_id}"' in editor and "Terminal sign-in refused" in editor

    saved = auth.post("/staff/articles/new", {**WORKAROUND, "answers_alert": str(alert_id)})

    assert saved.status_code == 302
    [(only_id, state, article_id)] = _alerts(app)
    assert (only_id, state) == (alert_id, "workaround") and article_id is not None
    edit_page = auth.client.get(saved.headers["Location"]).get_data(as_text=True)
    assert f'<option selected value="{alert_id}">' in edit_page \
        or f'<option value="{alert_id}" selected>' in edit_page
    assert len([kind for kind, _ in _alert_notices(app, reader)]) == 2  # opened, workaround


def test_without_a_chosen_alert_a_workaround_opens_its_own(app, auth, catalogue):
    alert_id = _open_alert(app)
    auth.login("staff@demo.test")
    assert auth.post("/staff/articles/new", {**WORKAROUND, "answers_alert": ""}).status_code \
        == 302
    assert [(row[0], row[1]) for row in _alerts(app)] == [(alert_id, "investigating"),
                                                         (alert_id + 1, "workaround")]


def test_an_alert_with_a_workaround_already_cannot_be_answered_again(app, auth, catalogue):
    alert_id = _open_alert(app)
    auth.login("staff@demo.test")
    auth.post("/staff/articles/new", {**WORKAROUND, "answers_alert": str(alert_id)})
    again = auth.post("/staff/articles/new", {**WORKAROUND, "title": "Another workaround",
                                              "answers_alert": str(alert_id)})
    assert again.status_code == 422
    tree, summary = refused_summary(again, "article-problem")
    message = f"Alert #{alert_id} has its workaround already."
    assert problems(summary) == {"#answers_alert": f"Answers the alert: {message}"}
    assert described_by(tree, "answers_alert")[-1] == message
    with app.app_context():
        assert db.session.scalar(select(func.count(Alert.id))) == 1


def test_an_alert_that_does_not_exist_is_refused_beside_its_field(app, auth, catalogue):
    alert_id = _open_alert(app)
    auth.login("staff@demo.test")
    missing = alert_id + 1000

    refused = auth.post("/staff/articles/new", {**WORKAROUND, "answers_alert": str(missing)})

    assert refused.status_code == 422
    tree, summary = refused_summary(refused, "article-problem")
    message = f"There is no alert #{missing}. Choose one of the open alerts, or none."
    assert problems(summary) == {"#answers_alert": f"Answers the alert: {message}"}
    assert described_by(tree, "answers_alert")[-1] == message
    assert tree.get_element_by_id("title").get("value") == WORKAROUND["title"]
    assert _alerts(app) == [(alert_id, "investigating", None)]
    with app.app_context():
        assert not db.session.scalar(select(func.count(Article.id)).where(
            Article.title == WORKAROUND["title"]))
