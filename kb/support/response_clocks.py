"""An incident's response clocks: the first runs from its logging; each reopening starts a new
one at the same severity from that moment (business hours as for a new incident). Support's
first public reply after a clock starts answers it, met or missed by its time. The incident's
``response_due`` and ``responded_at`` always mirror its latest clock (the queue, the breach
job and the API read them).

A clock stopped with no response (the incident resolved or closed unanswered) counts as
missed, unless the customer closed it themselves before the target passed: that one is
"withdrawn" and not counted either way. Staff cannot finish an unanswered incident without a
resolution message (``kb.support.status_rules``), which is then the response."""

from __future__ import annotations

from datetime import datetime

from kb import policy
from kb.support import service
from kb.support.models import OPEN_STATUSES, Incident, ResponseClock

FINISHED = ("resolved", "closed")
OUTCOMES = ("met", "missed", "pending", "withdrawn", "none")


def start(incident: Incident, reason: str, at: datetime,
          due: datetime | None = None) -> ResponseClock:
    """A new clock from ``at`` (``due`` given: already computed, as when logging)."""
    if due is None and reason != "logged":
        due = service.due_for(incident.organization, incident.plan, incident.severity,
                              incident.product, at)
    started = ResponseClock(reason=reason, severity=incident.severity, started_at=at, due=due,
                            withdrawn=False)
    incident.clocks.append(started)
    incident.response_due, incident.responded_at = due, None
    return started


def current(incident: Incident) -> ResponseClock | None:
    return incident.clocks[-1] if incident.clocks else None


def responded(incident: Incident, at: datetime) -> None:
    """Support's public reply: it answers the running clock if nothing did yet."""
    if incident.responded_at is None:
        incident.responded_at = at
    running = current(incident)
    if running is not None and running.responded_at is None and running.stopped_at is None:
        running.responded_at = at


def awaits_response(incident: Incident) -> bool:
    """No public response from support since the latest clock started."""
    return incident.responded_at is None


def status_changed(user, incident: Incident, before: str, status: str, at: datetime) -> None:
    """Finishing stops an unanswered clock; leaving a finished status for an open one (a
    reopening) starts a new clock."""
    if status in FINISHED:
        incident.resolved_at = at
        running = current(incident)
        if running is not None and running.responded_at is None and running.stopped_at is None:
            running.stopped_at = at
            running.withdrawn = not policy.acts_as_staff(user)
    else:
        incident.resolved_at = None
        if before in FINISHED and status in OPEN_STATUSES:
            start(incident, "reopened", at)


def outcome(clock: ResponseClock, now: datetime) -> str:
    """met or missed by the first response; missed too when it never came and the target
    passed, or support finished the incident without one; withdrawn: the customer closed it
    before the target and before any response; pending: still running; none: no target."""
    if clock.due is None:
        return "none"
    if clock.responded_at is not None:
        return "met" if clock.responded_at <= clock.due else "missed"
    if clock.stopped_at is not None:
        return "withdrawn" if clock.withdrawn and clock.stopped_at <= clock.due else "missed"
    return "missed" if now > clock.due else "pending"


def retarget(incident: Incident, at: datetime) -> None:
    """After a change of severity or product: an open incident's unanswered clock takes the
    earlier of its target and the new severity's and product's target counted from ``at``. A
    raised severity brings the response forward; nothing extends a running clock (lowering the
    severity cannot hide a miss). An answered clock stays as it is."""
    running = current(incident)
    if not incident.is_open or running is None or running.responded_at is not None:
        return
    fresh = service.due_for(incident.organization, incident.plan, incident.severity,
                            incident.product, at)
    candidates = [due for due in (running.due, fresh) if due is not None]
    running.due = incident.response_due = min(candidates) if candidates else None
    running.severity = incident.severity
