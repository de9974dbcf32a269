"""Claiming an idempotency key for a request, and remembering or releasing it afterwards.

A first request claims its key in a row committed before the work starts, so a repeat arriving
meanwhile finds it (409) instead of doing the work a second time. A successful answer is kept
for ``LIFETIME``; a failed request releases the key, so the client may retry with it. Rows
older than ``LIFETIME`` are purged whenever a key is claimed.

A claim whose request never finished (its worker died) is taken over after
``ABANDONED_AFTER``, unless the request had committed work of its own (``mark_work``, in the
work's transaction): its answer is lost, and running it again could create a second time, so
a retry is told so (409) rather than repeated."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from kb import db
from kb.errors import Conflict, Invalid
from kb.idempotency.models import IdempotentRequest

LIFETIME = timedelta(hours=24)
# far beyond any creating request (kb serve's worker timeout is 60 seconds)
ABANDONED_AFTER = timedelta(minutes=10)
IN_PROGRESS = ("A request with this Idempotency-Key is still being processed; retry it in a "
               "moment.")
WORK_DONE_ANSWER_LOST = (
    "The first request with this Idempotency-Key was carried out, but its answer was lost; "
    "look for what it created before you send it again, with a new key.")
# a creating request takes well under this; the client is told to try again after it
RETRY_IN_PROGRESS_AFTER_SECONDS = 1
OTHER_REQUEST = ("This Idempotency-Key was already used for a different request (another "
                 "address or body); send a new key with a new request.")


class StillInProgress(Conflict):
    """409 while the first request with the key runs; ``Retry-After`` says when to retry."""

    retry_after_seconds = RETRY_IN_PROGRESS_AFTER_SECONDS

    def __init__(self):
        super().__init__(IN_PROGRESS)


@dataclass(frozen=True)
class Claim:
    """The key is this request's: do the work, then ``remember`` or ``release``."""

    row_id: int


@dataclass(frozen=True)
class Remembered:
    """The answer the first request with the key got."""

    status: int
    body: str
    location: str | None = None


def claim(user_id: int, key: str, fingerprint: str, now: datetime) -> Claim | Remembered:
    """The key claimed for this request, or the first request's answer; ``Invalid`` (422) for
    a key used with another request, ``Conflict`` (409) while the first is in progress."""
    purge(now)
    existing = _find(user_id, key)
    if existing is None:
        row = IdempotentRequest(user_id=user_id, key=key, fingerprint=fingerprint,
                                created_at=now)
        db.session.add(row)
        try:
            db.session.commit()
            return Claim(row.id)
        except IntegrityError:  # a repeat claimed it at the same moment
            db.session.rollback()
            existing = _find(user_id, key)
            if existing is None:  # and failed since: it is free again, but not ours
                raise StillInProgress() from None
    db.session.commit()
    return _answer_for(existing, fingerprint, now)


def _answer_for(existing: IdempotentRequest, fingerprint: str,
                now: datetime) -> Claim | Remembered:
    if existing.fingerprint != fingerprint:
        raise Invalid(OTHER_REQUEST)
    if existing.status is not None:
        return Remembered(existing.status, existing.body or "", existing.location)
    if existing.created_at > now - ABANDONED_AFTER:
        raise StillInProgress()
    if existing.worked_at is not None:
        raise Conflict(WORK_DONE_ANSWER_LOST)
    if _take_over(existing, now):
        return Claim(existing.id)
    raise StillInProgress()


def _take_over(existing: IdempotentRequest, now: datetime) -> bool:
    """Claim an abandoned row anew, unless another retry did so first."""
    taken = db.session.execute(
        update(IdempotentRequest)
        .where(IdempotentRequest.id == existing.id, IdempotentRequest.status.is_(None),
               IdempotentRequest.worked_at.is_(None),
               IdempotentRequest.created_at == existing.created_at)
        .values(created_at=now))
    db.session.commit()
    return taken.rowcount == 1


def _find(user_id: int, key: str) -> IdempotentRequest | None:
    return db.session.scalar(
        select(IdempotentRequest)
        .where(IdempotentRequest.user_id == user_id, IdempotentRequest.key == key)
        .execution_options(populate_existing=True))


def mark_work(claimed: Claim, now: datetime) -> None:
    """Record, in the transaction about to commit the request's work, that it did some."""
    db.session.execute(update(IdempotentRequest)
                       .where(IdempotentRequest.id == claimed.row_id,
                              IdempotentRequest.worked_at.is_(None))
                       .values(worked_at=now))


def remember(claimed: Claim, status: int, body: str, location: str | None = None) -> None:
    """Keep the successful answer (status, body, ``Location`` header) for repeats of the
    request."""
    db.session.execute(update(IdempotentRequest).where(IdempotentRequest.id == claimed.row_id)
                       .values(status=status, body=body, location=location))
    db.session.commit()


def release(claimed: Claim) -> None:
    """Forget the claim of a request that failed: a retry with the key runs anew."""
    db.session.rollback()  # whatever the failed request left unfinished
    db.session.execute(delete(IdempotentRequest).where(IdempotentRequest.id == claimed.row_id))
    db.session.commit()


def purge(now: datetime) -> None:
    """Delete the keys older than ``LIFETIME`` (the caller commits)."""
    db.session.execute(delete(IdempotentRequest)
                       .where(IdempotentRequest.created_at < now - LIFETIME))
