"""Index writes in the item's own transaction, for an engine inside the database
(``writes_in_transaction``: PostgreSQL search). Before such a transaction commits, the items it
recorded (``record_change``) have their documents rebuilt from the transaction's own state and
written beside the change, and their index tasks are deleted: the change and its documents
commit together, so every server finds it as soon as it is committed.

An item whose documents cannot be built here leaves its task queued; the apply after the
commit (``sync``) builds it again in a fresh session and records the failure. The work runs in
a savepoint, so nothing it does can spoil the user's change."""

from __future__ import annotations

import logging
from collections import defaultdict

from flask import has_app_context
from sqlalchemy import event
from sqlalchemy.orm import Session

from kb import db
from kb.search import documents, failures
from kb.search.backend import IndexBusy, backend
from kb.search.outbox import CHANGES_RECORDED, RECORDED_TASKS, IndexTask

log = logging.getLogger(__name__)

Item = tuple[str, int]


@event.listens_for(db.KbSession, "before_commit")
def _write_with_the_change(session: Session) -> None:
    if session.in_nested_transaction() or not session.info.get(CHANGES_RECORDED):
        return
    if not has_app_context() or not backend().writes_in_transaction or _is_deferred():
        return
    recorded: list[IndexTask] = session.info.pop(RECORDED_TASKS, [])
    if not recorded:
        return
    session.flush()
    tasks: dict[Item, list[int]] = defaultdict(list)
    for task in recorded:
        tasks[(task.item_type, task.item_id)].append(task.id)
    try:
        with session.begin_nested():
            written = _write(session, tasks)
    except IndexBusy as busy:
        log.warning("index documents stay queued: %s", busy)
        return
    except Exception:  # noqa: BLE001 - the tasks stay queued for the apply after the commit
        log.exception("writing index documents with the change failed; they stay queued")
        return
    failures.settle_tasks(session, {item: tasks[item] for item in written}, {})
    if len(written) == len(tasks):
        session.info.pop(CHANGES_RECORDED, None)


def _write(session: Session, tasks: dict[Item, list[int]]) -> list[Item]:
    """Write the documents of the items that build; returns those items."""
    by_type: dict[str, list[int]] = defaultdict(list)
    for type_name, item_id in tasks:
        by_type[type_name].append(item_id)
    built = [item for type_name, ids in by_type.items()
             for item in _built(session, type_name, ids) if item.error is None]
    with backend().writing(session) as write:
        write(built)
    return [(item.type_name, item.item_id) for item in built]


def _built(session: Session, type_name: str, ids: list[int]) -> list[documents.BuiltItem]:
    """The items' documents from the transaction's own rows; an item that fails is left out
    (its task stays). Unlike ``documents.build_items``, never rolls the session back."""
    found = documents.content_type(type_name)
    if found is None:
        return []
    rows = found.rows(session, ids)
    built = []
    for item_id in ids:
        try:
            built.append(documents.BuiltItem(
                type_name, item_id, found.finished_documents(item_id, rows.get(item_id))))
        except Exception:  # noqa: BLE001 - left to the apply after the commit
            log.warning("index documents of %s:%s could not be built with the change",
                        type_name, item_id, exc_info=True)
    return built


def _is_deferred() -> bool:
    from kb.search.sync import is_deferred

    return is_deferred()
