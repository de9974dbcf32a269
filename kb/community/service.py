"""What customers do in the community: ask, answer, vote, accept an answer, follow. Every
function asks the policy, checks the input, writes, records the index change and commits.
Moderation is in ``moderation``, spaces in ``spaces``."""

from __future__ import annotations

from sqlalchemy import func, select

from kb import db, markdown, policy, search
from kb.community import limits, notices, queries
from kb.community.models import (
    BODY_LIMIT,
    TITLE_LIMITS,
    Answer,
    AnswerVote,
    Question,
    QuestionVote,
    Space,
)
from kb.db import utcnow
from kb.errors import Conflict, Invalid, NotFound
from kb.forms import MAX_DATABASE_ID


def record_index_change(question: Question) -> None:
    db.session.flush()
    search.record_change("question", question.id)


def checked_title(title: str) -> str:
    title = " ".join((title or "").split())
    low, high = TITLE_LIMITS
    if len(title) < low:
        raise Invalid(f"Give the question a title of at least {low} characters: what is it "
                      "about?")
    if len(title) > high:
        raise Invalid(f"Keep the title under {high} characters; the details go in the body.")
    return title


def rendered_body(body: str, *, required: bool, what: str) -> tuple[str, markdown.Rendered]:
    """The Markdown as written and its sanitised rendering (done once, here)."""
    body = (body or "").strip()
    if required and not body:
        raise Invalid(f"Write the {what}.")
    if len(body) > BODY_LIMIT:
        raise Invalid(f"Keep the {what} under {BODY_LIMIT:,} characters "
                      f"(it has {len(body):,}).")
    return body, markdown.render(body)


def _may_post_in(user, question: Question) -> None:
    policy.require(user, queries.FEATURE)
    policy.require_read(user, question, "question")
    if question.locked and not policy.acts_as_staff(user):
        raise Conflict("This question is locked: it takes no new answers or votes.")


def ask(user, space: Space, title: str, body: str) -> Question:
    """A new question in ``space``; the asker follows it."""
    policy.require(user, queries.FEATURE)
    policy.require_read(user, space, "space")
    title = checked_title(title)
    body, rendered = rendered_body(body, required=True, what="question's details")
    limits.count_post(user)
    question = Question(space=space, author_id=user.id, title=title, body=body,
                        body_html=rendered.html, body_text=rendered.text,
                        min_plan=space.min_plan, status="published")
    db.session.add(question)
    db.session.flush()
    notices.follow(user, question)
    record_index_change(question)
    db.session.commit()
    return question


def answer(user, question: Question, body: str) -> Answer:
    """A new answer; its author follows the question, every other follower is told."""
    _may_post_in(user, question)
    body, rendered = rendered_body(body, required=True, what="answer")
    limits.count_post(user)
    new = Answer(question=question, author_id=user.id, body=body, body_html=rendered.html,
                 body_text=rendered.text)
    db.session.add(new)
    question.last_activity_at = utcnow()
    db.session.flush()
    notices.follow(user, question)
    notices.announce_answer(question, new)
    record_index_change(question)
    db.session.commit()
    return new


def get_answer(user, answer_id: int) -> Answer:
    """The answer, if the user may read its question and the answer is not hidden from them."""
    policy.require(user, queries.FEATURE)
    found = db.session.get(Answer, answer_id) if 1 <= answer_id <= MAX_DATABASE_ID else None
    if found is None:
        raise NotFound("No such answer.")
    queries.get_question(user, found.question_id)
    if found.status != "published" and not policy.acts_as_staff(user):
        raise NotFound("No such answer.")
    return found


def vote(user, answer: Answer, value: int) -> int:
    """Vote an answer up (1) or down (-1), or take the vote back (0): one vote per user and
    answer, never on one's own answer. Returns the answer's new score."""
    _check_vote_value(value)
    _may_post_in(user, answer.question)
    if answer.status != "published":
        raise Conflict("This answer is hidden and takes no votes.")
    if answer.author_id == user.id:
        raise Conflict("You cannot vote on your own answer.")
    answer.score = _cast(AnswerVote, AnswerVote.answer_id, answer.id, user, value)
    db.session.commit()
    return answer.score


