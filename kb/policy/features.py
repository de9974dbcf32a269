"""Who the user is to the policy (signed in, staff, on which plan, within the term) and whether
they may use a feature of the plan matrix; ``AccessDenied``, the refusal every gate gives; and
``today``, the date every part of the policy decides by (read here at each question, so that a
test moving ``features.today`` moves every decision)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from kb import plans


class AccessDenied(Exception):
    """A refusal; ``reason``: anonymous, no_organization, term_lapsed (so in the API: the
    contract), plan, staff_only, not_found (an item the reader may not know exists)."""

    def __init__(self, message: str, *, reason: str, feature: str | None = None,
                 required_plan: str | None = None):
        super().__init__(message)
        self.message, self.reason, self.feature = message, reason, feature
        self.required_plan = required_plan


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
