"""Articles and release notes (one table): one document per item."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from kb import markdown
from kb.articles.models import KINDS, Article
from kb.products.models import ProductVersion
from kb.search.documents import ContentType, gate, register

URL_PREFIX_BY_TYPE = {"article": "/articles/", "release-note": "/release-notes/"}


def load(session: Session, item_id: int) -> Article | None:
    return session.get(Article, item_id)


def load_many(session: Session, ids: Sequence[int]) -> Iterable[Article]:
    return session.scalars(
        select(Article).where(Article.id.in_(ids)).options(
            selectinload(Article.products),
            selectinload(Article.versions).selectinload(ProductVersion.product),
            selectinload(Article.release_version).selectinload(ProductVersion.product),
            selectinload(Article.tags),
        )
    )


def all_ids(session: Session) -> Iterable[int]:
    return session.scalars(select(Article.id).order_by(Article.id))


def documents(article: Article) -> list[dict[str, Any]]:
    body = article.rendered_text or ""
    if article.highlights:
        body = f"{markdown.render(article.highlights).text}\n{body}"
    versions = [f"{version.product.slug}@{version.name}" for version in article.versions]
    if article.release_version is not None:
        release = article.release_version
        versions.append(f"{release.product.slug}@{release.name}")
    return [{
        "key": f"{article.type}:{article.id}",
        "type": article.type,
        "title": article.title,
        "title_prefix": article.title,
        "identifiers": ",".join([article.slug, *(tag.name for tag in article.tags)]),
        "summary": article.summary or "",
        "body": body,
        "products": ",".join(product.slug for product in article.products),
        "versions": ",".join(dict.fromkeys(versions)),
        "kind": article.kind or "",
        "tags": ",".join(tag.name for tag in article.tags),
        "updated": article.updated_at,
        "url": URL_PREFIX_BY_TYPE[article.type] + article.slug,
        **gate(article),
    }]


register(ContentType(name="article", load=load, documents=documents, all_ids=all_ids,
                     load_many=load_many, kinds=KINDS))
