"""E-mail telling a user of a change to how their account signs in (password, two-step
sign-in): what changed and when, where to see it, and what to do if they did not expect it.
Transactional (kind ``account``): nobody can turn it off; it holds no secret."""

from __future__ import annotations

from kb.accounts.models import User
from kb.db import utcnow
from kb.links import absolute_url, path_for
from kb.mail import queue_email
from kb.time_zones import zone_of

WHEN_PATTERN = "%a %d %b %Y, %H:%M %Z"


def account_url() -> str:
    return absolute_url(path_for("accounts.account"), for_email=True)


def reset_url() -> str:
    return absolute_url(path_for("accounts.request_password_reset"), for_email=True)


def when_now(user: User) -> str:
    """Now, as the user's wall-clock time (their profile's time zone, else UTC)."""
    return utcnow().astimezone(zone_of(user)).strftime(WHEN_PATTERN)


def if_not_you() -> str:
    return ("If this was not you or someone you asked, someone else may know your password: "
            f"reset it now at {reset_url()} and tell your administrator.")


def tell_account_change(user: User, subject: str, what_happened: str,
                        if_unexpected: str | None = None) -> None:
    """Queue the e-mail in the caller's transaction."""
    queue_email(user.email, subject,
                f"{what_happened}\n\nYour account page: {account_url()}\n\n"
                f"{if_unexpected or if_not_you()}\n",
                kind="account", sensitive=False)
