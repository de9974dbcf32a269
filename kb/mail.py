"""Outgoing e-mail: queued in the outbox table in the caller's transaction.

Delivery over SMTP (``KB_SMTP_URL``) arrives with the alerts work; until then messages stay in
the outbox, where staff and tests can read them.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from kb import db
from kb.db import Base, UTCDateTime, utcnow


class OutboxEmail(Base):
    __tablename__ = "outbox_emails"

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(String(254), index=True)
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


def queue_email(recipient: str, subject: str, body: str) -> OutboxEmail:
    """Add an e-mail to the outbox; it is sent only if the caller's transaction commits."""
    message = OutboxEmail(recipient=recipient, subject=subject, body=body)
    db.session.add(message)
    return message
