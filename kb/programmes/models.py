"""Early adopter programmes (Elite): staff open a programme for a product (what is offered, on
which conditions, how many seats, from when until when); Elite organisations apply and staff
accept or decline. An accepted organisation reads the programme's gated patches and its private
community space while the programme runs; when it ends, so does that access."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kb.accounts.models import Organization, User
from kb.db import Base, UTCDateTime, utcnow
from kb.products.models import Product

# applied: waiting for staff; accepted: a member while the programme runs; declined: not taken
APPLICATION_STATUSES = ("applied", "accepted", "declined")


class Programme(Base):
    __tablename__ = "programmes"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="RESTRICT"),
                                            index=True)
    offer: Mapped[str] = mapped_column(Text, default="")  # what members get, plain text
    conditions: Mapped[str] = mapped_column(Text, default="")  # what members agree to
    seats: Mapped[int] = mapped_column(Integer)
    opens_on: Mapped[date] = mapped_column(Date)  # applications are taken from this day
    ends_on: Mapped[date] = mapped_column(Date)  # the last day of the programme
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # ended early by staff
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    product: Mapped[Product] = relationship()
    created_by: Mapped[User | None] = relationship()

    def has_ended_on(self, day: date) -> bool:
        return self.ended_at is not None or day > self.ends_on

    def takes_applications_on(self, day: date) -> bool:
        return self.opens_on <= day and not self.has_ended_on(day)

    def state_on(self, day: date) -> str:
        """upcoming, open or ended, in words for pages."""
        if self.has_ended_on(day):
            return "ended"
        return "open" if self.opens_on <= day else "upcoming"

    @property
    def gate_key(self) -> str:
        """What the search index's gate names as the one thing reading its items needs."""
        return f"programme:{self.id}"

    def __str__(self) -> str:
        return self.title


class ProgrammeApplication(Base):
    """An organisation's application to a programme, and staff's answer."""

    __tablename__ = "programme_applications"
    __table_args__ = (UniqueConstraint("programme_id", "organization_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id", ondelete="CASCADE"),
                                              index=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True)
    note: Mapped[str] = mapped_column(Text, default="")  # why they want in, plain text
    status: Mapped[str] = mapped_column(String(20), default="applied", index=True)
    applied_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    applied_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    answer: Mapped[str] = mapped_column(String(1000), default="")  # staff's word to them

    programme: Mapped[Programme] = relationship()
    organization: Mapped[Organization] = relationship()
    applied_by: Mapped[User | None] = relationship(foreign_keys=[applied_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
