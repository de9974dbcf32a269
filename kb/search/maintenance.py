"""Finding and repairing drift between the index and the database, and rebuilding the index,
whatever engine holds it (``backend``)."""

from __future__ import annotations

from dataclasses import dataclass, field

from kb import db
from kb.search import documents, failures, sync
from kb.search.backend import Progress, Rebuild, backend
from kb.search.documents import Chunk, chunks_of, expected_documents
from kb.search.failures import FailedItem


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
        drift, affected, failed = compare(session, backend().fingerprints(),
                                          chunks_of(all_items(session)))
        failures.record_failures(session, failed)
        session.commit()
        if repair and affected:
            drift.repaired = rewrite(session, affected)
        drift.failed = failures.failed_items(session)
        backend().after_check()
        return drift
    finally:
        session.close()


def compare(session, indexed: dict[str, tuple[str, str]], chunks: list[Chunk]
             ) -> tuple[Drift, set[tuple[str, int]], dict[tuple[str, int], str]]:
    """The drift between the documents the database implies for the items of ``chunks`` and
    ``indexed`` (the index's documents of those items), the items it affects, and the items
    whose documents cannot be built, with why."""
    indexed = dict(indexed)
    drift = Drift()
    affected: set[tuple[str, int]] = set()
    failed: dict[tuple[str, int], str] = {}
    for built in expected_documents(session, chunks):
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
        affected.add(item_of(item_key))
    return drift, affected, failed


def item_of(item_key: str) -> tuple[str, int]:
    type_name, _, item_id = item_key.partition(":")
    return type_name, int(item_id)


def rewrite(session, items: set[tuple[str, int]]) -> int:
    """Rewrite the documents of ``items``, record those that failed and clear the failures of
    those written; returns how many were rewritten (failed ones lose their documents)."""
    known = [item for item in items if documents.content_type(item[0]) is not None]
    unknown = [item for item in items if item not in known]
    built_after = failures.newest_task_id(session)
    with backend().writing(session) as write:
        written, failed = sync.write_items(session, write, known)
        write([documents.BuiltItem(type_name, item_id) for type_name, item_id in unknown])
    failures.clear_failures(session, written, up_to=built_after)
    failures.record_failures(session, failed)
    session.commit()
    return len(written) + len(failed) + len(unknown)


def rebuild(progress: Progress | None = None, *, processes: int | None = None,
            memory_mb: int = 1024) -> Rebuild:
    """Build the index anew from the database while the live one keeps answering, and make
    it live (``kb reindex``)."""
    return backend().rebuild(progress, processes=processes, memory_mb=memory_mb)


def replace_failures(failed: dict[tuple[str, int], str], built_after: int) -> None:
    """After a full build: the failures recorded before it are replaced by what it found."""
    session = db.database().sessionmaker()
    try:
        failures.clear_all_failures(session, up_to=built_after)
        failures.record_failures(session, failed)
        session.commit()
    finally:
        session.close()


def ensure_index() -> None:
    """Make sure a live index exists (`kb init` calls this): created, or rebuilt when it was
    written for another schema."""
    backend().ensure()
