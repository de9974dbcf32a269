"""Reading the Elite services for staff: the Elite organisations with their CSMs, a CSM's own
organisations at a glance, and the staff who can be named."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from kb import db, plans, policy
from kb.accounts.models import Organization, User
from kb.elite.csm import CSM_FEATURE, csm_of
from kb.elite.models import CsmMessage, SpecialEventBooking, SpecialEventExclusion
from kb.errors import NotFound


@dataclass(frozen=True)
class OrganizationAtAGlance:
    organization: Organization
    csm: User | None
    next_event: SpecialEventBooking | None
    last_message: CsmMessage | None
    term_active: bool


def elite_organizations(actor, csm: User | None = None) -> list[OrganizationAtAGlance]:
    """Every organisation whose plan has a dedicated CSM (staff only); with ``csm``, only the
    ones that CSM manages."""
    policy.require_staff(actor)
    organizations = db.session.scalars(
        select(Organization).where(Organization.plan.in_(plans.feature(CSM_FEATURE).plans))
        .order_by(Organization.name))
    glances = [_glance(organization) for organization in organizations]
    return [g for g in glances if csm is None or (g.csm is not None and g.csm.id == csm.id)]


def organization_for_staff(actor, organization_id: int) -> Organization:
    policy.require_staff(actor)
    organization = db.session.get(Organization, organization_id)
    if organization is None:
        raise NotFound("No such organisation.")
    return organization


def exclusions() -> list[SpecialEventExclusion]:
    return list(db.session.scalars(select(SpecialEventExclusion)))


def _glance(organization: Organization) -> OrganizationAtAGlance:
    next_event = db.session.scalar(
        select(SpecialEventBooking).where(
            SpecialEventBooking.organization_id == organization.id,
            SpecialEventBooking.status == "booked",
            SpecialEventBooking.weekend >= policy.today())
        .order_by(SpecialEventBooking.weekend).limit(1))
    last_message = db.session.scalar(
        select(CsmMessage).where(CsmMessage.organization_id == organization.id)
        .order_by(CsmMessage.id.desc()).limit(1))
    return OrganizationAtAGlance(organization, csm_of(organization), next_event, last_message,
                                 organization.term_active_on(policy.today()))
