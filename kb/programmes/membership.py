"""Who is in which programme now: the one query the policy asks (``policy.programmes_of``)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from kb import db
from kb.programmes.models import Programme, ProgrammeApplication


def running_programme_ids(organization_id: int | None, today: date) -> frozenset[int]:
    """The programmes the organisation was accepted into that have not ended by ``today``."""
    if organization_id is None:
        return frozenset()
    rows = db.session.scalars(
        select(Programme.id).join(ProgrammeApplication,
                                  ProgrammeApplication.programme_id == Programme.id)
        .where(ProgrammeApplication.organization_id == organization_id,
               ProgrammeApplication.status == "accepted",
               Programme.ended_at.is_(None), Programme.ends_on >= today))
    return frozenset(rows)
