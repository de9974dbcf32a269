"""Every change to articles and release notes. Imports, the staff editor and the API all write
through these functions; each public operation commits and records the index change."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import func, select

from kb import db, markdown, plans, policy, search
from kb.accounts.models import User
from kb.alerts import critical
from kb.articles import queries
from kb.articles.models import (
    KINDS,
    STATUSES,
    TYPES,
    Article,
    ArticleRevision,
    HelpfulVote,
    SlugRedirect,
    Tag,
)
from kb.db import utcnow
from kb.errors import Conflict, Invalid, NotFound
from kb.products import service as products

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
                          f"{VERSION_NAME_LIMIT} characters.")
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
    )
    db.session.add(revision)
    return revision


def record_index_change(article: Article) -> None:
    db.session.flush()
    search.record_change("article", article.id)


# --- the staff editor's workflow --------------------------------------------------------------

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:[-_./][a-z0-9]+)*$")
STATUS_NOTES = {"draft": "Saved as draft", "review": "Sent for review",
                "published": "Published", "archived": "Archived"}


def get_article(article_id: int) -> Article:
    article = db.session.get(Article, article_id)
    if article is None:
        raise NotFound("No such article.")
    return article


def create_article(actor: User, fields: ArticleFields, note: str = "",
                   linked_slugs: list[str] | None = None) -> Article:
    """Create an article or release note written in the browser (staff only): its first
    revision, its slug (from the title unless given) and its index change, committed."""
    policy.require_staff(actor)
    check_fields(fields)
    article = Article(author=actor, source_root=None, extra={})
    article.slug = _unique_slug(_wanted_slug(fields.slug or fields.title))
    _save(actor, article, fields, note, linked_slugs)
    return article


def update_article(actor: User, article: Article, fields: ArticleFields, note: str = "",
                   linked_slugs: list[str] | None = None) -> Article:
    """Save an edit as the next revision. The slug changes only when ``fields.slug`` names a
    new one; the old slug then redirects to the new."""
    policy.require_staff(actor)
    check_fields(fields)
    if fields.slug and fields.slug.strip() != article.slug:
        rename_slug(article, fields.slug)
    _save(actor, article, fields, note, linked_slugs)
    return article


def _save(actor: User, article: Article, fields: ArticleFields, note: str,
          linked_slugs: list[str] | None) -> None:
    linked = _articles_to_link(fields, linked_slugs) if linked_slugs is not None else None
    fields.extra = article.extra or {}
    db.session.add(article)
    apply_fields(article, fields)
    if fields.status == "published":
        _set_publication_time(article, fields.publish_at)
    if linked is not None:
        article.related_articles = linked
    add_revision(article, actor, note or STATUS_NOTES[article.status])
    record_index_change(article)
    critical.announce_article(article, actor)
    db.session.commit()


def _set_publication_time(article: Article, publish_at: datetime | None) -> None:
    """Published at the scheduled time, or now when published at once (an earlier schedule
    for a later time no longer holds); a first publication date in the past is kept."""
    now = utcnow()
    if publish_at is not None:
        article.published_at = publish_at
    elif article.published_at is None or article.published_at > now:
        article.published_at = now


def _wanted_slug(text: str) -> str:
    slug = text.strip().lower()
    if SLUG_PATTERN.match(slug):
        return slug
    return products.slugify(slug)


def _unique_slug(base: str) -> str:
    slug, number = base, 2
    while _slug_taken(slug):
        slug, number = f"{base}-{number}", number + 1
    return slug


def _slug_taken(slug: str) -> bool:
    in_use = db.session.scalar(select(Article.id).where(Article.slug == slug))
    redirected = db.session.scalar(select(SlugRedirect.id).where(SlugRedirect.old_slug == slug))
    return in_use is not None or redirected is not None


def rename_slug(article: Article, new_slug: str) -> None:
    """Give ``article`` a new slug and keep the old one as a redirect. Does not commit."""
    new_slug = new_slug.strip().lower()
    if not SLUG_PATTERN.match(new_slug):
        raise Invalid("A slug is lower-case letters and digits joined by - _ . or /.")
    if db.session.scalar(select(Article.id).where(Article.slug == new_slug,
                                                  Article.id != article.id)):
        raise Conflict(f"Another article already has the slug {new_slug!r}.")
    taken_over = db.session.scalar(select(SlugRedirect).where(SlugRedirect.old_slug == new_slug))
    if taken_over is not None:
        db.session.delete(taken_over)
        db.session.flush()
    db.session.add(SlugRedirect(old_slug=article.slug, article_id=article.id))
    article.slug = new_slug


def _articles_to_link(fields: ArticleFields, slugs: list[str]) -> list[Article]:
    """The articles a release note names by slug; ``Invalid`` for an unknown slug."""
    wanted = [slug.strip() for slug in slugs if slug.strip()]
    if wanted and fields.type != "release-note":
        raise Invalid("Only a release note links to articles.")
    found = list(db.session.scalars(select(Article).where(Article.slug.in_(wanted),
                                                          Article.type == "article")))
    missing = sorted(set(wanted) - {article.slug for article in found})
    if missing:
        raise Invalid(f"No article with the slug {', '.join(missing)}.")
    return found


def change_status(actor: User, article: Article, status: str,
                  publish_at: datetime | None = None) -> Article:
    """Move an article through the workflow (draft, review, published now or at
    ``publish_at``, archived); each move is a revision."""
    policy.require_staff(actor)
    if status not in STATUSES:
        raise Invalid(f"Unknown status {status!r}.")
    if publish_at is not None and status != "published":
        raise Invalid("Only publication can be scheduled.")
    article.publish_at = publish_at if status == "published" else None
    if status == "published":
        _set_publication_time(article, publish_at)
    article.status = status
    article.updated_at = utcnow()
    note = STATUS_NOTES[status]
    if publish_at is not None:
        note = f"Scheduled for {publish_at:%Y-%m-%d %H:%M} UTC"
    add_revision(article, actor, note)
    record_index_change(article)
    critical.announce_article(article, actor)
    db.session.commit()
    return article


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


def restore_revision(actor: User, article: Article, number: int) -> Article:
    """Bring back the content and fields of revision ``number`` as a new revision; the
    article keeps its current slug and workflow status."""
    policy.require_staff(actor)
    fields = fields_of_revision(queries.get_revision(article, number))
    fields.status, fields.publish_at = article.status, article.publish_at
    _save(actor, article, fields, f"Restored revision {number}", None)
    return article


# --- readers' "was this helpful?" ---------------------------------------------------------------

def record_helpful_vote(user: User, article: Article, helpful: bool, comment: str = "") -> None:
    """Record or change ``user``'s one vote on an article they may read."""
    policy.require_read(user, article, "article")
    vote = db.session.scalar(select(HelpfulVote).where(
        HelpfulVote.article_id == article.id, HelpfulVote.user_id == user.id))
    if vote is None:
        vote = HelpfulVote(article_id=article.id, user_id=user.id)
        db.session.add(vote)
    vote.helpful, vote.comment, vote.created_at = helpful, comment.strip()[:2000], utcnow()
    db.session.commit()


def refresh_rendering(article: Article) -> None:
    """Re-render an item whose cached HTML predates its source or the renderer version (a
    renderer upgrade), and keep the result."""
    if article.render_key == markdown.render_key(article.body) and article.rendered_html:
        return
    ensure_rendered(article)
    record_index_change(article)
    db.session.commit()
