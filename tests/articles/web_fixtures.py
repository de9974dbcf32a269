"""Fixtures for the publishing, reading, access and API tests: articles written through the
service as the staff editor does, and lookups of their state."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from kb import db
from kb.accounts.queries import user_by_email
from kb.articles import service
from kb.articles.fields import ArticleFields
from kb.articles.models import Article, ArticleRevision
from tests.conftest import indexed_status


@pytest.fixture
def write_article(app, demo_accounts):
    """write_article(title, body="", linked=None, **ArticleFields) -> slug; published unless a
    status is given, written by staff@demo.test."""

    def write(title: str, body: str = "", *, linked: list[str] | None = None,
              author: str = "staff@demo.test", **fields) -> str:
        fields.setdefault("status", "published")
        with app.app_context():
            article = service.create_article(
                user_by_email(author), ArticleFields(title=title, body=body, **fields),
                linked_slugs=linked)
            return article.slug

    return write


@pytest.fixture
def article_state(app):
    """article_state(slug) -> dict of the stored article's status, slug, revisions, ..."""

    def state(slug: str) -> dict:
        with app.app_context():
            article = db.session.scalar(select(Article).where(Article.slug == slug))
            revisions = list(db.session.scalars(
                select(ArticleRevision).where(ArticleRevision.article_id == article.id)
                .order_by(ArticleRevision.number)))
            return {
                "id": article.id, "slug": article.slug, "title": article.title,
                "body": article.body, "status": article.status,
                "publish_at": article.publish_at, "source_root": article.source_root,
                "author": article.author.email if article.author else None,
                "revisions": [(r.number, r.note, r.author.email if r.author else None,
                               r.title, r.body) for r in revisions],
                "indexed_status": indexed_status(f"article:{article.id}"),
            }

    return state
