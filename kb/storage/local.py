"""Files in a directory on the local file system, the default store.

Each file lives under ``root/<key>``. Bytes are written to a temporary file on the same file
system while their SHA-256 is computed, then renamed into place, so a crash never leaves a half
file under a real name; stored by content (``key=None``), identical files are stored once.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Iterator
from pathlib import Path

from kb.storage.base import (
    CHUNK_SIZE,
    TEMP_FOLDER,
    SavesStreams,
    StoredBlob,
    checked_key,
    content_key,
    problem,
)
from kb.storage.ranges import RangeReader
from kb.storage.staging import TEMP_PREFIX, StagedFile


class LocalFileStore(SavesStreams):
    def __init__(self, root: Path):
        self.root = root
        self.temp_dir = root / TEMP_FOLDER

    def path(self, key: str) -> Path:
        """Where the file of ``key`` lives (local only: for ``X-Sendfile`` and repairs)."""
        return self.root.joinpath(*checked_key(key))

    def health(self) -> str:
        """"ok" when kb may write its folder (or, before the first file, where it would be
        made)."""
        folder = next(path for path in (self.root, *self.root.parents) if path.exists())
        return "ok" if os.access(folder, os.W_OK | os.X_OK) else "error: not writable"

    def stage(self, limit: int | None = None, filename: str = "") -> StagedFile:
        self.temp_dir.mkdir(parents=True, exist_ok=True)
        return StagedFile(self.temp_dir, limit, filename)

    def save(self, staged: StagedFile, key: str | None = None) -> StoredBlob:
        """Give a completely written staged file its key (atomically); by default its
        content address."""
        staged.finish()
        key = key or content_key(staged.sha256)
        target = self.path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        already_stored = target.exists()
        # replacing an identical file is harmless, and repairs a damaged copy
        os.replace(staged.path, target)
        return StoredBlob(staged.sha256, staged.size, key, already_stored)

    def open(self, key: str, start: int = 0, stop: int | None = None,
             on_close=None) -> RangeReader:
        # unbuffered, so that the descriptor's offset is the reader's offset (sendfile)
        handle = open(self.path(key), "rb", buffering=0)
        if stop is None:
            stop = os.fstat(handle.fileno()).st_size
        return RangeReader(handle, start, stop, on_close or _ignore)

    def size(self, key: str) -> int | None:
        try:
            return self.path(key).stat().st_size
        except FileNotFoundError:
            return None

    def exists(self, key: str) -> bool:
        return self.path(key).is_file()

    def fingerprint(self, key: str) -> str | None:
        try:
            status = self.path(key).stat()
        except FileNotFoundError:
            return None
        return f"{status.st_ino}:{status.st_size}:{status.st_mtime_ns}:{status.st_ctime_ns}"

    def verify(self, key: str, sha256: str, size: int, label: str) -> None:
        path = self.path(key)
        try:
            actual_size = path.stat().st_size
        except FileNotFoundError:
            raise problem(label, "is missing from the file store") from None
        if actual_size != size:
            raise problem(label, f"has {actual_size} bytes on disk instead of {size}")
        digest = hashlib.sha256()
        with open(path, "rb") as handle:
            while chunk := handle.read(CHUNK_SIZE):
                digest.update(chunk)
        if digest.hexdigest() != sha256:
            raise problem(label, "is damaged on disk (its SHA-256 does not match)")

    def written_at(self, key: str) -> float | None:
        try:
            return self.path(key).stat().st_mtime
        except FileNotFoundError:
            return None

    def delete(self, key: str) -> None:
        self.path(key).unlink(missing_ok=True)

    def keys(self) -> Iterator[str]:
        if not self.root.is_dir():
            return
        for path in sorted(self.root.rglob("*")):
            relative = path.relative_to(self.root)
            if path.is_file() and relative.parts[0] != TEMP_FOLDER:
                yield relative.as_posix()

    def remove_stale_uploads(self, older_than_seconds: int = 86400) -> int:
        if not self.temp_dir.is_dir():
            return 0
        cutoff = time.time() - older_than_seconds
        removed = 0
        for path in self.temp_dir.glob(TEMP_PREFIX + "*"):
            if path.stat().st_mtime < cutoff:
                path.unlink(missing_ok=True)
                removed += 1
        return removed


def _ignore(bytes_delivered: int) -> None:
    """A reader nobody needs to hear back from."""
