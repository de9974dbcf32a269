"""What the ``kb import`` tests share: writing a source file, a snapshot of every article,
release note and revision, an article by its slug."""

from __future__ import annotations

import textwrap
from pathlib import Path

from sqlalchemy import func, select

from kb import db
from kb.articles.models import Article, ArticleRevision, Tag
from kb.products.models import Product, ProductVersion
from kb.search.outbox import IndexTask


def write(folder: Path, relative: str, text: str) -> Path:
    path = folder / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"))
    return path


def snapshot() -> dict[str, object]:
    """Everything an import may change, to prove that a failed one changed nothing."""
    return {
        "articles": sorted(db.session.execute(select(
            Article.slug, Article.title, Article.body, Article.status, Article.source_hash,
            Article.updated_at)).all()),
        "revisions": db.session.scalar(select(func.count(ArticleRevision.id))),
        "tasks": db.session.scalar(select(func.count(IndexTask.id))),
        "products": db.session.scalar(select(func.count(Product.id))),
        "versions": db.session.scalar(select(func.count(ProductVersion.id))),
        "tags": db.session.scalar(select(func.count(Tag.id))),
    }


def article(slug: str) -> Article:
    db.session.expire_all()
    return db.session.scalar(select(Article).where(Article.slug == slug))
