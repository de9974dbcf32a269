"""Every change to the target table and the calendars, and the target of one incident."""

from __future__ import annotations

from datetime import datetime, time

from flask import current_app
from sqlalchemy import func, select

from kb import db, policy
from kb.accounts.audit import record_audit
from kb.errors import Invalid, NotFound
from kb.products.models import Product
from kb.products.service import slugify
from kb.support import clock, defaults
from kb.support.models import CoverageCalendar, ResponseTarget


def ensure_default_table() -> int:
    """Add the default rows and calendars that are missing (idempotent; edited rows stay).
    Returns how many rows were added."""
    general = {(row.plan, row.severity) for row in db.session.scalars(
        select(ResponseTarget).where(ResponseTarget.product_id.is_(None)))}
    calendars = set(db.session.scalars(select(CoverageCalendar.plan)))
    added = 0
    for (plan, severity), (minutes, rule_clock) in defaults.TARGETS.items():
        if (plan, severity) not in general:
            db.session.add(ResponseTarget(plan=plan, severity=severity,
                                          response_minutes=minutes, clock=rule_clock))
            added += 1
    for plan, (days, opens, closes) in defaults.CALENDARS.items():
        if plan not in calendars:
            db.session.add(CoverageCalendar(plan=plan, business_days=days, opens=opens,
                                            closes=closes))
            added += 1
    db.session.commit()
    return added


def load_table() -> clock.TargetTable:
    """A snapshot of the target table and the calendars, for ``clock.response_due``."""
    rows = db.session.execute(
        select(ResponseTarget, Product.name).outerjoin(Product, ResponseTarget.product))
    rules = {(row.plan, row.severity, product_name): clock.Rule(row.response_minutes, row.clock)
             for row, product_name in rows}
    calendars = {row.plan: clock.Calendar(frozenset(int(day) for day in row.business_days),
                                          row.opens, row.closes)
                 for row in db.session.scalars(select(CoverageCalendar))}
    return clock.TargetTable(rules, calendars)


def find_product(name: str) -> Product:
    """The product called ``name`` (or with that slug), case ignored."""
    product = db.session.scalar(select(Product).where(
        (func.lower(Product.name) == name.strip().lower()) | (Product.slug == slugify(name))))
    if product is None:
        raise NotFound(f"No product called {name!r}.")
    return product


def target_for(plan: str, severity: int, product_name: str, logged_at: datetime,
               time_zone: str, holiday_country: str | None) -> datetime | None:
    """The response due time (UTC) of an incident logged at ``logged_at``; None when the
    table has no target for that severity, plan and product."""
    clock.check_plan_and_severity(plan, severity)
    product = find_product(product_name)
    return clock.response_due(load_table(), plan, severity, product.name, logged_at,
                              time_zone, holiday_country)


def set_target(actor, plan: str, severity: int, product: Product | None,
               response_minutes: int | None, rule_clock: str) -> ResponseTarget:
    """Staff set one row: the plan's general target for a severity (``product`` None) or a
    product's own; ``response_minutes`` None marks the target not available."""
    policy.require_staff(actor)
    clock.check_plan_and_severity(plan, severity)
    clock.check_clock(rule_clock)
    if response_minutes is not None and response_minutes <= 0:
        raise Invalid("A response target is a positive number of minutes.")
    row = _target_row(plan, severity, product)
    before = _target_fields(row) if row.id else None
    row.response_minutes, row.clock = response_minutes, rule_clock
    db.session.flush()
    record_audit(actor, "support.target.set", "support_response_target", row.id, before,
                 _target_fields(row))
    db.session.commit()
    return row


def remove_product_target(actor, plan: str, severity: int, product: Product) -> None:
    """Staff drop a product's own row, so the plan's general target applies to it again."""
    policy.require_staff(actor)
    row = product_target(plan, severity, product)
    if row is None:
        raise NotFound(f"{product.name} has no target of its own for that row.")
    record_audit(actor, "support.target.remove", "support_response_target", row.id,
                 _target_fields(row), None)
    db.session.delete(row)
    db.session.commit()


def set_calendar(actor, plan: str, business_days: str, opens: time, closes: time
                 ) -> CoverageCalendar:
    """Staff set a plan's business days (ISO weekday digits, "12345") and hours."""
    policy.require_staff(actor)
    clock.check_plan_and_severity(plan, 1)
    days = "".join(sorted(set(business_days)))
    if not days or not set(days) <= set("1234567"):
        raise Invalid("Business days are ISO weekday digits, 1 (Monday) to 7 (Sunday).",
                      field="business_days")
    if opens >= closes:
        raise Invalid("Business hours must open before they close.", field="closes")
    calendar = db.session.get(CoverageCalendar, plan) or CoverageCalendar(plan=plan)
    before = _calendar_fields(calendar) if calendar.business_days else None
    calendar.business_days, calendar.opens, calendar.closes = days, opens, closes
    db.session.add(calendar)
    record_audit(actor, "support.calendar.set", "support_coverage_calendar", None, before,
                 _calendar_fields(calendar))
    db.session.commit()
    return calendar


def product_target(plan: str, severity: int, product: Product) -> ResponseTarget | None:
    """The product's own row for that plan and severity, if it has one."""
    return db.session.scalar(select(ResponseTarget).filter_by(
        plan=plan, severity=severity, product_id=product.id))


def _target_row(plan: str, severity: int, product: Product | None) -> ResponseTarget:
    product_id = product.id if product is not None else None
    row = db.session.scalar(select(ResponseTarget).where(
        ResponseTarget.plan == plan, ResponseTarget.severity == severity,
        ResponseTarget.product_id.is_(None) if product_id is None
        else ResponseTarget.product_id == product_id))
    if row is None:
        row = ResponseTarget(plan=plan, severity=severity, product_id=product_id)
        db.session.add(row)
    return row


def _target_fields(row: ResponseTarget) -> dict:
    return {"plan": row.plan, "severity": row.severity, "product_id": row.product_id,
            "response_minutes": row.response_minutes, "clock": row.clock}


def _calendar_fields(calendar: CoverageCalendar) -> dict:
    return {"plan": calendar.plan, "business_days": calendar.business_days,
            "opens": calendar.opens.isoformat(), "closes": calendar.closes.isoformat()}


def organization_clock(organization) -> tuple[str, str | None]:
    """The time zone and holiday country an organisation's support clock runs on: its own,
    else the SUPPORT_TIME_ZONE and SUPPORT_HOLIDAYS settings."""
    zone = organization.time_zone or current_app.config["SUPPORT_TIME_ZONE"]
    country = organization.holiday_country
    if country is None:
        country = current_app.config["SUPPORT_HOLIDAYS"] or None
    return zone, (country or None)


def due_for(organization, plan: str, severity: int, product: Product,
            logged_at: datetime) -> datetime | None:
    """The response target of an incident of ``organization`` logged at ``logged_at``; the days
    of the organisation's booked special event weekends count whole, at every severity."""
    from kb.elite.special_events import booked_weekend_days

    zone, country = organization_clock(organization)
    event_days = booked_weekend_days(organization.id, logged_at, zone)
    return clock.response_due(load_table(), plan, severity, product.name, logged_at, zone,
                              country, event_days=event_days)
