"""Byte ranges: the one Range request of RFC 9110 a file download answers, and a reader of
bytes [start, stop) of a stored file that a WSGI server can hand to ``sendfile``."""

from __future__ import annotations

from collections.abc import Callable

from flask import request
from werkzeug.http import unquote_etag

BLOCK_SIZE = 256 * 1024


class RangeReader:
    """Bytes [start, stop) of an open file; calls ``on_close(bytes_delivered)`` once."""

    def __init__(self, handle, start: int, stop: int, on_close: Callable[[int], None]):
        self.handle = handle
        self.start = start
        self.stop = stop
        self.position = start
        self.on_close = on_close
        self.closed = False
        handle.seek(start)

    def fileno(self) -> int:
        return self.handle.fileno()

    def read(self, size: int = -1) -> bytes:
        remaining = self.stop - self.position
        if remaining <= 0:
            return b""
        data = self.handle.read(remaining if size is None or size < 0 else min(size, remaining))
        self.position += len(data)
        return data

    def seek(self, offset: int, whence: int = 0) -> int:
        self.position = self.handle.seek(offset, whence)
        return self.position

    def tell(self) -> int:
        return self.position

    def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        self.handle.close()
        self.on_close(max(0, min(self.position, self.stop) - self.start))

    def __enter__(self) -> RangeReader:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()


class Unsatisfiable(Exception):
    def __init__(self, size: int):
        super().__init__(f"range not satisfiable for {size} bytes")
        self.size = size


def requested_range(size: int, etag: str) -> tuple[int, int] | None:
    """The single byte range to send, None for the whole file; raises ``Unsatisfiable``."""
    if "Range" not in request.headers or not _if_range_matches(etag):
        return None
    parsed = request.range
    if parsed is None or parsed.units != "bytes" or len(parsed.ranges) != 1:
        return None  # unparseable or several ranges: RFC 9110 lets us send the whole file
    start, stop = parsed.ranges[0]
    if start < 0:  # a suffix: the last -start bytes
        start = max(0, size + start)
        stop = size
    stop = size if stop is None else min(stop, size)
    if start >= size or start >= stop:
        raise Unsatisfiable(size)
    return start, stop


def _if_range_matches(etag: str) -> bool:
    """If-Range: the range holds only while the client's copy is ours, compared strongly
    (RFC 9110, 13.1.5): a weak ETag (``W/"..."``) never matches, nor does a date. Werkzeug's
    ``request.if_range`` drops the weakness, so the header is read here."""
    if "If-Range" not in request.headers:
        return True
    given, weak = unquote_etag(request.headers["If-Range"].strip())
    return not weak and given == etag
