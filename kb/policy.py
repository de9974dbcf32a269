"""Every access decision of kb, and nothing else decides access.

Views, the API, search, feeds, downloads and templates ask these predicates. A refusal, an
``AccessDenied``, carries the reason, the feature and the lowest plan with it ("on Elite")."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Protocol

from kb import plans


class AccessDenied(Exception):
    """A refusal; ``reason``: anonymous, no_organization, term_lapsed (so in the API: the
    contract), plan, staff_only, not_found (an item the reader may not know exists)."""

    def __init__(self, message: str, *, reason: str, feature: str | None = None,
                 required_plan: str | None = None):
        super().__init__(message)
        self.message, self.reason, self.feature = message, reason, feature
        self.required_plan = required_plan


class Readable(Protocol):
    """What the policy needs to know of a gated item (article, release note, patch, ...)."""

    access_feature: str
    min_plan: str

    @property
    def is_published(self) -> bool: ...


def today() -> date:
    return datetime.now(UTC).date()


def is_signed_in(user) -> bool:
    return user is not None and bool(getattr(user, "is_authenticated", False))


def acts_as_staff(user) -> bool:
    """Staff with their own powers (not while viewing pages as a customer on some plan)."""
    return is_signed_in(user) and user.is_staff and not user.viewing_as_plan


def is_admin(user) -> bool:
    return acts_as_staff(user) and user.role == "admin"


def effective_plan(user) -> str | None:
    """The plan whose features this user has now: the organisation's, or the plan a staff
    member is viewing as. None for anonymous visitors, staff and customers without a plan."""
    if not is_signed_in(user):
        return None
    return user.viewing_as_plan if user.is_staff else getattr(user.organization, "plan", None)


def term_has_lapsed(user) -> bool:
    """Whether this customer's organisation is outside its annual support term."""
    if not is_signed_in(user) or user.is_staff or user.organization is None:
        return False
    return not user.organization.term_active_on(today())


def feature_denial(user, feature_key: str) -> AccessDenied | None:
    """Why ``user`` may not use the feature, or None if they may."""
    feature = plans.feature(feature_key)
    if not is_signed_in(user):
        return AccessDenied("Sign in to continue.", reason="anonymous", feature=feature_key)
    if acts_as_staff(user):
        return None
    plan = effective_plan(user)
    if plan is None:
        return AccessDenied("Your account is not linked to a customer organisation.",
                            reason="no_organization", feature=feature_key)
    if term_has_lapsed(user):
        ended = user.organization.term_end.isoformat()
        return AccessDenied(f"Your organisation's support term ended on {ended}; subscriber "
                            "features return when the term is renewed.",
                            reason="term_lapsed", feature=feature_key)
    if plan not in feature.plans:
        return AccessDenied(
            f"{feature.name} is available on {plans.plans_phrase(feature.lowest_plan)}.",
            reason="plan", feature=feature_key, required_plan=feature.lowest_plan)
    return None


def can(user, feature_key: str) -> bool:
    """Whether ``user`` may use the feature now (plan, term and role considered)."""
    return feature_denial(user, feature_key) is None


def require(user, feature_key: str) -> None:
    """Raise ``AccessDenied`` unless ``user`` may use the feature."""
    denial = feature_denial(user, feature_key)
    if denial is not None:
        raise denial


def features_of(user) -> list[str]:
    """The keys of every feature ``user`` may use, in the brochure's order."""
    return [feature.key for feature in plans.FEATURES if can(user, feature.key)]


def programmes_of(user) -> frozenset[int]:
    """The programmes of ``user``'s organisation (staff read every item anyway)."""
    if acts_as_staff(user) or not is_signed_in(user):
        return frozenset()
    return organization_programmes(user.organization)


def organization_programmes(organization) -> frozenset[int]:
    """Running early-adopter programmes ``organization`` is in, while plan and term allow."""
    if organization is None or organization.plan not in plans.feature("early_adopter").plans \
            or not organization.term_active_on(today()):
        return frozenset()
    from kb.programmes.membership import running_programme_ids
    return running_programme_ids(organization.id, today())


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


