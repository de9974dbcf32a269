"""Telling a user something: the one path every kind of message takes.

``tell(user, Notice(...))`` puts a notice through the channels the user's preferences choose
for its kind (and product): an in-app notification, an e-mail through the outbox, the daily
digest. It adds to the caller's transaction, so nobody is told of a change that did not
commit. A notice with a ``key`` reaches a user at most once, however often it is announced
(an alert's revision, a reminder), even by several servers at the same moment.

Kinds are ``family.event``: ``alert.workaround``, ``patch.published``, ``topic.scheduled``,
``session.reminder``. Preferences and unsubscribe links are per family (``KIND_NAMES`` in
``kb.alerts.unsubscribe``); ``account`` messages (resets, invitations) are not told through
here: they are e-mail only and cannot be turned off. A ``recall`` (a withdrawn patch, told to
whoever downloaded it) cannot be turned off either: it goes to the portal and by e-mail at once,
whatever the user chose for its subject's family.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from kb import db, notifications, policy
from kb.accounts.models import User
from kb.alerts import digest, preferences
from kb.alerts.mail_body import MailBody
from kb.alerts.models import ToldNotice
from kb.alerts.outbox import Attachment, queue_email
from kb.alerts.unsubscribe import family_of
from kb.links import absolute_url

__all__ = ["Attachment", "Notice", "confirm", "tell", "family_of"]

RECALL_ROUTE = preferences.Route(in_app=True, email=True, digest=False)


@dataclass(frozen=True)
class Notice:
    kind: str  # family.event
    title: str  # the notification's text and the e-mail's subject
    url: str  # path of the item it is about ("" for none); absolute in e-mail
    body: str = ""  # the e-mail's text; the link to ``url`` follows it
    product_id: int | None = None  # the product it concerns, for per-product preferences
    key: str | None = None  # told at most once per user and key
    attachments: tuple[Attachment, ...] = ()
    recall: bool = False  # a warning about something the user has: every channel, always
    html: str = ""  # the e-mail's HTML part, sanitised, saying what ``body`` says (``MailBody``)


def tell(user: User, notice: Notice) -> bool:
    """Tell ``user`` (in the caller's transaction) through the channels their preferences
    choose; False when already told this key, or not told at all (a deactivated account)."""
    if not policy.may_be_told(user):
        return False
    if notice.key is not None and not _first_time(user, notice.key):
        return False
    route = (RECALL_ROUTE if notice.recall
             else preferences.route(user, family_of(notice.kind), notice.product_id))
    if route.in_app:
        notifications.notify(user, notice.kind, notice.title, notice.url)
    if route.email:
        queue_email(user.email, notice.title, _email_body(notice),
                    kind="recall" if notice.recall else family_of(notice.kind),
                    sensitive=False, user=user, attachments=notice.attachments,
                    product_id=notice.product_id, body_html=_email_html(notice))
    if route.digest:
        digest.add(user, notice.kind, notice.title, notice.url, notice.product_id)
    return True


def confirm(user: User, notice: Notice) -> None:
    """Confirm to ``user`` what they have just done themselves (a booking, a request): by
    e-mail, or in the digest, as their preferences choose; not in the portal, where they saw
    it happen."""
    if not policy.may_be_told(user):
        return
    route = preferences.route(user, family_of(notice.kind), notice.product_id)
    if route.email:
        queue_email(user.email, notice.title, _email_body(notice), kind=family_of(notice.kind),
                    sensitive=False, user=user, attachments=notice.attachments,
                    product_id=notice.product_id, body_html=_email_html(notice))
    if route.digest:
        digest.add(user, notice.kind, notice.title, notice.url, notice.product_id)


def _email_body(notice: Notice) -> str:
    parts = [notice.body.strip() or notice.title]
    if notice.url:
        parts.append(f"Open it in the portal:\n{absolute_url(notice.url, for_email=True)}")
    return "\n\n".join(parts)


def _email_html(notice: Notice) -> str:
    """The HTML part, when the notice has one of its own (else it is made from the text)."""
    if not notice.html:
        return ""
    parts = MailBody(htmls=[Markup(notice.html)])  # noqa: S704 - sanitised by its maker
    if notice.url:
        parts.paragraph(f"Open it in the portal:\n{absolute_url(notice.url, for_email=True)}")
    return parts.html


def _first_time(user: User, key: str) -> bool:
    """Record that ``user`` is told ``key``; False when that was recorded before."""
    if db.session.scalar(select(ToldNotice.id).where(ToldNotice.user_id == user.id,
                                                      ToldNotice.key == key)) is not None:
        return False
    try:
        with db.session.begin_nested():
            db.session.add(ToldNotice(user_id=user.id, key=key))
    except IntegrityError:  # told at this moment by another transaction
        return False
    return True
