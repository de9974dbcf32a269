"""Backoff for guessable operations (sign-in, password-reset requests), counted atomically.

Each rule counts attempts per key (an account, a client address, or both). The first ``free``
attempts pass at once; after that each attempt must wait ``first_wait`` seconds, doubling up to
``max_wait``. A counter starts over once its key was left alone for twice its longest wait.

An attempt is counted and committed *before* the guarded work runs, under a lock every
concurrent attempt for the same keys waits for: PostgreSQL locks the counter rows
(``SELECT ... FOR UPDATE``; READ COMMITTED then re-reads the committed values), SQLite opens
the transaction with ``BEGIN IMMEDIATE`` (one writer at a time). So a hundred parallel guesses
get exactly ``free`` passes, never more.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite

from kb import db
from kb.accounts.models import Throttle
from kb.db import utcnow
from kb.errors import Throttled

IDLE_ROWS_KEPT = timedelta(days=1)


@dataclass(frozen=True)
class Rule:
    scope: str
    free: int
    first_wait: float
    max_wait: float

    def wait_after(self, attempts: int) -> timedelta:
        """How long the next attempt must wait once ``attempts`` have been counted."""
        if attempts < self.free:
            return timedelta(0)
        doublings = min(attempts - self.free, 32)
        return timedelta(seconds=min(self.first_wait * 2**doublings, self.max_wait))

    @property
    def forget_after(self) -> timedelta:
        return timedelta(seconds=2 * self.max_wait)


def count_attempt(checks: list[tuple[Rule, str]], message: str, *, commit: bool = True) -> None:
    """Count one attempt against every (rule, key) and commit, or raise ``Throttled`` with the
    longest wait left (counting nothing) while any of them must still wait. ``message`` may
    say ``{wait}``: "30 seconds", "4 minutes". With ``commit=False`` the caller commits (the
    counters stay locked until then)."""
    # every transaction locks its counters in the same order, so two never wait for each other
    checks = sorted(checks, key=lambda check: (check[0].scope, check[1]))
    _take_write_lock()
    now = utcnow()
    counters = [(rule, _locked_counter(rule.scope, key, now)) for rule, key in checks]
    wait = max((counter.next_attempt_at - now for _, counter in counters), default=timedelta(0))
    if wait > timedelta(0):
        db.session.rollback()
        seconds = max(1, math.ceil(wait.total_seconds()))
        raise Throttled(message.format(wait=_spoken(seconds)), retry_after_seconds=seconds)
    for rule, counter in counters:
        if now - counter.last_attempt_at > rule.forget_after:
            counter.attempts = 0
        counter.attempts += 1
        counter.last_attempt_at = now
        counter.next_attempt_at = now + rule.wait_after(counter.attempts)
    _forget_idle_counters(now)
    if commit:
        db.session.commit()


def forgive_attempt(rule: Rule, key: str, *, start_over: bool = False) -> None:
    """Take back one attempt counted with ``count_attempt`` (it succeeded), or all of them; the
    caller commits."""
    counter = db.session.scalar(
        select(Throttle).where(Throttle.scope == rule.scope, Throttle.key == key)
        .with_for_update())
    if counter is None:
        return
    counter.attempts = 0 if start_over else max(0, counter.attempts - 1)
    counter.next_attempt_at = counter.last_attempt_at + rule.wait_after(counter.attempts)


def _spoken(seconds: int) -> str:
    if seconds < 90:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    return f"{math.ceil(seconds / 60)} minutes"


def _take_write_lock() -> None:
    connection = db.session.connection()
    if connection.dialect.name == "sqlite":
        driver_connection = connection.connection.driver_connection
        if not driver_connection.in_transaction:
            driver_connection.execute("BEGIN IMMEDIATE")


def _locked_counter(scope: str, key: str, now: datetime) -> Throttle:
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    db.session.execute(
        dialect.insert(Throttle)
        .values(scope=scope, key=key, attempts=0, last_attempt_at=now, next_attempt_at=now)
        .on_conflict_do_nothing(index_elements=["scope", "key"])
    )
    return db.session.scalar(
        select(Throttle).where(Throttle.scope == scope, Throttle.key == key)
        .with_for_update().execution_options(populate_existing=True)
    )


def _forget_idle_counters(now: datetime) -> None:
    # rows another transaction holds are skipped, so this never waits for (or deadlocks with) it
    idle = (select(Throttle.id).where(Throttle.last_attempt_at < now - IDLE_ROWS_KEPT)
            .with_for_update(skip_locked=True))
    db.session.execute(delete(Throttle).where(Throttle.id.in_(idle)))
