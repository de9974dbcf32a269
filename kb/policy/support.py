"""The support desk's gates: whose incidents a user opens, what a customer decides on one
(remote access, severity 1), who watches one; who reaches a customer success manager; and
who joins a live session, when."""

from __future__ import annotations

from datetime import datetime

from kb.policy.features import AccessDenied, acts_as_staff, can, feature_denial, is_signed_in

INCIDENT_FEATURE = "online_portal"  # the 24x7 portal is where customers log incidents
CSM_FEATURE = "dedicated_csm"


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


def csm_denial(user) -> AccessDenied | None:
    """Why ``user`` may not reach their organisation's customer success manager: the feature's
    refusal, or no organisation of their own (staff, also while seeing pages as a plan)."""
    denial = feature_denial(user, CSM_FEATURE)
    if denial is None and user.organization is None:
        return AccessDenied(
            "You see pages as a customer of no organisation: an Elite customer reaches their "
            "customer success manager here. See pages with your own staff access again to "
            "open Elite services.", reason="no_organization")
    return denial


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
