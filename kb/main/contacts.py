"""Whom a customer asks about their plan: an upgrade for a feature above it, or renewing a
term that ended. The vendor's account manager is not a record of the portal, so the page names
the people who are: the organisation's customer administrators, who deal with the account
manager, and for an organisation whose plan has a dedicated customer success manager, its CSM."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask
from flask_login import current_user
from sqlalchemy import select

from kb import db, policy
from kb.accounts.models import User


@dataclass(frozen=True)
class PlanContacts:
    # the organisation's enabled customer administrators other than the reader
    administrators: tuple[User, ...]
    # the organisation's customer success manager, when its plan has one and one is assigned
    success_manager: User | None
    # the reader is a customer administrator: the account manager is theirs to ask
    reader_administers: bool
    # the reader may log an incident, so may ask support who their account manager is
    may_ask_support: bool


def plan_contacts(user=None) -> PlanContacts | None:
    """The contacts of ``user``'s (default: the signed-in user's) organisation; None for a
    visitor, staff (also when they see pages as a plan) or anyone of no organisation."""
    user = current_user if user is None else user
    if not getattr(user, "is_authenticated", False) or user.organization is None:
        return None
    administrators = tuple(db.session.scalars(select(User).where(
        User.organization_id == user.organization_id, User.role == "customer_admin",
        User.is_enabled.is_(True), User.id != user.id).order_by(User.name, User.email)))
    return PlanContacts(administrators, _success_manager(user.organization),
                        user.role == "customer_admin",
                        policy.can(user, policy.INCIDENT_FEATURE))


def _success_manager(organization) -> User | None:
    from kb.elite import csm  # the Elite area builds on accounts, not the other way round

    if not csm.has_csm_feature(organization):
        return None
    return csm.csm_of(organization)  # none once deactivated


def init_app(app: Flask) -> None:
    app.jinja_env.globals["plan_contacts"] = plan_contacts
