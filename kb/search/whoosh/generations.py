"""Rebuilding the Whoosh index as a new generation beside the live one, switching to it, and
catching up with what changed meanwhile; the fingerprints `kb search check` compares."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from whoosh import index as whoosh_index

from kb import db
from kb.search import failures, maintenance, sync
from kb.search.backend import Fingerprints, Progress, Rebuild
from kb.search.documents import chunks_of
from kb.search.whoosh import build, index


def indexed_fingerprints(directory: Path | None = None) -> Fingerprints:
    """key -> (fingerprint, item key) of every document of the live generation (or the one in
    ``directory``), read from columns (no bodies)."""
    if directory is None:
        return _fingerprints_of(index.searcher().reader())
    with whoosh_index.open_dir(str(directory)).reader() as reader:
        return _fingerprints_of(reader)


def _fingerprints_of(reader) -> Fingerprints:
    if reader.doc_count() == 0:
        return {}
    keys = reader.column_reader("key")
    item_keys = reader.column_reader("item_key")
    fingerprints = reader.column_reader("fingerprint")
    return {keys[docnum]: (fingerprints[docnum], item_keys[docnum])
            for docnum in reader.all_doc_ids()}


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
        items = maintenance.all_items(session)
    finally:
        session.close()
    try:
        written = build.write_generation(new_index, chunks_of(items), progress,
                                         processes or min(4, os.cpu_count() or 1), memory_mb)
    except BaseException:
        shutil.rmtree(directory, ignore_errors=True)
        raise
    previous = index.current_generation()
    _switch_to(directory)
    maintenance.replace_failures(written.failed, built_after)
    caught_up = _catch_up(previous)
    return Rebuild(directory.name, written.documents, caught_up, len(written.failed))


def _catch_up(previous: Path | None) -> int:
    """Rewrite the items that changed while the new generation was being written; returns
    how many. Until the switch, every change was written into the previous generation: an
    item whose documents differ between the two changed meanwhile (or had drifted in the
    previous one), and is rewritten. An item only the new generation holds was deleted
    meanwhile or had never reached the previous one: the database tells which. Changes still
    queued are applied afterwards. Without a previous generation of this schema, the whole
    database is compared instead."""
    if not index.is_current_schema(previous):
        return maintenance.check(repair=True).repaired
    before, after = indexed_fingerprints(previous), indexed_fingerprints()
    affected = {maintenance.item_of(item_key) for key, (fingerprint, item_key) in before.items()
                if after.get(key, (None,))[0] != fingerprint}
    only_new = {key: found for key, found in after.items() if key not in before}
    session = db.database().sessionmaker()
    try:
        if only_new:
            affected |= _changed_among(session, only_new, after)
        repaired = maintenance.rewrite(session, affected) if affected else 0
    finally:
        session.close()
    sync.apply_pending()
    index.remove_old_generations()
    return repaired


def _changed_among(session, only_new: Fingerprints, after: Fingerprints) -> set[tuple[str, int]]:
    """Of the items only the new generation holds, those whose documents the database no
    longer implies as written."""
    suspects: dict[str, list[int]] = {}
    for type_name, item_id in {maintenance.item_of(item_key) for _, item_key in only_new.values()}:
        suspects.setdefault(type_name, []).append(item_id)
    suspect_keys = {f"{type_name}:{item_id}" for type_name, ids in suspects.items()
                    for item_id in ids}
    their_documents = {key: found for key, found in after.items() if found[1] in suspect_keys}
    return maintenance.compare(session, their_documents, chunks_of(suspects))[1]


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


def ensure() -> None:
    """Make sure a live index of the current schema exists: create it, or rebuild one written
    with another schema version."""
    if index.is_current_schema(index.current_generation()):
        return
    rebuild()
