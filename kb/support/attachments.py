"""Files sent with incidents, replies and notes, kept in the application's file store
(``kb/storage``, namespace ``files``) as patch files are: content-addressed, streamed, hashed."""

from __future__ import annotations

import mimetypes
from typing import BinaryIO

from flask import current_app

from kb.errors import Invalid
from kb.storage import StoredBlob, Upload, file_store, human_size
from kb.storage.names import safe_file_name
from kb.support import file_kinds
from kb.support.models import IncidentAttachment

MAX_FILES_PER_POST = 10


def file_limit() -> int:
    return current_app.config["SUPPORT_MAX_ATTACHMENT_BYTES"]


def request_limit() -> int:
    """The largest request an incident form may send: every file at its limit, and text."""
    return MAX_FILES_PER_POST * file_limit() + 1024 * 1024


def limits_text() -> str:
    return f"up to {MAX_FILES_PER_POST} files of at most {human_size(file_limit())} each"


def store_stream(stream: BinaryIO, limit: int) -> StoredBlob:
    """Store a file's bytes (content-addressed; ``TooLarge`` past ``limit``)."""
    return file_store().save_stream(stream, limit=limit)


def open_stored(key: str) -> BinaryIO:
    return file_store().open(key)


def checked_names(uploads: list[Upload]) -> list[str]:
    """The stored names of the uploads; ``Invalid`` for too many files or a program's name,
    before any byte is stored."""
    if len(uploads) > MAX_FILES_PER_POST:
        raise Invalid(f"Attach at most {MAX_FILES_PER_POST} files at once.",
                      field="attachments")
    names = [safe_file_name(upload.name) for upload in uploads]
    for name in names:
        file_kinds.check_name(name)
    return names


def store_all(uploads: list[Upload], uploader_id: int | None
              ) -> list[IncidentAttachment]:
    """Store every upload and return its (not yet added) attachment row; nothing is written
    to the database here, and a file over the limit stops everything with ``TooLarge``."""
    names = checked_names(uploads)
    rows: list[IncidentAttachment] = []
    try:
        for upload, name in zip(uploads, names, strict=True):
            rows.append(_stored(upload, name, uploader_id))
    except BaseException:
        forget(rows)
        raise
    return rows


def _stored(upload: Upload, name: str, uploader_id: int | None
            ) -> IncidentAttachment:
    file_kinds.check_content(upload, name)
    blob = store_stream(upload.stream, file_limit())
    content_type = (mimetypes.guess_type(name)[0] or upload.content_type
                    or "application/octet-stream")
    row = IncidentAttachment(name=name, size=blob.size, sha256=blob.sha256,
                             content_type=content_type[:200], storage_key=blob.key,
                             uploaded_by_id=uploader_id)
    row.newly_stored = not blob.already_stored
    if blob.size == 0:
        forget([row])
        raise Invalid(f"{name} is empty.")
    return row


def forget(rows: list[IncidentAttachment]) -> None:
    """Remove the stored bytes this request added, when what they belonged to failed; a file
    stored before (the same bytes sent earlier, or a patch file) stays."""
    for row in rows:
        if getattr(row, "newly_stored", False):
            file_store().delete(row.storage_key)
