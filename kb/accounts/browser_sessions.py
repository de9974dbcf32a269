"""Browser sessions: opened at sign-in, ended at sign-out, looked up from the session cookie."""

from __future__ import annotations

import secrets

from flask import current_app
from sqlalchemy import delete, select
from sqlalchemy.orm import joinedload

from kb import db
from kb.accounts.credentials import hash_secret
from kb.accounts.models import User, UserSession
from kb.db import utcnow


def start_session(user: User) -> User:
    """Open a browser session for ``user``; its secret (``user.session_secret``) goes into the
    session cookie, and only its hash is kept."""
    secret = secrets.token_urlsafe(32)
    db.session.add(UserSession(user_id=user.id, secret_hash=hash_secret(secret)))
    db.session.execute(delete(UserSession).where(UserSession.created_at < _oldest_session_start()))
    db.session.commit()
    user.session_secret = secret
    return user


def _oldest_session_start():
    return utcnow() - current_app.permanent_session_lifetime


def end_session(user: User) -> None:
    """Sign out: the session ``user`` came with ends, whoever holds a copy of its cookie."""
    if user.session_secret:
        db.session.execute(
            delete(UserSession).where(UserSession.secret_hash == hash_secret(user.session_secret)))
        db.session.commit()


def end_every_session(user: User) -> None:
    if user.id is not None:
        db.session.execute(delete(UserSession).where(UserSession.user_id == user.id))


def sign_out_everywhere(user: User) -> None:
    """End every session of ``user`` (each browser must sign in again)."""
    end_every_session(user)
    db.session.commit()


def load_session_user(session_secret: str) -> User | None:
    """The user of the session a cookie names, if that session is still open."""
    user = db.session.scalar(
        select(User).join(UserSession, UserSession.user_id == User.id).where(
            UserSession.secret_hash == hash_secret(session_secret),
            UserSession.created_at >= _oldest_session_start(),
        ).options(joinedload(User.organization))
    )
    if user is None or not user.is_enabled:
        return None
    user.session_secret = session_secret
    return user
