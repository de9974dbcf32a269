"""Customers report a question or an answer (spam, abuse, the wrong space); staff see the open
reports first on the moderation page, and hiding the post or dismissing resolves them."""

from __future__ import annotations

from sqlalchemy import select, update

from kb import db, policy
from kb.accounts.models import User
from kb.community import limits, queries
from kb.community.models import Answer, Question, Report
from kb.db import utcnow
from kb.errors import Conflict, Invalid, NotFound

REASON_LIMIT = 500


def report(user, question: Question, answer: Answer | None, reason: str) -> bool:
    """Report a post the user may read (not their own); False when they already reported it
    and it is still open (nothing is added twice)."""
    policy.require(user, queries.FEATURE)
    policy.require_read(user, question, "question")
    author_id = answer.author_id if answer is not None else question.author_id
    if author_id == user.id:
        raise Conflict("This is your own post: edit it instead.")
    reason = " ".join((reason or "").split())
    if not reason:
        raise Invalid("Say briefly what is wrong with it (spam, abuse, wrong space...).")
    if len(reason) > REASON_LIMIT:
        raise Invalid(f"Keep the reason under {REASON_LIMIT} characters.")
    if _open_report(user, question, answer) is not None:
        return False
    limits.count_post(user)
    db.session.add(Report(question_id=question.id, answer_id=answer.id if answer else None,
                          user_id=user.id, reason=reason))
    db.session.commit()
    return True


def _open_report(user, question: Question, answer: Answer | None) -> Report | None:
    target = (Report.answer_id == answer.id) if answer else Report.answer_id.is_(None)
    return db.session.scalar(select(Report).where(
        Report.user_id == user.id, Report.question_id == question.id, target,
        Report.resolved_at.is_(None)))


def open_reports(user, limit: int = 100) -> list[Report]:
    policy.require_staff(user)
    return list(db.session.scalars(select(Report).where(Report.resolved_at.is_(None))
                                   .order_by(Report.created_at, Report.id).limit(limit)))


def resolve_for(question: Question, answer: Answer | None = None) -> list[User]:
    """Resolve the open reports of a post (the caller commits): staff acted on it. Returns
    who reported it, each once, to be told the outcome."""
    target = (Report.answer_id == answer.id) if answer else Report.answer_id.is_(None)
    reporters = db.session.scalars(
        select(User).join(Report, Report.user_id == User.id).where(
            Report.question_id == question.id, target, Report.resolved_at.is_(None))
        .distinct().order_by(User.id)).all()
    db.session.execute(update(Report).where(
        Report.question_id == question.id, target, Report.resolved_at.is_(None))
        .values(resolved_at=utcnow()))
    return list(reporters)


def dismiss(actor, report_id: int) -> Report:
    policy.require_staff(actor)
    found = db.session.get(Report, report_id)
    if found is None:
        raise NotFound("No such report.")
    found.resolved_at = found.resolved_at or utcnow()
    db.session.commit()
    return found
