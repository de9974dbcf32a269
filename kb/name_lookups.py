"""Rows found (or created) by name, remembered while one bulk write runs: an import names the
same few products, versions and tags in article after article, and each ``ensure_*`` asked
the database again (on the demo's content a fifth of the import's statements; the shared
corpus's 3,500 files, thousands of round trips).

Only what ``ensure_*`` itself found or created in this session is remembered, never a miss:
a name first named mid-import is looked up (or created) once, then reused. An object the
session no longer holds as a row (deleted, rolled back, expunged) is looked up again."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from sqlalchemy import inspect

from kb import db

T = TypeVar("T")
SESSION_KEY = "kb.name_lookups"


@contextmanager
def remembered() -> Iterator[None]:
    """Remember ``by_name`` lookups of the current session until the block ends (nested
    blocks share the outer block's memory)."""
    info = db.session.info
    if SESSION_KEY in info:
        yield
        return
    info[SESSION_KEY] = {}
    try:
        yield
    finally:
        info.pop(SESSION_KEY, None)


def by_name(kind: str, key: Hashable, find_or_create: Callable[[], T]) -> T:
    """``find_or_create()``'s row, remembered under (kind, key) inside a ``remembered`` block;
    outside one, simply ``find_or_create()``."""
    memory = db.session.info.get(SESSION_KEY)
    if memory is None:
        return find_or_create()
    row = memory.get((kind, key))
    if row is None or not _still_a_row(row):
        row = memory[(kind, key)] = find_or_create()
    return row


def _still_a_row(row) -> bool:
    state = inspect(row)
    return state.persistent and not state.deleted
