"""Remote access to the customer's system: staff ask on an incident, the customer grants a
window (from, until) or refuses, and may revoke a grant early. A grant ends by itself at its
``ends_at`` (``RemoteAccess.state_at``): nothing has to run for it to expire. Every step is in
the audit log and appears in the incident's thread."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from kb import db, policy
from kb.accounts.audit import record_audit
from kb.db import utcnow
from kb.errors import Conflict, Invalid, NotFound
from kb.support import notices
from kb.support.incidents import add_event
from kb.support.models import Incident, RemoteAccess

FEATURE = "remote_access"
LONGEST_GRANT = timedelta(days=7)
# a window may start a little in the past: the form's "now" was a moment ago
START_SLACK = timedelta(minutes=10)
TIME_PATTERN = "%Y-%m-%d %H:%M UTC"


def request_access(user, incident: Incident, reason: str) -> RemoteAccess:
    """Staff ask the customer for remote access, saying why."""
    policy.require_staff(user)
    policy.require_incident(user, incident)
    if not reason.strip() or len(reason) > 2000:
        raise Invalid("Say why support needs remote access (up to 2,000 characters).")
    now = utcnow()
    if any(item.state_at(now) in ("requested", "scheduled", "active")
           for item in _of(incident)):
        raise Conflict("A remote access request of this incident is pending or granted.")
    access = RemoteAccess(incident_id=incident.id, status="requested", reason=reason.strip(),
                          requested_by_id=user.id, requested_at=now)
    db.session.add(access)
    db.session.flush()
    _record(user, incident, access, "request", None,
            f"Remote access requested by {user.display_name}: {access.reason}")
    notices.remote_access(incident, "requested", True, "Support asks for remote access",
                          access.reason, by=user)
    db.session.commit()
    return access


def grant(user, access: RemoteAccess, starts_at: datetime, ends_at: datetime) -> RemoteAccess:
    """The customer grants the window ``starts_at`` to ``ends_at`` (UTC)."""
    policy.require_incident(user, access.incident, customer_feature=FEATURE)
    _require_pending(access)
    now = utcnow()
    if starts_at < now - START_SLACK:
        raise Invalid("The window cannot start in the past.", field="starts")
    if ends_at <= starts_at:
        raise Invalid("The window must end after it starts.", field="ends")
    if ends_at - starts_at > LONGEST_GRANT:
        raise Invalid("Grant remote access for at most 7 days at a time.", field="ends")
    access.status, access.decided_by_id, access.decided_at = "granted", user.id, now
    access.starts_at, access.ends_at = max(starts_at, now), ends_at
    window = (f"{access.starts_at.strftime(TIME_PATTERN)} until "
              f"{access.ends_at.strftime(TIME_PATTERN)}")
    _record(user, access.incident, access, "grant", {"status": "requested"},
            f"Remote access granted by {user.display_name} from {window}")
    notices.remote_access(access.incident, "granted", False, "Remote access granted", window,
                          by=user)
    db.session.commit()
    return access


def refuse(user, access: RemoteAccess) -> RemoteAccess:
    policy.require_incident(user, access.incident, customer_feature=FEATURE)
    _require_pending(access)
    access.status, access.decided_by_id, access.decided_at = "refused", user.id, utcnow()
    _record(user, access.incident, access, "refuse", {"status": "requested"},
            f"Remote access refused by {user.display_name}")
    notices.remote_access(access.incident, "refused", False, "Remote access refused",
                          by=user)
    db.session.commit()
    return access


def revoke(user, access: RemoteAccess) -> RemoteAccess:
    """The customer ends a grant before its time (staff may also give it back early)."""
    if policy.acts_as_staff(user):
        policy.require_incident(user, access.incident)
    else:
        policy.require_incident(user, access.incident, customer_feature=FEATURE)
    now = utcnow()
    if access.state_at(now) not in ("scheduled", "active"):
        raise Conflict("Only a current grant can be revoked.")
    access.status, access.revoked_at = "revoked", now
    _record(user, access.incident, access, "revoke", {"status": "granted"},
            f"Remote access revoked by {user.display_name}")
    notices.remote_access(access.incident, "revoked", policy.acts_as_staff(user),
                          "Remote access revoked", by=user)
    db.session.commit()
    return access


def withdraw(user, access: RemoteAccess) -> RemoteAccess:
    """Staff take back a request the customer has not answered."""
    policy.require_staff(user)
    _require_pending(access)
    access.status = "withdrawn"
    _record(user, access.incident, access, "withdraw", {"status": "requested"},
            f"Remote access request withdrawn by {user.display_name}")
    db.session.commit()
    return access


def get_access(user, incident: Incident, access_id: int) -> RemoteAccess:
    access = db.session.get(RemoteAccess, access_id)
    if access is None or access.incident_id != incident.id:
        raise NotFound("No such remote access request on this incident.")
    return access


def may_connect(incident: Incident, now: datetime) -> bool:
    """Whether support may connect to the customer's system right now."""
    return any(item.state_at(now) == "active" for item in _of(incident))


def _of(incident: Incident) -> list[RemoteAccess]:
    return list(db.session.scalars(select(RemoteAccess).where(
        RemoteAccess.incident_id == incident.id)))


def _require_pending(access: RemoteAccess) -> None:
    if access.status != "requested":
        raise Conflict(f"This request was {access.status} already.")


def _record(user, incident: Incident, access: RemoteAccess, action: str,
            before: dict | None, text: str) -> None:
    record_audit(user, f"incident.remote_access.{action}", "remote_access", access.id, before,
                 {"status": access.status, "incident": incident.id,
                  "starts_at": access.starts_at and access.starts_at.isoformat(),
                  "ends_at": access.ends_at and access.ends_at.isoformat()})
    add_event(user, incident, text)
