"""The default target table and calendars that ``kb init`` seeds and staff then edit.

The seed document (shared/seed/support-plans.md) gives the shape but no figures: Severity 1 is
"picked up within hours at best", on weekdays for Xtreme and around the clock for Premium and
Elite (extended critical incident support), and higher plans come first within a severity. The
minutes below are this portal's defaults in that spirit, for staff to replace with the vendor's.
"""

from __future__ import annotations

from datetime import time

HOUR = 60
BUSINESS_DAY = 8 * HOUR  # the default calendar's 09:00-17:00

# (plan, severity) -> (response minutes, clock)
TARGETS: dict[tuple[str, int], tuple[int, str]] = {
    ("xtreme", 1): (4 * HOUR, "weekdays"),
    ("premium", 1): (2 * HOUR, "around_the_clock"),
    ("elite", 1): (1 * HOUR, "around_the_clock"),
    ("xtreme", 2): (BUSINESS_DAY, "business_hours"),
    ("premium", 2): (4 * HOUR, "business_hours"),
    ("elite", 2): (2 * HOUR, "business_hours"),
    ("xtreme", 3): (2 * BUSINESS_DAY, "business_hours"),
    ("premium", 3): (BUSINESS_DAY, "business_hours"),
    ("elite", 3): (4 * HOUR, "business_hours"),
    ("xtreme", 4): (5 * BUSINESS_DAY, "business_hours"),
    ("premium", 4): (3 * BUSINESS_DAY, "business_hours"),
    ("elite", 4): (2 * BUSINESS_DAY, "business_hours"),
}

# plan -> (ISO business days, opens, closes)
CALENDARS: dict[str, tuple[str, time, time]] = {
    plan: ("12345", time(9), time(17)) for plan in ("xtreme", "premium", "elite")
}
