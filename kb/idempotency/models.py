"""One row per user and ``Idempotency-Key``: which request the key was first used for and,
once that request succeeded, its answer."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from kb.db import Base, UTCDateTime, utcnow

MAX_KEY_LENGTH = 255


class IdempotentRequest(Base):
    __tablename__ = "idempotency_keys"
    __table_args__ = (UniqueConstraint("user_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(MAX_KEY_LENGTH))
    # SHA-256 of the method, the path and the body: the same key with another request is refused
    fingerprint: Mapped[str] = mapped_column(String(64))
    # both null while the first request is still being processed
    status: Mapped[int | None]
    body: Mapped[str | None] = mapped_column(Text)
    # the answer's Location header (a 201's new resource), replayed with the body
    location: Mapped[str | None] = mapped_column(Text)
    # when the request first committed work of its own (in that same transaction): a claim
    # abandoned after it may have created something, so it is never run again
    worked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