def require_staff(user) -> None:
    if not is_signed_in(user):
        raise AccessDenied("Sign in to continue.", reason="anonymous")
    if not acts_as_staff(user):
        raise AccessDenied("Only support staff may do this.", reason="staff_only")


def require_staff_member(user) -> None:
    """Staff, whether or not they are viewing pages as a customer right now."""
    if not is_signed_in(user):
        raise AccessDenied("Sign in to continue.", reason="anonymous")
    if not user.is_staff:
        raise AccessDenied("Only support staff may do this.", reason="staff_only")


def require_admin(user) -> None:
    require_staff(user)
    if not is_admin(user):
        raise AccessDenied("Only administrators may do this.", reason="staff_only")


def can_manage_users_of(user, organization) -> bool:
    """Staff manage every organisation's users; a customer administrator manages their own."""
    return acts_as_staff(user) or (is_signed_in(user) and user.role == "customer_admin"
                                   and getattr(organization, "id", None) == user.organization_id)


def require_manage_users_of(user, organization) -> None:
    if not is_signed_in(user):  # organization None: staff accounts, for administrators alone
        raise AccessDenied("Sign in to continue.", reason="anonymous")
    if not acts_as_staff(user) and getattr(organization, "id", None) != user.organization_id:
        raise AccessDenied("No such user.", reason="not_found")  # as if it did not exist
    if organization is None:
        require_admin(user)
    elif not can_manage_users_of(user, organization):
        raise AccessDenied("Only your organisation's customer administrator manages its users.",
                           reason="staff_only")


def may_assign_role(user, role: str) -> bool:
    """Admins assign any role, staff assign customer roles, customer admins only 'customer'."""
    if is_admin(user):
        return True
    if acts_as_staff(user):
        return role in ("customer", "customer_admin")
    return role == "customer" and can_manage_users_of(user, user.organization)


def can_see_join_details(user, live_session, registration, now: datetime) -> bool:
    """Meeting URL, number, password: never once cancelled; staff always; customers with
    interactive sessions on a confirmed registration, from its lead time."""
    if live_session.is_cancelled:
        return False
    if acts_as_staff(user):
        return True
    if (not can(user, "interactive_sessions") or registration is None
            or registration.status != "confirmed"):
        return False
    return live_session.join_details_from <= now <= live_session.ends_at


INCIDENT_FEATURE = "online_portal"  # the 24x7 portal is where customers log incidents


def incident_denial(user, incident=None, *, reading: bool = False) -> AccessDenied | None:
    """Why ``user`` may not open ``incident`` (None: list their organisation's): staff every
    one; customers (any colleague) their organisation's while the portal is open, with
    ``reading`` (pages, not the API) after the term lapsed too; another's as if missing."""
    if not is_signed_in(user):
        return AccessDenied("Sign in to continue.", reason="anonymous")
    if acts_as_staff(user):
        return None
    if incident is not None and user.organization_id != incident.organization_id:
        return AccessDenied("No such incident.", reason="not_found")
    denial = feature_denial(user, INCIDENT_FEATURE)
    return None if reading and denial and denial.reason == "term_lapsed" else denial


def require_incident(user, incident, customer_feature=None, severity=0, *, reading=False) -> None:
    """``incident_denial``; ``customer_feature``: only a customer with it (remote access); a
    customer sets ``severity`` 1 only with critical incident support on their plan."""
    denial = incident_denial(user, incident, reading=reading)
    if denial is None and customer_feature is not None:
        denial = (AccessDenied("Only the customer decides this.", reason="staff_only")
                  if acts_as_staff(user) else feature_denial(user, customer_feature))
    denial = denial or (feature_denial(user, "critical_support") if severity == 1 else None)
    if denial is not None:
        raise denial


def may_watch_incident(user, incident, *, managing: bool = False) -> bool:
    """Watchers: enabled colleagues on the desk; ``managing``: the reporter or customer admin."""
    return (is_signed_in(user) and user.is_enabled and not user.is_staff
            and user.organization_id == incident.organization_id and can(user, INCIDENT_FEATURE)
            and (not managing or user.id == incident.reporter_id or user.role == "customer_admin"))
