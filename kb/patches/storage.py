"""Where patch files live: a content-addressed store behind one small interface.

``LocalFileStore`` keeps each file under ``DATA_DIR/files/sha256/ab/cd/<sha256>``. Bytes are
written to a temporary file on the same file system while their SHA-256 is computed, then
renamed into place, so a crash never leaves a half file under a real name, and identical files
are stored once. An object store can implement the same ``FileStore`` protocol later.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Protocol

from flask import current_app

from kb.errors import DomainError, TooLarge

CHUNK_SIZE = 1024 * 1024
TEMP_PREFIX = "upload-"
log = logging.getLogger(__name__)


class StoredFileProblem(DomainError):
    """A stored file is missing or damaged: it is never served, and staff must restore it."""

    status = 503


@dataclass(frozen=True)
class StoredBlob:
    sha256: str
    size: int
    key: str
    already_stored: bool = False


def human_size(size: int) -> str:
    value = float(size)
    for unit in ("bytes", "KiB", "MiB", "GiB"):
        if value < 1024 or unit == "GiB":
            return f"{int(value)} bytes" if unit == "bytes" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} bytes"


class StagedFile:
    """An upload being written to a temporary file while its SHA-256 is computed.

    It is the stream werkzeug's multipart parser writes into, so a browser or API upload
    never sits whole in memory. Writing past ``limit`` raises ``TooLarge``."""

    def __init__(self, directory: Path, limit: int | None, filename: str = ""):
        descriptor, name = tempfile.mkstemp(prefix=TEMP_PREFIX, dir=directory)
        self.path = Path(name)
        self.handle = os.fdopen(descriptor, "w+b")
        self.limit = limit
        self.filename = filename
        self.size = 0
        self.hasher = hashlib.sha256()

    def write(self, data: bytes) -> int:
        if self.limit is not None and self.size + len(data) > self.limit:
            label = f"{self.filename} is" if self.filename else "The file is"
            raise TooLarge(f"{label} larger than the limit of {human_size(self.limit)} "
                           "per file.")
        self.hasher.update(data)
        self.size += len(data)
        return self.handle.write(data)

    def seek(self, offset: int, whence: int = 0) -> int:
        return self.handle.seek(offset, whence)

    def read(self, size: int = -1) -> bytes:
        return self.handle.read(size)

    def tell(self) -> int:
        return self.handle.tell()

    @property
    def sha256(self) -> str:
        return self.hasher.hexdigest()

    def finish(self) -> None:
        """Flush the bytes to the disk before the file gets its real name."""
        if not self.handle.closed:
            self.handle.flush()
            os.fsync(self.handle.fileno())
            self.handle.close()

    def close(self) -> None:
        """Closing keeps the file; ``discard`` removes it."""

    def discard(self) -> None:
        if not self.handle.closed:
            self.handle.close()
        self.path.unlink(missing_ok=True)


class FileStore(Protocol):
    """What the patches service needs of a store of files, addressed by their SHA-256."""

    def stage(self, limit: int | None = None, filename: str = "") -> StagedFile: ...

    def commit(self, staged: StagedFile) -> StoredBlob: ...

    def put_stream(self, stream: BinaryIO, limit: int | None = None) -> StoredBlob: ...

    def open(self, key: str) -> BinaryIO: ...

    def exists(self, key: str) -> bool: ...

    def fingerprint(self, key: str) -> str | None: ...

    def verify(self, key: str, sha256: str, size: int, label: str) -> None: ...

    def remove(self, key: str) -> None: ...


class LocalFileStore:
    """Files in a directory on the local file system (see the module's docstring)."""

    def __init__(self, root: Path):
        self.root = root
        self.temp_dir = root / "tmp"

    @staticmethod
    def key_for(sha256: str) -> str:
        return f"sha256/{sha256[:2]}/{sha256[2:4]}/{sha256}"

    def path(self, key: str) -> Path:
        parts = key.split("/")
        if len(parts) != 4 or parts[0] != "sha256" or not all(p.isalnum() for p in parts[1:]):
            raise ValueError(f"not a storage key: {key!r}")
        return self.root.joinpath(*parts)

    def stage(self, limit: int | None = None, filename: str = "") -> StagedFile:
        self.temp_dir.mkdir(parents=True, exist_ok=True)
        return StagedFile(self.temp_dir, limit, filename)

    def commit(self, staged: StagedFile) -> StoredBlob:
        """Give a completely written staged file its content address (atomically)."""
        staged.finish()
        key = self.key_for(staged.sha256)
        target = self.path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        already_stored = target.exists()
        # replacing an identical file is harmless, and repairs a damaged copy
        os.replace(staged.path, target)
        return StoredBlob(staged.sha256, staged.size, key, already_stored)

    def put_stream(self, stream: BinaryIO, limit: int | None = None) -> StoredBlob:
        """Store everything ``stream`` yields, in chunks; nothing is kept if it fails."""
        staged = self.stage(limit)
        try:
            while chunk := stream.read(CHUNK_SIZE):
                staged.write(chunk)
            return self.commit(staged)
        except BaseException:
            staged.discard()
            raise

    def open(self, key: str) -> BinaryIO:
        # unbuffered, so that the descriptor's offset is the reader's offset (sendfile)
        return open(self.path(key), "rb", buffering=0)

    def exists(self, key: str) -> bool:
        return self.path(key).is_file()

    def fingerprint(self, key: str) -> str | None:
        """What changes whenever the file is replaced or written to; None if it is missing."""
        try:
            status = self.path(key).stat()
        except FileNotFoundError:
            return None
        return f"{status.st_ino}:{status.st_size}:{status.st_mtime_ns}:{status.st_ctime_ns}"

    def verify(self, key: str, sha256: str, size: int, label: str) -> None:
        """Raise ``StoredFileProblem`` unless the stored file has this size and SHA-256."""
        path = self.path(key)
        try:
            actual_size = path.stat().st_size
        except FileNotFoundError:
            raise _problem(label, "is missing from the file store") from None
        if actual_size != size:
            raise _problem(label, f"has {actual_size} bytes on disk instead of {size}")
        digest = hashlib.sha256()
        with open(path, "rb") as handle:
            while chunk := handle.read(CHUNK_SIZE):
                digest.update(chunk)
        if digest.hexdigest() != sha256:
            raise _problem(label, "is damaged on disk (its SHA-256 does not match)")

    def remove(self, key: str) -> None:
        self.path(key).unlink(missing_ok=True)

    def remove_stale_uploads(self, older_than_seconds: int = 86400) -> int:
        """Remove temporary files a killed process left behind; returns how many."""
        if not self.temp_dir.is_dir():
            return 0
        cutoff = time.time() - older_than_seconds
        removed = 0
        for path in self.temp_dir.glob(TEMP_PREFIX + "*"):
            if path.stat().st_mtime < cutoff:
                path.unlink(missing_ok=True)
                removed += 1
        return removed


def _problem(label: str, what: str) -> StoredFileProblem:
    message = (f"The file {label} {what}. It is not served until staff restore it; "
               "please try again later.")
    log.error("patch file problem: %s", message)
    return StoredFileProblem(message)


def file_store() -> LocalFileStore:
    """The application's file store."""
    return LocalFileStore(Path(current_app.config["DATA_DIR"]) / "files")
