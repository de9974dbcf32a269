"""The dedicated customer success manager (Elite): staff assign a CSM to each Elite
organisation; the organisation's users and the CSM write to each other in the portal, and
each message is told to the other side through the alerts path."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from kb import db, plans, policy
from kb.accounts.audit import record_audit
from kb.accounts.models import Organization, User
from kb.alerts.dispatch import Notice, tell
from kb.db import utcnow
from kb.elite.models import CsmAssignment, CsmMessage
from kb.errors import Invalid, NotFound
from kb.links import path_for

CSM_FEATURE = policy.CSM_FEATURE
MESSAGE_LIMIT = 5000
CONVERSATION_LENGTH = 100


def has_csm_feature(organization: Organization) -> bool:
    return organization.plan in plans.feature(CSM_FEATURE).plans


def csm_of(organization: Organization) -> User | None:
    """The organisation's customer success manager while serving (``policy.is_serving_staff``):
    one deactivated is none, so customers are told so rather than writing to nobody."""
    assignment = db.session.get(CsmAssignment, organization.id)
    manager = assignment.csm if assignment is not None else None
    return manager if policy.is_serving_staff(manager) else None


def own_organization(user) -> Organization:
    """The organisation whose CSM the customer may reach (``policy.csm_denial``)."""
    denial = policy.csm_denial(user)
    if denial is not None:
        raise denial
    return user.organization


def assign(actor, organization: Organization, csm: User) -> CsmAssignment:
    """Make ``csm`` (a staff member) the organisation's CSM (staff only), and tell them."""
    policy.require_staff(actor)
    if not has_csm_feature(organization):
        raise Invalid(f"{organization.name} is on {plans.plan_name(organization.plan)}: only "
                      "Elite organisations have a dedicated customer success manager.")
    if not csm.is_staff or not csm.is_enabled:
        raise Invalid("A customer success manager is an enabled staff member.")
    assignment = db.session.get(CsmAssignment, organization.id)
    previous = assignment.csm_id if assignment else None
    if previous == csm.id:
        return assignment
    assignment = assignment or CsmAssignment(organization_id=organization.id)
    assignment.csm_id, assignment.assigned_at = csm.id, utcnow()
    db.session.add(assignment)
    record_audit(actor, "csm.assign", "organization", organization.id,
                 {"csm_id": previous}, {"csm_id": csm.id})
    tell(csm, Notice(kind="elite.csm_assigned",
                     title=f"You are the customer success manager of {organization.name}",
                     url=path_for("elite_staff.organization", organization_id=organization.id)))
    db.session.commit()
    return assignment


def send_message(author, organization: Organization, body: str) -> CsmMessage:
    """A message in the organisation's conversation with its CSM, told to the other side."""
    _require_in_conversation(author, organization)
    body = body.strip()
    if not body:
        raise Invalid("Write a message first.")
    if len(body) > MESSAGE_LIMIT:
        raise Invalid(f"A message holds at most {MESSAGE_LIMIT} characters.")
    csm = csm_of(organization)
    if csm is None:
        raise Invalid(f"{organization.name} has no customer success manager yet.")
    message = CsmMessage(organization_id=organization.id, author_id=author.id, body=body)
    db.session.add(message)
    db.session.flush()
    for reader in _other_side(author, organization, csm):
        tell(reader, Notice(kind="elite.message",
                            title=f"New message from {author.display_name} "
                                  f"({_side_name(author, organization)})",
                            url=_conversation_url(reader, organization), body=body))
    db.session.commit()
    return message


def conversation(reader, organization: Organization) -> list[CsmMessage]:
    """The latest messages, oldest first."""
    _require_in_conversation(reader, organization)
    newest = db.session.scalars(
        select(CsmMessage).options(joinedload(CsmMessage.author))
        .where(CsmMessage.organization_id == organization.id)
        .order_by(CsmMessage.id.desc()).limit(CONVERSATION_LENGTH)).all()
    return list(reversed(newest))


def _require_in_conversation(user, organization: Organization) -> None:
    if policy.acts_as_staff(user):
        return
    if own_organization(user).id != organization.id:
        raise NotFound("No such organisation.")


def _other_side(author, organization: Organization, csm: User) -> list[User]:
    if not author.is_staff:
        return [csm]
    return [user for user in _customer_contacts(organization) if user.id != author.id]


def _customer_contacts(organization: Organization) -> list[User]:
    """Who hears the CSM's messages: the organisation's administrator and every customer who
    has written in the conversation."""
    writers = select(CsmMessage.author_id).where(CsmMessage.organization_id == organization.id)
    return list(db.session.scalars(select(User).where(
        User.organization_id == organization.id, User.is_enabled.is_(True),
        (User.id == organization.administrator_id) | User.id.in_(writers))))


def _side_name(author, organization: Organization) -> str:
    return "your customer success manager" if author.is_staff else organization.name


def _conversation_url(reader, organization: Organization) -> str:
    if reader.is_staff:
        return path_for("elite_staff.organization", organization_id=organization.id)
    return path_for("elite.index")
