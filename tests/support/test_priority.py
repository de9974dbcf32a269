"""The queue order, generated from the plan matrix: for every pair of (severity, plan) cells,
the incident of the lower severity number comes first; within a severity, a plan with plan
prioritisation before one without it, and the higher of two prioritised plans first; plans
without it are ordered by target time alone. The target time is set against the expected
order, so that only severity and plan can put the pair right."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest

from kb import plans
from kb.support.models import SEVERITIES, Incident
from kb.support.priority import in_queue_order, plan_tier

PRIORITISED = set(plans.feature("plan_priority").plans)
CELLS = list(itertools.product(SEVERITIES, plans.PLANS))
START = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


def expected_first(a: tuple[int, str], b: tuple[int, str]) -> str | None:
    """'a', 'b', or None when only the target time decides (same severity, neither plan
    prioritised, or the same plan)."""
    (severity_a, plan_a), (severity_b, plan_b) = a, b
    if severity_a != severity_b:
        return "a" if severity_a < severity_b else "b"
    if plan_a == plan_b or not ({plan_a, plan_b} & PRIORITISED):
        return None
    if (plan_a in PRIORITISED) != (plan_b in PRIORITISED):
        return "a" if plan_a in PRIORITISED else "b"
    return "a" if plans.plan_rank(plan_a) > plans.plan_rank(plan_b) else "b"


def incident(incident_id: int, severity: int, plan: str, due: datetime | None) -> Incident:
    return Incident(id=incident_id, severity=severity, plan=plan, response_due=due,
                    created_at=START)


@pytest.mark.parametrize("a, b", list(itertools.permutations(CELLS, 2)) +
                         [(cell, cell) for cell in CELLS],
                         ids=lambda cell: f"sev{cell[0]}-{cell[1]}")
def test_every_severity_and_plan_pair(a, b):
    winner = expected_first(a, b)
    # the later target goes to the one expected first, so target time cannot decide; where
    # only target time decides, b's is the earlier one
    due_a = START + timedelta(hours=1 if winner == "b" else 5)
    due_b = START + timedelta(hours=5 if winner == "b" else 1)
    first_a, first_b = incident(1, *a, due_a), incident(2, *b, due_b)
    ordered = [item.id for item in in_queue_order([first_b, first_a])]
    assert ordered == ([1, 2] if winner == "a" else [2, 1])


def test_the_brochure_gives_elite_then_premium_then_xtreme():
    assert [plan_tier(plan) for plan in ("elite", "premium", "xtreme")] == [0, 1, 2]


def test_no_target_comes_after_any_target_and_ties_go_to_the_oldest():
    later = incident(3, 2, "elite", None)
    due = incident(4, 2, "elite", START + timedelta(days=30))
    older, newer = incident(5, 3, "xtreme", START), incident(6, 3, "xtreme", START)
    newer.created_at = START + timedelta(minutes=1)
    assert [i.id for i in in_queue_order([newer, later, older, due])] == [4, 3, 5, 6]
