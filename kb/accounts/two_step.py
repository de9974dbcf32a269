"""Two-step sign-in: turning it on with an authenticator app, checking its codes (or a
recovery code) after the password, new recovery codes, turning it off, and an
administrator's reset for a lost phone."""

from __future__ import annotations

from datetime import datetime

from flask import current_app
from sqlalchemy import delete, func, or_, select, update
from werkzeug.security import check_password_hash

from kb import db, policy
from kb.accounts import throttle, totp
from kb.accounts.audit import record_audit
from kb.accounts.credentials import hash_password, stand_in_hash
from kb.accounts.models import RecoveryCode, TwoStep, User
from kb.accounts.security_mail import tell_account_change, when_now
from kb.accounts.throttle import Rule
from kb.db import utcnow
from kb.errors import Conflict, Invalid

WRONG_CODE = "That code is not right. Check the time on your phone, and use each code once."


def _rule() -> Rule:
    """Wrong codes of one account wait like wrong passwords ("Sign-in throttling")."""
    config = current_app.config
    return Rule("two-step", config["SIGN_IN_FREE_FAILURES"],
                config["SIGN_IN_FIRST_WAIT_SECONDS"], config["SIGN_IN_MAX_WAIT_SECONDS"])


def _count_attempt(user: User) -> None:
    throttle.count_attempt([(_rule(), str(user.id))], "Too many wrong codes. Try again in {wait}.")


def _forgive_attempts(user: User) -> None:
    throttle.forgive_attempt(_rule(), str(user.id), start_over=True)


def _row(user: User) -> TwoStep | None:
    return db.session.scalar(select(TwoStep).where(TwoStep.user_id == user.id))


def is_on(user: User) -> bool:
    row = _row(user)
    return row is not None and row.confirmed_at is not None


def users_with_two_step(user_ids: list[int]) -> set[int]:
    """Which of these users have two-step sign-in on (for the user lists)."""
    return set(db.session.scalars(select(TwoStep.user_id).where(
        TwoStep.user_id.in_(user_ids), TwoStep.confirmed_at.is_not(None))))


def recovery_codes_left(user: User) -> int:
    return db.session.scalar(select(func.count()).select_from(RecoveryCode).where(
        RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))) or 0


def begin_enrolment(user: User) -> None:
    """A new secret for the app to learn; nothing is on until ``confirm_enrolment``."""
    row = _row(user)
    if row is not None and row.confirmed_at is not None:
        raise Conflict("Two-step sign-in is already on.")
    if row is None:
        row = TwoStep(user_id=user.id)
        db.session.add(row)
    row.secret_encrypted = totp.encrypt_secret(totp.new_secret())
    row.created_at, row.last_used_step = utcnow(), None
    db.session.commit()


def pending_secret(user: User) -> str | None:
    """The secret of an enrolment begun and not yet confirmed (shown until then, never after)."""
    row = _row(user)
    if row is None or row.confirmed_at is not None:
        return None
    return totp.decrypt_secret(row.secret_encrypted)


def confirm_enrolment(user: User, code: str, now: datetime) -> list[str]:
    """Turn two-step sign-in on once ``code`` is the app's current one; the recovery codes,
    returned here only, are kept hashed."""
    secret = pending_secret(user)
    if secret is None:
        raise Invalid("Start again: choose “Turn on two-step sign-in”.")
    _count_attempt(user)
    step = totp.matching_step(secret, code, now)
    if step is None:
        raise Invalid(WRONG_CODE)
    row = _row(user)
    row.confirmed_at, row.last_used_step = utcnow(), step
    codes = _replace_recovery_codes(user)
    _forgive_attempts(user)
    _tell(user, "Two-step sign-in is on",
          f"Two-step sign-in was turned on for your account on {when_now(user)}: signing in "
          "now also asks for a code from your authenticator app. Your account page shows how "
          "many recovery codes you have left.")
    db.session.commit()
    return codes


def _replace_recovery_codes(user: User) -> list[str]:
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = totp.new_recovery_codes()
    db.session.add_all(RecoveryCode(user_id=user.id, code_hash=hash_password(code),
                                    lookup=totp.recovery_lookup(code)) for code in codes)
    return codes


def _claim_step(row: TwoStep, step: int) -> bool:
    """Record ``step`` as used unless it or a later one was (a replayed or raced code)."""
    claimed = db.session.execute(update(TwoStep).where(
        TwoStep.id == row.id,
        or_(TwoStep.last_used_step.is_(None), TwoStep.last_used_step < step),
    ).values(last_used_step=step))
    return claimed.rowcount == 1


