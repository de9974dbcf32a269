"""Work that falls due with time rather than with a request: reminders before live sessions,
daily digests. Each job is a function of the current time that tells (``kb.alerts.dispatch``)
whatever has fallen due and commits; it must be safe to run by several servers at once and
again after a crash, which keyed notices (told once per user and key) make it.

Register a job with ``@due_job``; the outbox loop (``kb outbox run`` and ``kb serve``) runs them
all every round, before it delivers e-mail, and ``kb outbox run --once`` runs them once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from kb import db
from kb.db import utcnow

log = logging.getLogger(__name__)

Job = Callable[[datetime], int]
JOBS: list[Job] = []


def due_job(job: Job) -> Job:
    """Register ``job(now) -> number of notices told``."""
    JOBS.append(job)
    return job


def run_due_jobs(now: datetime | None = None) -> int:
    """Run every job once; one job's failure is logged and does not stop the others."""
    now = now or utcnow()
    told = 0
    for job in JOBS:
        try:
            told += job(now)
        except Exception:
            db.session.rollback()
            log.exception("the scheduled job %s failed; it runs again next round", job.__name__)
    return told
