"""An article's revisions: each save records the article's state as the next one."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select

from kb import db, plans
from kb.accounts.models import User
from kb.articles.fields import ArticleFields, version_names
from kb.articles.models import (
    IMAGE_FACTS,
    Article,
    ArticleImage,
    ArticleRevision,
    ArticleRevisionImage,
)


def field_snapshot(article: Article) -> dict[str, Any]:
    """The article's fields other than title, summary and body, for a revision."""
    return {
        "type": article.type,
        "slug": article.slug,
        "kind": article.kind,
        "products": [p.name for p in article.products],
        "versions": version_names(article),
        "tags": [t.name for t in article.tags],
        "min_plan": article.min_plan,
        "critical": article.critical,
        "status": article.status,
        "publish_at": article.publish_at.isoformat() if article.publish_at else None,
        "product": article.release_product.name if article.release_product else None,
        "version": article.release_version.name if article.release_version else None,
        "released_on": article.released_on.isoformat() if article.released_on else None,
        "highlights": article.highlights,
    }


def add_revision(article: Article, author: User | None, note: str = "") -> ArticleRevision:
    """Record the article's current state as its next revision. Does not commit."""
    db.session.flush()
    last = db.session.scalar(
        select(func.max(ArticleRevision.number)).where(ArticleRevision.article_id == article.id)
    )
    revision = ArticleRevision(
        article_id=article.id,
        number=(last or 0) + 1,
        title=article.title,
        summary=article.summary,
        body=article.body,
        fields=field_snapshot(article),
        author_id=author.id if author is not None else None,
        note=note[:300],
        images=[ArticleRevisionImage(**{fact: getattr(image, fact) for fact in IMAGE_FACTS})
                for image in db.session.scalars(select(ArticleImage).where(
                    ArticleImage.article_id == article.id).order_by(ArticleImage.name))],
    )
    db.session.add(revision)
    return revision


def fields_of_revision(revision: ArticleRevision) -> ArticleFields:
    """The ``ArticleFields`` a revision recorded (the slug left out: slugs stay stable)."""
    saved = revision.fields or {}
    publish_at = saved.get("publish_at")
    released_on = saved.get("released_on")
    return ArticleFields(
        title=revision.title, summary=revision.summary, body=revision.body,
        type=saved.get("type", "article"), kind=saved.get("kind"),
        products=list(saved.get("products", [])), versions=list(saved.get("versions", [])),
        tags=list(saved.get("tags", [])), min_plan=saved.get("min_plan", plans.LOWEST_PLAN),
        critical=bool(saved.get("critical", False)), status=saved.get("status", "draft"),
        publish_at=datetime.fromisoformat(publish_at) if publish_at else None,
        product=saved.get("product"), version=saved.get("version"),
        released_on=date.fromisoformat(released_on) if released_on else None,
        highlights=saved.get("highlights", ""),
    )
