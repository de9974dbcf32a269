"""The staff alert page's "Next step" form starts from what the alert has: its linked
workaround article (a draft too) and its fix are the chosen options, never "(none)"."""

from __future__ import annotations

import re

from kb import db
from kb.alerts import critical
from kb.alerts.alert_models import Alert
from kb.articles.models import Article
from tests.alerts.critical_helpers import ERP, _patch, _staff, _workaround


def chosen(page: str, field: str) -> list[str]:
    """The labels of the chosen options of the form's ``field`` select."""
    select = re.search(rf'<select[^>]*name="{field}".*?</select>', page, re.S).group(0)
    return re.findall(r'<option[^>]* selected[^>]*>([^<]+)</option>', select)


def _alert_with_draft_workaround(app) -> tuple[int, str]:
    """An open alert whose workaround, linked, is still a draft."""
    article_id = _workaround(app, "Workaround: recount the ledger", status="draft")
    with app.app_context():
        slug = db.session.get(Article, article_id).slug
        alert_id = critical.open_alert(_staff(), "Ledger totals double", "", [ERP]).id
        critical.advance(_staff(), alert_id, "workaround", article_slug=slug)
    return alert_id, slug


def test_a_linked_draft_workaround_is_the_chosen_article(app, auth, catalogue):
    alert_id, slug = _alert_with_draft_workaround(app)
    auth.login("staff@demo.test")

    page = auth.client.get(f"/staff/alerts/{alert_id}").get_data(as_text=True)

    assert chosen(page, "article_slug") == ["Workaround: recount the ledger (current)"]
    assert f'value="{slug}"' in page


def test_a_published_workaround_and_a_fix_are_the_chosen_options(app, auth, catalogue):
    alert_id, slug = _alert_with_draft_workaround(app)
    fix = _patch(app, "Orbit ERP ledger fix")
    with app.app_context():
        article = db.session.get(Article, db.session.get(Alert, alert_id).article_id)
        article.status = "published"
        critical.announce_article(article, _staff())
        db.session.commit()
        assert db.session.get(Alert, alert_id).state == "workaround"
    auth.login("staff@demo.test")

    page = auth.client.get(f"/staff/alerts/{alert_id}").get_data(as_text=True)
    assert chosen(page, "article_slug") == ["Workaround: recount the ledger (current)"]
    assert chosen(page, "patch_id") == ["(none)"]

    with app.app_context():
        critical.advance(_staff(), alert_id, "fixed", patch_id=fix)
    page = auth.client.get(f"/staff/alerts/{alert_id}").get_data(as_text=True)
    assert chosen(page, "patch_id") == [f"Service pack #{fix}: Orbit ERP ledger fix (current)"]
