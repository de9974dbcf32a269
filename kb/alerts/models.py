"""What the e-mail outbox, the delivery preferences, daily digests and feed tokens are (the
critical-issue alerts themselves are in ``kb.alerts.alert_models``)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from kb.accounts.models import SecretToken
from kb.db import Base, UTCDateTime, utcnow

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
    # the HTML part's content, sanitised (a reply as the portal rendered its Markdown); empty:
    # the HTML part is made from ``body``
    body_html: Mapped[str] = mapped_column(Text, default="", server_default="")
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
