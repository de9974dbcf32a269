"""Reading articles and release notes. The reader's access is part of every query (through
``policy.read_scope``), so lists, pages and counts agree with what the article page allows."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from math import ceil

from sqlalchemy import ColumnElement, Select, and_, case, false, func, or_, select
from sqlalchemy.orm import defer, selectinload

from kb import db, gating, policy
from kb.accounts.models import User
from kb.articles.models import (
    Article,
    ArticleRevision,
    SlugRedirect,
    Tag,
    article_products,
    article_tags,
    article_versions,
)
from kb.articles.reader_models import HelpfulVote
from kb.errors import NotFound
from kb.products.models import Product, ProductVersion
from kb.products.names import slugify

MAX_PER_PAGE = 100
TITLE_LENGTH = Article.title.type.length
# what list pages show of each entry, loaded in a few queries rather than a few per entry;
# bodies and renderings stay behind (sorting rows that carry them is what made lists slow)
LIST_LOADING = (selectinload(Article.products), selectinload(Article.versions),
                selectinload(Article.tags), selectinload(Article.release_product),
                selectinload(Article.release_version),
                defer(Article.body), defer(Article.rendered_html), defer(Article.rendered_toc),
                defer(Article.rendered_text), defer(Article.extra))


@dataclass
class Filters:
    """What a reader narrows a list by; empty values do not filter."""

    type: str = "article"
    product: str = ""
    version: str = ""
    kind: str = ""
    tag: str = ""
    title: str = ""
    status: str = ""  # staff lists only; readers always see published items


@dataclass
class Listed:
    """One entry of a list: the item, and whether this reader may open it (else it is a
    locked entry that shows only its title, kind and the plan it needs)."""

    article: Article
    readable: bool


@dataclass
class Page:
    items: list = field(default_factory=list)
    total: int = 0
    page: int = 1
    per_page: int = 20

    @property
    def pages(self) -> int:
        return max(1, ceil(self.total / self.per_page))


def _product_named(name: str) -> ColumnElement[bool]:
    return or_(Product.slug == slugify(name), func.lower(Product.name) == name.lower())


def _has_version(value: str, product: str) -> ColumnElement[bool]:
    """Applies to the version ``product-slug@version``, or to a bare version of the product
    filtered by (12.0 of ERP, not of Hub), or of any product when none is."""
    product_slug, at, name = value.rpartition("@")
    version = func.lower(ProductVersion.name) == name.lower()
    if at:
        version = and_(version, ProductVersion.product.has(_product_named(product_slug)))
    elif product:
        version = and_(version, ProductVersion.product.has(_product_named(product)))
    return or_(Article.versions.any(version), Article.release_version.has(version))


def _filtered(statement: Select, filters: Filters) -> Select:
    named_product = _product_named(filters.product)
    if filters.product:
        statement = statement.where(Article.products.any(named_product))
    if filters.version:
        statement = statement.where(_has_version(filters.version, filters.product))
    if filters.kind:
        statement = statement.where(Article.kind == filters.kind)
    if filters.tag:
        statement = statement.where(Article.tags.any(Tag.name == filters.tag.lower()))
    if len(filters.title) > TITLE_LENGTH:  # no title holds it, and SQLite refuses such a LIKE
        statement = statement.where(false())
    elif filters.title:
        pattern = "%" + filters.title.replace("\\", "\\\\").replace("%", "\\%") \
            .replace("_", "\\_") + "%"
        statement = statement.where(Article.title.ilike(pattern, escape="\\"))
    if filters.status:
        statement = statement.where(Article.status == filters.status)
    return statement


def _ordered(statement: Select, type_: str) -> Select:
    if type_ == "release-note":
        return statement.order_by(Article.released_on.desc().nulls_last(),
                                  Article.published_at.desc(), Article.id.desc())
    return statement.order_by(Article.updated_at.desc(), Article.id.desc())


def _page_of(statement: Select, page: int, per_page: int) -> tuple[list, int, int, int]:
    per_page = min(max(per_page, 1), MAX_PER_PAGE)
    total = db.session.scalar(select(func.count()).select_from(statement.subquery()))
    page = max(page, 1)  # past the end is an empty page, so that "page until empty" ends
    rows = db.session.execute(statement.limit(per_page).offset((page - 1) * per_page)).all()
    return rows, total, page, per_page


def browse(user, filters: Filters, page: int = 1, per_page: int = 20) -> Page:
    """Published items of ``filters.type`` that a reader may know of: the ones they may open,
    and the others as locked entries (titles only)."""
    readable = case((gating.read_filter(Article, policy.read_scope(user)), True), else_=False)
    statement = select(Article, readable.label("readable")).where(
        Article.type == filters.type, Article.is_published,
        gating.known_filter(Article, user)).options(*LIST_LOADING)
    statement = _ordered(_filtered(statement, filters), filters.type)
    rows, total, page, per_page = _page_of(statement, page, per_page)
    items = [Listed(article, bool(is_readable)) for article, is_readable in rows]
    return Page(items, total, page, per_page)


def staff_list(filters: Filters, page: int = 1, per_page: int = 30) -> Page:
    """Every item of every status, for the editor's list."""
    statement = select(Article).options(*LIST_LOADING)
    if filters.type:
        statement = statement.where(Article.type == filters.type)
    statement = _filtered(statement, filters).order_by(Article.updated_at.desc())
    rows, total, page, per_page = _page_of(statement, page, per_page)
    return Page([row[0] for row in rows], total, page, per_page)


