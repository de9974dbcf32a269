"""Live interactive sessions: title and description only (never the meeting details), found by
whoever may open the session's page (its gate, on ``LiveSession``)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kb import markdown
from kb.search.documents import ContentType, gate, register
from kb.sessions.models import LiveSession


def load(session: Session, item_id: int) -> LiveSession | None:
    return session.get(LiveSession, item_id)


def all_ids(session: Session) -> Iterable[int]:
    return session.scalars(select(LiveSession.id).order_by(LiveSession.id))


def documents(live_session: LiveSession) -> list[dict[str, Any]]:
    return [{
        "key": f"live-session:{live_session.id}",
        "type": "live-session",
        "title": live_session.title,
        "title_prefix": live_session.title,
        "identifiers": "",
        "summary": (f"Cancelled: {live_session.cancellation_reason}"
                    if live_session.is_cancelled else ""),
        "body": " ".join([markdown.render(live_session.description).text,
                          live_session.presenter]),
        "products": "",
        "versions": "",
        "kind": "",
        "tags": "",
        "updated": live_session.starts_at,
        "url": f"/sessions/live/{live_session.id}",
        **gate(live_session),
    }]


register(ContentType(name="live-session", load=load, documents=documents, all_ids=all_ids))