def _claim_recovery_code(user: User, code: str) -> bool:
    canonical = totp.canonical_recovery_code(code)
    if canonical is None:
        return False
    candidates = list(db.session.scalars(select(RecoveryCode).where(
        RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None),
        or_(RecoveryCode.lookup == totp.recovery_lookup(canonical),
            RecoveryCode.lookup.is_(None))).order_by(RecoveryCode.id)))
    if not candidates:  # as long as checking a wrong code against a stored one
        check_password_hash(stand_in_hash(), canonical)
    for candidate in candidates:
        if check_password_hash(candidate.code_hash, canonical):
            spent = db.session.execute(update(RecoveryCode).where(
                RecoveryCode.id == candidate.id, RecoveryCode.used_at.is_(None),
            ).values(used_at=utcnow()))
            return spent.rowcount == 1
    return False


def _app_code_verifies(user: User, code: str, now: datetime) -> bool:
    row = _row(user)
    if row is None or row.confirmed_at is None:
        return False
    secret = totp.decrypt_secret(row.secret_encrypted)
    step = totp.matching_step(secret, code, now) if secret else None
    return step is not None and _claim_step(row, step)


def check_second_step(user: User, code: str, now: datetime) -> str:
    """The second step of a sign-in: a current code of the app ("app") or an unused recovery
    code, now spent ("recovery"). Throttled per account; ``Invalid`` when wrong or reused."""
    _count_attempt(user)
    if totp.looks_like_totp(code):
        used = "app" if _app_code_verifies(user, code, now) else None
    else:
        used = "recovery" if _claim_recovery_code(user, code) else None
    if used is None:
        db.session.rollback()
        raise Invalid(WRONG_CODE)
    _forgive_attempts(user)
    db.session.commit()
    return used


def renew_recovery_codes(user: User, code: str, now: datetime) -> list[str]:
    """A new set of recovery codes (the old ones stop working), for a current app code."""
    _count_attempt(user)
    if not _app_code_verifies(user, code, now):
        db.session.rollback()
        raise Invalid(WRONG_CODE)
    codes = _replace_recovery_codes(user)
    _forgive_attempts(user)
    db.session.commit()
    return codes


def turn_off(user: User, password_or_code: str, now: datetime) -> None:
    """Turn two-step sign-in off, for the account's password or a current app code."""
    _count_attempt(user)
    password_right = bool(user.password_hash) and check_password_hash(
        user.password_hash, password_or_code)
    if not password_right and not _app_code_verifies(user, password_or_code, now):
        db.session.rollback()
        raise Invalid("Neither your password nor a current code: two-step sign-in stays on.")
    _forgive_attempts(user)
    _remove(user)
    _tell(user, "Two-step sign-in is off",
          f"Two-step sign-in was turned off for your account on {when_now(user)}: signing in "
          "now asks for the password only. You can turn it on again on your account page.")
    db.session.commit()


def reset(actor: User, user: User, remote_addr: str | None = None) -> None:
    """An administrator turns another user's two-step sign-in off (a lost phone); audited."""
    policy.require_manage_users_of(actor, user.organization)
    if user.id == actor.id:
        raise Invalid("Turn your own two-step sign-in off on your account page.")
    if not is_on(user):
        raise Conflict(f"{user.email} does not use two-step sign-in.")
    _remove(user)
    record_audit(actor, "user.two_step_reset", "user", user.id, {"two_step": True},
                 {"two_step": False}, remote_addr=remote_addr)
    _tell(user, "Your two-step sign-in has been reset", _reset_text(actor, user),
          f"If you did not ask for this, contact {actor.display_name} ({actor.email}) or "
          "your administrator, and turn two-step sign-in on again on your account page: "
          "until then your password alone signs you in.")
    db.session.commit()


def _remove(user: User) -> None:
    db.session.execute(delete(TwoStep).where(TwoStep.user_id == user.id))
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))


def _reset_text(actor: User, user: User) -> str:
    role = "support" if actor.organization is None else "your organisation's administrator"
    return (f"{actor.display_name} ({actor.email}, {role}) turned two-step sign-in off for "
            f"your account on {when_now(user)}, for example after a lost phone: signing in now "
            "asks for the password only. Turn it on again with your new phone on your account "
            "page.")


def _tell(user: User, subject: str, what_happened: str,
          if_unexpected: str | None = None) -> None:
    tell_account_change(user, subject, what_happened, if_unexpected)