def find_by_slug(user, slug: str) -> tuple[Article | None, str | None]:
    """The article with this slug, or (None, its new slug) when the slug was renamed; (None,
    None) when there is none. An item ``user`` may not know of is answered exactly as a
    missing one, so that no status code or redirect names it."""
    known = gating.known_filter(Article, user)
    article = db.session.scalar(select(Article).where(Article.slug == slug, known))
    if article is not None:
        return article, None
    renamed_to = db.session.scalar(
        select(Article.slug).join(SlugRedirect, SlugRedirect.article_id == Article.id)
        .where(SlugRedirect.old_slug == slug, known))
    return None, renamed_to


@dataclass(frozen=True)
class Opened:
    """An article with the policy's refusal (if any), or the slug it was renamed to, or none."""

    article: Article | None = None
    renamed_to: str | None = None
    denial: policy.AccessDenied | None = None


def open_by_slug(user, slug: str, noun: str | None = None) -> Opened:
    """Open an article or release note by slug, the same way for its page and the API (each
    answers the outcome in its own form: a redirect, a 404, the locked page or an error)."""
    article, renamed_to = find_by_slug(user, slug)
    if article is None:
        return Opened(renamed_to=renamed_to)
    noun = noun or ("release note" if article.is_release_note else "article")
    return Opened(article, denial=policy.read_denial(user, article, noun))


def related_articles(user, article: Article, limit: int = 5) -> list[Article]:
    """Published articles sharing a product or a tag with ``article`` that ``user`` may open,
    other than those a release note lists as its own already."""
    product_ids = [product.id for product in article.products]
    listed_ids = [article.id, *(linked.id for linked in article.related_articles)]
    tag_ids = [tag.id for tag in article.tags]
    if not product_ids and not tag_ids:
        return []
    shared_tags = (select(func.count()).select_from(article_tags)
                   .where(article_tags.c.article_id == Article.id,
                          article_tags.c.tag_id.in_(tag_ids)).scalar_subquery())
    statement = (
        select(Article)
        .where(Article.id.not_in(listed_ids), Article.type == "article",
               gating.read_filter(Article, policy.read_scope(user)),
               or_(Article.products.any(Product.id.in_(product_ids)),
                   Article.tags.any(Tag.id.in_(tag_ids))))
        .order_by(shared_tags.desc(), Article.updated_at.desc())
        .limit(limit)
    )
    return list(db.session.scalars(statement))


def readable_linked_articles(user, release_note: Article) -> list[Article]:
    """The articles a release note links to that ``user`` may open."""
    ids = [article.id for article in release_note.related_articles]
    if not ids:
        return []
    return list(db.session.scalars(
        select(Article).where(Article.id.in_(ids),
                              gating.read_filter(Article, policy.read_scope(user)))
        .order_by(Article.title)))


