"""An upload being written to a temporary file while its SHA-256 is computed."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from kb.errors import TooLarge
from kb.storage.base import human_size

TEMP_PREFIX = "upload-"


def refuse_past_limit(size: int, limit: int | None, filename: str) -> None:
    """``TooLarge`` once an upload would grow to ``size`` bytes, past its ``limit``."""
    if limit is not None and size > limit:
        label = f"{filename} is" if filename else "The file is"
        raise TooLarge(f"{label} larger than the limit of {human_size(limit)} per file.")


class StagedFile:
    """It is the stream werkzeug's multipart parser writes into, so a browser or API upload
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
        refuse_past_limit(self.size + len(data), self.limit, self.filename)
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
