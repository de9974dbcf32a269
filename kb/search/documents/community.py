"""Community questions: one document per question, its visible answers' words included, so
that one search finds the community and the knowledge base together. A question's gate is its
space's (copied onto the question); hidden questions are found by staff only, merged ones not
at all (their answers are indexed with the question they were merged into)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from kb.community.models import Question, Space
from kb.search.documents import ContentType, gate, register


def load(session: Session, item_id: int) -> Question | None:
    return session.get(Question, item_id)


def load_many(session: Session, ids: Sequence[int]) -> Iterable[Question]:
    return session.scalars(select(Question).where(Question.id.in_(ids)).options(
        selectinload(Question.answers),
        selectinload(Question.space).selectinload(Space.product)))


def all_ids(session: Session) -> Iterable[int]:
    return session.scalars(select(Question.id).where(Question.status != "merged")
                           .order_by(Question.id))


def documents(question: Question) -> list[dict[str, Any]]:
    if question.status == "merged":
        return []
    answers = [answer.body_text for answer in question.answers if answer.status == "published"]
    product = question.space.product
    return [{
        "key": f"question:{question.id}",
        "type": "question",
        "title": question.title,
        "title_prefix": question.title,
        "identifiers": "",
        "summary": "",
        "body": "\n".join([question.body_text, *answers]),
        "products": product.slug if product else "",
        "versions": "",
        "kind": "solved" if question.is_solved else "",
        "tags": "",
        "updated": question.last_activity_at,
        "url": f"/community/questions/{question.id}",
        **gate(question),
    }]


register(ContentType(name="question", load=load, documents=documents, all_ids=all_ids,
                     load_many=load_many, kinds=("solved",)))
