"""Topic requests customers asked for: searchable by everyone with recorded sessions, so that
the next customer votes instead of asking again. Merged duplicates are not indexed."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kb import markdown
from kb.search.documents import ContentType, gate, register
from kb.sessions.models import TOPIC_STATUSES, TopicRequest


def load(session: Session, item_id: int) -> TopicRequest | None:
    return session.get(TopicRequest, item_id)


def all_ids(session: Session) -> Iterable[int]:
    return session.scalars(select(TopicRequest.id).where(TopicRequest.status != "merged")
                           .order_by(TopicRequest.id))


def documents(topic: TopicRequest) -> list[dict[str, Any]]:
    if topic.status == "merged":
        return []
    return [{
        "key": f"topic:{topic.id}",
        "type": "topic",
        "title": topic.title,
        "title_prefix": topic.title,
        "identifiers": "",
        "summary": "",
        "body": markdown.render(topic.details).text if topic.details else "",
        "products": topic.product.slug if topic.product else "",
        "versions": "",
        "kind": topic.status,
        "tags": "",
        "updated": topic.updated_at,
        "url": f"/sessions/topics/{topic.id}",
        **gate(topic),
    }]


register(ContentType(name="topic", load=load, documents=documents, all_ids=all_ids,
                     kinds=tuple(status for status in TOPIC_STATUSES if status != "merged")))
