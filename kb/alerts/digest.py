"""The daily digest: notices a user routes to the ``digest`` channel wait in ``digest_items``
and leave as one e-mail a day, from ``DIGEST_HOUR`` (UTC), listing everything since the last.

Exactly once with several servers: a digest is a row unique per user and day. The server
whose insert of that row succeeds claims the waiting items (``digest_id``) and queues the
e-mail in the same transaction; another server's insert conflicts (on PostgreSQL it waits
for the first transaction, then fails) and it moves on. Items arriving after the day's digest
wait for the next day's. What is listed is judged again as it leaves (``digest_links``): an
item its recipient may no longer read is left out, and a digest left empty is not sent.
"""

from __future__ import annotations

from datetime import date, datetime
from itertools import groupby

from flask import current_app
from sqlalchemy import exists, select, update
from sqlalchemy.exc import IntegrityError

from kb import db, policy
from kb.accounts.models import User
from kb.alerts import preferences
from kb.alerts.digest_links import still_readable
from kb.alerts.models import DailyDigest, DigestItem
from kb.alerts.outbox import queue_email
from kb.alerts.schedule import due_job
from kb.alerts.unsubscribe import DIGEST_KIND, family_of
from kb.links import absolute_url, path_for


def add(user: User, kind: str, title: str, url: str, product_id: int | None) -> None:
    """Keep a notice for the user's next digest (in the caller's transaction)."""
    db.session.add(DigestItem(user_id=user.id, kind=kind, title=title[:500], url=url,
                              product_id=product_id))


@due_job
def send_daily_digests(now: datetime) -> int:
    """From the digest hour on, each user with waiting items gets today's digest (once)."""
    if now.hour < current_app.config["DIGEST_HOUR"]:
        return 0
    day = now.date()
    return sum(_send_digest(user_id, day) for user_id in _users_waiting(day))


def _users_waiting(day: date) -> list[int]:
    sent_today = exists().where(DailyDigest.user_id == DigestItem.user_id,
                                DailyDigest.day == day)
    user_ids = list(db.session.scalars(select(DigestItem.user_id).where(
        DigestItem.digest_id.is_(None), ~sent_today).distinct()))
    db.session.rollback()
    return user_ids


def _send_digest(user_id: int, day: date) -> int:
    """Claim the user's waiting items into today's digest and queue its e-mail; 0 when
    another server made today's digest first."""
    digest = DailyDigest(user_id=user_id, day=day)
    try:
        db.session.add(digest)
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        return 0
    db.session.execute(update(DigestItem).where(
        DigestItem.user_id == user_id, DigestItem.digest_id.is_(None))
        .values(digest_id=digest.id).execution_options(synchronize_session=False))
    items = list(db.session.scalars(select(DigestItem).where(DigestItem.digest_id == digest.id)
                                    .order_by(DigestItem.kind, DigestItem.id)))
    if not items:
        db.session.rollback()
        return 0
    user = db.session.get(User, user_id)
    # a deactivated account's items are dropped, and so are those it may no longer read
    listed = still_readable(user, items) if policy.may_be_told(user) else []
    if listed:
        queue_email(user.email, _subject(listed), _body(listed), kind=DIGEST_KIND, user=user)
    db.session.commit()
    return int(bool(listed))


def _subject(items: list[DigestItem]) -> str:
    count = len(items)
    return f"Your daily digest: {count} update{'s' if count != 1 else ''}"


def _body(items: list[DigestItem]) -> str:
    sections = ["Here is what happened since your last digest."]
    for family, entries in groupby(items, key=lambda item: family_of(item.kind)):
        lines = [preferences.FAMILIES.get(family, family.capitalize())]
        for item in entries:
            lines.append(f"- {item.title}")
            if item.url:
                lines.append(f"  {absolute_url(item.url, for_email=True)}")
        sections.append("\n".join(lines))
    settings = absolute_url(path_for("alerts.notification_settings"), for_email=True)
    sections.append("You get this digest because your notification settings collect these "
                    f"updates into one e-mail a day. Change them here:\n{settings}")
    return "\n\n".join(sections)
