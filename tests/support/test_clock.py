"""The response-due engine over the default table: weekends, public holidays, time zones,
DST and plans, one row per case (logged in the organisation's local time, due in UTC)."""

from __future__ import annotations

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest

from kb.errors import Invalid
from kb.support import clock, defaults

PRODUCT = "Orbit ERP"


def default_table(**overrides) -> clock.TargetTable:
    rules = {(plan, severity, None): clock.Rule(minutes, rule_clock)
             for (plan, severity), (minutes, rule_clock) in defaults.TARGETS.items()}
    rules.update(overrides.get("rules", {}))
    calendars = {plan: clock.Calendar(frozenset(int(day) for day in days), opens, closes)
                 for plan, (days, opens, closes) in defaults.CALENDARS.items()}
    return clock.TargetTable(rules, calendars)


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


# 2026-12-05 is a Saturday, 2026-12-07 a Monday; 2026-12-25 (Friday) is Christmas
CASES = [
    # plan, severity, logged (local), zone, holidays, due (UTC), why
    ("xtreme", 1, "2026-12-05T10:00", "UTC", None, "2026-12-07T04:00",
     "Sev 1 on a Saturday: Xtreme's clock waits for Monday 00:00"),
    ("premium", 1, "2026-12-05T10:00", "UTC", None, "2026-12-05T12:00",
     "Sev 1 on a Saturday: Premium's clock runs around the clock"),
    ("elite", 1, "2026-12-05T10:00", "UTC", None, "2026-12-05T11:00",
     "Sev 1 on a Saturday: Elite, one hour around the clock"),
    ("xtreme", 1, "2026-12-04T22:00", "UTC", None, "2026-12-07T02:00",
     "Xtreme Sev 1 late on Friday: two hours on Friday, two on Monday"),
    ("xtreme", 1, "2026-12-24T22:00", "Europe/Berlin", "DE", "2026-12-28T01:00",
     "Xtreme Sev 1 on Christmas Eve: Christmas and Boxing Day are holidays, then the weekend"),
    ("premium", 1, "2026-12-25T03:00", "Europe/Berlin", "DE", "2026-12-25T04:00",
     "Premium Sev 1 on Christmas Day: around the clock ignores holidays"),
    ("xtreme", 2, "2026-12-07T16:00", "UTC", None, "2026-12-08T16:00",
     "Sev 2, eight business hours from Monday 16:00: one hour Monday, seven Tuesday"),
    ("premium", 2, "2026-12-05T10:00", "UTC", None, "2026-12-07T13:00",
     "Sev 2 on a Saturday: business hours start Monday 09:00"),
    ("elite", 2, "2026-12-07T07:00", "UTC", None, "2026-12-07T11:00",
     "Sev 2 before opening: counts from 09:00"),
    ("elite", 2, "2026-12-07T08:00", "America/New_York", None, "2026-12-07T16:00",
     "New York's business hours: 09:00 EST is 14:00 UTC, two hours later 16:00 UTC"),
    ("elite", 2, "2026-12-07T09:30", "Asia/Tokyo", None, "2026-12-07T02:30",
     "Tokyo's Monday morning is Sunday night in UTC and still counts as Monday"),
    ("elite", 2, "2026-12-07T09:30", "Asia/Tokyo", "JP", "2026-12-07T02:30",
     "Japanese holidays change nothing on an ordinary Monday"),
    ("premium", 2, "2026-11-26T10:00", "America/New_York", "US", "2026-11-27T18:00",
     "US Thanksgiving is a holiday in New York: Friday counts instead"),
    ("premium", 2, "2026-11-26T10:00", "America/New_York", None, "2026-11-26T19:00",
     "the same moment without US holidays: Thursday counts"),
    ("premium", 3, "2026-12-24T12:00", "Europe/Berlin", "DE", "2026-12-28T11:00",
     "Sev 3 on Christmas Eve in Germany (a working day): 5 h then, 3 h on Monday 28th"),
    ("xtreme", 4, "2026-12-07T09:00", "UTC", None, "2026-12-11T17:00",
     "Sev 4 on Xtreme: five business days, Monday 09:00 to Friday 17:00"),
    ("elite", 4, "2026-12-04T17:00", "UTC", None, "2026-12-08T17:00",
     "Sev 4 at Friday's close: two business days, Monday and Tuesday"),
    ("xtreme", 1, "2026-03-27T23:00", "Europe/Berlin", None, "2026-03-30T01:00",
     "Xtreme Sev 1 across the spring DST weekend: Friday's last hour, then Monday"),
    ("elite", 3, "2026-10-23T15:00", "Europe/Berlin", None, "2026-10-26T10:00",
     "Sev 3 across the autumn DST weekend: Monday 09:00 CET is 08:00 UTC"),
]


