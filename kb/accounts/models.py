from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask_login import UserMixin
from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
    inspect,
)
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from kb.db import Base, UTCDateTime, utcnow
from kb.products.models import Product, ProductVersion

ROLES = ("customer", "customer_admin", "staff", "admin")
ROLE_NAMES = {
    "customer": "Customer",
    "customer_admin": "Customer administrator",
    "staff": "Staff",
    "admin": "Administrator",
}
STAFF_ROLES = ("staff", "admin")


class Organization(Base):
    __tablename__ = "organizations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    plan: Mapped[str] = mapped_column(String(20))
    term_start: Mapped[date] = mapped_column(Date)
    term_end: Mapped[date] = mapped_column(Date)
    # where the organisation works: its support clock runs in this IANA zone, on the public
    # holidays of this country ("DE" or "DE-BY"); None: the SUPPORT_* settings' defaults
    time_zone: Mapped[str | None] = mapped_column(String(64))
    holiday_country: Mapped[str | None] = mapped_column(String(12))
    administrator_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", use_alter=True, ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    users: Mapped[list[User]] = relationship(
        back_populates="organization", foreign_keys="User.organization_id"
    )
    administrator: Mapped[User | None] = relationship(foreign_keys=[administrator_id])
    installed: Mapped[list[OrganizationProduct]] = relationship(
        back_populates="organization", cascade="all, delete-orphan"
    )

    def term_active_on(self, day: date) -> bool:
        return self.term_start <= day <= self.term_end

    def __str__(self) -> str:
        return self.name


class OrganizationProduct(Base):
    """A product (and optionally one version of it) that an organisation runs."""

    __tablename__ = "organization_products"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"))
    version_id: Mapped[int | None] = mapped_column(
        ForeignKey("product_versions.id", ondelete="CASCADE")
    )

    organization: Mapped[Organization] = relationship(back_populates="installed")
    product: Mapped[Product] = relationship()
    version: Mapped[ProductVersion | None] = relationship()

    def __str__(self) -> str:
        return f"{self.product.name} {self.version.name}" if self.version else self.product.name


class User(UserMixin, Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str | None] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20), default="customer")
    organization_id: Mapped[int | None] = mapped_column(
        ForeignKey("organizations.id", ondelete="RESTRICT"), index=True
    )
    is_enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    time_zone: Mapped[str] = mapped_column(String(64), default="UTC")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_sign_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    organization: Mapped[Organization | None] = relationship(
        back_populates="users", foreign_keys=[organization_id]
    )

    # set per request for staff who view pages "as a customer on plan X"; never stored
    viewing_as_plan = None
    # the secret of the browser session this request runs in (a ``UserSession``); never stored
    session_secret = None

    @property
    def is_active(self) -> bool:  # Flask-Login refuses sign-in for inactive users
        return self.is_enabled

    def get_id(self) -> str | None:  # what Flask-Login keeps in the session cookie
        return self.session_secret

    # UserMixin compares get_id(), here the browser session's secret, so that any two users
    # loaded outside a signed-in request were equal. The same user is the same row: its
    # identity key, read without loading anything; a user not yet stored is only itself.
    def __eq__(self, other: object) -> bool:
        if not isinstance(other, User):
            return NotImplemented
        mine, theirs = inspect(self).identity, inspect(other).identity
        return self is other if mine is None or theirs is None else mine == theirs

    def __hash__(self) -> int:  # a new user's hash changes when it is stored and gets its id
        identity = inspect(self).identity
        return object.__hash__(self) if identity is None else hash((User, identity))

    @property
    def is_staff(self) -> bool:
        return self.role in STAFF_ROLES

    @property
    def display_name(self) -> str:
        """The name, or the e-mail address: for the user's own organisation and staff."""
        return self.name or self.email

    @property
    def public_name(self) -> str:
        """The name shown to other organisations' users (the community): never the e-mail
        address, which a user without a name would otherwise give away."""
        return self.name or f"Member {self.id}"

    def __str__(self) -> str:
        return self.email


class SecretToken:
    """The columns of a user's credential that is shown once and kept only as its SHA-256
    (API tokens, feed tokens)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # the first characters, so that users can tell their tokens apart
    prefix: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @declared_attr
    def user(cls) -> Mapped[User]:
        return relationship(User)


class ApiToken(SecretToken, Base):
    __tablename__ = "api_tokens"

    name: Mapped[str] = mapped_column(String(100))
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # None: never
    expiry_warned_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def has_expired(self, now: datetime) -> bool:
        return self.expires_at is not None and now >= self.expires_at


class AuditEntry(Base):
    """Who changed what, when, with the values before and after."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(60))
    target_type: Mapped[str] = mapped_column(String(40))
    target_id: Mapped[int | None] = mapped_column(Integer)
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    remote_addr: Mapped[str | None] = mapped_column(String(64))

    actor: Mapped[User | None] = relationship()


class UserSession(Base):
    """One signed-in browser. The cookie holds the secret; signing out deletes the row, so a
    copied cookie stops working too."""

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # SHA-256 of the secret in the cookie
    secret_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    user: Mapped[User] = relationship()


class Throttle(Base):
    """Attempts counted for one key of one throttling rule (see ``kb.accounts.throttle``)."""

    __tablename__ = "throttles"
    __table_args__ = (UniqueConstraint("scope", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # the rule: "sign-in", "sign-in-account", "sign-in-address", "reset-account", ...
    scope: Mapped[str] = mapped_column(String(40))
    # what the rule counts for: an e-mail address, a client address, or both
    key: Mapped[str] = mapped_column(String(330))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class PasswordResetToken(Base):
    """A link to choose a password: asked for ("reset", valid minutes) or sent with an
    invitation ("invitation", valid days)."""

    __tablename__ = "password_reset_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    purpose: Mapped[str] = mapped_column(String(20), default="reset", server_default="reset")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()


class PasswordResetRequest(Base):
    """A password reset asked for an address and not yet answered. The request records only
    this, whether the address has an account or not (so its timing cannot tell); the outbox
    loop answers it and deletes it (``passwords.send_requested_reset_links``)."""

    __tablename__ = "password_reset_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class TwoStep(Base):
    """A user's authenticator app (TOTP, RFC 6238). The row exists from "Turn on" on; two-step
    sign-in is on once ``confirmed_at`` is set (a code from the app verified)."""

    __tablename__ = "two_step"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    # the shared secret, encrypted with a key derived from SECRET_KEY (``kb.accounts.totp``)
    secret_encrypted: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # the time step (30-second window) of the last code accepted: a code of it or an earlier
    # one is refused, so a code overheard once cannot be used again
    last_used_step: Mapped[int | None] = mapped_column(Integer)


class RecoveryCode(Base):
    """A single-use code that stands in for the authenticator app; kept hashed like passwords."""

    __tablename__ = "two_step_recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(255))
    # the code's first characters (``totp.recovery_lookup``); None for codes made before
    # migration 0042, each of which a typed code is checked against
    lookup: Mapped[str | None] = mapped_column(String(10))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
