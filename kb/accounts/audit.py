"""The audit log: a change by staff or an administrator, recorded in the transaction that
makes it."""

from __future__ import annotations

from typing import Any

from kb import db, policy
from kb.accounts.models import AuditEntry, User


def record_audit(
    actor: User | None,
    action: str,
    target_type: str,
    target_id: int | None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    remote_addr: str | None = None,
) -> None:
    """Add an audit entry to the current transaction (committed with the change it records)."""
    db.session.add(
        AuditEntry(
            actor_id=actor.id if policy.is_signed_in(actor) else None,
            action=action,
            target_type=target_type,
            target_id=target_id,
            before=before,
            after=after,
            remote_addr=remote_addr,
        )
    )


def changed_fields(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict, dict]:
    keys = [key for key in after if before.get(key) != after[key]]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}
