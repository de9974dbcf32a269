"""An oversized image upload is answered before its body is read when its Content-Length says
so, and one byte past the image limit when its length is unknown; only once the answer is sent
is the rest read and dropped a block at a time (a body past the request limit never), so that a
browser gets the answer. The refusal lands on the editor (a script gets it as JSON) and the
CSRF token is still checked."""

from __future__ import annotations

import pytest

from kb.articles.image_uploads import FORM_ALLOWANCE
from tests.articles import web_fixtures
from tests.articles.image_samples import png
from tests.articles.test_images import JSON, image_count
from tests.web import csrf_token

write_article = web_fixtures.write_article
article_state = web_fixtures.article_state
MiB = 1024 * 1024
BOUNDARY = "kb-test-boundary"
MULTIPART = f"multipart/form-data; boundary={BOUNDARY}"


class UploadBody:
    """A multipart body with a CSRF token and one image of ``size`` bytes (a PNG header, then
    zeros), made as it is read: it counts what the app read and never holds the file."""

    def __init__(self, token: str, size: int, name: str = "huge.png"):
        head = (f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n"
                f"{token}\r\n--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"image\"; "
                f"filename=\"{name}\"\r\nContent-Type: image/png\r\n\r\n").encode()
        self.parts = [head + png(), size - len(png()), f"\r\n--{BOUNDARY}--\r\n".encode()]
        self.length = len(self.parts[0]) + self.parts[1] + len(self.parts[2])
        self.read_bytes = self.largest_read = 0

    def read(self, size: int = -1) -> bytes:
        if size is None or size < 0:
            size = self.length - self.read_bytes
        chunk = b""
        while len(chunk) < size and self.parts:
            part = self.parts[0]
            wanted = size - len(chunk)
            if isinstance(part, int):
                taken, rest = min(part, wanted), part - min(part, wanted)
                chunk += bytes(taken)
                self.parts[0] = rest
                if not rest:
                    self.parts.pop(0)
            else:
                chunk += part[:wanted]
                self.parts[0] = part[wanted:]
                if not self.parts[0]:
                    self.parts.pop(0)
        self.read_bytes += len(chunk)
        self.largest_read = max(self.largest_read, len(chunk))
        return chunk

    def readline(self, size: int = -1) -> bytes:  # werkzeug's LimitedStream may ask
        return self.read(size if size and size > 0 else 8192)


def send(auth, article_id: int, body: UploadBody, *, length_known: bool = True,
         headers=None):
    """POST ``body`` as a browser does (with its Content-Length) or as a chunked stream."""
    environ = {"wsgi.input": body, "CONTENT_TYPE": MULTIPART}
    environ.update({"CONTENT_LENGTH": str(body.length)} if length_known else {
        "HTTP_TRANSFER_ENCODING": "chunked", "wsgi.input_terminated": True})
    # unbuffered: once a refusal is closed (sent), kb reads and drops the rest of the body
    # (``image_uploads.answered``); what counts here is what it read before answering
    return auth.client.post(f"/staff/articles/{article_id}/images", headers=headers or {},
                            environ_overrides=environ, buffered=False)


@pytest.fixture
def editing(auth, write_article, article_state):
    """editing() -> (article id, CSRF token) of a new article, staff signed in."""

    def start():
        slug = write_article("Big pictures", "text")
        auth.login("staff@demo.test")
        return article_state(slug)["id"], csrf_token(auth.client)

    return start


def test_a_declared_oversized_upload_is_refused_before_its_body_is_read(app, auth, editing):
    article_id, token = editing()
    body = UploadBody(token, 50 * MiB)
    answer = send(auth, article_id, body, headers=JSON)
    assert answer.status_code == 413
    assert "larger than the limit of 5.0 MiB per image" in answer.get_json()["error"]
    assert body.read_bytes == 0
    assert image_count(app) == 0
    answer.close()  # sent: the rest is read and dropped, a block at a time
    assert body.read_bytes == body.length and body.largest_read <= 64 * 1024


def test_a_body_past_the_request_limit_is_never_read(app, auth, editing):
    app.config["MAX_CONTENT_LENGTH"] = 20 * MiB
    article_id, token = editing()
    body = UploadBody(token, 50 * MiB)
    answer = send(auth, article_id, body, headers=JSON)
    assert answer.status_code == 413
    answer.close()
    assert body.read_bytes == 0


