"""Receiving patch files from a multipart request without holding them in memory.

werkzeug's multipart parser writes each file part into a ``StagedFile`` of the file store (a
temporary file that is hashed as it is written), so the SHA-256 is known when the last byte
arrives. The per-file cap ``PATCH_MAX_FILE_BYTES`` and the per-request cap ``MAX_UPLOAD_BYTES``
(checked against ``Content-Length`` before anything is read, and while a body of unknown length
streams in) answer 413; a request cut off midway
(werkzeug raises ``ClientDisconnected``) or refused for any reason removes every temporary
file it created."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, request
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import ClientDisconnected, RequestEntityTooLarge
from werkzeug.formparser import FormDataParser

from kb.errors import DomainError, Invalid, TooLarge
from kb.forms import ArgumentsWithoutNul
from kb.patches.file_names import MAX_FILES_PER_PATCH
from kb.storage import StagedFile, Upload, file_store, human_size

MAX_FORM_FIELD_BYTES = 1024 * 1024
MAX_FORM_PARTS = 200


class UploadIncomplete(DomainError):
    """The request body ended early (the client went away) or is not valid multipart."""

    status = 400


@dataclass
class ReceivedForm:
    form: MultiDict
    uploads: list[Upload]
    staged: list[StagedFile]

    def discard(self) -> None:
        """Remove temporary files that were not stored (stored ones have been renamed)."""
        for staged in self.staged:
            staged.discard()


def receive_patch_upload() -> ReceivedForm:
    """Parse the current multipart request, streaming its files (every file part, whatever
    its field name) to the store's temporary area."""
    if "files" in request.__dict__:  # already parsed, e.g. by a CSRF check of the API
        return _from_parsed_request()
    staged: list[StagedFile] = []
    limit = current_app.config["PATCH_MAX_FILE_BYTES"]

    def stream_factory(total_content_length, content_type, filename, content_length=None):
        if len(staged) >= MAX_FILES_PER_PATCH:
            raise Invalid(f"A patch has at most {MAX_FILES_PER_PATCH} files.")
        staged_file = file_store().stage(limit, filename or "")
        staged.append(staged_file)
        return staged_file

    request_limit = request.max_content_length  # MAX_UPLOAD_BYTES, as Flask applies it
    # fields less control characters, as every other form kb reads (PostgreSQL refuses NUL)
    parser = FormDataParser(stream_factory, max_form_memory_size=MAX_FORM_FIELD_BYTES,
                            max_content_length=request_limit, cls=ArgumentsWithoutNul,
                            silent=False, max_form_parts=MAX_FORM_PARTS)
    try:
        _, form, files = parser.parse_from_environ(request.environ)
    except RequestEntityTooLarge:
        _discard(staged)
        raise TooLarge(f"The upload is too large: at most {human_size(request_limit)} per "
                       f"request and {human_size(MAX_FORM_FIELD_BYTES)} per form field; "
                       "nothing was published.") from None
    except (ClientDisconnected, ValueError):
        _discard(staged)
        raise UploadIncomplete("The upload ended before it was complete (or was not valid "
                               "multipart form data); nothing was published.") from None
    except BaseException:
        _discard(staged)
        raise
    uploads = [Upload(storage.filename or "", storage.stream, storage.mimetype or "")
               for _, storage in files.items(multi=True) if storage.filename]
    return ReceivedForm(form, uploads, staged)


def _from_parsed_request() -> ReceivedForm:
    limit = current_app.config["PATCH_MAX_FILE_BYTES"]
    staged: list[StagedFile] = []
    uploads = []
    try:
        for _, storage in request.files.items(multi=True):
            if not storage.filename:
                continue
            staged_file = file_store().stage(limit, storage.filename)
            staged.append(staged_file)
            while chunk := storage.stream.read(1024 * 1024):
                staged_file.write(chunk)
            uploads.append(Upload(storage.filename, staged_file, storage.mimetype or ""))
    except BaseException:
        _discard(staged)
        raise
    return ReceivedForm(request.form, uploads, staged)


def _discard(staged: list[StagedFile]) -> None:
    for staged_file in staged:
        staged_file.discard()
