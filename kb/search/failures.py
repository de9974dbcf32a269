"""Items whose index documents could not be built, and why.

Such an item is kept out of the index (its old documents are deleted, so no earlier gate is
served) and recorded here, as its index task marked ``failed_at`` with the error, so that it
survives restarts, is reported by `/healthz` and `kb search check`, and is retried by
`kb search apply`, `kb search check` and `kb reindex`. Any later successful build of the item
deletes the record. Records are written against task ids, so an applier that settles late
never brings back a failure a newer build has already cleared.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, delete, func, or_, select, update
from sqlalchemy.orm import Session

from kb.db import utcnow
from kb.search.outbox import IndexTask

Item = tuple[str, int]
MAX_ERROR_LENGTH = 2000


@dataclass(frozen=True)
class FailedItem:
    item_type: str
    item_id: int
    error: str
    failed_at: datetime

    @property
    def key(self) -> str:
        return f"{self.item_type}:{self.item_id}"


def failed_items(session: Session) -> list[FailedItem]:
    """Every item recorded as failed, with its latest error, in the order they first failed."""
    rows = session.execute(
        select(IndexTask.item_type, IndexTask.item_id, IndexTask.last_error,
               IndexTask.failed_at)
        .where(IndexTask.failed_at.is_not(None)).order_by(IndexTask.id))
    latest: dict[Item, FailedItem] = {}
    for item_type, item_id, error, failed_at in rows:
        latest[(item_type, item_id)] = FailedItem(item_type, item_id, error or "", failed_at)
    return list(latest.values())


def count_failed_items(session: Session) -> int:
    """How many items are recorded as failed."""
    items = (select(IndexTask.item_type, IndexTask.item_id)
             .where(IndexTask.failed_at.is_not(None)).distinct().subquery())
    return session.scalar(select(func.count()).select_from(items)) or 0


def newest_task_id(session: Session) -> int:
    """The id of the newest task: failure records up to it are about changes that a build
    reading items from now on sees."""
    return session.scalar(select(func.max(IndexTask.id))) or 0


def settle_tasks(session: Session, tasks: dict[Item, list[int]], failed: dict[Item, str]
                 ) -> None:
    """After the index commit of an apply: delete the tasks of the items written and any older
    failure record of theirs; keep the newest task of each failed item as its failure record.
    Does not commit."""
    done = [task_id for item, ids in tasks.items() if item not in failed for task_id in ids]
    for start in range(0, len(done), 500):
        session.execute(delete(IndexTask).where(IndexTask.id.in_(done[start:start + 500])))
    recorded = _recorded(session)
    _delete_failures_before(session, {item: max(ids) for item, ids in tasks.items()
                                      if item in recorded})
    for item, error in failed.items():
        newest = max(tasks[item])
        session.execute(delete(IndexTask).where(IndexTask.id.in_(tasks[item]),
                                                IndexTask.id != newest))
        session.execute(update(IndexTask).where(IndexTask.id == newest).values(
            attempts=IndexTask.attempts + 1, last_error=error[:MAX_ERROR_LENGTH],
            failed_at=utcnow()))


def record_failures(session: Session, failed: dict[Item, str]) -> None:
    """Record items found failing outside an apply (by a check or a reindex): an item already
    recorded gets the new error. Does not commit."""
    recorded = _recorded(session)
    for (item_type, item_id), error in failed.items():
        if (item_type, item_id) in recorded:
            session.execute(update(IndexTask).where(
                IndexTask.id == recorded[(item_type, item_id)]).values(
                attempts=IndexTask.attempts + 1, last_error=error[:MAX_ERROR_LENGTH],
                failed_at=utcnow()))
        else:
            session.add(IndexTask(item_type=item_type, item_id=item_id, attempts=1,
                                  last_error=error[:MAX_ERROR_LENGTH], failed_at=utcnow()))


def clear_failures(session: Session, items: Iterable[Item], up_to: int) -> None:
    """Delete the failure records (with ids up to ``up_to``) of items that were just built
    successfully outside an apply. Does not commit."""
    recorded = _recorded(session)
    _delete_failures_before(session, {item: up_to + 1 for item in items if item in recorded})


def clear_all_failures(session: Session, up_to: int) -> None:
    """Delete every failure record with an id up to ``up_to`` (a full build that read every
    item after that task has replaced them). Does not commit."""
    session.execute(delete(IndexTask).where(IndexTask.failed_at.is_not(None),
                                            IndexTask.id <= up_to))


def _recorded(session: Session) -> dict[Item, int]:
    """The newest failure record of each failed item, by item."""
    rows = session.execute(
        select(IndexTask.item_type, IndexTask.item_id, func.max(IndexTask.id))
        .where(IndexTask.failed_at.is_not(None))
        .group_by(IndexTask.item_type, IndexTask.item_id))
    return {(item_type, item_id): newest for item_type, item_id, newest in rows}


def _delete_failures_before(session: Session, before: dict[Item, int]) -> None:
    """Delete each item's failure records older than the task id given for it."""
    items = list(before.items())  # empty: nothing to delete, and no statement
    for start in range(0, len(items), 200):
        session.execute(delete(IndexTask).where(
            IndexTask.failed_at.is_not(None),
            or_(*(and_(IndexTask.item_type == item_type, IndexTask.item_id == item_id,
                       IndexTask.id < newer)
                  for (item_type, item_id), newer in items[start:start + 200]))))
