"""Recording media and attachments are sent by the patches' range code: another unit or several
ranges get the whole file (RFC 9110 lets a server ignore them), an unsatisfiable range gets 416
with ``Content-Range``; attachment names are cleaned when uploaded and every stored name
downloads."""

from __future__ import annotations

import io
import unicodedata

import pytest
from sqlalchemy import update

from kb import db
from kb.sessions.models import RecordingAttachment
from tests.conftest import bearer, on_postgres
from tests.sessions.test_recordings import VIDEO, _fetch
from tests.stores import both_stores

pytestmark = both_stores

# PostgreSQL text cannot hold NUL, so only SQLite can have such a row from before
NUL_NEEDS_SQLITE = pytest.mark.skipif(on_postgres(), reason="PostgreSQL text holds no NUL")


@pytest.fixture
def media_url(client, auth, publish):
    recording_id = publish(video=VIDEO)
    auth.login("premium@demo.test")
    return f"/sessions/recordings/{recording_id}/media"


@pytest.mark.parametrize("header", [
    "items=0-10", "pages=1", "bytes=0-10,20-30", "bytes=0-1,-1", "bytes=x-y", "bytes=10-5",
])
def test_other_units_and_several_ranges_get_the_whole_file(client, media_url, header):
    response = _fetch(client, media_url, headers={"Range": header})
    assert response.status_code == 200 and response.data == VIDEO
    assert "Content-Range" not in response.headers


@pytest.mark.parametrize("header", [f"bytes={len(VIDEO)}-", f"bytes={len(VIDEO) + 5}-"])
def test_an_unsatisfiable_range_is_416_with_the_size(client, media_url, header):
    response = _fetch(client, media_url, headers={"Range": header})
    assert response.status_code == 416
    assert response.headers["Content-Range"] == f"bytes */{len(VIDEO)}"
    assert response.mimetype == "text/plain"


def test_a_script_s_unsatisfiable_range_is_416_with_json(app, media_url, api_token):
    response = _fetch(app.test_client(), media_url, headers={
        "Range": f"bytes={len(VIDEO)}-", **bearer(api_token("premium@demo.test"))})
    assert response.status_code == 416
    assert response.headers["Content-Range"] == f"bytes */{len(VIDEO)}"
    assert response.get_json() == {
        "error": f"The requested range starts past the end of the file ({len(VIDEO)} bytes).",
        "size": len(VIDEO)}


def test_if_range_with_another_etag_gets_the_whole_file(client, media_url):
    etag = _fetch(client, media_url).headers["ETag"]
    partial = _fetch(client, media_url, headers={"Range": "bytes=0-9", "If-Range": etag})
    assert partial.status_code == 206 and partial.data == VIDEO[:10]
    whole = _fetch(client, media_url, headers={"Range": "bytes=0-9", "If-Range": '"other"'})
    assert whole.status_code == 200 and whole.data == VIDEO
    weak = _fetch(client, media_url, headers={"Range": "bytes=0-9", "If-Range": f"W/{etag}"})
    assert weak.status_code == 200 and weak.data == VIDEO  # a weak validator never matches
    assert _fetch(client, media_url, headers={"If-None-Match": etag}).status_code == 304


def _attach(client, auth, recording_id: int, name: str):
    auth.login("staff@demo.test")
    response = auth.post(f"/sessions/staff/recordings/{recording_id}/attachments",
                         {"attachment": (io.BytesIO(b"%PDF-1.4 slides"), name)},
                         content_type="multipart/form-data")
    return response, client.get(f"/api/v1/recordings/{recording_id}").json["attachments"]


def _has_control_characters(text: str) -> bool:
    return any(unicodedata.category(ch)[0] == "C" for ch in text)


def test_a_nul_in_an_attachment_name_is_cleaned_at_upload(client, auth, publish):
    response, attachments = _attach(client, auth, publish(), "sli\x00des.pdf")
    assert response.status_code == 302
    assert [a["name"] for a in attachments] == ["slides.pdf"]
    download = _fetch(client, attachments[0]["url"])
    assert download.status_code == 200 and download.data == b"%PDF-1.4 slides"
    assert 'filename="slides.pdf"' in download.headers["Content-Disposition"]


def test_an_attachment_name_with_nothing_usable_is_refused_clearly(client, auth, publish):
    response, attachments = _attach(client, auth, publish(), "\x00\u202e")
    assert response.status_code in (302, 422) and attachments == []
    page = client.get(response.headers["Location"], follow_redirects=True) \
        if response.status_code == 302 else response
    assert "no usable characters" in page.get_data(as_text=True)


@pytest.mark.parametrize("stored_name", [
    pytest.param("bad\x00name.pdf", marks=NUL_NEEDS_SQLITE), "Größe\r\n.pdf", "x\u202e.pdf"])
def test_every_stored_attachment_name_downloads(app, client, auth, publish, stored_name):
    _, attachments = _attach(client, auth, publish(), "slides.pdf")
    with app.app_context():  # a name stored before names were cleaned
        db.session.execute(update(RecordingAttachment).values(filename=stored_name))
        db.session.commit()
    download = _fetch(client, attachments[0]["url"])
    assert download.status_code == 200 and download.data == b"%PDF-1.4 slides"
    assert not _has_control_characters(download.headers["Content-Disposition"])


def test_non_ascii_attachment_names_are_kept(client, auth, publish):
    _, attachments = _attach(client, auth, publish(), "Schulung März.pdf")
    assert [a["name"] for a in attachments] == ["Schulung_März.pdf"]
    disposition = _fetch(client, attachments[0]["url"]).headers["Content-Disposition"]
    assert "filename*=UTF-8''Schulung_M%C3%A4rz.pdf" in disposition
