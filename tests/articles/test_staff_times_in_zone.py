"""The article editor's list and an article's history date changes in the staff member's own
time zone, named, as the incident queue does."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from kb import db
from kb.accounts.queries import user_by_email
from kb.articles import queries
from kb.articles.models import Article, ArticleRevision
from tests.articles import web_fixtures

write_article = web_fixtures.write_article  # a fixture shared by the article tests

CHANGED = datetime(2030, 3, 4, 22, 30, tzinfo=UTC)  # 07:30 the next morning in Tokyo


def test_editor_list_and_history_show_times_in_the_staff_members_zone(
        app, client, auth, write_article):
    slug = write_article("Posting job tuning", "Body.")
    with app.app_context():
        user_by_email("staff@demo.test").time_zone = "Asia/Tokyo"
        article = db.session.get(Article, queries.find_by_slug(None, slug)[0].id)
        article.updated_at = CHANGED
        for revision in db.session.scalars(select(ArticleRevision).where(
                ArticleRevision.article_id == article.id)):
            revision.created_at = CHANGED
        article_id = article.id
        db.session.commit()
    auth.login("staff@demo.test")
    assert "2030-03-05 07:30 JST" in client.get("/staff/articles/").get_data(as_text=True)
    history = client.get(f"/staff/articles/{article_id}/history").get_data(as_text=True)
    assert "2030-03-05 07:30:00 JST" in history


def test_audit_log_names_the_staff_members_zone(app, client, auth, write_article):
    write_article("Posting job tuning", "Body.")
    with app.app_context():
        user_by_email("staff@demo.test").time_zone = "Asia/Tokyo"
        db.session.commit()
    auth.login("staff@demo.test")
    assert " JST</td>" in client.get("/staff/audit").get_data(as_text=True)
