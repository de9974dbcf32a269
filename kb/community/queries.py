"""Reading the community: the spaces, questions and answers a user may see, and the
questions and articles that a title being typed resembles. Never writes."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, func, select
from sqlalchemy.orm import selectinload

from kb import db, gating, policy
from kb.community.models import Answer, AnswerVote, Follow, Question, QuestionVote, Space
from kb.errors import Invalid, NotFound
from kb.forms import MAX_DATABASE_ID
from kb.listing import Listing

FEATURE = "community"
# the "solved" filter and its companions
FILTERS = {"": "All questions", "solved": "Solved", "unsolved": "Not solved yet",
           "unanswered": "No answers yet"}
SUGGESTION_LIMIT = 6


@dataclass(frozen=True)
class SpaceEntry:
    space: Space
    readable: bool
    questions: int
    solved: int


def list_spaces(user) -> list[SpaceEntry]:
    """Every space whose name the user may see, those above their plan marked unreadable."""
    return space_listing(user).all()


def space_listing(user) -> Listing[SpaceEntry]:
    """``list_spaces`` as a Listing, to read a page of it."""
    policy.require(user, FEATURE)

    def entries(spaces: list[Space]) -> list[SpaceEntry]:
        counts = _question_counts(user, spaces)
        return [SpaceEntry(space, policy.can_read(user, space), *counts.get(space.id, (0, 0)))
                for space in spaces]

    return Listing(select(Space).where(gating.title_filter(Space, user))
                   .order_by(Space.min_plan != "xtreme", Space.name, Space.id), entries)


def _question_counts(user, spaces: list[Space]) -> dict[int, tuple[int, int]]:
    rows = db.session.execute(
        select(Question.space_id, func.count(Question.id), func.count(Question.accepted_answer_id))
        .where(_listed(user), Question.space_id.in_([space.id for space in spaces]))
        .group_by(Question.space_id))
    return {space_id: (total, solved) for space_id, total, solved in rows}


def space_counts(user, space: Space) -> tuple[int, int]:
    """(questions, solved) of one space, as far as the user may read them."""
    return _question_counts(user, [space]).get(space.id, (0, 0))


def get_space(user, slug: str) -> Space:
    policy.require(user, FEATURE)
    space = db.session.scalar(select(Space).where(Space.slug == slug))
    if space is None or not policy.may_know_of(user, space):  # another programme's: alike
        raise NotFound("No such community space.")
    policy.require_read(user, space, "space")
    return space


def readable_spaces(user) -> list[Space]:
    """The spaces the user may ask in."""
    return [entry.space for entry in list_spaces(user) if entry.readable]


def space_by_slug_or_name(user, value: str) -> Space:
    """The space the API names by slug (or name), if the user may ask there."""
    value = (value or "").strip()
    space = db.session.scalar(select(Space).where((Space.slug == value) | (Space.name == value)))
    if space is None or not policy.may_know_of(user, space):
        raise Invalid(f"There is no community space {value!r}.")
    policy.require_read(user, space, "space")
    return space


def _listed(user):
    """The questions a list shows this user: readable ones; for staff hidden ones too, never
    merged ones (their answers live on in the question they were merged into)."""
    return and_(gating.read_filter(Question, policy.read_scope(user)),
                Question.status != "merged")


@dataclass
class QuestionPage:
    questions: list[Question]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def find_questions(user, *, space: Space | None = None, state: str = "", page: int = 1,
                   per_page: int = 20) -> QuestionPage:
    """Questions the user may read, latest activity first; ``state`` is a key of FILTERS."""
    policy.require(user, FEATURE)
    if state not in FILTERS:
        raise Invalid(f"filter must be one of: {', '.join(k for k in FILTERS if k)}.")
    conditions = [_listed(user)]
    if space is not None:
        conditions.append(Question.space_id == space.id)
    if state == "solved":
        conditions.append(Question.accepted_answer_id.is_not(None))
    elif state == "unsolved":
        conditions.append(Question.accepted_answer_id.is_(None))
    elif state == "unanswered":
        conditions.append(~Question.answers.any(Answer.status == "published"))
    query = select(Question).where(*conditions)
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    page = max(1, page)
    rows = db.session.scalars(
        query.options(selectinload(Question.space), selectinload(Question.author))
        .order_by(Question.last_activity_at.desc(), Question.id.desc())
        .offset((page - 1) * per_page).limit(per_page))
    return QuestionPage(list(rows), total, page, per_page)


def answer_counts(questions: list[Question]) -> dict[int, int]:
    ids = [question.id for question in questions]
    if not ids:
        return {}
    rows = db.session.execute(
        select(Answer.question_id, func.count(Answer.id))
        .where(Answer.question_id.in_(ids), Answer.status == "published")
        .group_by(Answer.question_id))
    return dict(rows.all())


def _question(question_id: int) -> Question:
    question = (db.session.get(Question, question_id)
                if 1 <= question_id <= MAX_DATABASE_ID else None)
    if question is None:
        raise NotFound("No such question.")
    return question


def get_question(user, question_id: int) -> Question:
    """The question, if the user may read it (``NotFound`` or ``AccessDenied`` otherwise)."""
    policy.require(user, FEATURE)
    question = _question(question_id)
    policy.require_read(user, question, "question")
    return question


def merged_questions(question: Question) -> list[Question]:
    """The duplicates merged into the question, oldest first: what their askers wrote stays
    on the question (same space, so the same readers). Not one hidden when it was merged
    (merging refuses that now, not always): it kept its moderation note, which showing a
    question clears (migration 0030 gave one to those hidden without a note)."""
    return list(db.session.scalars(select(Question).where(
        Question.merged_into_id == question.id, Question.moderation_note == "")
        .order_by(Question.created_at, Question.id)))


def merge_target(user, question_id: int) -> Question | None:
    """For a merged question, the question it now lives in (if the user may read that)."""
    policy.require(user, FEATURE)  # first: a missing and a hidden question answer alike
    question = _question(question_id)
    seen = set()
    while question.status == "merged" and question.merged_into and question.id not in seen:
        seen.add(question.id)
        question = question.merged_into
    if question.id == question_id or question.status == "merged":
        return None
    return question if policy.can_read(user, question) else None


def visible_answers(user, question: Question) -> list[Answer]:
    """Accepted answer first, then by score, then oldest first; hidden ones for staff only."""
    answers = [answer for answer in question.answers
               if answer.status == "published" or policy.acts_as_staff(user)]
    return sorted(answers, key=lambda a: (a.id != question.accepted_answer_id, -a.score,
                                          a.created_at, a.id))


def votes_of(user, question: Question) -> dict[int, int]:
    """The user's vote on each answer of the question (answer id -> +1 or -1)."""
    if not policy.is_signed_in(user):
        return {}
    rows = db.session.execute(
        select(AnswerVote.answer_id, AnswerVote.value).join(Answer)
        .where(Answer.question_id == question.id, AnswerVote.user_id == user.id))
    return dict(rows.all())


