"""Every change to articles and release notes. Imports, the staff editor and the API all write
through these functions; each public operation commits and records the index change."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select

from kb import db, markdown, plans, search
from kb.accounts.models import User
from kb.articles.models import KINDS, STATUSES, TYPES, Article, ArticleRevision, Tag
from kb.db import utcnow
from kb.errors import Invalid
from kb.products import service as products


@dataclass
class ArticleFields:
    """Everything an author or a content file says about an article or release note."""

    title: str
    body: str = ""
    type: str = "article"
    slug: str | None = None
    summary: str = ""
    kind: str | None = None
    products: list[str] = field(default_factory=list)
    versions: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    min_plan: str = "xtreme"
    critical: bool = False
    status: str = "published"
    publish_at: datetime | None = None
    published: date | None = None
    product: str | None = None
    version: str | None = None
    released_on: date | None = None
    highlights: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def check_fields(fields: ArticleFields) -> None:
    """Raise ``Invalid`` naming the first value kb cannot accept."""
    if not fields.title.strip():
        raise Invalid("The title is empty.")
    if fields.type not in TYPES:
        raise Invalid(f"Unknown type {fields.type!r}; use one of {', '.join(TYPES)}.")
    if fields.kind is not None and fields.kind not in KINDS:
        raise Invalid(f"Unknown kind {fields.kind!r}; use one of {', '.join(KINDS)}.")
    if fields.min_plan not in plans.PLANS:
        raise Invalid(f"Unknown plan {fields.min_plan!r}; use one of {', '.join(plans.PLANS)}.")
    if fields.status not in STATUSES:
        raise Invalid(f"Unknown status {fields.status!r}; use one of {', '.join(STATUSES)}.")
    if fields.type == "release-note" and not fields.product:
        raise Invalid("A release note names its product.")


def _versions_named(product_names: list[str], version_names: list[str]):
    """The versions named, of each product named (an item applies to 'Orbit ERP' 11.1 and
    12.0 when it names that product and those versions)."""
    found = []
    for name in version_names:
        for product_name in product_names:
            product = products.ensure_product(product_name)
            found.append(products.ensure_version(product, name))
    return found


def apply_fields(article: Article, fields: ArticleFields) -> None:
    """Copy ``fields`` onto ``article`` (products, versions and tags created when first named)
    and refresh its rendering. Does not commit."""
    check_fields(fields)
    article.type, article.title = fields.type, fields.title.strip()
    article.summary, article.kind, article.body = fields.summary, fields.kind, fields.body
    article.min_plan, article.critical = fields.min_plan, fields.critical
    article.publish_at, article.extra = fields.publish_at, fields.extra
    article.products = [products.ensure_product(name) for name in dict.fromkeys(fields.products)]
    product_names = fields.products or ([fields.product] if fields.product else [])
    article.versions = _versions_named(product_names, fields.versions)
    article.tags = [ensure_tag(name) for name in dict.fromkeys(fields.tags)]
    _apply_release_fields(article, fields)
    _apply_status(article, fields.status, fields.published)
    article.updated_at = utcnow()
    ensure_rendered(article)


def _apply_release_fields(article: Article, fields: ArticleFields) -> None:
    if fields.type != "release-note":
        article.release_product = article.release_version = None
        article.released_on, article.highlights = None, ""
        return
    product = products.ensure_product(fields.product)
    article.release_product = product
    article.release_version = (
        products.ensure_version(product, fields.version) if fields.version else None
    )
    article.released_on, article.highlights = fields.released_on, fields.highlights
    if product not in article.products:
        article.products.append(product)


def _apply_status(article: Article, status: str, published: date | None) -> None:
    if status == "published" and article.published_at is None:
        article.published_at = (
            datetime.combine(published, datetime.min.time()).replace(tzinfo=utcnow().tzinfo)
            if published else utcnow()
        )
    article.status = status


def ensure_tag(name: str) -> Tag:
    name = name.strip().lower()
    tag = db.session.scalar(select(Tag).where(Tag.name == name))
    if tag is None:
        tag = Tag(name=name)
        db.session.add(tag)
        db.session.flush()
    return tag


def ensure_rendered(article: Article) -> None:
    """Render the body unless the cached HTML is of the same source and renderer version."""
    key = markdown.render_key(article.body)
    if article.render_key == key and article.rendered_html is not None:
        return
    rendered = markdown.render(article.body)
    article.rendered_html, article.rendered_toc = rendered.html, rendered.toc
    article.rendered_text, article.render_key = rendered.text, key


def field_snapshot(article: Article) -> dict[str, Any]:
    """The article's fields other than title, summary and body, for a revision."""
    return {
        "type": article.type,
        "slug": article.slug,
        "kind": article.kind,
        "products": [p.name for p in article.products],
        "versions": [v.name for v in article.versions],
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
    )
    db.session.add(revision)
    return revision


def record_index_change(article: Article) -> None:
    db.session.flush()
    search.record_change("article", article.id)
