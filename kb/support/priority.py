"""The order of the staff queue, decided here and nowhere else.

Severity first (1 before 4). Within one severity, plan prioritisation (the brochure's
``plan_priority``, Premium and Elite): incidents of plans that have it come first, the higher
plan first; plans without it (Xtreme) follow, ordered among themselves by target time only.
Then the response target: the earliest due first, incidents without a target after those
with one; then the oldest first."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from kb import plans
from kb.support.models import Incident

PLAN_PRIORITY_FEATURE = "plan_priority"
NO_TARGET = datetime.max.replace(tzinfo=UTC)


def plan_tier(plan: str) -> int:
    """0 for the highest plan with plan prioritisation, 1 for the next ...; every plan
    without it shares the last tier."""
    prioritised = plans.feature(PLAN_PRIORITY_FEATURE).plans
    if plan in prioritised:
        return sorted(prioritised, key=plans.plan_rank, reverse=True).index(plan)
    return len(prioritised)


def queue_key(incident: Incident) -> tuple:
    return (incident.severity, plan_tier(incident.plan), incident.response_due or NO_TARGET,
            incident.created_at, incident.id)


def in_queue_order(incidents: Iterable[Incident]) -> list[Incident]:
    return sorted(incidents, key=queue_key)
