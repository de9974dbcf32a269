"""Keeping the index in step with the database: applying the outbox of index tasks.

Services record tasks (``record_change``) in the transaction that changes the data. When such a
transaction commits, the tasks are applied at once, in a fresh session, by one writer that waits
for the lock; each item's committed row is read while the lock is held, so the last writer
always writes the newest state. Tasks are deleted only after the index commit; a task that could
not be applied (a busy index) stays with its attempts and last error and is retried by the next
apply, by ``kb search apply``, by ``kb search check``, and by any request once it is older than
SEARCH_RETRY_SECONDS. A crash between the database commit and the index write therefore loses
nothing. An item whose documents cannot be built loses its old documents all the same and is
recorded as failed (``kb.search.failures``); the rest of the batch is applied.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import timedelta

from flask import Flask, current_app, has_app_context
from sqlalchemy import event, select, update
from sqlalchemy.orm import Session

from kb import db
from kb.db import utcnow
from kb.search import documents, failures, transactional  # noqa: F401 - its listener
from kb.search.backend import IndexBusy, Write, backend
from kb.search.outbox import CHANGES_RECORDED, RECORDED_TASKS, IndexTask

log = logging.getLogger(__name__)

# tasks applied per index commit
TASKS_PER_COMMIT = 5000

Item = tuple[str, int]
_deferred: ContextVar[int] = ContextVar("kb_search_deferred", default=0)


@dataclass
class ApplyReport:
    """What one apply did: items written, items whose documents could not be built (recorded
    as failed), and whether the index stayed busy for the whole lock timeout."""

    applied: int = 0
    failed: dict[Item, str] = field(default_factory=dict)
    busy: str | None = None


def apply_pending(*, retry_failed: bool = False) -> ApplyReport:
    """Apply every queued index task (in commits of up to TASKS_PER_COMMIT), and with
    ``retry_failed`` the items recorded as failed too. Never raises for a busy index (the
    tasks stay queued with the error) or an item whose documents cannot be built (recorded as
    failed, its old documents deleted)."""
    report = ApplyReport()
    session = db.database().sessionmaker()
    after_id = 0  # tasks that fail in this call are not read again by it
    try:
        while _pending_exists(session, after_id=after_id, retry_failed=retry_failed):
            session.rollback()  # read the tasks afresh once the write lock is ours
            try:
                with backend().writing(session) as write:
                    tasks = _read_tasks(session, after_id, retry_failed)
                    written, failed = write_items(session, write, tasks.keys())
            except IndexBusy as busy:
                report.busy = str(busy)
                _note_busy(session, str(busy))
                break
            if not tasks:  # another applier took them while this one waited for the lock
                session.rollback()
                break
            _settle(session, tasks, failed)
            report.applied += len(written)
            report.failed.update(failed)
            after_id = max(max(ids) for ids in tasks.values())
    finally:
        session.close()
    return report


def _pending_exists(session: Session, *, after_id: int = 0, older_than: float | None = None,
                    retry_failed: bool = False) -> bool:
    query = _tasks_after(after_id, retry_failed).limit(1)
    if older_than is not None:
        query = query.where(IndexTask.created_at < utcnow() - timedelta(seconds=older_than))
    return session.scalar(query) is not None


def _tasks_after(after_id: int, retry_failed: bool):
    query = select(IndexTask.id).where(IndexTask.id > after_id)
    return query if retry_failed else query.where(IndexTask.failed_at.is_(None))


def _read_tasks(session: Session, after_id: int, retry_failed: bool = False
                ) -> dict[Item, list[int]]:
    rows = session.execute(
        _tasks_after(after_id, retry_failed).add_columns(IndexTask.item_type, IndexTask.item_id)
        .order_by(IndexTask.id).limit(TASKS_PER_COMMIT)
    )
    tasks: dict[Item, list[int]] = defaultdict(list)
    for task_id, item_type, item_id in rows:
        tasks[(item_type, item_id)].append(task_id)
    return tasks


def write_items(session: Session, write: Write, items: Iterable[Item]
                ) -> tuple[list[Item], dict[Item, str]]:
    """Replace each item's documents by those of its committed row (none when the row is
    gone, or when its documents cannot be built: they may carry a gate the item no longer
    has). Returns the items written and, for items that failed, why."""
    by_type: dict[str, list[int]] = defaultdict(list)
    for type_name, item_id in items:
        by_type[type_name].append(item_id)
    written: list[Item] = []
    failed: dict[Item, str] = {}
    for type_name, ids in by_type.items():
        for chunk in _chunks(ids, documents.ROWS_PER_QUERY):
            built = list(documents.build_items(session, type_name, chunk))
            write(built)
            for item in built:
                if item.error is None:
                    written.append((type_name, item.item_id))
                else:
                    failed[(type_name, item.item_id)] = item.error
            session.expunge_all()
    return written, failed


def _chunks(values: list, size: int) -> Iterator[list]:
    for start in range(0, len(values), size):
        yield values[start:start + size]


def _settle(session: Session, tasks: dict[Item, list[int]], failed: dict[Item, str]) -> None:
    """After the index commit: delete the tasks that were applied, record the failed items."""
    failures.settle_tasks(session, tasks, failed)
    session.commit()


def _note_busy(session: Session, error: str) -> None:
    session.rollback()
    oldest = (_tasks_after(0, retry_failed=False).order_by(IndexTask.id)
              .limit(TASKS_PER_COMMIT).scalar_subquery())
    session.execute(
        update(IndexTask).where(IndexTask.id.in_(oldest))
        .values(attempts=IndexTask.attempts + 1, last_error=error)
    )
    session.commit()


@contextmanager
def deferred():
    """Within the block, commits leave their index tasks queued; they are applied together,
    with one writer, when the block ends (bulk imports: 3,500 files, one index commit)."""
    token = _deferred.set(_deferred.get() + 1)
    try:
        yield
    finally:
        _deferred.reset(token)
        if not _deferred.get():
            apply_pending()


@event.listens_for(db.KbSession, "after_commit")
def _apply_after_commit(session: Session) -> None:
    # SQLAlchemy signals a released SAVEPOINT as a commit too; the changes are not committed
    # until the outer transaction is, and an applier started now would wait on its locks
    if session.in_nested_transaction():
        return
    session.info.pop(RECORDED_TASKS, None)
    if not session.info.pop(CHANGES_RECORDED, False):
        return
    if _deferred.get() or not has_app_context():
        return
    try:
        apply_pending()
    except Exception:  # noqa: BLE001 - the tasks stay queued; never fail the user's request
        log.exception("applying index tasks after commit failed; they stay queued")


def is_deferred() -> bool:
    return bool(_deferred.get())


@event.listens_for(db.KbSession, "after_rollback")
def _forget_rolled_back(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a savepoint rolled back: the outer transaction's changes still stand
    session.info.pop(CHANGES_RECORDED, None)
    session.info.pop(RECORDED_TASKS, None)


_retry_lock = threading.Lock()
_last_retry: dict[str, float] = {}


def retry_stale_tasks(_exception: BaseException | None = None) -> None:
    """At most every SEARCH_RETRY_SECONDS per process: apply tasks left queued for longer
    than that (a crash, a busy index, a failed item). Runs when a request ends."""
    app: Flask = current_app
    every = float(app.config["SEARCH_RETRY_SECONDS"])
    with _retry_lock:
        now = time.monotonic()
        if now - _last_retry.get(app.name + app.config["DATA_DIR"], 0.0) < every:
            return
        _last_retry[app.name + app.config["DATA_DIR"]] = now
    session = db.database().sessionmaker()
    try:
        stale = _pending_exists(session, older_than=every)
    except Exception:  # noqa: BLE001 - a retry must never break a request
        log.exception("checking for queued index tasks failed")
        return
    finally:
        session.close()
    if stale:
        try:
            apply_pending()
        except Exception:  # noqa: BLE001
            log.exception("retrying queued index tasks failed")
