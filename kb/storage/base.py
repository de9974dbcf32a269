"""What every file store offers, whatever keeps the bytes: the ``FileStore`` protocol, what a
save returns, what a client uploads, and the error for a damaged or missing file.

A store addresses files by **key**, a relative name such as ``sha256/ab/cd/<sha256>`` (patch
files, content-addressed) or ``recordings/<uuid>.mp4`` (media). Models keep keys, never local
paths, so that an object store implements the same protocol (``kb/storage/s3.py``): its
``stage`` streams a multipart upload, ``save`` completes it, ``open`` asks for a byte range.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO, Protocol

from kb.errors import DomainError

CHUNK_SIZE = 1024 * 1024
log = logging.getLogger(__name__)


class StoredFileProblem(DomainError):
    """A stored file is missing or damaged: it is never served, and staff must restore it."""

    status = 503


class StorageUnavailable(DomainError):
    """The file store did not answer (an object store down or refusing kb's credentials):
    nothing was stored or served, and the request may be repeated later."""

    status = 503


@dataclass(frozen=True)
class StoredBlob:
    """A saved file: its SHA-256 (computed while it was written), size and key."""

    sha256: str
    size: int
    key: str
    already_stored: bool = False


@dataclass
class Upload:
    """A file a client sent: its name and type as the client gave them, and its bytes (any
    readable binary stream, or a ``StagedFile`` that already holds them hashed)."""

    name: str
    stream: BinaryIO
    content_type: str = ""

    def peek(self, size: int) -> bytes:
        """The file's first ``size`` bytes (all of a shorter file), to tell what it holds;
        reading the stream afterwards still gives every byte from the first."""
        head = b""
        while len(head) < size and (chunk := self.stream.read(size - len(head))):
            head += chunk
        self.stream = _HeadThenRest(head, self.stream)
        return head


class _HeadThenRest:
    """A stream whose first bytes were read already, giving them again before the rest."""

    def __init__(self, head: bytes, rest: BinaryIO):
        self.head, self.rest = memoryview(head), rest

    def read(self, size: int = -1) -> bytes:
        if not self.head:
            return self.rest.read(size)
        taken = len(self.head) if size is None or size < 0 else size
        data, self.head = bytes(self.head[:taken]), self.head[taken:]
        if size is None or size < 0:
            data += self.rest.read()
        return data


class StagedWriter(Protocol):
    """An upload being written to the store, hashed on the way (see ``staging.StagedFile``)."""

    size: int

    @property
    def sha256(self) -> str: ...

    def write(self, data: bytes) -> int: ...

    def discard(self) -> None: ...


class ByteRange(Protocol):
    """Bytes [start, stop) of a stored file, read in chunks; closing it calls its hook."""

    def read(self, size: int = -1) -> bytes: ...

    def close(self) -> None: ...


class FileStore(Protocol):
    """A store of files addressed by key (see the module's docstring)."""

    def stage(self, limit: int | None = None, filename: str = "") -> StagedWriter:
        """A place to write an upload to, hashed as it is written; ``TooLarge`` past
        ``limit`` bytes."""

    def save(self, staged: StagedWriter, key: str | None = None) -> StoredBlob:
        """Give a completely written staged file its key (its content address if None)."""

    def save_stream(self, stream: BinaryIO, key: str | None = None,
                    limit: int | None = None) -> StoredBlob:
        """Store everything ``stream`` yields, in chunks; nothing is kept if it fails."""

    def open(self, key: str, start: int = 0, stop: int | None = None,
             on_close=None) -> ByteRange:
        """Read bytes [start, stop) of a stored file (to its end if ``stop`` is None)."""

    def size(self, key: str) -> int | None:
        """The stored file's size in bytes; None if it is missing."""

    def exists(self, key: str) -> bool: ...

    def fingerprint(self, key: str) -> str | None:
        """What changes whenever the file is replaced or written to; None if it is missing."""

    def verify(self, key: str, sha256: str, size: int, label: str) -> None:
        """Raise ``StoredFileProblem`` unless the stored file has this size and SHA-256."""

    def written_at(self, key: str) -> float | None:
        """When the file was last written, in seconds since the epoch (a save of identical
        bytes writes it again); None if it is missing."""

    def delete(self, key: str) -> None:
        """Remove a stored file (nothing happens if it is missing)."""

    def remove_stale_uploads(self, older_than_seconds: int = 86400) -> int:
        """Remove uploads a killed process left unfinished; returns how many."""

    def keys(self) -> Iterator[str]:
        """The key of every stored file (unfinished uploads left out)."""

    def health(self) -> str:
        """"ok", or what is wrong with the store, for /healthz."""


class SavesStreams:
    """``FileStore.save_stream`` for a store that has ``stage`` and ``save``."""

    def save_stream(self, stream: BinaryIO, key: str | None = None,
                    limit: int | None = None) -> StoredBlob:
        """Store everything ``stream`` yields, in chunks; nothing is kept if it fails."""
        staged = self.stage(limit)
        try:
            while chunk := stream.read(CHUNK_SIZE):
                staged.write(chunk)
            return self.save(staged, key)
        except BaseException:
            staged.discard()
            raise


_FORBIDDEN_PARTS = {"", ".", ".."}
TEMP_FOLDER = "tmp"


def checked_key(key: str) -> list[str]:
    """The parts of a storage key; ``ValueError`` for anything that could leave the store's
    root or reach its temporary area."""
    parts = key.split("/")
    if any(part in _FORBIDDEN_PARTS or "\\" in part or "\0" in part for part in parts) \
            or parts[0] == TEMP_FOLDER:
        raise ValueError(f"not a storage key: {key!r}")
    return parts


def content_key(sha256: str) -> str:
    """The key of a file stored by content (identical files are stored once)."""
    return f"sha256/{sha256[:2]}/{sha256[2:4]}/{sha256}"


def problem(label: str, what: str) -> StoredFileProblem:
    message = (f"The file {label} {what}. It is not served until staff restore it; "
               "please try again later.")
    log.error("stored file problem: %s", message)
    return StoredFileProblem(message)


def human_size(size: int) -> str:
    value = float(size)
    for unit in ("bytes", "KiB", "MiB", "GiB"):
        if value < 1024 or unit == "GiB":
            return f"{int(value)} bytes" if unit == "bytes" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} bytes"
