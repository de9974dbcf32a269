"""A browser between the two steps of a sign-in: its password was right, its code is still to
come. Only the (signed) Flask session cookie knows it; Flask-Login does not, so every page and
the API treat the browser as signed out until the second step passes."""

from __future__ import annotations

import time

from flask import session

from kb import db
from kb.accounts.credentials import hash_secret
from kb.accounts.models import User

PENDING_KEY = "two_step_pending"
# how long the code may take after the password, in seconds
PENDING_SECONDS = 600


def _password_mark(user: User) -> str:
    # the half sign-in ends when the password changes (a reset in between)
    return hash_secret(user.password_hash or "")[:16]


def remember_half_sign_in(user: User, next_url: str | None) -> None:
    db.session.commit()  # the password attempts taken back
    session[PENDING_KEY] = {"user": user.id, "at": int(time.time()),
                            "password": _password_mark(user), "next": next_url or ""}


def half_signed_in_user() -> tuple[User, str] | None:
    """The user whose password this browser gave, with where to go next, while it is fresh."""
    pending = session.get(PENDING_KEY)
    if not isinstance(pending, dict):
        return None
    if time.time() - pending.get("at", 0) > PENDING_SECONDS:
        forget_half_sign_in()
        return None
    user = db.session.get(User, pending.get("user"))
    if user is None or not user.is_enabled or _password_mark(user) != pending.get("password"):
        forget_half_sign_in()
        return None
    return user, pending.get("next", "")


def forget_half_sign_in() -> None:
    session.pop(PENDING_KEY, None)
