"""Row locks for the few writes that must read-then-write without interference: taking a seat
in a live session, issuing an organisation's Campus code, numbering an organisation's
incidents, booking an Elite special event.

PostgreSQL: ``SELECT ... FOR UPDATE`` on the row; a second transaction wanting the same row
waits until the first commits, then reads the committed state (READ COMMITTED takes a new
snapshot per statement). SQLite ignores FOR UPDATE, so the transaction is opened with
``BEGIN IMMEDIATE``: it takes the database's write lock before the first read, and every
other writer waits (busy timeout) until the commit.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TypeVar

from sqlalchemy import select

from kb import db

Model = TypeVar("Model")


def lock_row(model: type[Model], row_id: int) -> Model | None:
    """The row, locked until the current transaction ends, with its committed values."""
    connection = db.session.connection()
    if connection.dialect.name == "sqlite":
        driver_connection = connection.connection.driver_connection
        # a transaction that already wrote holds the write lock; otherwise take it now
        if not driver_connection.in_transaction:
            driver_connection.execute("BEGIN IMMEDIATE")
    statement = (select(model).where(model.id == row_id).with_for_update()
                 .execution_options(populate_existing=True))
    return db.session.scalar(statement)


@contextmanager
def row_locked(model: type[Model], row_id: int) -> Iterator[Model | None]:
    """``lock_row`` for a block; if the block raises, the transaction is rolled back at once,
    so that a refusal does not keep others waiting for the lock."""
    try:
        yield lock_row(model, row_id)
    except BaseException:
        db.session.rollback()
        raise
