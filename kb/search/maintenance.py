"""Rebuilding the index beside the live one, and finding and repairing drift."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from whoosh import index as whoosh_index

from kb import db
from kb.search import build, documents, failures, index, sync
from kb.search.failures import FailedItem

Progress = Callable[[int], None]


@dataclass
class Drift:
    """Documents the database implies but the index lacks (missing), holds in an older state
    (stale), or holds without the database implying them (extra); by document key. Items
    whose documents cannot be built (failed) imply none."""

    missing: list[str] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)
    failed: list[FailedItem] = field(default_factory=list)
    repaired: int = 0

    @property
    def clean(self) -> bool:
        return not (self.missing or self.stale or self.extra)


def all_items(session) -> dict[str, list[int]]:
    """The ids of every item of every content type, by type."""
    return {type_name: list(content_type.all_ids(session))
            for type_name, content_type in documents.content_types().items()}


def count_items(session) -> int:
    return sum(len(ids) for ids in all_items(session).values())


def check(repair: bool = False) -> Drift:
    """Compare the index with the database (after applying queued tasks and retrying the
    items recorded as failed). With ``repair``, rewrite every item that has a missing, stale
    or extra document. Items whose documents cannot be built are recorded as failed."""
    sync.apply_pending(retry_failed=True)
    session = db.database().sessionmaker()
    try:
        drift, affected, failed = _compare(session, _indexed_fingerprints(),
                                           build.chunks_of(all_items(session)))
        failures.record_failures(session, failed)
        session.commit()
        if repair and affected:
            drift.repaired = _rewrite(session, affected)
        drift.failed = failures.failed_items(session)
        index.remove_old_generations()
        return drift
    finally:
        session.close()


def _compare(session, indexed: dict[str, tuple[str, str]], chunks: list[build.Chunk]
             ) -> tuple[Drift, set[tuple[str, int]], dict[tuple[str, int], str]]:
    """The drift between the documents the database implies for the items of ``chunks`` and
    ``indexed`` (the index's documents of those items), the items it affects, and the items
    whose documents cannot be built, with why."""
    indexed = dict(indexed)
    drift = Drift()
    affected: set[tuple[str, int]] = set()
    failed: dict[tuple[str, int], str] = {}
    for built in build.expected_documents(session, chunks):
        type_name, item_id = built.type_name, built.item_id
        if built.error is not None:
            failed[(type_name, item_id)] = built.error
        for document in built.documents:
            found = indexed.pop(document["key"], None)
            if found is None:
                drift.missing.append(document["key"])
            elif found[0] != document["fingerprint"]:
                drift.stale.append(document["key"])
            else:
                continue
            affected.add((type_name, item_id))
    for key, (_, item_key) in indexed.items():
        drift.extra.append(key)
        affected.add(_item(item_key))
    return drift, affected, failed


def _item(item_key: str) -> tuple[str, int]:
    type_name, _, item_id = item_key.partition(":")
    return type_name, int(item_id)


def _indexed_fingerprints(directory: Path | None = None) -> dict[str, tuple[str, str]]:
    """key -> (fingerprint, item key) of every document of the live generation (or the one in
    ``directory``), read from columns (no bodies)."""
    if directory is None:
        return _fingerprints_of(index.searcher().reader())
    with whoosh_index.open_dir(str(directory)).reader() as reader:
        return _fingerprints_of(reader)


def _fingerprints_of(reader) -> dict[str, tuple[str, str]]:
    if reader.doc_count() == 0:
        return {}
    keys = reader.column_reader("key")
    item_keys = reader.column_reader("item_key")
    fingerprints = reader.column_reader("fingerprint")
    return {keys[docnum]: (fingerprints[docnum], item_keys[docnum])
            for docnum in reader.all_doc_ids()}


def _rewrite(session, items: set[tuple[str, int]]) -> int:
    """Rewrite the documents of ``items``, record those that failed and clear the failures of
    those written; returns how many were rewritten (failed ones lose their documents)."""
    known = [item for item in items if documents.content_type(item[0]) is not None]
    unknown = [item for item in items if item not in known]
    built_after = failures.newest_task_id(session)
    with index.live_writer() as writer:
        written, failed = sync.write_items(session, writer, known)
        for type_name, item_id in unknown:
            writer.delete_by_term("item_key", documents.item_key(type_name, item_id))
    failures.clear_failures(session, written, up_to=built_after)
    failures.record_failures(session, failed)
    session.commit()
    return len(written) + len(failed) + len(unknown)


@dataclass
class Rebuild:
    directory: str
    documents: int
    caught_up: int
    failed: int = 0


def rebuild(progress: Progress | None = None, *, processes: int | None = None,
            memory_mb: int = 1024) -> Rebuild:
    """Build a new generation from the database while the live one keeps answering, make it
    live, and catch up with changes committed meanwhile. The old generation is deleted by a
    later check or reindex once no search can still be reading it. ``memory_mb`` is what each
    writer process may hold before it sorts its postings to disk."""
    directory, new_index = index.new_generation()
    session = db.database().sessionmaker()
    try:
        built_after = failures.newest_task_id(session)
        items = all_items(session)
    finally:
        session.close()
    try:
        written = build.write_generation(new_index, build.chunks_of(items), progress,
                                         processes or min(4, os.cpu_count() or 1), memory_mb)
    except BaseException:
        shutil.rmtree(directory, ignore_errors=True)
        raise
    previous = index.current_generation()
    _switch_to(directory)
    _replace_failures(written.failed, built_after)
    caught_up = _catch_up(previous)
    return Rebuild(directory.name, written.documents, caught_up, len(written.failed))


def _replace_failures(failed: dict[tuple[str, int], str], built_after: int) -> None:
    """After a full build: the failures recorded before it are replaced by what it found."""
    session = db.database().sessionmaker()
    try:
        failures.clear_all_failures(session, up_to=built_after)
        failures.record_failures(session, failed)
        session.commit()
    finally:
        session.close()


def _catch_up(previous: Path | None) -> int:
    """Rewrite the items that changed while the new generation was being written; returns
    how many. Until the switch, every change was written into the previous generation: an
    item whose documents differ between the two changed meanwhile (or had drifted in the
    previous one), and is rewritten. An item only the new generation holds was deleted
    meanwhile or had never reached the previous one: the database tells which. Changes still
    queued are applied afterwards. Without a previous generation of this schema, the whole
    database is compared instead."""
    if not index.is_current_schema(previous):
        return check(repair=True).repaired
    before, after = _indexed_fingerprints(previous), _indexed_fingerprints()
    affected = {_item(item_key) for key, (fingerprint, item_key) in before.items()
                if after.get(key, (None,))[0] != fingerprint}
    only_new = {key: found for key, found in after.items() if key not in before}
    session = db.database().sessionmaker()
    try:
        if only_new:
            suspects: dict[str, list[int]] = {}
            for type_name, item_id in {_item(item_key) for _, item_key in only_new.values()}:
                suspects.setdefault(type_name, []).append(item_id)
            suspect_keys = {f"{type_name}:{item_id}" for type_name, ids in suspects.items()
                            for item_id in ids}
            their_documents = {key: found for key, found in after.items()
                               if found[1] in suspect_keys}
            affected |= _compare(session, their_documents, build.chunks_of(suspects))[1]
        repaired = _rewrite(session, affected) if affected else 0
    finally:
        session.close()
    sync.apply_pending()
    index.remove_old_generations()
    return repaired


def _switch_to(directory) -> None:
    """Make ``directory`` live while holding the old generation's write lock, so that every
    writer that waited for it sees the switch and writes to the new generation instead."""
    old = index.current_generation()
    if old is None:
        index.make_live(directory)
        return
    lock = whoosh_index.open_dir(str(old)).lock("WRITELOCK")
    taken = lock.acquire(blocking=True)
    try:
        index.make_live(directory)
    finally:
        if taken:
            lock.release()


def ensure_index() -> None:
    """Make sure a live index of the current schema exists: create it, or rebuild one written
    with another schema version (`kb init` calls this)."""
    if index.is_current_schema(index.current_generation()):
        return
    rebuild()
