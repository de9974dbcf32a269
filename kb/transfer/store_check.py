"""Whether the file store holds every file the database names, and which files it holds that
nothing names (``kb storage check``).

A file nothing names is left behind when storing it succeeded and what it belonged to did not:
the database or the store failed in between, or the process was killed. Such files are removed
only when asked, and only once nothing has written them for a while (a day by default): an
upload stores its file before its row is committed, and a save of identical bytes writes the
file again, which makes it young. Just before a file is removed its age and its references are
read again, so only a save of the same bytes in that very instant could still lose its file;
the next check would report it missing. Only files under names kb gives are ever removed:
anything else in the store was put there by someone else, and is listed, never removed."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from kb import db
from kb.storage import FILES, MEDIA, NAMESPACES, FileStore
from kb.transfer.references import is_referenced, referenced_keys

DEFAULT_GRACE_HOURS = 24
# the keys kb writes: files by content (patch files, attachments, article images), media
# under a fresh uuid
KB_KEYS = {
    FILES: re.compile(r"sha256/[0-9a-f]{2}/[0-9a-f]{2}/[0-9a-f]{64}"),
    MEDIA: re.compile(r"(?:recordings|attachments)/[0-9a-f]{32}(?:\.[^/]{0,9})?"),
}


@dataclass
class StoreCheck:
    """One namespace's store against the database."""

    namespace: str
    named: int = 0
    missing: list[str] = field(default_factory=list)
    unreferenced: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)  # unreferenced, under names kb never gives
    removed: list[str] = field(default_factory=list)
    stale_uploads: int = 0


def check_stores(store_of: Callable[[str], FileStore], *, remove: bool = False,
                 grace_hours: int = DEFAULT_GRACE_HOURS) -> list[StoreCheck]:
    """Check each namespace's store; with ``remove``, also remove the unnamed files and the
    unfinished uploads that nothing has written for ``grace_hours``."""
    return [check_store(namespace, store_of(namespace), remove=remove,
                        grace_seconds=grace_hours * 3600) for namespace in NAMESPACES]


def check_store(namespace: str, store: FileStore, *, remove: bool,
                grace_seconds: int) -> StoreCheck:
    stored = set(store.keys())
    named = referenced_keys(namespace)
    check = StoreCheck(namespace, named=len(named), missing=sorted(named - stored),
                       unreferenced=sorted(stored - named))
    check.foreign = [key for key in check.unreferenced if not KB_KEYS[namespace].fullmatch(key)]
    if remove:
        foreign = set(check.foreign)
        check.removed = [key for key in check.unreferenced if key not in foreign
                         and _removed_if_abandoned(namespace, store, key, grace_seconds)]
        check.stale_uploads = store.remove_stale_uploads(older_than_seconds=grace_seconds)
    return check


def _removed_if_abandoned(namespace: str, store: FileStore, key: str,
                          grace_seconds: int) -> bool:
    written = store.written_at(key)
    if written is None or time.time() - written < grace_seconds:
        return False
    db.session.rollback()  # a new snapshot: rows committed since the listing count
    if is_referenced(namespace, key):
        return False
    store.delete(key)
    return True
