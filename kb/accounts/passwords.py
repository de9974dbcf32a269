"""Passwords: setting and changing them, and reset links asked for by e-mail."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, select, update
from werkzeug.security import check_password_hash

from kb import db
from kb.accounts import throttle
from kb.accounts.browser_sessions import end_every_session
from kb.accounts.credentials import (
    check_password_strength,
    hash_password,
    hash_secret,
    normalize_email,
)
from kb.accounts.models import PasswordResetRequest, PasswordResetToken, Throttle, User
from kb.accounts.security_mail import reset_url, tell_account_change, when_now
from kb.accounts.sign_in import sign_in_rules
from kb.accounts.throttle import Rule
from kb.alerts.schedule import due_job
from kb.db import utcnow
from kb.errors import Invalid, Throttled
from kb.links import absolute_url, path_for
from kb.mail import queue_email


def set_password(user: User, password: str) -> None:
    """Set a new password (the caller commits): every session and unused reset link of the
    user ends."""
    check_password_strength(password)
    user.password_hash = hash_password(password)
    end_every_session(user)
    void_reset_links(user)


def change_password(user: User, current_password: str, new_password: str) -> None:
    """Change the password; every session ends, the caller's too (it may start a new one)."""
    if not user.password_hash or not check_password_hash(user.password_hash, current_password):
        raise Invalid("Your current password is not right.")
    set_password(user, new_password)
    _tell_changed(user, "on your account page")
    db.session.commit()


def _tell_changed(user: User, how: str) -> None:
    tell_account_change(
        user, "Your password was changed",
        f"The password of your account {user.email} was changed {how} on {when_now(user)}. "
        "Every browser that was signed in with the old password has been signed out.",
        "If this was not you, someone else may know your password or read your e-mail: ask "
        f"for a reset link at {reset_url()} to choose a new password now, and tell your "
        "administrator.")


def void_reset_links(user: User) -> None:
    """Every unused reset or invitation link of ``user`` stops working (the caller commits)."""
    if user.id is not None:
        db.session.execute(delete(PasswordResetToken).where(
            PasswordResetToken.user_id == user.id, PasswordResetToken.used_at.is_(None)))


class LinkRefused(Invalid):
    """A password link that no longer works, with the heading its page gives it."""

    def __init__(self, message: str, title: str = "This link does not work"):
        super().__init__(message)
        self.title = title


def link_lifetime(purpose: str) -> timedelta:
    """How long a reset link (minutes) or an invitation's link (days) works."""
    if purpose == "invitation":
        return timedelta(days=current_app.config["INVITATION_DAYS"])
    return timedelta(minutes=current_app.config["PASSWORD_RESET_MINUTES"])


def issue_reset_link(user: User, purpose: str = "reset") -> str:
    """Record a new link for ``user`` to choose a password (only its hash is kept), valid for
    ``link_lifetime(purpose)``; every older unused link of the user stops working."""
    void_reset_links(user)
    token = secrets.token_urlsafe(32)
    db.session.add(PasswordResetToken(
        user_id=user.id, token_hash=hash_secret(token), purpose=purpose,
        expires_at=utcnow() + link_lifetime(purpose)))
    return absolute_url(path_for("accounts.reset_password", token=token), for_email=True)


def _reset_rules() -> tuple[Rule, Rule]:
    config = current_app.config
    return (
        Rule("reset-address", config["PASSWORD_RESET_ADDRESS_FREE_REQUESTS"], 60, 3600),
        Rule("reset-account", config["PASSWORD_RESET_FREE_REQUESTS"], 900, 3600),
    )


def request_password_reset(email: str, remote_addr: str) -> None:
    """Ask for a reset link for ``email``: only recorded here, the outbox loop e-mails it
    (``send_requested_reset_links``). Whether the address has an account is not looked at, so
    the answer, the writes and the timing are the same either way. ``Throttled`` when this
    client address asked too often; an address asked for too often is silently not recorded
    for a while."""
    email = normalize_email(email)
    per_address, per_account = _reset_rules()
    throttle.count_attempt(
        [(per_address, remote_addr)], "Too many reset requests. Try again in {wait}.")
    try:
        throttle.count_attempt([(per_account, email)], "", commit=False)
    except Throttled:
        return
    db.session.add(PasswordResetRequest(email=email))
    db.session.commit()


