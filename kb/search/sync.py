"""Keeping the index in step with the database: applying the outbox of index tasks.

Services record tasks (``record_change``) in the transaction that changes the data. When such a
transaction commits, the tasks are applied at once, in a fresh session, by one writer that waits
for the lock; each item's committed row is read while the lock is held, so the last writer
always writes the newest state. Tasks are deleted only after the index commit; a task that fails
stays with its attempts and last error and is retried by the next apply, by ``kb search apply``,
by ``kb search check``, and by any request once it is older than SEARCH_RETRY_SECONDS. A crash
between the database commit and the index write therefore loses nothing.
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
from sqlalchemy import delete, event, select, update
from sqlalchemy.orm import Session

from kb import db
from kb.db import utcnow
from kb.search import documents, index
from kb.search.outbox import CHANGES_RECORDED, IndexTask

log = logging.getLogger(__name__)

# tasks applied per index commit, and rows loaded per query
TASKS_PER_COMMIT = 5000
ROWS_PER_QUERY = 200

Item = tuple[str, int]
_deferred: ContextVar[int] = ContextVar("kb_search_deferred", default=0)


@dataclass
class ApplyReport:
    """What one apply did: items written, items that failed (kept queued), and whether the
    index stayed busy for the whole lock timeout."""

    applied: int = 0
    failed: dict[Item, str] = field(default_factory=dict)
    busy: str | None = None


def apply_pending() -> ApplyReport:
    """Apply every queued index task (in commits of up to TASKS_PER_COMMIT). Never raises for a
    busy index or a failing item: those tasks stay queued with their error."""
    report = ApplyReport()
    session = db.database().sessionmaker()
    after_id = 0  # tasks that fail in this call are not read again by it
    try:
        while _pending_exists(session, after_id=after_id):
            session.rollback()  # read the tasks afresh once the write lock is ours
            try:
                with index.live_writer() as writer:
                    tasks = _read_tasks(session, after_id)
                    written, failed = write_items(session, writer, tasks.keys())
            except index.IndexBusy as busy:
                report.busy = str(busy)
                _note_busy(session, str(busy))
                break
            _settle(session, tasks, failed)
            report.applied += len(written)
            report.failed.update(failed)
            after_id = max(max(ids) for ids in tasks.values())
    finally:
        session.close()
    return report


def _pending_exists(session: Session, *, after_id: int = 0,
                    older_than: float | None = None) -> bool:
    query = select(IndexTask.id).where(IndexTask.id > after_id).limit(1)
    if older_than is not None:
        query = query.where(IndexTask.created_at < utcnow() - timedelta(seconds=older_than))
    return session.scalar(query) is not None


def _read_tasks(session: Session, after_id: int) -> dict[Item, list[int]]:
    rows = session.execute(
        select(IndexTask.id, IndexTask.item_type, IndexTask.item_id)
        .where(IndexTask.id > after_id).order_by(IndexTask.id).limit(TASKS_PER_COMMIT)
    )
    tasks: dict[Item, list[int]] = defaultdict(list)
    for task_id, item_type, item_id in rows:
        tasks[(item_type, item_id)].append(task_id)
    return tasks


def write_items(session: Session, writer, items: Iterable[Item]
                ) -> tuple[list[Item], dict[Item, str]]:
    """Replace each item's documents in the writer by those of its committed row (none when
    the row is gone). Returns the items written and, for items that failed, why."""
    by_type: dict[str, list[int]] = defaultdict(list)
    for type_name, item_id in items:
        by_type[type_name].append(item_id)
    written: list[Item] = []
    failed: dict[Item, str] = {}
    for type_name, ids in by_type.items():
        content_type = documents.content_type(type_name)
        if content_type is None:
            failed.update({(type_name, i): f"no content type {type_name!r}" for i in ids})
            continue
        for chunk in _chunks(ids, ROWS_PER_QUERY):
            rows = content_type.rows(session, chunk)
            for item_id in chunk:
                try:
                    built = content_type.finished_documents(item_id, rows.get(item_id))
                except Exception as failure:  # noqa: BLE001 - kept on the task, retried later
                    log.exception("index documents of %s:%s failed", type_name, item_id)
                    failed[(type_name, item_id)] = f"{failure.__class__.__name__}: {failure}"
                    continue
                writer.delete_by_term("item_key", documents.item_key(type_name, item_id))
                for document in built:
                    writer.add_document(**document)
                written.append((type_name, item_id))
            session.expunge_all()
    return written, failed


def _chunks(values: list, size: int) -> Iterator[list]:
    for start in range(0, len(values), size):
        yield values[start:start + size]


def _settle(session: Session, tasks: dict[Item, list[int]], failed: dict[Item, str]) -> None:
    """After the index commit: delete the tasks that were applied, note why the others failed."""
    done = [task_id for item, ids in tasks.items() if item not in failed for task_id in ids]
    for chunk in _chunks(done, 500):
        session.execute(delete(IndexTask).where(IndexTask.id.in_(chunk)))
    for item, error in failed.items():
        session.execute(
            update(IndexTask).where(IndexTask.id.in_(tasks[item]))
            .values(attempts=IndexTask.attempts + 1, last_error=error[:2000])
        )
    session.commit()


def _note_busy(session: Session, error: str) -> None:
    session.rollback()
    oldest = select(IndexTask.id).order_by(IndexTask.id).limit(TASKS_PER_COMMIT).scalar_subquery()
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


@event.listens_for(Session, "after_commit")
def _apply_after_commit(session: Session) -> None:
    if not session.info.pop(CHANGES_RECORDED, False):
        return
    if _deferred.get() or not has_app_context():
        return
    try:
        apply_pending()
    except Exception:  # noqa: BLE001 - the tasks stay queued; never fail the user's request
        log.exception("applying index tasks after commit failed; they stay queued")


@event.listens_for(Session, "after_rollback")
def _forget_rolled_back(session: Session) -> None:
    session.info.pop(CHANGES_RECORDED, None)


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
