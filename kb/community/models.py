"""The online community: Q&A spaces (one per product, some for higher plans only, some for an
early-adopter programme's members), their questions, answers, votes on questions and answers,
and who follows a question.

Customers' Markdown is rendered and sanitised once, when it is written (``*_html``); pages
show the stored HTML. A question's gate is its space's: the service copies the space's
``min_plan`` onto each question, so that lists, search and the API filter on one column."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.sql.elements import ColumnElement

from kb import plans
from kb.accounts.models import User
from kb.articles.models import Article
from kb.db import Base, UTCDateTime, utcnow
from kb.gating import Gated, KeptToProgramme
from kb.products.models import Product

# published: everyone with the space's gate reads it; hidden: by a moderator, staff only;
# merged: folded into another question, whose page its address leads to
QUESTION_STATUSES = ("published", "hidden", "merged")
ANSWER_STATUSES = ("published", "hidden")
TITLE_LIMITS = (10, 200)
BODY_LIMIT = 20_000


class Space(KeptToProgramme, Gated, Base):
    """Where a product's questions live; ``min_plan`` keeps a space to higher plans (e.g. an
    early-adopter space for Elite)."""

    __tablename__ = "community_spaces"
    access_feature = "community"
    published_status = None  # a space is there from the moment staff open it

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    product_id: Mapped[int | None] = mapped_column(
        ForeignKey("products.id", ondelete="SET NULL"), index=True)
    min_plan: Mapped[str] = mapped_column(String(20), default=plans.LOWEST_PLAN)
    # the private space of an early-adopter programme: its members only (kb/programmes)
    programme_id: Mapped[int | None] = mapped_column(
        ForeignKey("programmes.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    product: Mapped[Product | None] = relationship()

    def __str__(self) -> str:
        return self.name


class Question(Gated, Base):
    __tablename__ = "community_questions"
    __table_args__ = (
        CheckConstraint("status IN ('published', 'hidden', 'merged')", name="known_status"),
    )
    access_feature = "community"

    id: Mapped[int] = mapped_column(primary_key=True)
    space_id: Mapped[int] = mapped_column(ForeignKey("community_spaces.id", ondelete="CASCADE"),
                                          index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="")  # the author's Markdown
    body_html: Mapped[str] = mapped_column(Text, default="")  # rendered when written
    body_text: Mapped[str] = mapped_column(Text, default="")  # its words, for the index
    min_plan: Mapped[str] = mapped_column(String(20), default=plans.LOWEST_PLAN)
    status: Mapped[str] = mapped_column(String(20), default="published", index=True)
    moderation_note: Mapped[str] = mapped_column(Text, default="")
    locked: Mapped[bool] = mapped_column(Boolean, default=False)
    # what staff gave as the reason when they locked it (shown with the lock); "" unlocked
    lock_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    score: Mapped[int] = mapped_column(Integer, default=0)  # the sum of its votes
    accepted_answer_id: Mapped[int | None] = mapped_column(
        ForeignKey("community_answers.id", ondelete="SET NULL", use_alter=True))
    merged_into_id: Mapped[int | None] = mapped_column(
        ForeignKey("community_questions.id", ondelete="SET NULL"))
    article_id: Mapped[int | None] = mapped_column(ForeignKey("articles.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # by its author or staff
    last_activity_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    space: Mapped[Space] = relationship()
    author: Mapped[User | None] = relationship()
    article: Mapped[Article | None] = relationship()
    merged_into: Mapped[Question | None] = relationship(remote_side=[id])
    answers: Mapped[list[Answer]] = relationship(
        back_populates="question", foreign_keys="Answer.question_id",
        order_by="Answer.created_at, Answer.id")
    accepted_answer: Mapped[Answer | None] = relationship(
        foreign_keys=[accepted_answer_id], post_update=True)

    @property
    def programme_gate(self) -> int | None:
        """A question of a programme's space is its members' only, like the space."""
        return self.space.programme_id

    @classmethod
    def programme_filter(cls, programmes: Iterable[int]) -> ColumnElement[bool]:
        return cls.space.has(Space.programme_filter(programmes))

    @property
    def is_solved(self) -> bool:
        return self.accepted_answer_id is not None

    def __str__(self) -> str:
        return self.title


class Answer(Base):
    __tablename__ = "community_answers"
    __table_args__ = (
        CheckConstraint("status IN ('published', 'hidden')", name="known_status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(
        ForeignKey("community_questions.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text, default="")
    body_html: Mapped[str] = mapped_column(Text, default="")
    body_text: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="published")
    moderation_note: Mapped[str] = mapped_column(Text, default="")
    # no longer right (a newer version changed it); the note says why, shown beside it
    outdated: Mapped[bool] = mapped_column(Boolean, default=False)
    outdated_note: Mapped[str] = mapped_column(String(500), default="")
    score: Mapped[int] = mapped_column(Integer, default=0)  # the sum of its votes
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    question: Mapped[Question] = relationship(back_populates="answers",
                                              foreign_keys=[question_id])
    author: Mapped[User | None] = relationship()


class AnswerVote(Base):
    """One user's vote on one answer: +1 or -1."""

    __tablename__ = "community_answer_votes"
    __table_args__ = (
        UniqueConstraint("answer_id", "user_id"),
        CheckConstraint("value IN (-1, 1)", name="up_or_down"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    answer_id: Mapped[int] = mapped_column(
        ForeignKey("community_answers.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    value: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class QuestionVote(Base):
    """One user's vote on one question (useful, well asked): +1 or -1."""

    __tablename__ = "community_question_votes"
    __table_args__ = (
        UniqueConstraint("question_id", "user_id"),
        CheckConstraint("value IN (-1, 1)", name="up_or_down"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(
        ForeignKey("community_questions.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    value: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Follow(Base):
    """A user who hears of new answers to a question (and of its being solved or merged)."""

    __tablename__ = "community_follows"
    __table_args__ = (UniqueConstraint("question_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(
        ForeignKey("community_questions.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship()


class Report(Base):
    """A customer's report of a question or an answer (spam, abuse, wrong space) for staff to
    look at; resolved when staff hide the post or dismiss the report."""

    __tablename__ = "community_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(
        ForeignKey("community_questions.id", ondelete="CASCADE"), index=True)
    answer_id: Mapped[int | None] = mapped_column(
        ForeignKey("community_answers.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)

    question: Mapped[Question] = relationship()
    answer: Mapped[Answer | None] = relationship()
    user: Mapped[User | None] = relationship()
