"""Articles and release notes share one table: the same import, rendering, revisions, access and
search apply to both; release notes add a product, a version, a release date and highlights."""

from __future__ import annotations

import html
import re
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.sql.elements import ColumnElement

from kb import plans
from kb.accounts.models import User
from kb.db import Base, UTCDateTime, utcnow
from kb.gating import Gated, KeptToProgramme
from kb.products.models import Product, ProductVersion
from kb.programmes.models import Programme

TYPES = ("article", "release-note")
KINDS = ("how-to", "reference", "troubleshooting", "workaround")
STATUSES = ("draft", "review", "published", "archived")
ACCESS_FEATURE_BY_TYPE = {"article": "how_to", "release-note": "updates_and_docs"}

article_products = Table(
    "article_products", Base.metadata,
    Column("article_id", ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    Column("product_id", ForeignKey("products.id", ondelete="CASCADE"), primary_key=True),
)
article_versions = Table(
    "article_versions", Base.metadata,
    Column("article_id", ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    Column("version_id", ForeignKey("product_versions.id", ondelete="CASCADE"),
           primary_key=True),
)
article_tags = Table(
    "article_tags", Base.metadata,
    Column("article_id", ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    Column("tag_id", ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True),
)
# a release note names the articles it relates to (and articles find their release notes)
release_note_articles = Table(
    "release_note_articles", Base.metadata,
    Column("release_note_id", ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    Column("article_id", ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
)


class Tag(Base):
    __tablename__ = "tags"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)


class Article(KeptToProgramme, Gated, Base):
    """An article or a release note; its gate: the feature of its type, its own minimum plan,
    published status, an optional scheduled time (``publish_at``) and an optional early-adopter
    programme whose members alone read it."""

    __tablename__ = "articles"
    schedule_column = "publish_at"

    id: Mapped[int] = mapped_column(primary_key=True)
    type: Mapped[str] = mapped_column(String(20), default="article", index=True)
    slug: Mapped[str] = mapped_column(String(300), unique=True)
    title: Mapped[str] = mapped_column(String(500))
    summary: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[str | None] = mapped_column(String(20))
    body: Mapped[str] = mapped_column(Text, default="")
    min_plan: Mapped[str] = mapped_column(String(20), default=plans.LOWEST_PLAN)
    critical: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(20), default="draft", index=True)
    # when set and in the future, a published item becomes visible only then
    publish_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # only the members of this early-adopter programme may read it (kb/programmes)
    programme_id: Mapped[int | None] = mapped_column(
        ForeignKey("programmes.id", ondelete="RESTRICT"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    # release notes only
    release_product_id: Mapped[int | None] = mapped_column(
        ForeignKey("products.id", ondelete="SET NULL"), index=True)
    release_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("product_versions.id", ondelete="SET NULL"))
    released_on: Mapped[date | None] = mapped_column(Date)
    highlights: Mapped[str] = mapped_column(Text, default="")

    # imported items: the folder they came from and their path in it; None when written in
    # the browser. Import only ever touches items of the folder it imports.
    source_root: Mapped[str | None] = mapped_column(String(1000), index=True)
    source_path: Mapped[str | None] = mapped_column(String(1000))
    # SHA-256 of the imported file (with its includes), so that re-import can skip it
    source_hash: Mapped[str | None] = mapped_column(String(64))
    # front-matter keys kb does not know, kept as they were
    extra: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    # rendering cache: redone when the body or the renderer version changes
    rendered_html: Mapped[str | None] = mapped_column(Text)
    rendered_toc: Mapped[str | None] = mapped_column(Text)
    rendered_text: Mapped[str | None] = mapped_column(Text)
    render_key: Mapped[str | None] = mapped_column(String(64))

    author: Mapped[User | None] = relationship()
    programme: Mapped[Programme | None] = relationship()
    products: Mapped[list[Product]] = relationship(secondary=article_products,
                                                   order_by="Product.name")
    versions: Mapped[list[ProductVersion]] = relationship(secondary=article_versions,
                                                          order_by="ProductVersion.sort_key")
    tags: Mapped[list[Tag]] = relationship(secondary=article_tags, order_by="Tag.name")
    release_product: Mapped[Product | None] = relationship(foreign_keys=[release_product_id])
    release_version: Mapped[ProductVersion | None] = relationship(
        foreign_keys=[release_version_id])
    related_articles: Mapped[list[Article]] = relationship(
        secondary=release_note_articles,
        primaryjoin=lambda: Article.id == release_note_articles.c.release_note_id,
        secondaryjoin=lambda: Article.id == release_note_articles.c.article_id,
        backref="release_notes",
    )

    @property
    def access_feature(self) -> str:
        return ACCESS_FEATURE_BY_TYPE[self.type]

    @classmethod
    def feature_filter(cls, features) -> ColumnElement[bool]:
        granted = set(features)
        return cls.type.in_([type_ for type_, feature in ACCESS_FEATURE_BY_TYPE.items()
                             if feature in granted])

    @property
    def is_release_note(self) -> bool:
        return self.type == "release-note"

    @property
    def body_html(self) -> str:
        """The rendered body without a first heading that only repeats the title, which the
        page shows already (imported documents open with their title as a heading)."""
        rendered = self.rendered_html or ""
        heading = LEADING_HEADING.match(rendered)
        if heading and _plain(heading.group(1)) == _plain(self.title):
            return rendered[heading.end():]
        return rendered

    @property
    def lead(self) -> str:
        """The summary, unless it only repeats the release note's highlights or strings them
        together (the note's page and the list of release notes show those right below)."""
        if self.is_release_note and self.highlights and \
                _plain(self.summary) == _plain(self.highlights):
            return ""
        return self.summary or ""


LEADING_HEADING = re.compile(r"\s*<h1\b[^>]*>(.*?)</h1>\s*", re.DOTALL)
PERMALINK = re.compile(r'<a class="headerlink"[^>]*>.*?</a>', re.DOTALL)
TAG = re.compile(r"<[^>]+>")


def _plain(text: str) -> str:
    """Text without tags, permalinks, punctuation between words, case or spacing, to compare."""
    text = html.unescape(TAG.sub("", PERMALINK.sub("", text or "")))
    return " ".join(re.findall(r"\w+", text.casefold()))


class ArticleRevision(Base):
    """One saved state of an article: every save, import and restore adds one."""

    __tablename__ = "article_revisions"
    __table_args__ = (UniqueConstraint("article_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"),
                                            index=True)
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(500))
    summary: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[str] = mapped_column(Text, default="")
    # every other field as it was (kind, products, versions, tags, min_plan, status, ...)
    fields: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    note: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    author: Mapped[User | None] = relationship()
    images: Mapped[list[ArticleRevisionImage]] = relationship(
        cascade="all, delete-orphan", order_by="ArticleRevisionImage.name")


class ImageFacts:
    """The facts of one stored image, which an article's image and the copy of it each
    revision keeps both hold (``IMAGE_FACTS``: a revision copies them, restoring copies back)."""

    name: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(50))
    size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    storage_key: Mapped[str] = mapped_column(String(300))
    width: Mapped[int | None] = mapped_column(Integer)
    height: Mapped[int | None] = mapped_column(Integer)


IMAGE_FACTS = tuple(ImageFacts.__annotations__)
# the sort order of a column that follows a mixin's (which come after the class's own
# otherwise): the table keeps its columns in the order they always had
AFTER_FACTS = 1


class ArticleRevisionImage(ImageFacts, Base):
    """An image as its revision was saved with it (the ``ArticleImage`` of that name then):
    restoring the revision brings it back, and its stored file is kept while a revision names
    it."""

    __tablename__ = "article_revision_images"
    __table_args__ = (UniqueConstraint("revision_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    revision_id: Mapped[int] = mapped_column(
        ForeignKey("article_revisions.id", ondelete="CASCADE"), index=True)


class SlugRedirect(Base):
    """An article's former slug, so that old links keep working after a rename."""

    __tablename__ = "slug_redirects"

    id: Mapped[int] = mapped_column(primary_key=True)
    old_slug: Mapped[str] = mapped_column(String(300), unique=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))


class ArticleImage(ImageFacts, Base):
    """An image an article's Markdown shows as ``images/<name>``: PNG, JPEG, GIF or WebP, its
    bytes in the file store (namespace ``files``, by content) under ``storage_key``. Readers
    get it only when they may read its article."""

    __tablename__ = "article_images"
    __table_args__ = (UniqueConstraint("article_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"),
                                            index=True)
    uploaded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), sort_order=AFTER_FACTS)
    # brought in (or last written) by ``kb import`` from beside the article's content file,
    # which may then remove it; never one staff uploaded
    imported: Mapped[bool] = mapped_column(Boolean, default=False, server_default=text("false"),
                                           sort_order=AFTER_FACTS)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow,
                                                 sort_order=AFTER_FACTS)

    @property
    def markdown(self) -> str:
        """The Markdown that shows it, its alt text made from its name (for the author to
        reword)."""
        alt = re.sub(r"[_\-]+", " ", self.name.rsplit(".", 1)[0]).strip()
        return f"![{alt}](images/{self.name})"
