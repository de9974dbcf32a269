"""The content types that feed the index: each maps its rows to index documents.

Adding a content type is one module that calls ``register(ContentType(...))`` and is imported
in ``load_content_types``; the outbox, reindex and check then handle it like any other.
A module's ``documents(row)`` returns one dict per document (several for items made of parts,
such as a recording's transcript segments), each with the fields of ``kb.search.fields``;
``gate(...)`` fills the fields that decide who may find the document.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.orm import Session

from kb.gating import Gated, programme_key
from kb.search.fields import check_document

log = logging.getLogger(__name__)

# rows loaded per query when building many items' documents
ROWS_PER_QUERY = 200
Chunk = tuple[str, list[int]]  # a content type and some of its item ids
Progress = Callable[[int], None]

# the fields a document must have for the query layer to list and gate it
REQUIRED_FIELDS = ("key", "type", "title", "url", "feature", "min_plan", "status")
# the database itself failing (unreachable, locked): no item's fault, so nothing is recorded
# against one; the apply or build fails and is retried as a whole
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)


@dataclass(frozen=True)
class ContentType:
    """How one kind of item reaches the index.

    ``name`` is the item type recorded in index tasks (``search.record_change(name, id)``);
    ``load(session, id)`` returns the row, or None when the item is gone (its documents are then
    deleted); ``documents(row)`` the index documents of the row; ``all_ids(session)`` every id
    that should be indexed (for reindex and check). ``load_many(session, ids)`` may load rows in
    bulk with their relations; rows must have an ``id``. ``kinds`` are the values its
    documents' ``kind`` may have (what the ``kind`` filter accepts)."""

    name: str
    load: Callable[[Session, int], Any | None]
    documents: Callable[[Any], list[dict[str, Any]]]
    all_ids: Callable[[Session], Iterable[int]]
    load_many: Callable[[Session, Sequence[int]], Iterable[Any]] | None = None
    kinds: tuple[str, ...] = ()

    def rows(self, session: Session, ids: Sequence[int]) -> dict[int, Any]:
        """The rows of these ids that still exist, by id."""
        if self.load_many is not None:
            return {row.id: row for row in self.load_many(session, ids)}
        found = {item_id: self.load(session, item_id) for item_id in ids}
        return {item_id: row for item_id, row in found.items() if row is not None}

    def finished_documents(self, item_id: int, row) -> list[dict[str, Any]]:
        """The index documents of an item's row, finished; none when the row is gone."""
        if row is None:
            return []
        return [finish(self.name, item_id, document) for document in self.documents(row)]


@dataclass(frozen=True)
class BuiltItem:
    """An item's finished documents (none when it is gone), or why they could not be built."""

    type_name: str
    item_id: int
    documents: list[dict[str, Any]] = field(default_factory=list)
    error: str | None = None


def build_items(session: Session, type_name: str, ids: Sequence[int]) -> Iterator[BuiltItem]:
    """The finished documents of some items of one content type, their rows read together.
    An item whose row cannot be read or whose documents cannot be built comes with its error
    and no documents; it never holds back the others."""
    found = content_type(type_name)
    if found is None:
        yield from (BuiltItem(type_name, item_id, error=f"no content type {type_name!r}")
                    for item_id in ids)
        return
    rows, error = _rows(session, found, ids)
    if rows is None:
        if len(ids) == 1:
            yield BuiltItem(type_name, ids[0], error=error)
        else:
            for item_id in ids:
                yield from build_items(session, type_name, [item_id])
        return
    for item_id in ids:
        try:
            built = found.finished_documents(item_id, rows.get(item_id))
        except DATABASE_UNAVAILABLE:
            raise
        except Exception as failure:  # noqa: BLE001 - recorded as the item's failure
            yield BuiltItem(type_name, item_id, error=_described(session, type_name, [item_id],
                                                                 failure))
        else:
            yield BuiltItem(type_name, item_id, built)


def _rows(session: Session, found: ContentType, ids: Sequence[int]
          ) -> tuple[dict[int, Any] | None, str | None]:
    try:
        return found.rows(session, ids), None
    except DATABASE_UNAVAILABLE:
        raise
    except Exception as failure:  # noqa: BLE001 - the caller reads each item on its own
        return None, _described(session, found.name, ids, failure)


def _described(session: Session, type_name: str, ids: Sequence[int], failure: Exception) -> str:
    """Log a failure to read or build items and say what it was. The session is rolled back:
    after a database error it takes no further statement until then."""
    log.error("index documents of %s %s could not be built", type_name, list(ids),
              exc_info=failure)
    session.rollback()
    return f"{failure.__class__.__name__}: {failure}"


def chunks_of(items: dict[str, list[int]]) -> list[Chunk]:
    """``items`` in chunks of ROWS_PER_QUERY ids of one type."""
    return [(type_name, ids[start:start + ROWS_PER_QUERY])
            for type_name, ids in items.items() for start in range(0, len(ids), ROWS_PER_QUERY)]


def expected_documents(session, chunks: list[Chunk], progress: Progress | None = None
                       ) -> Iterator[BuiltItem]:
    """The documents the database implies for each item of ``chunks`` (or why they cannot
    be built)."""
    for type_name, ids in chunks:
        yield from build_items(session, type_name, ids)
        session.expunge_all()
        if progress:
            progress(len(ids))


_registry: dict[str, ContentType] = {}


def register(content_type: ContentType) -> None:
    _registry[content_type.name] = content_type


def content_types() -> dict[str, ContentType]:
    load_content_types()
    return dict(_registry)


def content_type(name: str) -> ContentType | None:
    load_content_types()
    return _registry.get(name)


def load_content_types() -> None:
    """Import every content-type module (each registers itself once)."""
    from kb.search.documents import (  # noqa: F401
        articles,
        community,
        live_sessions,
        patches,
        recordings,
        topics,
    )


def item_key(type_name: str, item_id: int) -> str:
    return f"{type_name}:{item_id}"


def gate(item: Gated) -> dict[str, Any]:
    """The fields that decide who finds a document, read from the gate the item's model states
    (``kb.gating``): the feature and plan it needs, and whether (and from when) customers may
    see it. Staff find every document. An item restricted to an early-adopter programme needs,
    instead of its plan feature, the programme's key, which only its members' scope holds."""
    visible_from = item.visible_from
    programme = item.programme_gate
    fields: dict[str, Any] = {
        "feature": item.access_feature if programme is None else programme_key(programme),
        "min_plan": item.min_plan,
        "status": "published" if visible_from is not None else "unpublished",
    }
    if visible_from is not None:
        fields["visible_from"] = visible_from
    return fields


def finish(content_type_name: str, item_id: int, document: dict[str, Any]) -> dict[str, Any]:
    """Add the item key, the item id and the fingerprint to a module's document."""
    missing = [name for name in REQUIRED_FIELDS if not document.get(name)]
    if missing:
        raise ValueError(f"{content_type_name}:{item_id}: document lacks {', '.join(missing)}")
    check_document(document)
    finished = {**document, "item_key": item_key(content_type_name, item_id),
                "item_id": str(item_id)}
    finished["fingerprint"] = fingerprint(finished)
    return finished


def fingerprint(document: dict[str, Any]) -> str:
    """A hash of a document's fields (without the fingerprint itself)."""
    canonical = json.dumps(
        {name: value for name, value in document.items() if name != "fingerprint"},
        sort_keys=True, default=str,
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:32]
