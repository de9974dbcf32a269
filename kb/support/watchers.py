"""Watchers of an incident: colleagues of its organisation whom the customer who logged it, or
the organisation's customer administrator, keeps informed. They hear what the reporter hears
(``kb.support.notices``), and read and reply as any colleague may; ``kb.policy`` says who may
watch (enabled colleagues on the desk) and who adds and removes them. Nobody outside the
organisation, and no e-mail address that is not a user's."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select

from kb import db, policy
from kb.accounts.audit import record_audit
from kb.accounts.models import User
from kb.errors import Invalid, NotFound
from kb.support import incidents, notices
from kb.support.models import Incident


def colleagues_of(user) -> list[User]:
    """The colleagues ``user`` may choose as watchers: their organisation's enabled users
    (themselves left out), by name; the policy then judges each for an incident."""
    if user.organization_id is None or policy.acts_as_staff(user):
        return []
    return list(db.session.scalars(select(User).where(
        User.organization_id == user.organization_id, User.is_enabled.is_(True),
        User.id != user.id).order_by(User.name, User.email)))


def candidates(user, incident: Incident) -> list[User]:
    """Colleagues ``user`` may add to ``incident`` now: not its reporter, not watching yet."""
    if not policy.may_watch_incident(user, incident, managing=True):
        return []
    return [colleague for colleague in colleagues_of(user)
            if colleague.id != incident.reporter_id and colleague not in incident.watchers
            and policy.may_watch_incident(colleague, incident)]


def attach(user, incident: Incident, user_ids: Iterable[int]) -> list[User]:
    """Add watchers (in the caller's transaction); the ones added. Anyone the policy refuses
    as a watcher is refused as unknown, so nobody learns of another organisation's users."""
    if not policy.may_watch_incident(user, incident, managing=True):
        raise policy.AccessDenied("Only who logged the incident, or your organisation's "
                                  "customer administrator, chooses its watchers.",
                                  reason="staff_only")
    wanted = {int(item) for item in user_ids}
    colleagues = list(db.session.scalars(select(User).where(User.id.in_(wanted)))) \
        if wanted else []
    _checked(incident, colleagues, wanted)
    added = []
    for colleague in sorted(colleagues, key=lambda item: (item.name, item.email)):
        if colleague.id == incident.reporter_id or colleague in incident.watchers:
            continue
        incident.watchers.append(colleague)
        added.append(colleague)
    if added:
        _record(user, incident, "incident.watchers.add", added)
    return added


def add(user, incident: Incident, user_ids: Iterable[int]) -> list[User]:
    """Add watchers to a logged incident; each is told they now watch it."""
    added = attach(user, incident, user_ids)
    if added:
        incidents.add_event(user, incident, f"{_names(added)} will be kept informed (watching)")
        notices.watching(incident, added, user)
    db.session.commit()
    return added


def remove(user, incident: Incident, watcher_id: int) -> None:
    """The reporter or customer administrator removes a watcher; a watcher removes
    themselves."""
    watcher = next((item for item in incident.watchers if item.id == watcher_id), None)
    if watcher is None:
        raise NotFound("Nobody by that id watches this incident.")
    if user.id != watcher.id and not policy.may_watch_incident(user, incident, managing=True):
        raise policy.AccessDenied("Only who logged the incident, or your organisation's "
                                  "customer administrator, removes its watchers.",
                                  reason="staff_only")
    incident.watchers.remove(watcher)
    incidents.add_event(user, incident, f"{_names([watcher])} no longer watches")
    _record(user, incident, "incident.watchers.remove", [watcher])
    db.session.commit()


def _checked(incident: Incident, colleagues: list[User], wanted: set[int]) -> None:
    if len(colleagues) != len(wanted) or not all(
            policy.may_watch_incident(colleague, incident) for colleague in colleagues):
        raise Invalid("Choose watchers among your colleagues who use the support desk.",
                      "watchers")


def _names(users: list[User]) -> str:
    return ", ".join(user.display_name for user in users)


def _record(user, incident: Incident, action: str, users: list[User]) -> None:
    record_audit(user, action, "incident", incident.id, None,
                 {"watchers": [item.email for item in users]})