def products_in_use(user, type_: str) -> list[Product]:
    """The products named by the items of ``type_`` that ``user`` may learn of (the filter
    list of a list page: a product only drafts name stays unknown)."""
    known = and_(Article.type == type_, gating.known_filter(Article, user))
    linked = select(article_products.c.product_id).join(
        Article, Article.id == article_products.c.article_id).where(known)
    released = select(Article.release_product_id).where(known)
    return list(db.session.scalars(select(Product).where(
        or_(Product.id.in_(linked), Product.id.in_(released))).order_by(Product.name)))


def versions_in_use(user, type_: str) -> dict[int, list[ProductVersion]]:
    """The versions named by the items of ``type_`` that ``user`` may learn of, by product id
    (the version filter offers only versions something applies to)."""
    known = and_(Article.type == type_, gating.known_filter(Article, user))
    linked = select(article_versions.c.version_id).join(
        Article, Article.id == article_versions.c.article_id).where(known)
    released = select(Article.release_version_id).where(known)
    versions: dict[int, list[ProductVersion]] = {}
    for version in db.session.scalars(select(ProductVersion).where(
            or_(ProductVersion.id.in_(linked), ProductVersion.id.in_(released)))
            .order_by(ProductVersion.sort_key)):
        versions.setdefault(version.product_id, []).append(version)
    return versions


def tags_in_use(user) -> list[str]:
    """The tags of the published items ``user`` may learn of (the list page's tag filter)."""
    tagged = select(article_tags.c.tag_id).join(Article, Article.id == article_tags.c.article_id)
    return list(db.session.scalars(select(Tag.name).where(Tag.id.in_(tagged.where(
        Article.is_published, gating.known_filter(Article, user)))).order_by(Tag.name)))


@dataclass
class HelpfulSummary:
    yes: int
    no: int
    comments: list[tuple[HelpfulVote, str]]  # (vote, the voter's e-mail address)


def helpful_summary(article: Article) -> HelpfulSummary:
    """Counts and comments of the "was this helpful?" votes (shown to staff only)."""
    rows = db.session.execute(
        select(HelpfulVote, User.email).join(User, User.id == HelpfulVote.user_id)
        .where(HelpfulVote.article_id == article.id)
        .order_by(HelpfulVote.created_at.desc())).all()
    return HelpfulSummary(yes=sum(1 for vote, _ in rows if vote.helpful),
                          no=sum(1 for vote, _ in rows if not vote.helpful),
                          comments=[(vote, email) for vote, email in rows if vote.comment])


def vote_of(user, article: Article) -> HelpfulVote | None:
    if not policy.is_signed_in(user):
        return None
    return db.session.scalar(select(HelpfulVote).where(
        HelpfulVote.article_id == article.id, HelpfulVote.user_id == user.id))


def revisions_of(article: Article) -> list[ArticleRevision]:
    return list(db.session.scalars(
        select(ArticleRevision).where(ArticleRevision.article_id == article.id)
        .order_by(ArticleRevision.number.desc())))


def get_revision(article: Article, number: int) -> ArticleRevision:
    revision = db.session.scalar(select(ArticleRevision).where(
        ArticleRevision.article_id == article.id, ArticleRevision.number == number))
    if revision is None:
        raise NotFound(f"No revision {number} of this article.")
    return revision


def revision_text(revision: ArticleRevision) -> list[str]:
    """A revision as lines of text, for diffs: the fields, then title, summary and body."""
    saved = revision.fields or {}
    lines = [f"{key}: {saved[key]}" for key in sorted(saved) if key != "slug"]
    lines += [f"title: {revision.title}", f"summary: {revision.summary}", ""]
    return lines + revision.body.splitlines()


def diff_revisions(older: ArticleRevision, newer: ArticleRevision) -> list[str]:
    """The unified diff between two revisions, line by line (escaped when shown)."""
    return list(difflib.unified_diff(
        revision_text(older), revision_text(newer),
        fromfile=f"revision {older.number}", tofile=f"revision {newer.number}", lineterm=""))
