"""A list a query decides, read whole or one slice at a time inside the database.

A reading function that checks the user's access and builds the filtered, ordered query returns
a ``Listing`` instead of the rows: pages read it whole, the API's paged lists count it and read
one slice (LIMIT/OFFSET) of the same query, so a page never loads the rows of the others and
the count can never include a row the list would not show."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, false, func, select

from kb import db

Item = TypeVar("Item")


def _rows(rows: list) -> list:
    return rows


@dataclass(frozen=True)
class Listing(Generic[Item]):
    """``statement`` selects one entity, filtered and ordered; ``entries`` turns a run of its
    rows into the list's items (e.g. a space with what the user may do there), so that the
    work for each item is done only for the rows read."""

    statement: Select
    entries: Callable[[list], list[Item]] = _rows

    def all(self) -> list[Item]:
        return self.entries(list(db.session.scalars(self.statement)))

    def count(self) -> int:
        counted = self.statement.order_by(None).subquery()
        return db.session.scalar(select(func.count()).select_from(counted)) or 0

    def slice(self, offset: int, limit: int) -> list[Item]:
        return self.entries(list(db.session.scalars(
            self.statement.offset(offset).limit(limit))))


def nothing(entity: Any) -> Listing:
    """The empty list of ``entity`` (a user the list does not concern), as a Listing."""
    return Listing(select(entity).where(false()))
