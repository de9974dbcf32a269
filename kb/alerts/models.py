"""What the e-mail outbox, the delivery preferences, feed tokens and critical-issue alerts
(with their subscriptions) are."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    ForeignKey,
    Index,
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
from kb.accounts.models import SecretToken, User
from kb.articles.models import Article
from kb.db import Base, UTCDateTime, utcnow
from kb.gating import Gated
from kb.patches.models import Patch
from kb.products.models import Product, ProductVersion

# queued: waiting (first try or a retry at next_attempt_at); sending: handed to SMTP, outcome
# not yet recorded; sent; failed: refused for good, retried too often, or interrupted while
# sending (see kb.alerts.delivery for why that one is not resent automatically)
STATUSES = ("queued", "sending", "sent", "failed")


class OutboxEmail(Base):
    """One e-mail, from the transaction that queued it until it is sent or has failed."""

    __tablename__ = "outbox_emails"
    __table_args__ = (Index("ix_outbox_emails_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(String(254), index=True)
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    # what it is about ("account" for resets and invitations); opt-outs are per kind
    kind: Mapped[str] = mapped_column(String(40), default="account")
    # the idempotency key, sent as the Message-ID header
    message_id: Mapped[str] = mapped_column(String(255), unique=True)
    # the body carries a secret (a reset or invitation link): redacted once sent
    sensitive: Mapped[bool] = mapped_column(Boolean, default=False)
    # signed one-click unsubscribe address; empty for messages one cannot opt out of
    unsubscribe_url: Mapped[str] = mapped_column(String(1000), default="")
    status: Mapped[str] = mapped_column(String(10), default="queued")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_error: Mapped[str] = mapped_column(Text, default="")
    # the worker holding the message and until when; an expired lease may be taken over
    claimed_by: Mapped[str | None] = mapped_column(String(100))
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class DeliveryPreference(Base):
    """Whether a user gets one family of messages (``alert``, ``patch``...) through one channel
    (``in_app``, ``email``, ``digest``), for one product or, with no product, for all of them.

    Absent rows mean the defaults (``kb.alerts.preferences``); a product's row overrides the
    all-products row, which has product_id NULL. A unique constraint would let NULL rows repeat
    (NULLs are distinct), so two partial unique indexes keep one row per scope: both SQLite
    and PostgreSQL enforce them and alembic compares them, unlike an expression index on
    ``coalesce(product_id, 0)``, and unlike a 0 sentinel the foreign key still removes a
    deleted product's rows.
    """

    __tablename__ = "delivery_preferences"
    __table_args__ = (
        Index("uq_delivery_preferences_all_products", "user_id", "kind", "channel",
              unique=True, sqlite_where=text("product_id IS NULL"),
              postgresql_where=text("product_id IS NULL")),
        Index("uq_delivery_preferences_product", "user_id", "product_id", "kind", "channel",
              unique=True, sqlite_where=text("product_id IS NOT NULL"),
              postgresql_where=text("product_id IS NOT NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    product_id: Mapped[int | None] = mapped_column(
        ForeignKey("products.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))  # the family: alert, patch, topic, session
    channel: Mapped[str] = mapped_column(String(20), default="email")
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class DigestItem(Base):
    """A notice waiting for (or listed in) a user's daily digest e-mail."""

    __tablename__ = "digest_items"
    __table_args__ = (Index("ix_digest_items_waiting", "user_id", "digest_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(500))
    url: Mapped[str] = mapped_column(String(1000), default="")
    product_id: Mapped[int | None] = mapped_column(
        ForeignKey("products.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # the digest that listed it; NULL while it waits
    digest_id: Mapped[int | None] = mapped_column(
        ForeignKey("daily_digests.id", ondelete="CASCADE"))


class DailyDigest(Base):
    """One user's digest of one day: unique per user and day, so however many servers run the
    digest job, one of them makes it (the others' inserts conflict) and claims the items."""

    __tablename__ = "daily_digests"
    __table_args__ = (UniqueConstraint("user_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class FeedToken(SecretToken, Base):
    """The secret in a user's personal feed addresses (Atom feeds, the sessions calendar).

    Feed readers and calendars cannot sign in, so the address carries the credential. Only its
    SHA-256 is kept (like API tokens); a user has at most one token that is not revoked, and
    revoking it stops every address that carries it.
    """

    __tablename__ = "feed_tokens"


class OutboxAttachment(Base):
    """A file sent with an outbox e-mail, such as a live session's updated invite (.ics)."""

    __tablename__ = "outbox_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    email_id: Mapped[int] = mapped_column(
        ForeignKey("outbox_emails.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    # e.g. "text/calendar; method=REQUEST"
    content_type: Mapped[str] = mapped_column(String(100))
    content: Mapped[str] = mapped_column(Text)


class ToldNotice(Base):
    """That a user was told a notice with this key (an alert's revision, a reminder), so it is
    told at most once however often, or by however many servers at once, it is announced."""

    __tablename__ = "told_notices"
    __table_args__ = (UniqueConstraint("user_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


# --- critical-issue alerts -------------------------------------------------------------------

# an alert's life, in order; it only ever moves forward
ALERT_STATES = ("investigating", "workaround", "fixed", "closed")
ALERT_STATE_NAMES = {"investigating": "Investigating", "workaround": "Workaround available",
                     "fixed": "Fixed", "closed": "Closed"}

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
