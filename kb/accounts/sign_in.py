"""Signing in with e-mail and password, throttled per account and client address."""

from __future__ import annotations

from flask import current_app
from werkzeug.security import check_password_hash

from kb.accounts import throttle
from kb.accounts.browser_sessions import start_session
from kb.accounts.credentials import normalize_email, stand_in_hash
from kb.accounts.models import User
from kb.accounts.queries import user_by_email
from kb.accounts.throttle import Rule
from kb.db import utcnow
from kb.errors import Invalid


def sign_in_rules() -> tuple[Rule, Rule, Rule]:
    """Per account and client address, per account from anywhere, per client address for any
    account (see "Sign-in throttling" in README.md)."""
    config = current_app.config
    first, longest = config["SIGN_IN_FIRST_WAIT_SECONDS"], config["SIGN_IN_MAX_WAIT_SECONDS"]
    account_longest = config["SIGN_IN_ACCOUNT_MAX_WAIT_SECONDS"]
    return (
        Rule("sign-in", config["SIGN_IN_FREE_FAILURES"], first, longest),
        Rule("sign-in-account", config["SIGN_IN_ACCOUNT_FREE_FAILURES"],
             account_longest / 4, account_longest),
        Rule("sign-in-address", config["SIGN_IN_ADDRESS_FREE_FAILURES"], first, longest),
    )


def _sign_in_checks(email: str, remote_addr: str, known_device: bool) -> list[tuple[Rule, str]]:
    pair, account, address = sign_in_rules()
    # in the order counters are locked in (by scope), also when a success takes them back
    checks = [(pair, f"{email} {remote_addr}"), (account, email), (address, remote_addr)]
    return [check for check in checks if not (known_device and check[0] is account)]


def check_credentials(email: str, password: str, remote_addr: str, *,
                      known_device: bool = False) -> User:
    """The user with these credentials; the caller commits (the attempts taken back).

    The attempt is counted before the password is checked; ``Throttled`` says how long to wait.
    A ``known_device`` (a browser that signed in to this account before) is exempt from the
    account-wide ceiling. Wrong credentials or a deactivated account raise ``Invalid``."""
    email = normalize_email(email)
    checks = _sign_in_checks(email, remote_addr, known_device)
    throttle.count_attempt(
        checks, "Too many failed sign-ins. Try again in {wait}, or reset your password.")
    user = user_by_email(email)
    password_hash = user.password_hash if user and user.password_hash else stand_in_hash()
    if not check_password_hash(password_hash, password) or user is None:
        raise Invalid("Wrong e-mail address or password.")
    if not user.is_enabled:
        raise Invalid("This account has been deactivated. Ask your administrator.")
    for rule, key in checks:
        throttle.forgive_attempt(rule, key, start_over=rule.scope == "sign-in")
    return user


def complete_sign_in(user: User) -> User:
    """Every step passed: the user with a new session (``session_secret``)."""
    user.last_sign_in_at = utcnow()
    return start_session(user)


def authenticate(email: str, password: str, remote_addr: str, *,
                 known_device: bool = False) -> User:
    """Sign in with the password alone (see ``check_credentials``): the user with a new
    session."""
    return complete_sign_in(
        check_credentials(email, password, remote_addr, known_device=known_device))
