"""Rebuilding the index beside the live one, and finding and repairing drift."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from whoosh import index as whoosh_index

from kb import db
from kb.search import documents, index, sync

Progress = Callable[[int], None]


@dataclass
class Drift:
    """Documents the database implies but the index lacks (missing), holds in an older state
    (stale), or holds without the database implying them (extra); by document key."""

    missing: list[str] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)
    repaired: int = 0

    @property
    def clean(self) -> bool:
        return not (self.missing or self.stale or self.extra)


def expected_documents(session, progress: Progress | None = None
                       ) -> Iterator[tuple[str, int, list[dict]]]:
    """Every item of every content type with the documents the database implies for it."""
    for type_name, content_type in documents.content_types().items():
        ids = list(content_type.all_ids(session))
        for start in range(0, len(ids), sync.ROWS_PER_QUERY):
            chunk = ids[start:start + sync.ROWS_PER_QUERY]
            rows = content_type.rows(session, chunk)
            for item_id in chunk:
                row = rows.get(item_id)
                built = content_type.documents(row) if row is not None else []
                yield type_name, item_id, [documents.finish(type_name, item_id, document)
                                           for document in built]
            session.expunge_all()
            if progress:
                progress(len(chunk))


def count_items(session) -> int:
    return sum(len(list(content_type.all_ids(session)))
               for content_type in documents.content_types().values())


def check(repair: bool = False) -> Drift:
    """Compare the index with the database (after applying queued tasks). With ``repair``,
    rewrite every item that has a missing, stale or extra document."""
    sync.apply_pending()
    session = db.database().sessionmaker()
    try:
        indexed = _indexed_fingerprints()
        drift = Drift()
        affected: set[tuple[str, int]] = set()
        for type_name, item_id, built in expected_documents(session):
            for document in built:
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
            type_name, _, item_id = item_key.partition(":")
            affected.add((type_name, int(item_id)))
        if repair and affected:
            drift.repaired = _rewrite(session, affected)
        index.remove_old_generations()
        return drift
    finally:
        session.close()


def _indexed_fingerprints() -> dict[str, tuple[str, str]]:
    """key -> (fingerprint, item key) of every live document, read from columns (no bodies)."""
    searcher = index.searcher()
    reader = searcher.reader()
    if reader.doc_count() == 0:
        return {}
    keys = reader.column_reader("key")
    item_keys = reader.column_reader("item_key")
    fingerprints = reader.column_reader("fingerprint")
    return {keys[docnum]: (fingerprints[docnum], item_keys[docnum])
            for docnum in reader.all_doc_ids()}


def _rewrite(session, items: set[tuple[str, int]]) -> int:
    known = [item for item in items if documents.content_type(item[0]) is not None]
    unknown = [item for item in items if item not in known]
    with index.live_writer() as writer:
        written, _ = sync.write_items(session, writer, known)
        for type_name, item_id in unknown:
            writer.delete_by_term("item_key", documents.item_key(type_name, item_id))
    return len(written) + len(unknown)


@dataclass
class Rebuild:
    directory: str
    documents: int
    caught_up: int


def rebuild(progress: Progress | None = None, *, processes: int | None = None,
            memory_mb: int = 256) -> Rebuild:
    """Build a new generation from the database while the live one keeps answering, make it
    live, and catch up with changes committed meanwhile. The old generation is deleted by a
    later check or reindex once no search can still be reading it."""
    directory, new_index = index.new_generation()
    processes = processes or min(4, os.cpu_count() or 1)
    writer = new_index.writer(procs=processes, multisegment=processes > 1, limitmb=memory_mb,
                              compound=False)
    written = 0
    session = db.database().sessionmaker()
    try:
        for _, _, built in expected_documents(session, progress):
            for document in built:
                writer.add_document(**document)
                written += 1
        writer.commit()
    except BaseException:
        writer.cancel()
        raise
    finally:
        session.close()
    _switch_to(directory)
    drift = check(repair=True)
    return Rebuild(directory.name, written, drift.repaired)


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
