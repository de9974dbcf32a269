"""What critical-issue alerts are: an alert, the numbered steps of its history, and the
subscriptions of users who want to hear of them."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import (
    Boolean,
    Column,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    or_,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.sql.elements import ColumnElement

from kb import plans
from kb.accounts.models import User
from kb.articles.models import Article
from kb.db import Base, UTCDateTime, utcnow
from kb.gating import Gated
from kb.patches.models import Patch
from kb.products.models import Product, ProductVersion

# an alert's life, in order; it only ever moves forward
ALERT_STATES = ("investigating", "workaround", "fixed", "closed")
ALERT_STATE_NAMES = {"investigating": "Investigating", "workaround": "Workaround available",
                     "fixed": "Fixed", "closed": "Closed"}
# each step of its history, as customers read it
ALERT_EVENT_NAMES = {"opened": "Under investigation", "workaround": "Workaround available",
                     "updated": "Workaround updated", "revised": "Update",
                     "fixed": "Fixed", "fix_withdrawn": "Fix withdrawn", "closed": "Closed"}
# "Workaround: X fails" names the issue "X fails"
# a colon, or a dash after a space ("Workaround-free X" is a title of its own)
WORKAROUND_PREFIX = re.compile(r"^\s*workaround(?:\s*:|\s+[\u2013\u2014-])\s*", re.IGNORECASE)


def issue_title(article_title: str) -> str:
    """The title of the alert a workaround article opens: the issue its title names."""
    issue = WORKAROUND_PREFIX.sub("", article_title, count=1).strip()
    return issue[:1].upper() + issue[1:] if issue else article_title


alert_products = Table(
    "alert_products", Base.metadata,
    Column("alert_id", ForeignKey("alerts.id", ondelete="CASCADE"), primary_key=True),
    Column("product_id", ForeignKey("products.id", ondelete="CASCADE"), primary_key=True),
)
alert_versions = Table(
    "alert_versions", Base.metadata,
    Column("alert_id", ForeignKey("alerts.id", ondelete="CASCADE"), primary_key=True),
    Column("version_id", ForeignKey("product_versions.id", ondelete="CASCADE"),
           primary_key=True),
)


class Alert(Gated, Base):
    """One critical issue, from investigation to its workaround (a critical article), its fix
    (a patch or service pack) and its closing. Readers need ``workaround_alerts`` and its
    minimum plan (the workaround article's); an alert is visible as soon as it exists."""

    __tablename__ = "alerts"
    access_feature = "workaround_alerts"
    published_status = None

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(500))
    summary: Mapped[str] = mapped_column(Text, default="")
    # staff wrote the title and summary: the workaround article no longer replaces them
    own_text: Mapped[bool] = mapped_column(Boolean, default=False, server_default=text("false"))
    # staff's note on linking a draft workaround, told with it once it is published
    pending_note: Mapped[str] = mapped_column(Text, default="", server_default="")
    state: Mapped[str] = mapped_column(String(20), default="investigating", index=True)
    min_plan: Mapped[str] = mapped_column(String(20), default=plans.LOWEST_PLAN)
    # the workaround: at most one alert per critical article
    article_id: Mapped[int | None] = mapped_column(
        ForeignKey("articles.id", ondelete="SET NULL"), unique=True)
    # SHA-256 of the article's substance (title, text, products, versions) when last told
    article_hash: Mapped[str | None] = mapped_column(String(64))
    patch_id: Mapped[int | None] = mapped_column(ForeignKey("patches.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    products: Mapped[list[Product]] = relationship(secondary=alert_products,
                                                   order_by="Product.name")
    versions: Mapped[list[ProductVersion]] = relationship(secondary=alert_versions,
                                                          order_by="ProductVersion.sort_key")
    article: Mapped[Article | None] = relationship()
    patch: Mapped[Patch | None] = relationship()
    events: Mapped[list[AlertEvent]] = relationship(
        back_populates="alert", cascade="all, delete-orphan", order_by="AlertEvent.number")

    @property
    def programme_gate(self) -> int | None:
        """An alert whose workaround is kept to an early-adopter programme is the programme's
        too: it carries the article's title and summary."""
        return self.article.programme_id if self.article is not None else None

    @classmethod
    def programme_filter(cls, programmes: Iterable[int]) -> ColumnElement[bool]:
        return or_(cls.article_id.is_(None), cls.article.has(
            Article.programme_filter(programmes)))

    @property
    def state_name(self) -> str:
        return ALERT_STATE_NAMES[self.state]

    @property
    def is_open(self) -> bool:
        return self.state != "closed"

    @property
    def workaround_titled_alike(self) -> bool:
        """Whether the workaround article's title only repeats the alert's."""
        return self.article is not None and issue_title(self.article.title) == self.title

    @property
    def applies_to_text(self) -> str:
        names = ", ".join(product.name for product in self.products) or "no product yet"
        if self.versions:
            names += " " + ", ".join(version.name for version in self.versions)
        return names

    def __str__(self) -> str:
        return self.title


class AlertEvent(Base):
    """One step of an alert's history (opened, workaround, updated, fixed, closed): each is
    told to its subscribers once, under the key ``alert:<id>:rev:<number>``."""

    __tablename__ = "alert_events"
    __table_args__ = (UniqueConstraint("alert_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    alert_id: Mapped[int] = mapped_column(ForeignKey("alerts.id", ondelete="CASCADE"),
                                          index=True)
    number: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20))
    state: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text, default="")
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    told: Mapped[int] = mapped_column(Integer, default=0)  # how many users were told
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    alert: Mapped[Alert] = relationship(back_populates="events")
    actor: Mapped[User | None] = relationship()

    @property
    def kind_name(self) -> str:
        return ALERT_EVENT_NAMES[self.kind]


class AlertSubscription(Base):
    """A user's wish to be told of critical issues of a product (of one version, or of every
    version when ``version_id`` is empty), and of its new patches."""

    __tablename__ = "alert_subscriptions"
    __table_args__ = (UniqueConstraint("user_id", "product_id", "version_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"),
                                            index=True)
    version_id: Mapped[int | None] = mapped_column(
        ForeignKey("product_versions.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship()
    product: Mapped[Product] = relationship()
    version: Mapped[ProductVersion | None] = relationship()

    def __str__(self) -> str:
        return f"{self.product.name} {self.version.name}" if self.version else self.product.name
