"""Reading the Elite services for staff: the Elite organisations with their CSMs, a CSM's own
organisations at a glance, and the staff who can be named."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, func, select
from sqlalchemy.orm import aliased, selectinload

from kb import db, plans, policy
from kb.accounts.models import Organization, User
from kb.elite.csm import CSM_FEATURE
from kb.elite.models import CsmAssignment, CsmMessage, SpecialEventBooking, SpecialEventExclusion
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
    today = policy.today()
    query = _glances(today)
    if csm is not None:
        query = query.where(CsmAssignment.csm_id == csm.id)
    return [OrganizationAtAGlance(organization, manager, next_event, last_message,
                                  organization.term_active_on(today))
            for organization, manager, next_event, last_message in db.session.execute(query)]


def organization_for_staff(actor, organization_id: int) -> Organization:
    policy.require_staff(actor)
    organization = db.session.get(Organization, organization_id)
    if organization is None:
        raise NotFound("No such organisation.")
    return organization


def exclusions() -> list[SpecialEventExclusion]:
    return list(db.session.scalars(select(SpecialEventExclusion)))


def _glances(today) -> Select:
    """One statement for every Elite organisation with its CSM, its next booked special event
    and its last CSM message (and, eagerly, what the overview shows of those)."""
    upcoming = (select(SpecialEventBooking.id, func.row_number().over(
        partition_by=SpecialEventBooking.organization_id,
        order_by=(SpecialEventBooking.weekend, SpecialEventBooking.id)).label("rank"))
        .where(SpecialEventBooking.status == "booked", SpecialEventBooking.weekend >= today)
        .subquery())
    next_ids = select(upcoming.c.id).where(upcoming.c.rank == 1)
    last_ids = select(func.max(CsmMessage.id)).group_by(CsmMessage.organization_id)
    manager, next_event, last_message = aliased(User), aliased(SpecialEventBooking), aliased(
        CsmMessage)
    return (
        select(Organization, manager, next_event, last_message)
        .outerjoin(CsmAssignment, CsmAssignment.organization_id == Organization.id)
        .outerjoin(manager, manager.id == CsmAssignment.csm_id)
        .outerjoin(next_event, (next_event.organization_id == Organization.id)
                   & next_event.id.in_(next_ids))
        .outerjoin(last_message, (last_message.organization_id == Organization.id)
                   & last_message.id.in_(last_ids))
        .where(Organization.plan.in_(plans.feature(CSM_FEATURE).plans))
        .order_by(Organization.name)
        .options(selectinload(next_event.product), selectinload(next_event.support_person),
                 selectinload(last_message.author)))