def test_without_scripts_the_refusal_lands_on_the_editor(app, auth, editing):
    article_id, token = editing()
    body = UploadBody(token, 50 * MiB)
    answer = send(auth, article_id, body)
    assert answer.status_code == 302
    assert answer.location.endswith(f"/staff/articles/{article_id}/edit#images")
    page = auth.client.get(answer.location).get_data(as_text=True)
    assert "larger than the limit of 5.0 MiB per image; nothing was uploaded." in page
    assert 'name="title"' in page and "Big pictures" in page
    assert body.read_bytes == 0
    answer.close()
    assert body.read_bytes == body.length


def test_an_upload_of_unknown_length_stops_being_read_past_the_limit(app, auth, editing):
    article_id, token = editing()
    body = UploadBody(token, 50 * MiB)
    answer = send(auth, article_id, body, length_known=False, headers=JSON)
    assert answer.status_code == 413
    assert "huge.png is larger than the limit of 5.0 MiB" in answer.get_json()["error"]
    assert 5 * MiB < body.read_bytes < 5 * MiB + FORM_ALLOWANCE
    assert image_count(app) == 0
    answer.close()
    assert body.read_bytes == body.length and body.largest_read <= 64 * 1024


def test_an_image_at_the_limit_is_still_accepted(app, auth, editing):
    app.config["ARTICLE_IMAGE_MAX_BYTES"] = 2 * MiB
    article_id, token = editing()
    for length_known in (True, False):
        body = UploadBody(token, 2 * MiB, name=f"exact-{length_known}.png")
        answer = send(auth, article_id, body, length_known=length_known, headers=JSON)
        assert answer.status_code == 200, answer.get_json()
    assert image_count(app) == 2
    one_more = send(auth, article_id, UploadBody(token, 2 * MiB + 1), headers=JSON)
    assert one_more.status_code == 413 and image_count(app) == 2


def test_an_upload_without_the_csrf_token_is_refused_as_every_form_is(app, auth, editing):
    """The editor's script asks for JSON: it shows the refusal's words, not 'failed (400)'."""
    article_id, _ = editing()
    answer = send(auth, article_id, UploadBody("not-the-token", 100), headers=JSON)
    assert answer.status_code == 400
    assert answer.get_json()["error"].startswith("The form expired or came from another site")
    assert image_count(app) == 0
    in_a_browser = send(auth, article_id, UploadBody("not-the-token", 100))
    assert in_a_browser.status_code == 400 and not in_a_browser.is_json


def test_the_form_sent_without_a_file_chosen_asks_for_one(app, auth, editing):
    """A browser sends an empty file input as a part named ``filename=""`` with no bytes."""
    article_id, token = editing()
    body = (f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n"
            f"{token}\r\n--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"image\"; "
            f"filename=\"\"\r\nContent-Type: application/octet-stream\r\n\r\n\r\n"
            f"--{BOUNDARY}--\r\n").encode()
    answer = auth.client.post(f"/staff/articles/{article_id}/images", data=body,
                              content_type=MULTIPART, headers=JSON)
    assert answer.status_code == 422
    assert answer.get_json()["error"] == "Choose an image file to upload."
    assert image_count(app) == 0


def test_over_https_the_referrer_is_checked_as_for_every_form(app, auth, editing):
    """CSRFProtect refuses a form sent over HTTPS from another origin or without a Referer
    (WTF_CSRF_SSL_STRICT); the upload, which checks its token itself, does too."""
    article_id, token = editing()
    url = f"/staff/articles/{article_id}/images"
    for referrer in (None, "https://evil.example/page"):
        answer = auth.client.post(url, base_url="https://localhost", headers={
            **JSON, **({"Referer": referrer} if referrer else {})}, environ_overrides={
            "wsgi.input": UploadBody(token, 100), "CONTENT_TYPE": MULTIPART,
            "CONTENT_LENGTH": str(UploadBody(token, 100).length)})
        assert answer.status_code == 400, referrer
    assert image_count(app) == 0
    body = UploadBody(token, 100, name="ours.png")
    answer = auth.client.post(url, base_url="https://localhost", headers={
        **JSON, "Referer": f"https://localhost/staff/articles/{article_id}/edit"},
        environ_overrides={"wsgi.input": body, "CONTENT_TYPE": MULTIPART,
                           "CONTENT_LENGTH": str(body.length)})
    assert answer.status_code == 200 and image_count(app) == 1
