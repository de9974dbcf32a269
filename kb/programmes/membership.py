"""Who is in which programme now: the one query the policy asks (``policy.programmes_of``),
asked once per session (one request) until it writes or ends a transaction."""

from __future__ import annotations

from datetime import date

from sqlalchemy import event, select

from kb import db
from kb.programmes.models import Programme, ProgrammeApplication

# the session's answers so far, by (organisation, day): a request's filter checks, its
# search and its list all ask, and each would otherwise query again
_ANSWERS = "kb.running_programme_ids"


def running_programme_ids(organization_id: int | None, today: date) -> frozenset[int]:
    """The programmes the organisation was accepted into that have not ended by ``today``."""
    if organization_id is None:
        return frozenset()
    answers = db.session.info.setdefault(_ANSWERS, {})
    if (organization_id, today) not in answers:
        answers[organization_id, today] = _running(organization_id, today)
    return answers[organization_id, today]


def _running(organization_id: int, today: date) -> frozenset[int]:
    return frozenset(db.session.scalars(
        select(Programme.id).join(ProgrammeApplication,
                                  ProgrammeApplication.programme_id == Programme.id)
        .where(ProgrammeApplication.organization_id == organization_id,
               ProgrammeApplication.status == "accepted",
               Programme.ended_at.is_(None), Programme.ends_on >= today)))


@event.listens_for(db.KbSession, "after_flush")
@event.listens_for(db.KbSession, "after_commit")
@event.listens_for(db.KbSession, "after_rollback")
def _forget_answers(session, *_context) -> None:
    """A write (an application accepted, a programme ended), or another transaction's, may
    change every answer."""
    session.info.pop(_ANSWERS, None)
