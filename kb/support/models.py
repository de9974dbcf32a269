"""What the response-target table, the plans' coverage calendars and incidents are."""

from __future__ import annotations

from datetime import datetime, time

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    Time,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kb.accounts.models import Organization, User
from kb.articles.models import Article
from kb.db import Base, UTCDateTime, utcnow
from kb.products.models import Product

SEVERITIES = (1, 2, 3, 4)
# how a target's clock runs: every minute; whole weekdays (the plan's business days, not on
# public holidays); or only the plan's business hours on those days
CLOCKS = ("around_the_clock", "weekdays", "business_hours")


class ResponseTarget(Base):
    """How soon support responds to an incident of one severity on one plan: for every product
    (``product_id`` None) or for one product, which then overrides the general row.
    ``response_minutes`` None means no target: the seed's "not available for some products"."""

    __tablename__ = "support_response_targets"
    __table_args__ = (
        CheckConstraint("severity BETWEEN 1 AND 4", name="severity_range"),
        CheckConstraint("response_minutes IS NULL OR response_minutes > 0",
                        name="positive_minutes"),
        CheckConstraint("clock IN ('around_the_clock', 'weekdays', 'business_hours')",
                        name="known_clock"),
        # NULLs never collide in a unique constraint, so the general rows need their own index
        Index("uq_support_response_targets_general", "plan", "severity", unique=True,
              sqlite_where=text("product_id IS NULL"),
              postgresql_where=text("product_id IS NULL")),
        Index("uq_support_response_targets_product", "plan", "severity", "product_id",
              unique=True, sqlite_where=text("product_id IS NOT NULL"),
              postgresql_where=text("product_id IS NOT NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan: Mapped[str] = mapped_column(String(20))
    severity: Mapped[int] = mapped_column(Integer)
    product_id: Mapped[int | None] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"))
    response_minutes: Mapped[int | None] = mapped_column(Integer)
    clock: Mapped[str] = mapped_column(String(20))

    product: Mapped[Product | None] = relationship()

    @property
    def is_available(self) -> bool:
        return self.response_minutes is not None


class CoverageCalendar(Base):
    """When a plan's business-hours and weekday clocks run, in the customer's own time zone:
    ``business_days`` lists ISO weekdays (1 Monday .. 7 Sunday) as digits, "12345"."""

    __tablename__ = "support_coverage_calendars"
    __table_args__ = (CheckConstraint("opens < closes", name="opens_before_closes"),)

    plan: Mapped[str] = mapped_column(String(20), primary_key=True)
    business_days: Mapped[str] = mapped_column(String(7))
    opens: Mapped[time] = mapped_column(Time)
    closes: Mapped[time] = mapped_column(Time)


# --- incidents -------------------------------------------------------------------------------

INCIDENT_STATUSES = ("new", "in_progress", "waiting_for_customer", "resolved", "closed",
                     "reopened")
OPEN_STATUSES = ("new", "in_progress", "waiting_for_customer", "reopened")
STATUS_NAMES = {"new": "New", "in_progress": "In progress",
                "waiting_for_customer": "Waiting for customer", "resolved": "Resolved",
                "closed": "Closed", "reopened": "Reopened"}
# reply: public, both sides; note: staff only; event: a public line the portal writes
ENTRY_KINDS = ("reply", "note", "event")
SEVERITY_DEFINITIONS = {
    1: ("Critical", "Production is down or unusable and no workaround exists; business "
                    "cannot continue."),
    2: ("High", "A major function fails or performance is seriously degraded; business "
                "continues with difficulty, or a workaround exists."),
    3: ("Medium", "A function misbehaves or part of the system is impaired; most business "
                  "goes on."),
    4: ("Low", "A question, a cosmetic fault, documentation, or a request for an "
               "enhancement."),
}

incident_articles = Table(
    "support_incident_articles", Base.metadata,
    Column("incident_id", ForeignKey("support_incidents.id", ondelete="CASCADE"),
           primary_key=True),
    Column("article_id", ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
)
incident_watchers = Table(  # colleagues told as its reporter is (kb.support.watchers)
    "support_incident_watchers", Base.metadata,
    Column("incident_id", ForeignKey("support_incidents.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Incident(Base):
    """A customer's incident. ``number`` counts per organisation; ``plan``: the organisation's,
    when logged (its target and queue place keep it); ``response_due`` None: no target."""

    __tablename__ = "support_incidents"
    __table_args__ = (
        UniqueConstraint("organization_id", "number"),
        CheckConstraint("severity BETWEEN 1 AND 4", name="severity_range"),
        CheckConstraint("status IN ('new', 'in_progress', 'waiting_for_customer', 'resolved', "
                        "'closed', 'reopened')", name="known_status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="RESTRICT"))
    version: Mapped[str] = mapped_column(String(60), default="")
    severity: Mapped[int] = mapped_column(Integer)
    plan: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(30), default="new", index=True)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    description_html: Mapped[str] = mapped_column(Text, default="")
    contact: Mapped[str] = mapped_column(String(300), default="")
    reporter_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    assignee_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    response_due: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    # support's first public reply: the moment the response target is met
    responded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    organization: Mapped[Organization] = relationship()
    product: Mapped[Product] = relationship()
    reporter: Mapped[User | None] = relationship(foreign_keys=[reporter_id])
    assignee: Mapped[User | None] = relationship(foreign_keys=[assignee_id])
    entries: Mapped[list[IncidentEntry]] = relationship(
        back_populates="incident", cascade="all, delete-orphan",
        order_by="(IncidentEntry.created_at, IncidentEntry.id)")
    attachments: Mapped[list[IncidentAttachment]] = relationship(
        back_populates="incident", cascade="all, delete-orphan",
        order_by="IncidentAttachment.id")
    articles: Mapped[list[Article]] = relationship(secondary=incident_articles,
                                                   order_by="Article.title")
    clocks: Mapped[list[ResponseClock]] = relationship(
        back_populates="incident", cascade="all, delete-orphan",
        order_by="(ResponseClock.started_at, ResponseClock.id)")
    watchers: Mapped[list[User]] = relationship(secondary=incident_watchers, order_by=User.name)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def status_name(self) -> str:
        return STATUS_NAMES[self.status]

    @property
    def severity_name(self) -> str:
        return SEVERITY_DEFINITIONS[self.severity][0]

    @property
    def reference(self) -> str:
        """What the organisation's own users call it: numbers count per organisation."""
        return f"#{self.number}"

    @property
    def staff_reference(self) -> str:
        """What support calls it, among every organisation's incidents."""
        return f"#{self.number} · {self.organization.name}"


class IncidentEntry(Base):
    """One line of an incident's thread: a public reply, a staff-only note, or an event."""

    __tablename__ = "support_incident_entries"
    __table_args__ = (
        CheckConstraint("kind IN ('reply', 'note', 'event')", name="known_kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(
        ForeignKey("support_incidents.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text, default="")
    body_html: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    incident: Mapped[Incident] = relationship(back_populates="entries")
    author: Mapped[User | None] = relationship()

    @property
    def is_public(self) -> bool:
        return self.kind != "note"


class ResponseClock(Base):
    """One run of an incident's response target: from its logging, then from each reopening.
    The incident's ``response_due`` and ``responded_at`` mirror its latest clock. ``stopped_at``:
    the incident was finished with no response; ``withdrawn``: by the customer (not counted)."""

    __tablename__ = "support_response_clocks"

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(
        ForeignKey("support_incidents.id", ondelete="CASCADE"), index=True)
    reason: Mapped[str] = mapped_column(String(20))  # logged, reopened
    severity: Mapped[int] = mapped_column(Integer)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    due: Mapped[datetime | None] = mapped_column(UTCDateTime)
    responded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    stopped_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    withdrawn: Mapped[bool] = mapped_column(Boolean, default=False)

    incident: Mapped[Incident] = relationship(back_populates="clocks")


class IncidentAttachment(Base):
    """A file of an incident, reply or note (a note's: staff-only), stored at ``storage_key``."""

    __tablename__ = "support_incident_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(
        ForeignKey("support_incidents.id", ondelete="CASCADE"), index=True)
    entry_id: Mapped[int | None] = mapped_column(
        ForeignKey("support_incident_entries.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(255))
    size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    content_type: Mapped[str] = mapped_column(String(200), default="application/octet-stream")
    storage_key: Mapped[str] = mapped_column(String(300))
    uploaded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    incident: Mapped[Incident] = relationship(back_populates="attachments")
    entry: Mapped[IncidentEntry | None] = relationship()

    @property
    def is_public(self) -> bool:
        return self.entry is None or self.entry.is_public


class RemoteAccess(Base):
    """Staff ask to connect to the customer's system for an incident; the customer grants a
    window (``starts_at`` to ``ends_at``) or refuses, and may revoke a grant early."""

    __tablename__ = "support_remote_access"
    __table_args__ = (
        CheckConstraint("status IN ('requested', 'granted', 'refused', 'revoked', "
                        "'withdrawn')", name="known_status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(
        ForeignKey("support_incidents.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(20), default="requested")
    reason: Mapped[str] = mapped_column(Text, default="")
    requested_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    starts_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    incident: Mapped[Incident] = relationship()
    requested_by: Mapped[User | None] = relationship(foreign_keys=[requested_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])

    def state_at(self, now: datetime) -> str:
        """requested, refused, withdrawn, revoked, or for a grant: scheduled, active, expired."""
        if self.status != "granted":
            return self.status
        if now >= self.ends_at:
            return "expired"
        return "active" if now >= self.starts_at else "scheduled"
