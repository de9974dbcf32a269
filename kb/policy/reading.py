"""Who may read a gated item (article, release note, patch, recording, ...), who may know it
exists, and the same as a query filter (``ReadScope``) for search, lists and feeds."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from kb import plans
from kb.policy import features
from kb.policy.features import (
    AccessDenied,
    acts_as_staff,
    effective_plan,
    feature_denial,
    features_of,
    is_signed_in,
    term_has_lapsed,
)


class Readable(Protocol):
    """What the policy needs to know of a gated item (article, release note, patch, ...)."""

    access_feature: str
    min_plan: str

    @property
    def is_published(self) -> bool: ...


def programmes_of(user) -> frozenset[int]:
    """The programmes of ``user``'s organisation (staff read every item anyway)."""
    if acts_as_staff(user) or not is_signed_in(user):
        return frozenset()
    return organization_programmes(user.organization)


def organization_programmes(organization) -> frozenset[int]:
    """Running early-adopter programmes ``organization`` is in, while plan and term allow."""
    if organization is None or organization.plan not in plans.feature("early_adopter").plans \
            or not organization.term_active_on(features.today()):
        return frozenset()
    from kb.programmes.membership import running_programme_ids
    return running_programme_ids(organization.id, features.today())


def programme_admits(user, item) -> bool:
    """Whether ``item``'s programme (if any) lets ``user`` in: staff and current members."""
    programme = getattr(item, "programme_gate", None)
    return programme is None or acts_as_staff(user) or programme in programmes_of(user)


def programme_admits_organization(organization, item) -> bool:
    """Whether ``item``'s programme (if any) has ``organization`` among its current members."""
    programme = getattr(item, "programme_gate", None)
    return programme is None or programme in organization_programmes(organization)


def read_denial(user, item: Readable, noun="item", *, retired_too=False) -> AccessDenied | None:
    """Why ``user`` may not read ``item``, or None (a programme's item, to non-members: as a
    missing one). ``retired_too``: a retired item (withdrawn patch) is judged as published."""
    shown = item.is_published or (retired_too and getattr(item, "is_retired", False))
    if not acts_as_staff(user) and (not shown or not programme_admits(user, item)):
        return AccessDenied(f"No such {noun}.", reason="not_found")
    denial = feature_denial(user, item.access_feature)
    if denial is not None or acts_as_staff(user):
        return denial
    if not plans.plan_includes(effective_plan(user), item.min_plan):
        return AccessDenied(
            f"This {noun} is available on {plans.plans_phrase(item.min_plan)}.",
            reason="plan", feature=item.access_feature, required_plan=item.min_plan)
    return None


def can_read(user, item: Readable) -> bool:
    """Whether ``user`` may open ``item`` (its feature, its minimum plan, its status)."""
    return read_denial(user, item) is None


def require_read(user, item: Readable, noun: str = "item", *, retired_too: bool = False) -> None:
    denial = read_denial(user, item, noun, retired_too=retired_too)
    if denial is not None:
        raise denial


def may_know_of(user, item: Readable) -> bool:
    """Whether ``item``'s address answers ``user`` as an existing item's (sign-in, locked page,
    redirect), not a missing one's: staff everything; others the published, programme allowing."""
    return acts_as_staff(user) or (item.is_published and programme_admits(user, item))


def can_see_title(user, item: Readable) -> bool:
    """Whether a locked entry may show ``item``'s title: signed in and ``may_know_of``."""
    return is_signed_in(user) and may_know_of(user, item)


def sees_locked_titles(user) -> bool:
    """Whether search shows locked entries above the plan: customers with an active plan."""
    return (is_signed_in(user) and not acts_as_staff(user) and effective_plan(user) is not None
            and not term_has_lapsed(user))


@dataclass(frozen=True)
class ReadScope:
    """What one user may read, in a query filter's terms: ``everything`` (staff), or the
    minimum-plan values reached (``plans``), access ``features`` they have and early-adopter
    ``programmes`` whose restricted items they read, of published items only."""

    everything: bool
    features: frozenset[str]
    plans: tuple[str, ...]
    programmes: frozenset[int] = frozenset()

    @property
    def nothing(self) -> bool:
        return not self.everything and not (self.features and self.plans)


def read_scope(user) -> ReadScope:
    """The filter that search, lists and feeds apply inside their queries."""
    if acts_as_staff(user):
        return ReadScope(True, frozenset(f.key for f in plans.FEATURES), plans.PLANS)
    granted = frozenset(features_of(user))
    plan = effective_plan(user)
    reachable = plans.PLANS[: plans.plan_rank(plan) + 1] if plan and granted else ()
    return ReadScope(False, granted, reachable, programmes_of(user))
