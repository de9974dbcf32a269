"""The two streams of the S3 store: an upload written part by part into a multipart upload
(hashed on the way, never more than one part in memory), and a byte range read from a ranged
GET (seeking starts another GET at the new position)."""

from __future__ import annotations

import hashlib
import io
import logging
import time
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING

from kb.storage.staging import TEMP_PREFIX, refuse_past_limit

if TYPE_CHECKING:
    from kb.storage.s3 import S3FileStore

# S3 wants every part but the last to hold at least 5 MiB; 8 MiB is boto3's own default
PART_SIZE = 8 * 1024 * 1024
log = logging.getLogger(__name__)


class S3Upload:
    """A file being written to ``<namespace>/tmp/upload-<time>-<uuid>`` of the bucket.

    Bytes collect in a buffer of one part; each full part is sent at once (the multipart upload
    is begun with the first one), so a file of any size costs about two parts of memory (the
    one being sent, the next one filling). A file
    smaller than one part is sent with one PUT when it is finished. It is also the stream
    werkzeug's multipart parser writes into (which seeks to 0 when a part ends: harmless)."""

    def __init__(self, store: S3FileStore, limit: int | None, filename: str = ""):
        self.store = store
        self.limit = limit
        self.filename = filename
        # the time it began is in its name: not every store lists when an upload began
        self.temp_key = f"{TEMP_PREFIX}{int(time.time())}-{uuid.uuid4().hex}"
        self.size = 0
        self.hasher = hashlib.sha256()
        self.buffer = bytearray()
        self.upload_id: str | None = None
        self.parts: list[dict] = []
        self.finished = False
        self.removed = False

    @property
    def object_key(self) -> str:
        return self.store.temp_object(self.temp_key)

    @property
    def sha256(self) -> str:
        return self.hasher.hexdigest()

    def write(self, data: bytes) -> int:
        refuse_past_limit(self.size + len(data), self.limit, self.filename)
        self.hasher.update(data)
        self.size += len(data)
        self.buffer += data
        while len(self.buffer) >= self.store.part_size:
            with memoryview(self.buffer) as view:  # one copy of the part, not two
                part = bytes(view[:self.store.part_size])
            del self.buffer[:self.store.part_size]
            self._send_part(part)
        return len(data)

    def _send_part(self, body: bytes) -> None:
        if self.upload_id is None:
            self.upload_id = self.store.call(
                "create_multipart_upload", Key=self.object_key)["UploadId"]
        number = len(self.parts) + 1
        answer = self.store.call("upload_part", Key=self.object_key, UploadId=self.upload_id,
                                 PartNumber=number, Body=body)
        self.parts.append({"ETag": answer["ETag"], "PartNumber": number})

    def finish(self) -> None:
        """Send what is left: afterwards the whole file is the temporary object."""
        if self.finished:
            return
        if self.upload_id is None:
            self.store.call("put_object", Key=self.object_key, Body=bytes(self.buffer))
        else:
            if self.buffer:
                self._send_part(bytes(self.buffer))
            self.store.call("complete_multipart_upload", Key=self.object_key,
                            UploadId=self.upload_id, MultipartUpload={"Parts": self.parts})
        self.buffer = bytearray()
        self.finished = True

    def seek(self, offset: int, whence: int = 0) -> int:
        return self.size  # write-only: nothing reads an upload back before it is saved

    def tell(self) -> int:
        return self.size

    def read(self, size: int = -1) -> bytes:
        raise io.UnsupportedOperation("an upload to the S3 store cannot be read back")

    def close(self) -> None:
        """Closing keeps the upload; ``discard`` removes it."""

    def discard(self) -> None:
        """Abort the multipart upload or remove the temporary object; if the store cannot be
        reached, ``remove_stale_uploads`` (``kb patch verify``) removes it later."""
        self.buffer = bytearray()
        if self.removed:
            return
        self.removed = True
        try:
            if self.finished:
                self.store.call("delete_object", Key=self.object_key)
            elif self.upload_id is not None:
                self.store.call("abort_multipart_upload", Key=self.object_key,
                                UploadId=self.upload_id)
        except Exception:
            log.warning("could not remove the unfinished upload %s", self.object_key,
                        exc_info=True)
        self.upload_id = None


class S3RangeReader:
    """Bytes [start, stop) of a stored object; calls ``on_close(bytes_delivered)`` once.

    The GET asks for the range from the current position to ``stop``; its body is read as the
    server asks for blocks, so a client that hangs up stops the transfer from the store too."""

    def __init__(self, store: S3FileStore, key: str, start: int, stop: int, size: int | None,
                 on_close: Callable[[int], None]):
        self.store = store
        self.key = key
        self.start = start
        self.stop = stop
        self.size = size
        self.position = start
        self.on_close = on_close
        self.body = None
        self.closed = False

    def read(self, size: int = -1) -> bytes:
        remaining = self.stop - self.position
        if remaining <= 0:
            return b""
        wanted = remaining if size is None or size < 0 else min(size, remaining)
        if self.body is None:
            self.body = self.store.get_range(self.key, self.position, self.stop)
        data = self.store.guarded(self.body.read, wanted)
        self.position += len(data)
        return data

    def seek(self, offset: int, whence: int = 0) -> int:
        if whence == 2 and self.size is None:
            self.size = self.store.size(self.key) or 0
        base = {0: 0, 1: self.position, 2: self.size}[whence]
        position = max(0, base + offset)
        if position != self.position:
            self._drop_body()
            self.position = position
        return self.position

    def tell(self) -> int:
        return self.position

    def _drop_body(self) -> None:
        if self.body is not None:
            self.body.close()
            self.body = None

    def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        self._drop_body()
        self.on_close(max(0, min(self.position, self.stop) - self.start))

    def __enter__(self) -> S3RangeReader:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()


def began_at(object_key: str) -> float | None:
    """When the upload to a temporary object began (Unix time), as its name tells."""
    name = object_key.rsplit("/", 1)[-1].removeprefix(TEMP_PREFIX)
    started = name.split("-", 1)[0]
    return float(started) if started.isdigit() else None
