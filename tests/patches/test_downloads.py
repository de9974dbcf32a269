"""Downloading patch files over HTTP: Range and resume, ETag and conditional requests, HEAD;
on the local and the S3 store."""

from __future__ import annotations

import pytest

from tests.patches.conftest import sha256_of
from tests.patches.download_helpers import SIZE, downloads
from tests.stores import both_stores

pytestmark = both_stores


def test_whole_file_has_length_etag_disposition_and_matches_its_checksum(client, elite_file):
    response = client.get(elite_file["url"], buffered=True)
    assert response.status_code == 200
    assert sha256_of(response.data) == elite_file["sha256"] == sha256_of(elite_file["data"])
    assert response.headers["Content-Length"] == str(SIZE)
    assert response.headers["ETag"] == f'"{elite_file["sha256"]}"'
    assert response.headers["Accept-Ranges"] == "bytes"
    assert response.headers["Content-Disposition"] == (
        "attachment; filename=\"erp-fix.zip\"; filename*=UTF-8''erp-fix.zip")
    assert "private" in response.headers["Cache-Control"]


def test_range_gives_206_with_content_range(client, elite_file):
    response = client.get(elite_file["url"], headers={"Range": "bytes=1000-1999"}, buffered=True)
    assert response.status_code == 206
    assert response.data == elite_file["data"][1000:2000]
    assert response.headers["Content-Range"] == f"bytes 1000-1999/{SIZE}"
    assert response.headers["Content-Length"] == "1000"


@pytest.mark.parametrize("header, expected", [
    ("bytes=-500", slice(SIZE - 500, SIZE)),          # the last 500 bytes
    (f"bytes={SIZE - 10}-", slice(SIZE - 10, SIZE)),    # resume near the end (curl -C -)
    (f"bytes=10-{SIZE * 2}", slice(10, SIZE)),          # an end past the file is clipped
    (f"bytes=-{SIZE * 3}", slice(0, SIZE)),             # a suffix longer than the file
])
def test_range_forms(client, elite_file, header, expected):
    response = client.get(elite_file["url"], headers={"Range": header}, buffered=True)
    assert response.status_code == 206
    assert response.data == elite_file["data"][expected]
    assert response.headers["Content-Range"] == (
        f"bytes {expected.start}-{expected.stop - 1}/{SIZE}")


def test_resume_in_several_chunks_reassembles_the_file(client, elite_file):
    """A download cut off three times and resumed each time from what arrived (curl -C -)."""
    received = b""
    for stop in (70_001, 150_000, 299_999):
        response = client.get(elite_file["url"], buffered=True,
                              headers={"Range": f"bytes={len(received)}-{stop - 1}"})
        assert response.status_code == 206
        received += response.data
    response = client.get(elite_file["url"], headers={"Range": f"bytes={len(received)}-"},
                          buffered=True)
    received += response.data
    assert sha256_of(received) == elite_file["sha256"]


@pytest.mark.parametrize("header", [f"bytes={SIZE}-", f"bytes={SIZE + 5}-{SIZE + 10}"])
def test_unsatisfiable_range_is_416(client, elite_file, header):
    response = client.get(elite_file["url"], headers={"Range": header}, buffered=True)
    assert response.status_code == 416
    assert response.headers["Content-Range"] == f"bytes */{SIZE}"
    assert response.mimetype == "text/plain"  # a browser's session: a line, not an empty page
    assert f"past the end of the file ({SIZE} bytes)" in response.get_data(as_text=True)
    assert "Content-Disposition" not in response.headers  # the error is not the file


@pytest.mark.parametrize("accept", ["*/*", "application/json"])
def test_a_script_s_unsatisfiable_range_is_416_with_json(app, api_token, elite_file, accept):
    """curl -C - on a file it has whole asks for bytes=SIZE-: 416 with the size, and JSON."""
    response = app.test_client().get(elite_file["url"], buffered=True, headers={
        "Range": f"bytes={SIZE}-", "Accept": accept,
        "Authorization": f"Bearer {api_token('elite@demo.test')}"})
    assert response.status_code == 416
    assert response.headers["Content-Range"] == f"bytes */{SIZE}"
    assert response.headers["ETag"] == f'"{elite_file["sha256"]}"'
    assert response.mimetype == "application/json"
    assert response.get_json() == {
        "error": f"The requested range starts past the end of the file ({SIZE} bytes).",
        "size": SIZE}
    head = app.test_client().head(elite_file["url"], headers={
        "Range": f"bytes={SIZE}-", "Authorization": f"Bearer {api_token('elite@demo.test')}"})
    assert head.status_code == 416 and head.data == b""
    assert head.headers["Content-Range"] == f"bytes */{SIZE}"


@pytest.mark.parametrize("header", ["bytes=0-10,20-30", "lines=1-2", "bytes=garbage"])
def test_several_or_unparseable_ranges_get_the_whole_file(client, elite_file, header):
    response = client.get(elite_file["url"], headers={"Range": header}, buffered=True)
    assert response.status_code == 200
    assert len(response.data) == SIZE


def test_if_none_match_with_the_checksum_is_304(client, elite_file):
    etag = f'"{elite_file["sha256"]}"'
    response = client.get(elite_file["url"], headers={"If-None-Match": etag}, buffered=True)
    assert response.status_code == 304
    assert response.data == b""
    assert response.headers["ETag"] == etag
    other = client.get(elite_file["url"], headers={"If-None-Match": '"abc"'}, buffered=True)
    assert other.status_code == 200


def test_if_range_keeps_the_range_only_for_the_same_file(client, elite_file):
    same = client.get(elite_file["url"], buffered=True, headers={
        "Range": "bytes=10-19", "If-Range": f'"{elite_file["sha256"]}"'})
    assert same.status_code == 206 and same.data == elite_file["data"][10:20]
    changed = client.get(elite_file["url"], buffered=True, headers={
        "Range": "bytes=10-19", "If-Range": '"some-older-file"'})
    assert changed.status_code == 200 and len(changed.data) == SIZE


def test_a_weak_if_range_never_keeps_the_range(client, elite_file):
    """RFC 9110, 13.1.5: If-Range compares strongly, so a weak validator never matches."""
    weak = client.get(elite_file["url"], buffered=True, headers={
        "Range": "bytes=10-19", "If-Range": f'W/"{elite_file["sha256"]}"'})
    assert weak.status_code == 200 and weak.data == elite_file["data"]
    assert "Content-Range" not in weak.headers


def test_a_name_spelt_with_decomposed_accents_finds_the_file(client, publish, patch_file,
                                                               auth):
    """A client (a macOS shell, a copied path) may send "é" as "e" and a combining accent."""
    patch_id = publish(files={"caf\u00e9.zip": b"coffee"}, title="Accents")
    url, fields, _ = patch_file(patch_id)
    assert fields["name"] == "caf\u00e9.zip"
    auth.login("staff@demo.test")
    decomposed = url.replace("caf\u00e9", "cafe\u0301")
    assert decomposed != url
    for address in (url, decomposed):
        response = client.get(address, buffered=True)
        assert response.status_code == 200 and response.data == b"coffee", address


def test_head_gives_headers_without_a_body_or_a_record(app, client, elite_file):
    response = client.head(elite_file["url"])
    assert response.status_code == 200
    assert response.headers["Content-Length"] == str(SIZE)
    assert response.data == b""
    assert downloads(app) == []
