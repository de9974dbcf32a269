"""Outgoing e-mail, for callers outside ``kb.alerts``: queue in the caller's transaction."""

from kb.alerts.models import OutboxEmail
from kb.alerts.outbox import queue_email

__all__ = ["OutboxEmail", "queue_email"]
