"""Elite services: each Elite organisation's customer success manager (CSM) and the messages
between them, and the special-event weekends the organisation books through its CSM."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import Date, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kb.accounts.models import Organization, User
from kb.db import Base, UTCDateTime, utcnow
from kb.products.models import Product

BOOKING_STATUSES = ("booked", "cancelled")


class CsmAssignment(Base):
    """Who is the organisation's customer success manager (a staff member)."""

    __tablename__ = "csm_assignments"

    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), primary_key=True)
    csm_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    assigned_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    organization: Mapped[Organization] = relationship()
    csm: Mapped[User] = relationship()


class CsmMessage(Base):
    """One message of the conversation between an organisation and its CSM."""

    __tablename__ = "csm_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)  # plain text, shown escaped
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    author: Mapped[User | None] = relationship()


class SpecialEventBooking(Base):
    """A weekend (Saturday and Sunday) on which an Elite organisation has support at every
    severity and a named support person."""

    __tablename__ = "special_event_bookings"
    __table_args__ = (
        # one booked weekend per organisation and term (the service checks the term; this
        # makes two bookings of the same weekend impossible even in a race)
        Index("uq_special_event_bookings_booked", "organization_id", "weekend", unique=True,
              sqlite_where=text("status = 'booked'"),
              postgresql_where=text("status = 'booked'")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True)
    weekend: Mapped[date] = mapped_column(Date, index=True)  # its Saturday
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"))
    notes: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="booked")
    requested_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"))
    support_person_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    organization: Mapped[Organization] = relationship()
    product: Mapped[Product] = relationship()
    requested_by: Mapped[User | None] = relationship(foreign_keys=[requested_by_id])
    support_person: Mapped[User | None] = relationship(foreign_keys=[support_person_id])

    @property
    def sunday(self) -> date:
        return self.weekend + timedelta(days=1)


class SpecialEventExclusion(Base):
    """A product special-event support is not available for (the brochure's footnote: "not
    available for some products"; custom and non-standard products)."""

    __tablename__ = "special_event_exclusions"

    product_id: Mapped[int] = mapped_column(
        ForeignKey("products.id", ondelete="CASCADE"), primary_key=True)
    reason: Mapped[str] = mapped_column(String(300), default="")

    product: Mapped[Product] = relationship()


MEETING_KINDS = {
    # kind: (feature it needs, what customers call it)
    "senior_consultation": ("senior_consultation",
                            "Consultation with senior support and development staff"),
    "update_planning": ("update_planning", "Update planning call"),
    "activity_review": ("activity_review", "Support activity review"),
}
MEETING_STATUSES = ("requested", "scheduled", "declined", "cancelled")


class EliteMeeting(Base):
    """A meeting an Elite organisation asks for and its CSM schedules: a consultation with
    senior staff, an update planning call before a named update, or an activity review."""

    __tablename__ = "elite_meetings"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    subject: Mapped[str] = mapped_column(String(200))
    details: Mapped[str] = mapped_column(Text, default="")
    preferred_times: Mapped[str] = mapped_column(String(500), default="")
    # update planning: the update (a version of a product) and what the organisation runs now
    product_id: Mapped[int | None] = mapped_column(ForeignKey("products.id", ondelete="SET NULL"))
    target_version: Mapped[str] = mapped_column(String(60), default="")
    current_version: Mapped[str] = mapped_column(String(60), default="")
    status: Mapped[str] = mapped_column(String(20), default="requested", index=True)
    requested_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    starts_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    duration_minutes: Mapped[int] = mapped_column(default=60)
    location: Mapped[str] = mapped_column(String(500), default="")  # a meeting link or a room
    attendees: Mapped[str] = mapped_column(String(500), default="")  # senior staff taking part
    answer: Mapped[str] = mapped_column(Text, default="")  # why declined, or a note
    scheduled_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"))
    # the invite's identity and revision (RFC 5545): a reschedule replaces the calendar entry
    calendar_uid: Mapped[str] = mapped_column(String(100), unique=True)
    sequence: Mapped[int] = mapped_column(default=0)

    organization: Mapped[Organization] = relationship()
    product: Mapped[Product | None] = relationship()
    requested_by: Mapped[User | None] = relationship(foreign_keys=[requested_by_id])
    scheduled_by: Mapped[User | None] = relationship(foreign_keys=[scheduled_by_id])

    @property
    def kind_name(self) -> str:
        return MEETING_KINDS[self.kind][1]

    @property
    def ends_at(self) -> datetime | None:
        return self.starts_at + timedelta(minutes=self.duration_minutes) if self.starts_at \
            else None
