"""Recordings: one document for the recording and one per transcript segment, so that a hit in
the transcript opens the recording at that moment (``#t=SECONDS``)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, time
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from kb import markdown
from kb.search.documents import ContentType, gate, register
from kb.sessions.models import Recording


def load(session: Session, item_id: int) -> Recording | None:
    return session.get(Recording, item_id)


def load_many(session: Session, ids: Sequence[int]) -> Iterable[Recording]:
    return session.scalars(
        select(Recording).where(Recording.id.in_(ids)).options(
            selectinload(Recording.product), selectinload(Recording.segments))
    )


def all_ids(session: Session) -> Iterable[int]:
    return session.scalars(select(Recording.id).order_by(Recording.id))


def _common(recording: Recording) -> dict[str, Any]:
    return {
        "type": "recording",
        "title": recording.title,
        "products": recording.product.slug if recording.product else "",
        "versions": "",
        "kind": "",
        "tags": recording.topic.lower(),
        # the day it was recorded, not the day it was last edited
        "updated": datetime.combine(recording.recorded_on, time.min, tzinfo=UTC),
        **gate(recording),
    }


def documents(recording: Recording) -> list[dict[str, Any]]:
    url = f"/sessions/recordings/{recording.id}"
    summary = markdown.render(recording.summary).text if recording.summary else ""
    found = [{
        **_common(recording),
        "key": f"recording:{recording.id}",
        "title_prefix": recording.title,
        "identifiers": "",
        "summary": summary,
        "body": " ".join(filter(None, [recording.presenter, recording.topic])),
        "url": url,
    }]
    for segment in recording.segments:
        seconds = segment.start_ms // 1000
        found.append({
            **_common(recording),
            "key": f"recording:{recording.id}#{segment.position}",
            "summary": "",
            "body": segment.text,
            "url": f"{url}#t={seconds}",
            "position": seconds,
        })
    return found


register(ContentType(name="recording", load=load, documents=documents, all_ids=all_ids,
                     load_many=load_many))