@due_job
def send_requested_reset_links(now: datetime) -> int:
    """Answer the reset requests made by ``now``, oldest first, one transaction each: a link by
    e-mail when the address has an enabled account, nothing otherwise. Returns the number of
    e-mails queued."""
    sent = 0
    while (email := _take_reset_request(now)) is not None:
        # one loop at a time issues a user's link, so the newest one voids every older one
        user = db.session.scalar(select(User).where(User.email == email)
                                 .with_for_update(key_share=True))
        if user is not None and user.is_enabled:
            _queue_reset_email(user)
            sent += 1
        db.session.commit()
    return sent


def _take_reset_request(now: datetime) -> str | None:
    """Delete the oldest request made by ``now`` in the current transaction and return its
    address. Another loop skips the row meanwhile (PostgreSQL: SKIP LOCKED; SQLite has one
    writer at a time); if the transaction rolls back, the request waits for the next round."""
    oldest = (select(PasswordResetRequest.id).where(PasswordResetRequest.requested_at <= now)
              .order_by(PasswordResetRequest.id).limit(1)
              .with_for_update(skip_locked=True).scalar_subquery())
    return db.session.scalar(delete(PasswordResetRequest)
                             .where(PasswordResetRequest.id == oldest)
                             .returning(PasswordResetRequest.email))


def _queue_reset_email(user: User) -> None:
    link = issue_reset_link(user)
    minutes = current_app.config["PASSWORD_RESET_MINUTES"]
    queue_email(
        user.email,
        "Reset your password",
        f"Someone asked to reset the password of {user.email}.\n\n"
        f"Open this link within {minutes} minutes to choose a new password:\n{link}\n\n"
        "The link works once. If you did not ask for this, ignore this message.",
    )


def _valid_reset_token(token: str) -> PasswordResetToken:
    reset = db.session.scalar(
        select(PasswordResetToken).where(PasswordResetToken.token_hash == hash_secret(token))
    )
    if reset is not None and reset.purpose == "invitation":
        _check_invitation(reset)
    if (reset is None or reset.used_at is not None or reset.expires_at < utcnow()
            or not reset.user.is_enabled):  # one issued as its user was deactivated
        raise LinkRefused("This reset link is invalid, used or expired. Ask for a new one.")
    return reset


def _check_invitation(invitation: PasswordResetToken) -> None:
    """An invitation's link that stopped working says why and what to do; only the invited
    person has it, so nothing is told that they were not told in the invitation."""
    if invitation.used_at is not None:
        raise LinkRefused("You accepted this invitation already: sign in with the password "
                          "you chose, or ask for a reset link if you forgot it.",
                          "This invitation was accepted")
    if invitation.expires_at < utcnow():
        raise LinkRefused(
            f"This invitation expired on {invitation.expires_at:%Y-%m-%d}. Ask the person who "
            "invited you, or your organisation's customer administrator, to send you a new "
            "invitation: they can send it again from their list of users.",
            "This invitation has expired")


def check_reset_token(token: str) -> tuple[str, User]:
    """The purpose of a working link ("reset" or "invitation") and whose link it is;
    ``LinkRefused`` otherwise."""
    reset = _valid_reset_token(token)
    return reset.purpose, reset.user


def _claim_reset_token(reset: PasswordResetToken) -> None:
    """Mark the link used, unless a concurrent request did first (then ``Invalid``)."""
    claimed = db.session.execute(
        update(PasswordResetToken)
        .where(PasswordResetToken.id == reset.id, PasswordResetToken.used_at.is_(None))
        .values(used_at=utcnow())
    )
    if claimed.rowcount != 1:
        db.session.rollback()
        raise LinkRefused("This reset link is invalid, used or expired. Ask for a new one.")


def reset_password(token: str, new_password: str) -> User:
    """Set a new password with a reset link; the link, every other link and every open session
    stop working."""
    reset = _valid_reset_token(token)
    check_password_strength(new_password)
    _claim_reset_token(reset)
    set_password(reset.user, new_password)
    _tell_changed(reset.user, "with a reset link sent to this address")
    sign_in_pair = sign_in_rules()[0]
    db.session.execute(delete(Throttle).where(
        Throttle.scope == sign_in_pair.scope, Throttle.key.startswith(f"{reset.user.email} ")))
    db.session.commit()
    return reset.user
