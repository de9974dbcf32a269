"""Whom a patch reaches (its minimum plan and programme), so that staff are warned before they
name, as what to install, a patch that fewer customers may download than the one it stands for."""

from __future__ import annotations

from kb import plans
from kb.patches.models import Patch


def reached(patch: Patch) -> str:
    """'every plan', 'Premium and Elite' or 'the members of its programme'."""
    if patch.programme_id is not None:
        return "the members of its programme"
    return plans.plans_phrase(patch.min_plan)


def reaches_fewer(patch: Patch, min_plan: str, programme_id: int | None = None) -> bool:
    """Whether fewer customers may download ``patch`` than read an item for ``min_plan`` (and
    ``programme_id``, if any): a higher minimum plan, or a programme of its own."""
    if patch.programme_id is not None and patch.programme_id != programme_id:
        return True
    return plans.plan_rank(patch.min_plan) > plans.plan_rank(min_plan)


def choice_label(patch: Patch) -> str:
    """How a patch is offered in staff's pick lists: its title, id and, unless it is for every
    plan, whom it is for."""
    label = f"{patch.title} (#{patch.id})"
    if patch.programme_id is not None or patch.min_plan != plans.LOWEST_PLAN:
        label += f" — for {reached(patch)} only"
    return label
