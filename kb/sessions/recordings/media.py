"""Recording media: which videos kb accepts, how they are stored and how long they run.

The bytes live in the application's file store (``kb/storage``), namespace ``media``, under
keys ``recordings/<uuid><suffix>`` and ``attachments/<uuid><suffix>``; nothing is reachable by
a static path: every response goes through a view that asked the policy first, then calls
``send``.
"""

from __future__ import annotations

import io
import logging
import uuid
from functools import cache
from pathlib import PurePosixPath
from types import SimpleNamespace

from kb.errors import Invalid
from kb.storage import MEDIA, StoredBlob, Upload, file_store
from kb.storage.sending import send_stored

VIDEO_TYPES = {".mp4": "video/mp4", ".m4v": "video/mp4", ".webm": "video/webm",
               ".ogv": "video/ogg", ".mov": "video/quicktime"}
VIDEO_NAMES = {".mp4": "an MP4", ".m4v": "an MP4", ".webm": "a WebM", ".ogv": "an Ogg",
               ".mov": "a QuickTime"}
# the bytes a video's container is told by: hachoir validates the first three pages of an Ogg
# file, each up to 65,307 bytes; the other containers need far fewer
HEAD_BYTES = 256 * 1024
# first atoms of older QuickTime files, which hachoir's MP4 check does not know
QUICKTIME_FIRST_ATOMS = (b"wide", b"mdat", b"pnot")
logger = logging.getLogger(__name__)


def video_type(filename: str) -> str:
    """The MIME type of an accepted video file name; ``Invalid`` for anything else."""
    suffix = PurePosixPath(filename.lower()).suffix
    if suffix not in VIDEO_TYPES:
        accepted = ", ".join(sorted(VIDEO_TYPES))
        raise Invalid(f"{filename!r} is not a video file kb serves (accepted: {accepted}).",
                      field="video")
    return VIDEO_TYPES[suffix]


def check_video_bytes(upload: Upload) -> None:
    """``Invalid`` unless the upload's first bytes are the container its name claims (an MP4
    named .mp4, a WebM named .webm...): a text file renamed .mp4 would otherwise be published
    as a recording no browser can play. Only the head is read; the stream still gives it."""
    suffix = PurePosixPath(upload.name.lower()).suffix
    head = upload.peek(HEAD_BYTES)
    if not head:
        raise Invalid(f"{upload.name!r} is empty.", field="video")
    if not _is_container(head, suffix):
        raise Invalid(f"{upload.name!r} is not {VIDEO_NAMES[suffix]} video: its content is "
                      "something else under a video's name. Choose the recording's video file "
                      "itself.", field="video")


def _is_container(head: bytes, suffix: str) -> bool:
    hachoir = _hachoir()
    stream = hachoir.input_stream(io.BytesIO(head), source=f"upload{suffix}")
    try:
        hachoir.containers[suffix](stream, validate=True)
    except Exception:  # hachoir's ValidateError, or any other failure on bytes of no video
        return hachoir.containers[suffix] is hachoir.mp4 and head[4:8] in QUICKTIME_FIRST_ATOMS
    return True


def store_upload(upload: Upload, folder: str) -> StoredBlob:
    """Stream an upload into the media store (never whole in memory) under a fresh key in
    ``folder``; an empty file is refused and nothing is kept."""
    suffix = PurePosixPath(upload.name.lower()).suffix[:10]
    store = file_store(MEDIA)
    staged = store.stage(filename=upload.name)
    try:
        while chunk := upload.stream.read(1024 * 1024):
            staged.write(chunk)
        if staged.size == 0:
            raise Invalid(f"{upload.name!r} is empty.")
        return store.save(staged, f"{folder}/{uuid.uuid4().hex}{suffix}")
    except BaseException:
        staged.discard()
        raise


@cache
def _hachoir() -> SimpleNamespace:
    """hachoir, imported when a video is first read: at start-up it cost every kb process (a
    command, a server worker) 75 ms. Its notes on a file's oddities go to the debug log, not
    stderr. ``containers``: those of VIDEO_TYPES by suffix."""
    from hachoir.core import config
    from hachoir.core.log import log
    from hachoir.metadata import extractMetadata
    from hachoir.parser import createParser
    from hachoir.parser.container.mkv import MkvFile
    from hachoir.parser.container.mp4 import MP4File
    from hachoir.parser.container.ogg import OggFile
    from hachoir.stream import InputIOStream

    config.quiet = True
    log.use_print = False
    log.on_new_message = lambda level, prefix, text, context: logger.debug(
        "hachoir %s %s", prefix, text)
    containers = {".mp4": MP4File, ".m4v": MP4File, ".mov": MP4File, ".webm": MkvFile,
                  ".ogv": OggFile}
    return SimpleNamespace(create_parser=createParser, extract_metadata=extractMetadata,
                           containers=containers, mp4=MP4File, input_stream=InputIOStream)


def _containers_first(suffix: str) -> list:
    """hachoir's parser tags: the container the suffix names, then the others, nothing else
    (left to guess, hachoir tries its 95 parsers, executables and archives too, on every
    upload)."""
    containers = _hachoir().containers
    named = containers.get(suffix)
    return [lambda parser: parser is named, lambda parser: parser in containers.values(), None]


def duration_seconds(key: str) -> int | None:
    """The length of a stored video in whole seconds, as its container's header gives it;
    ``None`` when it cannot be read.

    hachoir reads it from MP4, M4V and QuickTime (``mvhd``) and from WebM (the segment's
    ``Duration``), the formats staff upload; it has no length for Ogg Theora, and a WebM
    recorded live by a browser carries none. Only headers are read, never the frames."""
    try:
        with file_store(MEDIA).open(key) as file:
            hachoir = _hachoir()
            parser = hachoir.create_parser(file, tags=_containers_first(PurePosixPath(key).suffix))
            metadata = hachoir.extract_metadata(parser) if parser is not None else None
            length = metadata.get("duration") if metadata and metadata.has("duration") else None
    except Exception:  # a damaged file may fail anywhere in the parser: it just has no length
        logger.info("Could not read the length of %s", key, exc_info=True)
        return None
    seconds = round(length.total_seconds()) if length is not None else 0
    return seconds if seconds > 0 else None


def remove(key: str | None) -> None:
    if key:
        file_store(MEDIA).delete(key)


def send(key: str, mimetype: str, *, download_name: str | None = None):
    """The stored file, answering Range and If-None-Match (``kb/storage/sending.py``)."""
    return send_stored(file_store(MEDIA), key, mimetype, download_name=download_name)
