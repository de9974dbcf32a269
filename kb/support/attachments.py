"""Files sent with incidents, replies and notes, kept in the application's file store
(``kb/storage``, namespace ``files``) as patch files are: content-addressed, streamed, hashed."""

from __future__ import annotations

import mimetypes
from typing import BinaryIO

from flask import current_app

from kb.errors import DomainError, Invalid, TooLarge
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


def checked_names(uploads: list[Upload]) -> list[str]:
    """The stored names of the uploads; ``Invalid`` for too many files or a program's name,
    before any byte is stored."""
    if len(uploads) > MAX_FILES_PER_POST:
        raise Invalid(f"Attach at most {MAX_FILES_PER_POST} files at once.",
                      field="attachments")
    names = [safe_file_name(upload.name) for upload in uploads]
    for name in names:
        try:
            file_kinds.check_name(name)
        except Invalid as refusal:
            raise _with_the_others(refusal, name, names) from None
    return names


def store_all(uploads: list[Upload], uploader_id: int | None
              ) -> list[IncidentAttachment]:
    """Store every upload and return its (not yet added) attachment row; nothing is written
    to the database here, and a file over the limit stops everything with ``TooLarge``."""
    names = checked_names(uploads)
    rows: list[IncidentAttachment] = []
    try:
        for upload, name in zip(uploads, names, strict=True):
            try:
                rows.append(_stored(upload, name, uploader_id))
            except (Invalid, TooLarge) as refusal:
                raise _with_the_others(refusal, name, names) from None
    except BaseException:
        forget(rows)
        raise
    return rows


def _with_the_others(refusal: DomainError, name: str, names: list[str]) -> DomainError:
    """The refusal of file ``name``, about the attachments field, saying what became of the
    files picked with it: a page cannot hand a browser's picked files back to its file input,
    so none is kept and they are picked again."""
    others = [other for other in names if other != name]
    message = refusal.message
    if others:
        message += (f" Nothing is attached yet, and a browser cannot keep the files picked: "
                    f"pick {_listed(others)} again, without {name}.")
    told = TooLarge(message) if isinstance(refusal, TooLarge) else Invalid(message)
    told.field = "attachments"
    return told


def _listed(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _stored(upload: Upload, name: str, uploader_id: int | None
            ) -> IncidentAttachment:
    file_kinds.check_content(upload, name)
    try:
        blob = store_stream(upload.stream, file_limit())
    except TooLarge:
        raise TooLarge(f"{name} is larger than the limit of {human_size(file_limit())} per "
                       "file.") from None
    content_type = (mimetypes.guess_type(name)[0] or upload.content_type
                    or "application/octet-stream")
    row = IncidentAttachment(name=name, size=blob.size, sha256=blob.sha256,
                             content_type=content_type[:200], storage_key=blob.key,
                             uploaded_by_id=uploader_id)
    row.newly_stored = not blob.already_stored
    if blob.size == 0:
        forget([row])
        raise Invalid(f"{name} is empty.", field="attachments")
    return row


def forget(rows: list[IncidentAttachment]) -> None:
    """Remove the stored bytes this request added, when what they belonged to failed; a file
    stored before (the same bytes sent earlier, or a patch file) stays."""
    for row in rows:
        if getattr(row, "newly_stored", False):
            file_store().delete(row.storage_key)
