"""Outgoing e-mail: queued in the outbox table in the caller's transaction.

Delivery over SMTP (``KB_SMTP_URL``) arrives with the alerts work; until then messages stay in
the outbox, where staff and tests can read them with ``readable_body()``.

Bodies are stored encrypted (Fernet, with a key derived from the secret key): they carry working
password-reset and invitation links, which must not be readable from the database alone.
"""

from __future__ import annotations

import base64
import hashlib
from datetime import datetime

from cryptography.fernet import Fernet
from flask import current_app
from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from kb import db
from kb.db import Base, UTCDateTime, utcnow


class OutboxEmail(Base):
    __tablename__ = "outbox_emails"

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(String(254), index=True)
    subject: Mapped[str] = mapped_column(String(300))
    # encrypted; see ``readable_body``
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def readable_body(self) -> str:
        """The message as written (needs the secret key it was queued with)."""
        return _fernet().decrypt(self.body.encode()).decode()


def _fernet() -> Fernet:
    secret = current_app.config["SECRET_KEY"]
    secret = secret.encode() if isinstance(secret, str) else secret
    return Fernet(base64.urlsafe_b64encode(hashlib.sha256(b"kb outbox\0" + secret).digest()))


def queue_email(recipient: str, subject: str, body: str) -> OutboxEmail:
    """Add an e-mail to the outbox; it is sent only if the caller's transaction commits."""
    encrypted = _fernet().encrypt(body.encode()).decode()
    message = OutboxEmail(recipient=recipient, subject=subject, body=encrypted)
    db.session.add(message)
    return message
