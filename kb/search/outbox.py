"""The transactional outbox of index work: a service that changes searchable data records a
task in the same transaction; after the commit the tasks are applied to the index and removed
(``kb.search.sync``). A task that fails stays and is retried, so a crash between commit and
index write loses nothing; a task whose item cannot be built stays as the record of that
failure."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from kb import db
from kb.db import Base, UTCDateTime, utcnow

# set on a session whose transaction recorded index tasks: its commit applies them
CHANGES_RECORDED = "kb.search.changes_recorded"
# the tasks themselves, for an engine that writes in the same transaction (``transactional``)
RECORDED_TASKS = "kb.search.recorded_tasks"


class IndexTask(Base):
    __tablename__ = "index_tasks"
    # ids are never reused: appliers delete the tasks they applied by id (see migration 0006)
    __table_args__ = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(primary_key=True)
    # the content type ("article", "patch", ...) and the id of the changed item; the applier
    # reads the item's committed state, so a task means "make the index match this row"
    item_type: Mapped[str] = mapped_column(String(40))
    item_id: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    # set when the item's documents could not be built: the task stays as the record of that
    # failure (with last_error), skipped by ordinary applies and retried by `kb search apply`,
    # `kb search check` and `kb reindex` (``kb.search.failures``)
    failed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


def record_change(item_type: str, item_id: int) -> None:
    """Note in the current transaction that the index must learn this item's new state
    (created, edited, re-gated, unpublished or deleted). Call before the service commits;
    the commit then applies it."""
    task = IndexTask(item_type=item_type, item_id=item_id)
    db.session.add(task)
    db.session.info[CHANGES_RECORDED] = True
    db.session.info.setdefault(RECORDED_TASKS, []).append(task)
