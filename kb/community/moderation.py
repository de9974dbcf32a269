"""What staff do in the community: hide and show questions and answers, lock a question,
merge a duplicate into the question it repeats, and turn a solved question into a draft
article through the articles service."""

from __future__ import annotations

from sqlalchemy import select, update

from kb import db, policy
from kb.accounts.audit import record_audit
from kb.articles import service as articles
from kb.articles.fields import ArticleFields
from kb.articles.models import Article
from kb.community import notices, reports
from kb.community.models import Answer, Follow, Question
from kb.community.service import record_index_change
from kb.db import utcnow
from kb.errors import Conflict, Invalid

NOTE_LIMIT = 500


def _note(text: str) -> str:
    text = " ".join((text or "").split())
    if len(text) > NOTE_LIMIT:
        raise Invalid(f"Keep the note under {NOTE_LIMIT} characters.")
    return text


def set_question_hidden(actor, question: Question, hidden: bool, note: str = "") -> None:
    """Hide a question from customers (its page answers as a missing one), or show it again."""
    policy.require_staff(actor)
    if question.status == "merged":
        raise Conflict("A merged question lives on in the one it was merged into.")
    note = _note(note) if hidden else ""  # refused before anything changes
    before = question.status
    newly_hidden = hidden and before != "hidden"
    question.status = "hidden" if hidden else "published"
    question.moderation_note = note
    question.updated_at = utcnow()
    reporters = reports.resolve_for(question) if hidden else []
    record_audit(actor, "community.question.hide" if hidden else "community.question.show",
                 "community_question", question.id, {"status": before},
                 {"status": question.status, "note": question.moderation_note})
    if newly_hidden:
        notices.announce_question_hidden(question, actor)
    notices.tell_reporters_hidden(reporters, question, None, actor)
    record_index_change(question)
    db.session.commit()


def set_answer_hidden(actor, answer: Answer, hidden: bool, note: str = "") -> None:
    """Hide an answer (an accepted one stops being accepted), or show it again."""
    policy.require_staff(actor)
    note = _note(note) if hidden else ""  # refused before anything changes
    newly_hidden = hidden and answer.status != "hidden"
    answer.status = "hidden" if hidden else "published"
    answer.moderation_note = note
    question = answer.question
    if hidden and question.accepted_answer_id == answer.id:
        question.accepted_answer = None
    reporters = reports.resolve_for(question, answer) if hidden else []
    record_audit(actor, "community.answer.hide" if hidden else "community.answer.show",
                 "community_answer", answer.id, None,
                 {"status": answer.status, "note": answer.moderation_note})
    if newly_hidden:
        notices.announce_answer_hidden(answer, actor)
    notices.tell_reporters_hidden(reporters, question, answer, actor)
    record_index_change(question)
    db.session.commit()


def set_locked(actor, question: Question, locked: bool, reason: str = "") -> None:
    """A locked question takes no new answers, votes or acceptance by its asker, who is told
    (with ``reason``, when staff gave one); its readers see the reason beside the lock."""
    policy.require_staff(actor)
    reason = _note(reason) if locked else ""  # refused before anything changes
    newly_locked = locked and not question.locked
    question.locked = locked
    question.lock_reason = reason
    question.updated_at = utcnow()
    record_audit(actor, "community.question.lock" if locked else "community.question.unlock",
                 "community_question", question.id, None,
                 {"locked": locked, "reason": reason} if reason else {"locked": locked})
    if newly_locked:
        notices.announce_locked(question, actor, reason)
    db.session.commit()


def merge(actor, duplicate: Question, target: Question) -> None:
    """Fold a duplicate into the question it repeats, in the same space: its answers and
    followers move over, its text (and that of duplicates merged into it) is shown there,
    its address leads there, and its followers are told."""
    policy.require_staff(actor)
    if duplicate.id == target.id:
        raise Invalid("A question cannot be merged into itself.")
    if "merged" in (duplicate.status, target.status):
        raise Conflict("Merge into the question that remains, not into a merged one.")
    if duplicate.space_id != target.space_id:
        raise Invalid("Merge questions of the same space only: their readers differ.")
    if duplicate.status == "hidden":
        raise Conflict("Show the question first: a merged question's text is shown on the "
                       "question it was merged into.")
    told = notices.followers(duplicate)
    db.session.execute(update(Answer).where(Answer.question_id == duplicate.id)
                       .values(question_id=target.id))
    for person in told:
        notices.follow(person, target)
    db.session.execute(Follow.__table__.delete().where(Follow.question_id == duplicate.id))
    db.session.execute(update(Question).where(Question.merged_into_id == duplicate.id)
                       .values(merged_into_id=target.id))
    duplicate.status, duplicate.merged_into = "merged", target
    duplicate.accepted_answer = None
    duplicate.updated_at = target.last_activity_at = utcnow()
    db.session.flush()
    db.session.expire(target, ["answers"])
    notices.announce_merged(duplicate, target, told)
    record_audit(actor, "community.question.merge", "community_question", duplicate.id, None,
                 {"merged_into": target.id})
    record_index_change(duplicate)
    record_index_change(target)
    db.session.commit()


def convert_to_article(actor, question: Question) -> Article:
    """A draft article from the question and its accepted answer, for staff to edit and
    publish; the question links to it once it is published. A question of a programme's
    members' space makes an article kept to the programme, as the question is."""
    policy.require_staff(actor)
    accepted = question.accepted_answer
    if accepted is None:
        raise Conflict("Accept an answer first: the article is made of the question and its "
                       "accepted answer.")
    if question.article_id is not None:
        raise Conflict("This question already became an article.")
    space = question.space
    article = articles.create_article(actor, ArticleFields(
        title=question.title, kind="how-to", status="draft", min_plan=question.min_plan,
        products=[space.product.name] if space.product else [],
        summary=question.body_text[:280],
        body=f"## Question\n\n{question.body}\n\n## Answer\n\n{accepted.body}\n"),
        note=f"From community question #{question.id}", programme_id=space.programme_id)
    question.article_id = article.id
    db.session.commit()
    return article


def questions_to_merge_into(question: Question) -> list[Question]:
    """The other questions of the space a duplicate may be merged into."""
    return list(db.session.scalars(
        select(Question).where(Question.space_id == question.space_id,
                               Question.id != question.id, Question.status != "merged")
        .order_by(Question.created_at.desc()).limit(200)))
