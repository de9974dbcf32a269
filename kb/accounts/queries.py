"""Reading accounts: users, organisations, tokens and the audit log, without changing them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from kb import db
from kb.accounts.credentials import normalize_email
from kb.accounts.models import (
    STAFF_ROLES,
    ApiToken,
    AuditEntry,
    Organization,
    PasswordResetToken,
    User,
)
from kb.db import utcnow
from kb.errors import NotFound


def user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalize_email(email)))


def get_user(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound("No such user.")
    return user


def users_of(organization: Organization | None) -> list[User]:
    query = select(User).order_by(User.email)
    if organization is not None:
        query = query.where(User.organization_id == organization.id)
    return list(db.session.scalars(query))


@dataclass(frozen=True)
class Invitation:
    """An invitation not accepted yet: when it was last sent, and until when its link works
    (``None``: no link of it works any more)."""

    sent: datetime
    expires: datetime | None

    @property
    def expired(self) -> bool:
        return self.expires is None or self.expires <= utcnow()


def invited_on(users: list[User]) -> dict[int, Invitation]:
    """The users among ``users`` who have not accepted their invitation (chosen a password)
    yet, with their invitation: sent with their newest unused link (else when they were
    added), working until that link expires."""
    waiting = [user for user in users if user.password_hash is None]
    newest = {}
    for user_id, sent, expires in db.session.execute(
            select(PasswordResetToken.user_id, PasswordResetToken.created_at,
                   PasswordResetToken.expires_at)
            .where(PasswordResetToken.user_id.in_([user.id for user in waiting]),
                   PasswordResetToken.used_at.is_(None))
            .order_by(PasswordResetToken.created_at, PasswordResetToken.id)):
        newest[user_id] = Invitation(sent, expires)
    return {user.id: newest.get(user.id) or Invitation(user.created_at, None) for user in waiting}


def staff_members() -> list[User]:
    """Enabled staff, by name: whom an incident, an organisation or a weekend can be given to."""
    return list(db.session.scalars(select(User).where(
        User.role.in_(STAFF_ROLES), User.is_enabled.is_(True)).order_by(User.name, User.email)))


def get_organization(organization_id: int) -> Organization:
    organization = db.session.get(Organization, organization_id)
    if organization is None:
        raise NotFound("No such organisation.")
    return organization


def all_organizations() -> list[Organization]:
    return list(db.session.scalars(select(Organization).order_by(Organization.name)))


def tokens_of(user: User) -> list[ApiToken]:
    return list(
        db.session.scalars(
            select(ApiToken)
            .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
            .order_by(ApiToken.created_at.desc())
        )
    )


def audit_entries(limit: int = 200) -> list[AuditEntry]:
    return list(
        db.session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit))
    )