@pytest.mark.parametrize(("plan", "severity", "logged", "zone", "country", "due", "why"), CASES,
                         ids=[case[-1] for case in CASES])
def test_response_due(plan, severity, logged, zone, country, due, why):
    logged_at = datetime.fromisoformat(logged).replace(tzinfo=ZoneInfo(zone))
    result = clock.response_due(default_table(), plan, severity, PRODUCT, logged_at, zone,
                                country)
    assert result == utc(due), why
    assert result.tzinfo == UTC


def test_a_product_row_overrides_the_general_one_and_may_say_not_available():
    table = default_table(rules={
        ("premium", 1, "Orbit Analytics"): clock.Rule(None, "around_the_clock"),
        ("elite", 1, "Orbit Analytics"): clock.Rule(3 * 60, "weekdays"),
    })
    saturday = utc("2026-12-05T10:00")
    assert clock.response_due(table, "premium", 1, "Orbit Analytics", saturday, "UTC",
                              None) is None
    assert clock.response_due(table, "elite", 1, "Orbit Analytics", saturday, "UTC",
                              None) == utc("2026-12-07T03:00")
    assert clock.response_due(table, "elite", 1, PRODUCT, saturday, "UTC",
                              None) == utc("2026-12-05T11:00")


def test_a_calendar_with_weekend_days_counts_them():
    table = default_table()
    calendars = dict(table.calendars)
    calendars["xtreme"] = clock.Calendar(frozenset(range(1, 8)), time(8), time(20))
    table = clock.TargetTable(table.rules, calendars)
    assert clock.response_due(table, "xtreme", 2, PRODUCT, utc("2026-12-05T10:00"), "UTC",
                              None) == utc("2026-12-05T18:00")


@pytest.mark.parametrize(("plan", "severity", "logged_at", "zone", "country", "message"), [
    ("gold", 1, utc("2026-12-05T10:00"), "UTC", None, "Unknown plan"),
    ("elite", 5, utc("2026-12-05T10:00"), "UTC", None, "Severity must be 1 to 4"),
    ("elite", 0, utc("2026-12-05T10:00"), "UTC", None, "Severity must be 1 to 4"),
    ("elite", 2, datetime(2026, 12, 5, 10), "UTC", None, "needs a UTC offset"),
    ("elite", 2, utc("2026-12-05T10:00"), "Mars/Olympus", None, "Unknown time zone"),
    ("elite", 2, utc("2026-12-05T10:00"), "UTC", "XX", "Unknown holiday country"),
    ("elite", 2, utc("2026-12-05T10:00"), "UTC", "DE-XX", "Unknown holiday country"),
    ("elite", 1, utc("2026-12-05T10:00"), "UTC", "XX", "Unknown holiday country"),
    ("elite", 1, utc("2026-12-05T10:00"), "Mars/Olympus", None, "Unknown time zone"),
])
def test_bad_input_is_refused_with_a_reason(plan, severity, logged_at, zone, country, message):
    with pytest.raises(Invalid, match=message):
        clock.response_due(default_table(), plan, severity, PRODUCT, logged_at, zone, country)