def vote_question(user, question: Question, value: int) -> int:
    """Vote a question up (useful, well asked) or down, or take the vote back (0): one vote
    per user and question, never on one's own. Returns the question's new score."""
    _check_vote_value(value)
    _may_post_in(user, question)
    if question.status != "published":
        raise Conflict("This question is hidden and takes no votes.")
    if question.author_id == user.id:
        raise Conflict("You cannot vote on your own question.")
    question.score = _cast(QuestionVote, QuestionVote.question_id, question.id, user, value)
    db.session.commit()
    return question.score


def _check_vote_value(value) -> None:
    if isinstance(value, bool) or value not in (-1, 0, 1):
        raise Invalid("A vote is 1 (up), -1 (down) or 0 (take it back).")


def _cast(model, item_column, item_id: int, user, value: int) -> int:
    """Record the user's vote on one item (or take it back); the item's new score."""
    existing = db.session.scalar(select(model).where(item_column == item_id,
                                                     model.user_id == user.id))
    if value == 0 and existing is not None:
        db.session.delete(existing)
    elif value and existing is not None:
        existing.value = value
    elif value:
        db.session.add(model(**{item_column.key: item_id}, user_id=user.id, value=value))
    db.session.flush()
    return db.session.scalar(select(func.coalesce(func.sum(model.value), 0))
                             .where(item_column == item_id))


def accept(user, question: Question, accepted: Answer | None) -> None:
    """The asker (or staff) marks the answer that solved the question, or none (None)."""
    if not queries.may_accept(user, question):
        if question.locked:
            raise Conflict("This question is locked; only staff change its accepted answer.")
        raise policy.AccessDenied("Only the person who asked, or staff, accept an answer.",
                                  reason="staff_only")
    if accepted is not None and (accepted.question_id != question.id
                                 or accepted.status != "published"):
        raise Invalid("Accept one of this question's visible answers.")
    question.accepted_answer = accepted
    question.updated_at = question.last_activity_at = utcnow()
    if accepted is not None:
        notices.announce_accepted(question, accepted, user)
    record_index_change(question)
    db.session.commit()


def set_following(user, question: Question, following: bool) -> None:
    policy.require(user, queries.FEATURE)
    policy.require_read(user, question, "question")
    if following:
        notices.follow(user, question)
    else:
        notices.unfollow(user, question)
    db.session.commit()


def mark_outdated(user, answer: Answer, outdated: bool, note: str = "") -> None:
    """Say that an answer no longer holds (e.g. fixed in a later version), or holds again."""
    if not queries.may_mark_outdated(user, answer):
        raise policy.AccessDenied("Only staff, the answer's author or the person who asked "
                                  "mark an answer as outdated.", reason="staff_only")
    note = " ".join((note or "").split())
    if len(note) > 500:
        raise Invalid("Keep the note under 500 characters.")
    answer.outdated = outdated
    answer.outdated_note = note if outdated else ""
    answer.updated_at = utcnow()
    record_index_change(answer.question)
    db.session.commit()


def may_edit(user, question: Question, answer: Answer | None = None) -> bool:
    """Authors edit their own question or answer while the question is open; staff always."""
    if policy.acts_as_staff(user):
        return True
    author_id = answer.author_id if answer is not None else question.author_id
    return (policy.is_signed_in(user) and author_id == user.id and not question.locked
            and policy.can_read(user, question))


def require_edit(user, question: Question, answer: Answer | None = None) -> None:
    policy.require(user, queries.FEATURE)
    if not may_edit(user, question, answer):
        if question.locked:
            raise Conflict("This question is locked: only staff change it now.")
        raise policy.AccessDenied("Only its author, or staff, edit this.", reason="staff_only")


def edit_question(user, question: Question, title: str, body: str) -> None:
    require_edit(user, question)
    question.title = checked_title(title)
    question.body, rendered = rendered_body(body, required=True, what="question's details")
    question.body_html, question.body_text = rendered.html, rendered.text
    question.edited_at = question.updated_at = utcnow()
    record_index_change(question)
    db.session.commit()


def edit_answer(user, answer: Answer, body: str) -> None:
    require_edit(user, answer.question, answer)
    answer.body, rendered = rendered_body(body, required=True, what="answer")
    answer.body_html, answer.body_text = rendered.html, rendered.text
    answer.edited_at = answer.updated_at = utcnow()
    record_index_change(answer.question)
    db.session.commit()
