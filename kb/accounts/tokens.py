"""Personal API tokens: created, listed, revoked, and the user a bearer token authenticates."""

from __future__ import annotations

import secrets
from datetime import timedelta

from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload

from kb import db
from kb.accounts.credentials import hash_secret
from kb.accounts.models import ApiToken, User
from kb.db import utcnow
from kb.errors import Invalid, NotAuthenticated, NotFound
from kb.forms import one_line

TOKEN_PREFIX = "kb_"


EXPIRY_CHOICES = (30, 90, 365)  # days; the page offers these and "never"
LONGEST_EXPIRY = 3650


def create_api_token(user: User, name: str,
                     expires_in_days: int | None = None) -> tuple[ApiToken, str]:
    """A new personal token, expiring after ``expires_in_days`` (None: never); the plain token
    is returned once and only its hash is kept."""
    if expires_in_days is not None and not 1 <= expires_in_days <= LONGEST_EXPIRY:
        raise Invalid(f"A token expires after 1 to {LONGEST_EXPIRY:,} days, or never.",
                      field="expires")
    name = one_line(name) or "API token"
    plain = TOKEN_PREFIX + secrets.token_urlsafe(32)
    expires_at = None if expires_in_days is None else utcnow() + timedelta(days=expires_in_days)
    token = ApiToken(user_id=user.id, name=name[:100], token_hash=hash_secret(plain),
                     prefix=plain[:10], expires_at=expires_at)
    db.session.add(token)
    db.session.commit()
    return token, plain


def revoke_api_token(user: User, token_id: int) -> None:
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id or token.revoked_at is not None:
        raise NotFound("No such token.")
    token.revoked_at = utcnow()
    db.session.commit()


# one query: the user and their organisation (plan, term) are what every request asks next; the
# statement is built once (building it, loader options included, was half of its cost)
_TOKEN_WITH_USER = (
    select(ApiToken).where(ApiToken.token_hash == bindparam("token_hash"))
    .options(joinedload(ApiToken.user).joinedload(User.organization)))


def token_for(plain: str) -> ApiToken:
    """The token that authenticates its user (who is enabled); ``NotAuthenticated`` says why
    not."""
    token = db.session.scalar(_TOKEN_WITH_USER, {"token_hash": hash_secret(plain)})
    if token is None or token.revoked_at is not None:
        raise NotAuthenticated("Invalid or revoked API token.")
    user = token.user
    if not user.is_enabled:
        raise NotAuthenticated("The token's user has been deactivated.")
    now = utcnow()
    if token.has_expired(now):
        raise NotAuthenticated(f"This API token expired on {token.expires_at:%Y-%m-%d %H:%M} "
                               "UTC; create a new one on your account page.")
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        token.last_used_at = now
        db.session.commit()
    return token
