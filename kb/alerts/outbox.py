"""The durable e-mail outbox: queueing in the caller's transaction, and every change of a
message's delivery state (claim, sending, sent, retry, failed), each committed at once.

The delivery worker (``kb.alerts.delivery``) drives these steps; see its docstring for what
exactly-once means here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import make_msgid

from flask import current_app
from sqlalchemy import func, or_, select, update

from kb import db, policy
from kb.accounts.models import User
from kb.alerts import addresses, unsubscribe
from kb.alerts.models import OutboxAttachment, OutboxEmail
from kb.db import utcnow
from kb.errors import Conflict
from kb.forms import one_line

# kinds one cannot opt out of: they carry no unsubscribe link
# e-mail nobody can turn off: account messages (resets, invitations) and recalls (a patch the
# recipient downloaded was withdrawn: turning off news of patches must not hide that)
TRANSACTIONAL_KINDS = frozenset({"account", "recall"})
SUBJECT_LIMIT = 300  # the column's
# kinds whose body carries a secret unless the caller says otherwise
SENSITIVE_KINDS = frozenset({"account"})
REDACTED_BODY = ("[Removed after delivery: this message carried a single-use link. "
                 "Recipient, subject, time and Message-ID are kept.]")


@dataclass(frozen=True)
class Attachment:
    """A file sent with an e-mail, e.g. ``Attachment("invite.ics", "text/calendar;
    method=REQUEST", text)``."""

    filename: str
    content_type: str
    content: str


def queue_email(recipient: str, subject: str, body: str, *, kind: str = "account",
                sensitive: bool | None = None, user: User | None = None,
                attachments: Sequence[Attachment] = (), product_id: int | None = None,
                body_html: str = "") -> OutboxEmail | None:
    """Add an e-mail to the outbox; it is sent only if the caller's transaction commits.

    ``kind`` says what it is about: the default ``account`` (resets, invitations) is
    transactional and sensitive; any other kind carries a signed unsubscribe link for the
    recipient's account, and is not queued (None) when that user's preferences send no
    e-mail of its own for the kind (and ``product_id``, the product it concerns).
    ``sensitive`` marks a body holding a secret, which is redacted once sent.
    ``attachments`` are sent with it (text files: invites, not secrets). ``body_html``, when
    given, is the HTML part's content: sanitised HTML saying what ``body`` says.
    """
    unsubscribe_link = ""
    if kind not in TRANSACTIONAL_KINDS:
        user = user or db.session.scalar(select(User).where(User.email == recipient))
        if user is not None:
            if not unsubscribe.wants_email(user, kind, product_id):
                return None
            unsubscribe_link = unsubscribe.unsubscribe_url(user, kind)
    message = OutboxEmail(
        recipient=recipient, subject=_subject(subject), body=body, body_html=body_html,
        kind=kind,
        sensitive=kind in SENSITIVE_KINDS if sensitive is None else sensitive,
        message_id=make_msgid(domain=addresses.mail_domain()),
        unsubscribe_url=unsubscribe_link, status="queued", attempts=0,
        next_attempt_at=utcnow(), last_error="")
    db.session.add(message)
    if attachments:
        db.session.flush()
        db.session.add_all(OutboxAttachment(email_id=message.id, filename=item.filename,
                                            content_type=item.content_type, content=item.content)
                           for item in attachments)
    return message


def attachments_of(message: OutboxEmail) -> list[OutboxAttachment]:
    return list(db.session.scalars(select(OutboxAttachment).where(
        OutboxAttachment.email_id == message.id).order_by(OutboxAttachment.id)))


def _subject(subject: str) -> str:
    """One line (a line break in a title must not end the header) that fits its column, with
    the portal's name."""
    subject = _with_portal_name(one_line(subject))
    return subject if len(subject) <= SUBJECT_LIMIT else subject[:SUBJECT_LIMIT - 1] + "…"


def _with_portal_name(subject: str) -> str:
    name = addresses.portal_name()
    return subject if name.lower() in subject.lower() else f"{name}: {subject}"


# looks at the due messages before a claim gives up (each lost race means another worker took a
# batch, so few are ever needed)
CLAIM_ATTEMPTS = 10


def claim_due(worker: str, due_by: datetime, limit: int) -> list[OutboxEmail]:
    """Take up to ``limit`` queued messages due by ``due_by`` for ``worker`` under a lease.

    PostgreSQL skips rows another worker is claiming (FOR UPDATE SKIP LOCKED); on SQLite,
    which has one writer at a time, the conditional UPDATE alone keeps claims apart.
    """
    for _ in range(CLAIM_ATTEMPTS):
        now = utcnow()
        claimable = (OutboxEmail.status == "queued", OutboxEmail.next_attempt_at <= due_by,
                     or_(OutboxEmail.claimed_until.is_(None), OutboxEmail.claimed_until < now))
        candidates = list(db.session.scalars(
            select(OutboxEmail.id).where(*claimable).order_by(OutboxEmail.id).limit(limit)
            .with_for_update(skip_locked=True)))
        if not candidates:
            db.session.rollback()
            return []
        lease = now + timedelta(seconds=current_app.config["OUTBOX_LEASE_SECONDS"])
        db.session.execute(update(OutboxEmail).where(OutboxEmail.id.in_(candidates), *claimable)
                           .values(claimed_by=worker, claimed_until=lease))
        db.session.commit()
        claimed = list(db.session.scalars(select(OutboxEmail).where(
            OutboxEmail.id.in_(candidates), OutboxEmail.claimed_by == worker,
            OutboxEmail.status == "queued").order_by(OutboxEmail.id)))
        if claimed:
            return claimed
        # on SQLite another worker claimed the same rows between our look and our claim:
        # look again (the empty answer would end the caller's drain with messages still due)
    return []


def mark_sending(message: OutboxEmail, worker: str) -> bool:
    """Record that ``worker`` hands the message to SMTP now; False if it lost the claim."""
    lease = utcnow() + timedelta(seconds=current_app.config["OUTBOX_LEASE_SECONDS"])
    return _transition(message, worker, "queued", status="sending", claimed_until=lease,
                       attempts=OutboxEmail.attempts + 1)


def mark_sent(message: OutboxEmail, worker: str) -> None:
    """Record the SMTP server's acceptance; a sensitive body is replaced by a note."""
    values = {"status": "sent", "sent_at": utcnow(), "claimed_by": None,
              "claimed_until": None, "last_error": ""}
    if message.sensitive:
        values["body"], values["body_html"] = REDACTED_BODY, ""
    _transition(message, worker, "sending", **values)


def release_unsent(message: OutboxEmail, worker: str, error: str, *, permanent: bool,
                   counted: bool) -> None:
    """Record a failed attempt: retried later with exponential backoff, or marked failed when
    the refusal is permanent or the attempts are used up. ``counted``: the attempt was
    already counted by ``mark_sending``."""
    attempts = message.attempts + (0 if counted else 1)
    failed = permanent or attempts >= current_app.config["OUTBOX_MAX_ATTEMPTS"]
    _transition(message, worker, message.status, status="failed" if failed else "queued",
                attempts=attempts, last_error=error[:2000], claimed_by=None,
                claimed_until=None, next_attempt_at=utcnow() + retry_delay(attempts))


def retry_delay(attempts: int) -> timedelta:
    """Wait after the ``attempts``-th failed attempt: doubling from OUTBOX_RETRY_SECONDS, at
    most OUTBOX_MAX_RETRY_SECONDS."""
    first = current_app.config["OUTBOX_RETRY_SECONDS"]
    ceiling = current_app.config["OUTBOX_MAX_RETRY_SECONDS"]
    return timedelta(seconds=min(ceiling, first * 2 ** max(0, attempts - 1)))


def fail_interrupted() -> int:
    """Mark failed the messages left 'sending' by a worker whose lease expired: it stopped
    between handing them to SMTP and recording the answer, so they may have arrived."""
    abandoned = (OutboxEmail.status == "sending", OutboxEmail.claimed_until < utcnow())
    # look before writing: on SQLite every UPDATE takes the database's one write lock
    if db.session.scalar(select(OutboxEmail.id).where(*abandoned).limit(1)) is None:
        db.session.rollback()
        return 0
    result = db.session.execute(
        update(OutboxEmail).where(*abandoned)
        .values(status="failed", claimed_by=None, claimed_until=None,
                last_error="Delivery was interrupted after the message was handed to the "
                           "SMTP server; it may have arrived, so it is not sent again "
                           "automatically (kb outbox retry sends it again)."))
    db.session.commit()
    return result.rowcount


def requeue(message_ids: list[int]) -> int:
    """Queue failed messages again for an immediate attempt (staff decided to resend)."""
    result = db.session.execute(
        update(OutboxEmail).where(OutboxEmail.id.in_(message_ids),
                                  OutboxEmail.status == "failed")
        .values(status="queued", next_attempt_at=utcnow(), attempts=0, last_error=""))
    db.session.commit()
    return result.rowcount


def troubled_messages(actor, limit: int = 100) -> list[OutboxEmail]:
    """For staff: failed messages and those waiting for a retry, newest first (their bodies
    are not shown: some carry a reset link)."""
    policy.require_staff(actor)
    return list(db.session.scalars(
        select(OutboxEmail).where(or_(OutboxEmail.status == "failed",
                                      (OutboxEmail.status == "queued")
                                      & (OutboxEmail.attempts > 0)))
        .order_by(OutboxEmail.id.desc()).limit(limit)))


def recent_messages(actor, limit: int = 25) -> list[OutboxEmail]:
    """For staff: the latest messages in any state, newest first (without their bodies)."""
    policy.require_staff(actor)
    return list(db.session.scalars(
        select(OutboxEmail).order_by(OutboxEmail.id.desc()).limit(limit)))


def resend(actor, message_id: int) -> None:
    """Staff decide that a failed message is sent again (with the same Message-ID)."""
    policy.require_staff(actor)
    if not requeue([message_id]):
        raise Conflict("Only a failed message can be sent again.")


def counts_by_status() -> dict[str, int]:
    rows = db.session.execute(select(OutboxEmail.status, func.count()).group_by(
        OutboxEmail.status))
    return {status: count for status, count in rows}


def failed_messages(limit: int = 100) -> list[OutboxEmail]:
    return list(db.session.scalars(select(OutboxEmail).where(OutboxEmail.status == "failed")
                                   .order_by(OutboxEmail.id.desc()).limit(limit)))


def _transition(message: OutboxEmail, worker: str, from_status: str, **values) -> bool:
    result = db.session.execute(
        update(OutboxEmail).where(OutboxEmail.id == message.id,
                                  OutboxEmail.claimed_by == worker,
                                  OutboxEmail.status == from_status)
        .values(**values).execution_options(synchronize_session=False))
    db.session.commit()
    db.session.refresh(message)
    return result.rowcount == 1
