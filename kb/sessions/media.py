"""Stored media files: uploads streamed to ``DATA_DIR/media`` and served with HTTP Range.

Nothing here is reachable by a static path: every response goes through a view that asked the
policy first, then calls ``send_stored_file``.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import uuid
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from flask import Response, current_app, request
from hachoir.core import config as hachoir_config
from hachoir.core.log import log as hachoir_log
from hachoir.metadata import extractMetadata
from hachoir.parser import createParser
from werkzeug.wsgi import wrap_file

from kb.errors import Invalid
from kb.patches import delivery
from kb.patches.names import content_disposition

VIDEO_TYPES = {".mp4": "video/mp4", ".m4v": "video/mp4", ".webm": "video/webm",
               ".ogv": "video/ogg", ".mov": "video/quicktime"}
COPY_CHUNK_BYTES = 1024 * 1024
logger = logging.getLogger(__name__)
# hachoir prints its notes on a file's oddities to stderr; they belong in the debug log
hachoir_config.quiet = True
hachoir_log.use_print = False
hachoir_log.on_new_message = lambda level, prefix, text, context: logger.debug(
    "hachoir %s %s", prefix, text)


def media_root() -> Path:
    return Path(current_app.config["DATA_DIR"]) / "media"


def video_type(filename: str) -> str:
    """The MIME type of an accepted video file name; ``Invalid`` for anything else."""
    suffix = PurePosixPath(filename.lower()).suffix
    if suffix not in VIDEO_TYPES:
        accepted = ", ".join(sorted(VIDEO_TYPES))
        raise Invalid(f"{filename!r} is not a video file kb serves (accepted: {accepted}).")
    return VIDEO_TYPES[suffix]


def store_stream(stream: BinaryIO, folder: str, filename: str) -> tuple[str, int]:
    """Copy an upload to ``media/<folder>/`` chunk by chunk (never whole in memory), under a
    fresh name; return the path relative to the media root and the size."""
    suffix = PurePosixPath(filename.lower()).suffix[:10]
    relative = f"{folder}/{uuid.uuid4().hex}{suffix}"
    target = media_root() / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    with partial.open("wb") as output:
        shutil.copyfileobj(stream, output, COPY_CHUNK_BYTES)
    size = partial.stat().st_size
    if size == 0:
        partial.unlink()
        raise Invalid(f"{filename!r} is empty.")
    os.replace(partial, target)
    return relative, size


def duration_seconds(relative: str) -> int | None:
    """The length of a stored video in whole seconds, as its container's header gives it;
    ``None`` when it cannot be read.

    hachoir reads it from MP4, M4V and QuickTime (``mvhd``) and from WebM (the segment's
    ``Duration``), the formats staff upload; it has no length for Ogg Theora, and a WebM
    recorded live by a browser carries none. Only headers are read, never the frames."""
    try:
        with _stored_path(relative).open("rb") as file:
            parser = createParser(file)
            metadata = extractMetadata(parser) if parser is not None else None
            length = metadata.get("duration") if metadata and metadata.has("duration") else None
    except Exception:  # a damaged file may fail anywhere in the parser: it just has no length
        logger.info("Could not read the length of %s", relative, exc_info=True)
        return None
    seconds = round(length.total_seconds()) if length is not None else 0
    return seconds if seconds > 0 else None


def remove_stored(relative: str | None) -> None:
    if relative:
        (media_root() / relative).unlink(missing_ok=True)


def _stored_path(relative: str) -> Path:
    root = media_root().resolve()
    path = (root / relative).resolve()
    if root not in path.parents:
        raise Invalid("Bad stored path.")
    return path


def send_stored_file(relative: str, mimetype: str, *, download_name: str | None = None):
    """The stored file, answering Range exactly as patch downloads do (206 with Content-Range,
    416 with ``Content-Range: bytes */size``; another unit or several ranges: the whole file,
    200) and If-None-Match; private, since every request was checked against the policy."""
    path = _stored_path(relative)
    stat = path.stat()
    etag = hashlib.sha256(f"{relative}:{stat.st_size}:{stat.st_mtime_ns}".encode()).hexdigest()
    headers = {"ETag": f'"{etag[:32]}"', "Accept-Ranges": "bytes",
               "Cache-Control": "private, max-age=0"}
    if download_name is not None:
        headers["Content-Disposition"] = content_disposition(download_name)
    if request.if_none_match.contains_weak(etag[:32]):
        return Response(status=304, headers=headers)
    try:
        byte_range = delivery.requested_range(stat.st_size, etag[:32])
    except delivery.Unsatisfiable:
        headers["Content-Range"] = f"bytes */{stat.st_size}"
        return Response(status=416, headers=headers)
    start, stop = byte_range or (0, stat.st_size)
    if byte_range is not None:
        headers["Content-Range"] = f"bytes {start}-{stop - 1}/{stat.st_size}"
    reader = delivery.RangeReader(path.open("rb", buffering=0), start, stop, lambda sent: None)
    response = Response(wrap_file(request.environ, reader, delivery.BLOCK_SIZE),
                        status=206 if byte_range is not None else 200, headers=headers,
                        mimetype=mimetype, direct_passthrough=True)
    response.content_length = stop - start
    return response
