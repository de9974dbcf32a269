"""How an incident's response target reads on a page: due when, how long from now, met or
missed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from kb.support import response_clocks
from kb.support.models import Incident


@dataclass(frozen=True)
class TargetView:
    due: datetime | None
    state: str  # none, met, missed, closed, overdue, due
    text: str  # "in 1 h 20 min", "overdue by 5 min", "met", ...


def duration_text(span: timedelta) -> str:
    minutes = int(span.total_seconds() // 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    parts = [f"{days} d"] if days else []
    if hours:
        parts.append(f"{hours} h")
    if minutes or not parts:
        parts.append(f"{minutes} min")
    return " ".join(parts[:2])


def target_view(incident: Incident, now: datetime) -> TargetView:
    due = incident.response_due
    if due is None:
        return TargetView(None, "none", "no response target for this severity and product")
    if incident.responded_at is not None:
        if incident.responded_at <= due:
            return TargetView(due, "met", "met: support responded in time")
        return TargetView(due, "missed",
                          f"responded {duration_text(incident.responded_at - due)} late")
    if not incident.is_open:
        running = response_clocks.current(incident)
        if running is not None and response_clocks.outcome(running, now) == "withdrawn":
            return TargetView(due, "closed", "closed before support responded")
        return TargetView(due, "missed", "missed: finished without a response")
    if now >= due:
        return TargetView(due, "overdue", f"overdue by {duration_text(now - due)}")
    return TargetView(due, "due", f"in {duration_text(due - now)}")
