"""The article editor's list dates a change in the staff member's own time zone, named, as the
incident queue does; the history and the audit log keep UTC, which their headings say."""

from __future__ import annotations

from datetime import UTC, datetime

from kb import db
from kb.accounts.queries import user_by_email
from kb.articles import queries
from kb.articles.models import Article
from tests.articles import web_fixtures

write_article = web_fixtures.write_article  # a fixture shared by the article tests

CHANGED = datetime(2030, 3, 4, 22, 30, tzinfo=UTC)  # 07:30 the next morning in Tokyo


def test_editor_list_shows_times_in_the_staff_members_zone_and_history_keeps_utc(
        app, client, auth, write_article):
    slug = write_article("Posting job tuning", "Body.")
    with app.app_context():
        user_by_email("staff@demo.test").time_zone = "Asia/Tokyo"
        article = db.session.get(Article, queries.find_by_slug(None, slug)[0].id)
        article.updated_at = CHANGED
        article_id = article.id
        db.session.commit()
    auth.login("staff@demo.test")
    assert "2030-03-05 07:30 JST" in client.get("/staff/articles/").get_data(as_text=True)
    history = client.get(f"/staff/articles/{article_id}/history").get_data(as_text=True)
    assert "When (UTC)" in history and " JST" not in history
    audit = client.get("/staff/audit").get_data(as_text=True)
    assert "When (UTC)" in audit and " JST" not in audit

