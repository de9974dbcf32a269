"""Receiving an image upload from the editor without keeping more than an image may be.

An image is at most ``KB_ARTICLE_IMAGE_MAX_BYTES``, so its request is at most that plus a
little for the multipart headers, the CSRF token and the file's name. A ``Content-Length``
past that is refused (and answered) before a byte of the body is read; a body of unknown
length stops being parsed there; the file part is kept to one byte past the limit, in memory.
Before, werkzeug read and spooled up to the whole request limit (``MAX_UPLOAD_BYTES``, 2 GiB)
before the image's own limit refused it. Once a refusal is sent, the rest of the body is read
and dropped a block at a time, so that a browser still sending it gets the answer rather
than a reset connection."""

from __future__ import annotations

import io
from functools import partial

from flask import Response, current_app, request
from flask_wtf.csrf import CSRFError, same_origin
from werkzeug.datastructures import CombinedMultiDict
from werkzeug.exceptions import ClientDisconnected, RequestEntityTooLarge
from werkzeug.formparser import FormDataParser
from werkzeug.wsgi import LimitedStream, get_content_length, get_input_stream

from kb.articles.forms import ImageForm
from kb.articles.images import image_limit, too_large
from kb.errors import Invalid, TooLarge
from kb.storage.names import safe_file_name

FORM_ALLOWANCE = 256 * 1024  # multipart headers, the CSRF token, the file's name
MAX_FORM_FIELD_BYTES = 1024 * 1024  # also bounds the buffer of werkzeug's parser
MAX_FORM_PARTS = 10
DISCARD_BLOCK = 64 * 1024
REFUSED = "kb.image_upload.refused"
BODY = "kb.image_upload.body"


class CappedFile(io.BytesIO):
    """An uploaded file part kept in memory, refused (``TooLarge``) once it holds more than
    ``cap`` bytes: the parser then stops reading the request."""

    def __init__(self, cap: int, label: str):
        super().__init__()
        self.cap, self.label = cap, label

    def write(self, data) -> int:
        if self.tell() + len(data) > self.cap:
            raise too_large(self.label)
        return super().write(data)


def request_bound() -> int:
    """The most bytes an image upload's request may hold."""
    return image_limit() + FORM_ALLOWANCE


def received_image_form() -> ImageForm:
    """The editor's image form from the current request, read only as far as an image may
    be; ``TooLarge`` past it (before reading, when ``Content-Length`` says so already)."""
    try:
        return _parsed_form()
    except TooLarge:
        request.environ[REFUSED] = True
        raise


def answered(response: Response) -> Response:
    """``response``; after an upload refused for its size, the unread rest of its body is
    read and dropped once the answer is sent. A browser still sending it would otherwise
    find the connection reset and show that instead of the answer."""
    if request.environ.get(REFUSED):
        response.call_on_close(partial(_discard_rest, request.environ,
                                       request.max_content_length or 0))
    return response


def _parsed_form() -> ImageForm:
    bound = request_bound()
    length = request.content_length
    if length is not None and length > bound:
        raise too_large("The upload")
    body = request.environ[BODY] = get_input_stream(request.environ, max_content_length=bound)

    def keep_file(total_content_length, content_type, filename, content_length=None):
        return CappedFile(image_limit() + 1, _label(filename))

    parser = FormDataParser(keep_file, max_form_memory_size=MAX_FORM_FIELD_BYTES,
                            silent=False, max_form_parts=MAX_FORM_PARTS,
                            cls=request.parameter_storage_class)
    try:
        _, form, files = parser.parse(body, request.mimetype, length, request.mimetype_params)
    except RequestEntityTooLarge:
        raise too_large("The upload") from None
    except (ClientDisconnected, ValueError):
        raise Invalid("The upload ended before it was complete; nothing was uploaded.") \
            from None
    image_form = ImageForm(formdata=CombinedMultiDict((files, form)))
    if not image_form.validate() and image_form.csrf_token.errors:
        raise CSRFError(image_form.csrf_token.errors[0])  # as CSRFProtect answers other forms
    _check_referrer()
    return image_form


def _check_referrer() -> None:
    """Over HTTPS, CSRFProtect also wants the request sent from one of kb's own pages."""
    if not (request.is_secure and current_app.config["WTF_CSRF_SSL_STRICT"]):
        return
    if not request.referrer:
        raise CSRFError("The referrer header is missing.")
    if not same_origin(request.referrer, f"https://{request.host}/"):
        raise CSRFError("The referrer does not match the host.")


def _label(filename: str | None) -> str:
    """How a refusal names the file part: a file input left empty is sent as ``filename=""``,
    which the form then asks to choose, and a name with nothing usable is refused later."""
    try:
        return safe_file_name(filename or "")
    except Invalid:
        return "The file"


def _discard_rest(environ: dict, most: int) -> None:
    """Read what is left of a refused upload's body, a block at a time, keeping none of it;
    nothing past ``most`` bytes (the app's limit for any request: such a connection is
    closed unread), nor a body whose end the server does not mark."""
    length = get_content_length(environ)
    if length is not None:
        if length > most:
            return
        body = environ.get(BODY) or LimitedStream(environ["wsgi.input"], length)
    elif environ.get("wsgi.input_terminated"):
        body = environ["wsgi.input"]  # the limited stream refuses to read past the bound
    else:
        return
    left = most
    try:
        while left > 0 and (block := body.read(min(DISCARD_BLOCK, left))):
            left -= len(block)
    except (ClientDisconnected, OSError):
        pass
