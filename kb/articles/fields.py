"""What an author or a content file says about an article (``ArticleFields``), checked and
applied to the article. Nothing here commits."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select

from kb import db, markdown, name_lookups, plans
from kb.articles.models import (
    KINDS,
    STATUSES,
    TYPES,
    Article,
    Tag,
)
from kb.db import utcnow
from kb.errors import Invalid
from kb.products import service as products
from kb.products.models import Product
from kb.products.names import slugify

# the longest version name the database keeps (ProductVersion.name)
VERSION_NAME_LIMIT = 60


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
    min_plan: str = plans.LOWEST_PLAN
    critical: bool = False
    answers_alert: int | None = None  # the open alert a critical article is the workaround of
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
        raise Invalid("The title is empty.", "title")
    if fields.type not in TYPES:
        raise Invalid(f"Unknown type {fields.type!r}; use one of {', '.join(TYPES)}.", "type")
    if fields.kind is not None and fields.kind not in KINDS:
        raise Invalid(f"Unknown kind {fields.kind!r}; use one of {', '.join(KINDS)}.", "kind")
    if fields.min_plan not in plans.PLANS:
        raise Invalid(f"Unknown plan {fields.min_plan!r}; use one of {', '.join(plans.PLANS)}.",
                      "min_plan")
    if fields.status not in STATUSES:
        raise Invalid(f"Unknown status {fields.status!r}; use one of {', '.join(STATUSES)}.")
    if fields.type == "release-note" and not fields.product:
        raise Invalid("A release note names its product.", "release_product")


def _versions_named(product_names: list[str], version_names: list[str]):
    """The versions named. One qualified by a product named ("Orbit ERP 12.0") is that
    product's; a bare one ("12.0") belongs to the first product named, the item's main product,
    so that naming two products never gives either a version it does not have."""
    found = []
    for name in version_names:
        qualified = _product_and_version(product_names, name)
        if qualified is None:
            continue
        product_name, version_name = qualified
        if len(version_name) > VERSION_NAME_LIMIT:
            raise Invalid(f"The version {version_name[:40]!r}... is longer than "
                          f"{VERSION_NAME_LIMIT} characters.", "versions")
        found.append(products.ensure_version(products.ensure_product(product_name),
                                             version_name))
    return list(dict.fromkeys(found))


def version_names(article: Article) -> list[str]:
    """The article's versions as an editor or a saved revision names them: bare for a single
    product, qualified by product ("Orbit ERP 12.0") when it names several."""
    if len({version.product_id for version in article.versions} |
           {product.id for product in article.products}) <= 1:
        return list(dict.fromkeys(version.name for version in article.versions))
    return list(dict.fromkeys(f"{version.product.name} {version.name}"
                              for version in article.versions))


def unknown_versions(product_names: list[str], version_names: list[str]) -> list[str]:
    """The versions named that their product does not have yet (saving would create them)."""
    unknown = []
    for name in version_names:
        qualified = _product_and_version(product_names, name)
        if qualified is None:
            continue
        product = db.session.scalar(select(Product).where(
            (Product.name == qualified[0]) | (Product.slug == slugify(qualified[0]))))
        known = {version.name.casefold() for version in product.versions} if product else set()
        if qualified[1].casefold() not in known:
            unknown.append(name)
    return unknown


def _product_and_version(product_names: list[str], name: str) -> tuple[str, str] | None:
    """(product, version) of a version name, or None when no product is named."""
    for product_name in sorted(product_names, key=len, reverse=True):
        prefix = product_name.casefold() + " "
        if name.casefold().startswith(prefix) and name[len(prefix):].strip():
            return product_name, name[len(prefix):].strip()
    return (product_names[0], name.strip()) if product_names else None


def apply_fields(article: Article, fields: ArticleFields) -> None:
    """Copy ``fields`` onto ``article`` (products, versions and tags created when first named)
    and refresh its rendering. Does not commit."""
    check_fields(fields)
    _drop_nul_characters(fields)
    is_new = article.id is None
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
    article.updated_at = _content_date(is_new, fields)
    ensure_rendered(article)


def _drop_nul_characters(fields: ArticleFields) -> None:
    """NUL characters carry no text and PostgreSQL refuses them in text columns."""
    for name in ("title", "summary", "body", "highlights"):
        setattr(fields, name, getattr(fields, name).replace("\x00", ""))


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


def _content_date(is_new: bool, fields: ArticleFields) -> datetime:
    """When the content last changed: a new article with a ``published`` (or release note
    with a ``released``) date is as old as that date (an import is not an update); any later
    change is now."""
    content_day = fields.published or fields.released_on
    if is_new and content_day:
        return datetime.combine(content_day, datetime.min.time(), tzinfo=UTC)
    return utcnow()


def _apply_status(article: Article, status: str, published: date | None) -> None:
    if status == "published" and article.published_at is None:
        article.published_at = (
            datetime.combine(published, datetime.min.time()).replace(tzinfo=utcnow().tzinfo)
            if published else utcnow()
        )
    article.status = status


def ensure_tag(name: str) -> Tag:
    name = name.strip().lower()
    return name_lookups.by_name("tag", name, lambda: _find_or_create_tag(name))


def _find_or_create_tag(name: str) -> Tag:
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
    rendered = markdown.render(article.body, local_images=True)
    article.rendered_html, article.rendered_toc = rendered.html, rendered.toc
    article.rendered_text, article.render_key = rendered.text, key
