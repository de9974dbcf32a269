"""The demo's incidents link articles of their own product."""

from __future__ import annotations

from sqlalchemy import select

from kb import db
from kb.articles.models import Article
from kb.db import utcnow
from kb.products.service import ensure_product
from kb.support.demo import load
from kb.support.models import Incident


def _article(slug: str, title: str, product: str) -> None:
    db.session.add(Article(slug=slug, title=title, status="published", min_plan="xtreme",
                           published_at=utcnow(), products=[ensure_product(product)]))


def test_the_demo_links_an_article_of_the_incidents_own_product(desk):
    with desk.app_context():
        _article("cash-flow-dashboard", "Build a cash-flow dashboard", "Orbit Analytics")
        _article("sftp-connector", "Create an SFTP connector", "Orbit Integration Hub")
        db.session.commit()
        load(lambda _line: None)
        incident = db.session.scalar(select(Incident).where(
            Incident.title == "Retry queue grows overnight"))
        assert [article.title for article in incident.articles] == ["Create an SFTP connector"]
        assert incident.product.name == "Orbit Integration Hub"
