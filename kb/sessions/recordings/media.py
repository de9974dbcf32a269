"""Recording media: which videos kb accepts, how they are stored and how long they run.

The bytes live in the application's file store (``kb/storage``), namespace ``media``, under
keys ``recordings/<uuid><suffix>`` and ``attachments/<uuid><suffix>``; nothing is reachable by
a static path: every response goes through a view that asked the policy first, then calls
``send``.
"""

from __future__ import annotations

import logging
import uuid
from pathlib import PurePosixPath

from hachoir.core import config as hachoir_config
from hachoir.core.log import log as hachoir_log
from hachoir.metadata import extractMetadata
from hachoir.parser import createParser
from hachoir.parser.container.mkv import MkvFile
from hachoir.parser.container.mp4 import MP4File
from hachoir.parser.container.ogg import OggFile

from kb.errors import Invalid
from kb.storage import MEDIA, StoredBlob, Upload, file_store
from kb.storage.sending import send_stored

VIDEO_TYPES = {".mp4": "video/mp4", ".m4v": "video/mp4", ".webm": "video/webm",
               ".ogv": "video/ogg", ".mov": "video/quicktime"}
logger = logging.getLogger(__name__)
# hachoir prints its notes on a file's oddities to stderr; they belong in the debug log
hachoir_config.quiet = True
hachoir_log.use_print = False
hachoir_log.on_new_message = lambda level, prefix, text, context: logger.debug(
    "hachoir %s %s", prefix, text)


def video_type(filename: str) -> str:
    """The MIME type of an accepted video file name; ``Invalid`` for anything else."""
    suffix = PurePosixPath(filename.lower()).suffix
    if suffix not in VIDEO_TYPES:
        accepted = ", ".join(sorted(VIDEO_TYPES))
        raise Invalid(f"{filename!r} is not a video file kb serves (accepted: {accepted}).")
    return VIDEO_TYPES[suffix]


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


# the containers of VIDEO_TYPES, the one a file's name suggests tried first: left to guess,
# hachoir tries its 95 parsers (executables, documents, archives...) on every upload
CONTAINERS = {".mp4": MP4File, ".m4v": MP4File, ".mov": MP4File, ".webm": MkvFile,
              ".ogv": OggFile}


def _containers_first(suffix: str) -> list:
    """hachoir's parser tags: the container the suffix names, then the others, nothing else."""
    named = CONTAINERS.get(suffix)
    return [lambda parser: parser is named, lambda parser: parser in CONTAINERS.values(), None]


def duration_seconds(key: str) -> int | None:
    """The length of a stored video in whole seconds, as its container's header gives it;
    ``None`` when it cannot be read.

    hachoir reads it from MP4, M4V and QuickTime (``mvhd``) and from WebM (the segment's
    ``Duration``), the formats staff upload; it has no length for Ogg Theora, and a WebM
    recorded live by a browser carries none. Only headers are read, never the frames."""
    try:
        with file_store(MEDIA).open(key) as file:
            parser = createParser(file, tags=_containers_first(PurePosixPath(key).suffix))
            metadata = extractMetadata(parser) if parser is not None else None
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
