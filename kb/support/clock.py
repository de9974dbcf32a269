"""The response-target engine: when support's response to an incident is due. Pure: it reads
only the table snapshot it is given (``TargetTable``), never the database or the clock.

A target counts ``response_minutes`` of covered time from the moment the incident was logged.
Which time is covered depends on the rule's clock and the plan's calendar, read in the
organisation's time zone: every minute (``around_the_clock``), whole business days that are no
public holiday (``weekdays``), or business hours on those days (``business_hours``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

from kb import plans, time_zones
from kb.errors import Invalid
from kb.support.models import CLOCKS, SEVERITIES

# a calendar whose counted time is this far away is treated as a broken calendar
LONGEST_SEARCH_DAYS = 3 * 366


@dataclass(frozen=True)
class Rule:
    """One row of the target table: minutes of covered time (None: not available), and clock."""

    response_minutes: int | None
    clock: str


@dataclass(frozen=True)
class Calendar:
    """A plan's business days (ISO weekdays) and hours, in the customer's local time."""

    business_days: frozenset[int]
    opens: time
    closes: time


@dataclass(frozen=True)
class TargetTable:
    """A snapshot of the target table: rules keyed by (plan, severity, product name or None for
    every product), and each plan's calendar."""

    rules: Mapping[tuple[str, int, str | None], Rule]
    calendars: Mapping[str, Calendar]

    def rule_for(self, plan: str, severity: int, product: str | None) -> Rule:
        """The product's own rule if it has one, else the plan's general rule."""
        rule = self.rules.get((plan, severity, product)) or self.rules.get((plan, severity, None))
        if rule is None:
            raise Invalid(f"The target table has no row for severity {severity} on {plan}.")
        return rule


def response_due(table: TargetTable, plan: str, severity: int, product: str | None,
                 logged_at: datetime, time_zone: str, holiday_country: str | None,
                 event_days: frozenset[date] = frozenset()) -> datetime | None:
    """When the response to an incident logged at ``logged_at`` is due, in UTC; None when the
    table says no target is available (that severity, plan and product).

    ``time_zone`` is the organisation's IANA zone; ``holiday_country`` an ISO 3166 code,
    optionally with a subdivision ("DE-BY"), or None for no public holidays. ``event_days``
    (local dates: a booked special event weekend) are covered whole, at every severity. Raises
    ``Invalid`` for an unknown plan, severity, zone or country, or a naive ``logged_at``."""
    check_plan_and_severity(plan, severity)
    if logged_at.tzinfo is None:
        raise Invalid("The time an incident was logged needs a UTC offset or zone.")
    zone = zone_named(time_zone)
    check_holiday_country(holiday_country, logged_at.year)
    rule = table.rule_for(plan, severity, product)
    if rule.response_minutes is None:
        return None
    start = logged_at.astimezone(UTC)
    remaining = timedelta(minutes=rule.response_minutes)
    if rule.clock == "around_the_clock":
        return start + remaining
    return _count_covered_time(start, remaining, rule.clock, table.calendars[plan], zone,
                               holiday_country, event_days)


def _count_covered_time(start: datetime, remaining: timedelta, clock: str, calendar: Calendar,
                        zone: ZoneInfo, holiday_country: str | None,
                        event_days: frozenset[date] = frozenset()) -> datetime:
    """Walk the covered windows day by day (local days) until ``remaining`` is used up."""
    day = start.astimezone(zone).date()
    for _ in range(LONGEST_SEARCH_DAYS):
        if day in event_days or (day.isoweekday() in calendar.business_days
                                 and day not in holiday_dates(holiday_country, day.year)):
            window_start, window_end = _window(
                day, "weekdays" if day in event_days else clock, calendar, zone)
            window_start = max(window_start, start)
            if window_end > window_start:
                if remaining <= window_end - window_start:
                    return window_start + remaining
                remaining -= window_end - window_start
        day += timedelta(days=1)
    raise Invalid("The coverage calendar counts no time: it has no business days.")


def _window(day: date, clock: str, calendar: Calendar, zone: ZoneInfo
            ) -> tuple[datetime, datetime]:
    """The covered part of one local day, in UTC (a DST day's window is its real length)."""
    if clock == "weekdays":
        opens, closes = _local(day, time(0), zone), _local(day + timedelta(days=1), time(0), zone)
    else:
        opens, closes = _local(day, calendar.opens, zone), _local(day, calendar.closes, zone)
    return opens, closes


def _local(day: date, wall_time: time, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, wall_time, tzinfo=zone).astimezone(UTC)


def check_plan_and_severity(plan: str, severity: int) -> None:
    if plan not in plans.PLANS:
        raise Invalid(f"Unknown plan {plan!r}; the plans are {', '.join(plans.PLANS)}.")
    if severity not in SEVERITIES:
        raise Invalid(f"Severity must be 1 to 4, not {severity}.")


def check_clock(clock: str) -> None:
    if clock not in CLOCKS:
        raise Invalid(f"Unknown clock {clock!r}; the clocks are {', '.join(CLOCKS)}.")


def zone_named(name: str) -> ZoneInfo:
    if not time_zones.is_known(name):
        raise Invalid(f"Unknown time zone {name!r} (an IANA name such as Europe/Berlin).")
    return ZoneInfo(name)


def check_holiday_country(country: str | None, year: int) -> None:
    holiday_dates(country, year)


@cache
def holiday_dates(country: str | None, year: int) -> frozenset[date]:
    """The public holidays of ``"CC"`` or ``"CC-SUBDIVISION"`` in one year (none for None).
    Immutable and cached per year: requests in several threads share them safely."""
    if not country:
        return frozenset()
    import holidays  # here: its 160 countries' modules cost every kb process's start 15 ms

    code, _, subdivision = country.upper().partition("-")
    try:
        return frozenset(holidays.country_holidays(code, subdiv=subdivision or None,
                                                   years=year))
    except NotImplementedError:
        raise Invalid(f"Unknown holiday country {country!r} (an ISO code such as US or DE-BY)."
                      ) from None
