"""A week before an API token expires, its owner is told by e-mail, once per token: a script
that stops with 401 one morning is an outage the e-mail lets them avoid. A job of the outbox
loop (``kb.alerts.schedule``); several servers may run it at once."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from kb import db
from kb.accounts.models import ApiToken, User
from kb.accounts.security_mail import WHEN_PATTERN, account_url
from kb.alerts.schedule import due_job
from kb.mail import queue_email
from kb.time_zones import zone_of

WARNING_AHEAD = timedelta(days=7)


@due_job
def warn_of_expiring_tokens(now: datetime) -> int:
    """Tell the owner of each token that expires within a week (and was not told yet); the
    number told. One transaction each; a token another server holds is left to it. A
    deactivated owner's tokens wait: reactivated before the expiry, they are told then."""
    told = 0
    while (token := _next_expiring(now)) is not None:
        _queue_warning(token)
        told += 1
        token.expiry_warned_at = now
        db.session.commit()
    return told


def _next_expiring(now: datetime) -> ApiToken | None:
    return db.session.scalar(
        select(ApiToken).join(ApiToken.user)
        .where(ApiToken.revoked_at.is_(None), ApiToken.expiry_warned_at.is_(None),
               ApiToken.expires_at > now, ApiToken.expires_at <= now + WARNING_AHEAD,
               User.is_enabled.is_(True))
        .order_by(ApiToken.expires_at, ApiToken.id).limit(1)
        .with_for_update(skip_locked=True, of=ApiToken))


def _queue_warning(token: ApiToken) -> None:
    user = token.user
    expires = token.expires_at.astimezone(zone_of(user)).strftime(WHEN_PATTERN)
    queue_email(
        user.email, f"Your API token {token.name!r} expires on {expires}",
        f"Your API token {token.name!r} (it starts with {token.prefix}) expires on "
        f"{expires}. From then on, scripts using it get 401 \"This API token expired\".\n\n"
        f"To keep them working, create a new token on your account page and put it in their "
        f"place before then; revoke the old one once nothing uses it:\n{account_url()}\n",
        kind="account", sensitive=False)
