"""What the response-target table and the plans' coverage calendars are."""

from __future__ import annotations

from datetime import time

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, Time, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kb.db import Base
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