def question_vote_of(user, question: Question) -> int:
    """The user's vote on the question: +1, -1, or 0 for none."""
    if not policy.is_signed_in(user):
        return 0
    return db.session.scalar(select(QuestionVote.value).where(
        QuestionVote.question_id == question.id, QuestionVote.user_id == user.id)) or 0


def is_following(user, question: Question) -> bool:
    return policy.is_signed_in(user) and db.session.scalar(select(Follow.id).where(
        Follow.question_id == question.id, Follow.user_id == user.id)) is not None


def related_article(user, question: Question):
    """The article made from the question, when the user may learn of it."""
    return gating.shown(user, question.article)


def may_accept(user, question: Question) -> bool:
    """The asker or staff choose the accepted answer (not while the question is locked)."""
    if policy.acts_as_staff(user):
        return True
    return (policy.is_signed_in(user) and question.author_id == user.id
            and not question.locked and policy.can_read(user, question))


def may_mark_outdated(user, answer: Answer) -> bool:
    """Staff, the answer's author and the asker may say an answer no longer holds."""
    if policy.acts_as_staff(user):
        return True
    return (policy.is_signed_in(user) and policy.can_read(user, answer.question)
            and user.id in (answer.author_id, answer.question.author_id))


def moderation_queue(user, limit: int = 50) -> tuple[list[Question], list[Answer]]:
    """For staff: the newest questions and answers, hidden ones included."""
    policy.require_staff(user)
    questions = db.session.scalars(
        select(Question).where(Question.status != "merged")
        .order_by(Question.created_at.desc(), Question.id.desc()).limit(limit))
    answers = db.session.scalars(
        select(Answer).order_by(Answer.created_at.desc(), Answer.id.desc()).limit(limit))
    return list(questions), list(answers)
