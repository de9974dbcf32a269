"""What a customer's plan covers: the response target of each severity (and where a product
differs), when support answers the phone for each severity, in the organisation's time zone,
and whether it does right now."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import current_app

from kb import plans, policy
from kb.errors import Invalid
from kb.products.known import products_to_name
from kb.support import clock, service
from kb.support.models import SEVERITIES, SEVERITY_DEFINITIONS

DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
PHONE_FEATURE = "phone_support"


@dataclass(frozen=True)
class PhoneLine:
    label: str
    number: str


@dataclass(frozen=True)
class SeverityCoverage:
    severity: int
    name: str
    definition: str
    response_minutes: int | None
    clock: str
    hours: str
    open_now: bool
    # products whose own row differs from the plan's: (product name, minutes or None)
    exceptions: tuple[tuple[str, int | None], ...]


@dataclass(frozen=True)
class Coverage:
    plan: str
    time_zone: str
    holiday_country: str | None
    phone_lines: tuple[PhoneLine, ...]
    severities: tuple[SeverityCoverage, ...]


def phone_lines() -> tuple[PhoneLine, ...]:
    """The lines of the SUPPORT_PHONE_LINES setting, "Label: number; Label: number" (a
    number alone has no label); none when it is set empty."""
    lines = []
    for part in current_app.config["SUPPORT_PHONE_LINES"].split(";"):
        label, _, number = part.rpartition(":")
        if number.strip():
            lines.append(PhoneLine(label.strip(), number.strip()))
    return tuple(lines)


def coverage_of(user, now: datetime, staff_plan: str | None = None) -> Coverage:
    """The coverage of the customer's plan; staff see ``staff_plan``'s (default: the plan
    they view pages as, else the highest), in UTC."""
    policy.require(user, PHONE_FEATURE)
    plan = policy.effective_plan(user)
    if policy.acts_as_staff(user):
        plan = staff_plan or plans.PLANS[-1]
    if plan not in plans.PLANS:
        raise Invalid(f"Unknown plan; the plans are {', '.join(plans.PLANS)}.")
    organization = user.organization if not user.is_staff else None
    zone, country = (service.organization_clock(organization) if organization is not None
                     else ("UTC", None))
    table = service.load_table()
    named = products_to_name(user)  # a product only drafts name has no row told
    return Coverage(plan, zone, country, phone_lines(), tuple(
        _severity(table, plan, severity, zone, country, now, named) for severity in SEVERITIES))


def _severity(table: clock.TargetTable, plan: str, severity: int, zone: str,
              country: str | None, now: datetime, products: list) -> SeverityCoverage:
    rule = table.rule_for(plan, severity, None)
    calendar = table.calendars[plan]
    exceptions = tuple(
        (product.name, own.response_minutes) for product in products
        if (own := table.rules.get((plan, severity, product.name))) is not None
        and own.response_minutes != rule.response_minutes)
    name, definition = SEVERITY_DEFINITIONS[severity]
    return SeverityCoverage(severity, name, definition, rule.response_minutes, rule.clock,
                            hours_text(rule.clock, calendar, zone, country),
                            covered_at(rule.clock, calendar, zone, country, now), exceptions)


def unavailable_targets(user, plan: str) -> list[tuple[int, str]]:
    """(severity, product) pairs without a response target on ``plan``, of the products
    ``user`` may name: the brochure's "not available for some products", told before an
    incident is logged so."""
    table = service.load_table()
    named = products_to_name(user)
    try:
        return [(severity, product.name) for severity in SEVERITIES for product in named
                if table.rule_for(plan, severity, product.name).response_minutes is None]
    except Invalid:  # no target table yet: nothing to tell
        return []


def hours_text(rule_clock: str, calendar: clock.Calendar, zone: str,
               country: str | None) -> str:
    if rule_clock == "around_the_clock":
        return "Around the clock, every day of the year"
    days = _days_text(calendar.business_days)
    holidays = f", except public holidays ({country})" if country else ""
    if rule_clock == "weekdays":
        return f"All day {days}{holidays}, {zone} time"
    return (f"{days} {calendar.opens:%H:%M}–{calendar.closes:%H:%M}{holidays}, "
            f"{zone} time")


def _days_text(days: frozenset[int]) -> str:
    ordered = sorted(days)
    if ordered == list(range(ordered[0], ordered[-1] + 1)) and len(ordered) > 2:
        return f"{DAY_NAMES[ordered[0] - 1]}–{DAY_NAMES[ordered[-1] - 1]}"
    return ", ".join(DAY_NAMES[day - 1] for day in ordered)


def covered_at(rule_clock: str, calendar: clock.Calendar, zone: str, country: str | None,
               now: datetime) -> bool:
    """Whether the clock runs at ``now`` (support answers the phone for that severity)."""
    if rule_clock == "around_the_clock":
        return True
    local = now.astimezone(clock.zone_named(zone))
    if (local.isoweekday() not in calendar.business_days
            or local.date() in clock.holiday_dates(country, local.year)):
        return False
    return rule_clock == "weekdays" or calendar.opens <= local.time() < calendar.closes


def plan_name(plan: str) -> str:
    return plans.plan_name(plan)
