"""Downloading patch files: Range and resume, ETag and conditional requests, headers, the
download record, SHA256SUMS, and damaged or missing stored files; on the local and the S3
store."""

from __future__ import annotations

import io
import os

import pytest
from sqlalchemy import select

from kb import db
from kb.patches.models import Download
from tests.conftest import bearer
from tests.patches.conftest import payload, sha256_of
from tests.stores import both_stores

pytestmark = both_stores

SIZE = 300_000


@pytest.fixture
def elite_file(publish, patch_file, auth):
    data = payload(SIZE)
    patch_id = publish(files={"erp-fix.zip": data, "readme.txt": b"read me\n"},
                       versions=["12.0"], title="Rounding fix")
    url, fields, key = patch_file(patch_id, "erp-fix.zip")
    auth.login("elite@demo.test")
    return {"data": data, "url": url, "key": key, "patch_id": patch_id, **fields}


def downloads(app) -> list[Download]:
    with app.app_context():
        return list(db.session.scalars(select(Download).order_by(Download.id)))


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


def test_head_gives_headers_without_a_body_or_a_record(app, client, elite_file):
    response = client.head(elite_file["url"])
    assert response.status_code == 200
    assert response.headers["Content-Length"] == str(SIZE)
    assert response.data == b""
    assert downloads(app) == []


def test_each_download_is_recorded_with_bytes_and_outcome(app, client, elite_file):
    client.get(elite_file["url"], buffered=True)
    client.get(elite_file["url"], headers={"Range": "bytes=100-"}, buffered=True)
    partial = client.get(elite_file["url"])  # the client reads one block and hangs up
    next(partial.response)
    partial.close()
    whole, resumed, cut = downloads(app)
    assert (whole.outcome, whole.bytes_sent, whole.range_start) == ("completed", SIZE, 0)
    assert (resumed.outcome, resumed.bytes_sent, resumed.range_start) == (
        "completed", SIZE - 100, 100)
    assert cut.outcome == "interrupted" and 0 < cut.bytes_sent < SIZE
    with app.app_context():
        assert whole.organization_id is not None
        assert {d.user_id for d in downloads(app)} == {whole.user_id}


def test_staff_see_download_counts_per_patch_and_organisation(client, auth, elite_file):
    client.get(elite_file["url"], buffered=True)
    client.get(elite_file["url"], buffered=True)
    auth.logout()
    auth.login("staff@demo.test")
    page = client.get("/staff/patch-downloads").get_data(as_text=True)
    assert "Rounding fix" in page and "Fabrikam Logistics" in page
    assert f"<td>2</td>\n      <td>2</td>\n      <td>{2 * SIZE:,}</td>" in page


def test_customers_cannot_see_download_counts(client, elite_file):
    assert client.get("/staff/patch-downloads").status_code == 403


def test_sha256sums_lists_every_file(client, elite_file):
    response = client.get(f"/patches/{elite_file['patch_id']}/SHA256SUMS")
    assert response.status_code == 200
    lines = response.get_data(as_text=True).splitlines()
    assert lines == [f"{elite_file['sha256']}  erp-fix.zip",
                     f"{sha256_of(b'read me' + bytes([10]))}  readme.txt"]


def test_patch_page_shows_sizes_checksums_and_a_curl_command(client, elite_file):
    page = client.get(f"/patches/{elite_file['patch_id']}").get_data(as_text=True)
    assert elite_file["sha256"] in page
    assert f"{SIZE:,} bytes" in page
    assert (f'curl -fLO -H "Authorization: Bearer $KB_TOKEN" http://kb.test{elite_file["url"]}'
            in page)


def test_without_kb_base_url_the_curl_command_names_the_address_the_page_was_asked_at(
        app, client, elite_file):
    app.config["BASE_URL"] = ""
    page = client.get(f"/patches/{elite_file['patch_id']}",
                      base_url="http://localhost:8123").get_data(as_text=True)
    assert (f'curl -fLO -H "Authorization: Bearer $KB_TOKEN" '
            f'http://localhost:8123{elite_file["url"]}') in page


def test_the_api_names_file_and_page_addresses_from_kb_base_url(client, elite_file):
    patch = client.get(f"/api/v1/patches/{elite_file['patch_id']}").get_json()
    assert patch["page_url"] == f"http://kb.test/patches/{elite_file['patch_id']}"
    assert patch["files"][0]["url"] == f"http://kb.test{elite_file['url']}"


def test_a_bearer_token_downloads_without_a_session(app, api_token, demo_accounts, publish,
                                                   patch_file):
    url, fields, _ = patch_file(publish())
    response = app.test_client().get(url, headers=bearer(api_token("premium@demo.test")),
                                     buffered=True)
    assert response.status_code == 200
    assert sha256_of(response.data) == fields["sha256"]


def test_anonymous_and_bad_tokens_get_401_never_a_sign_in_page(app, publish, patch_file):
    url, _, _ = patch_file(publish())
    anonymous = app.test_client().get(url)
    assert anonymous.status_code == 401
    assert anonymous.headers["WWW-Authenticate"].startswith("Bearer")
    bad = app.test_client().get(url, headers=bearer("kb_not-a-token"))
    assert bad.status_code == 401


def test_a_damaged_file_is_detected_and_never_served(app, client, elite_file, caplog,
                                                    stored_files):
    damaged = bytearray(elite_file["data"])
    damaged[SIZE // 2] ^= 0xFF
    stored_files.overwrite(elite_file["key"], bytes(damaged))  # same size: only the hash tells
    response = client.get(elite_file["url"], buffered=True)
    assert response.status_code == 503
    where = "in the file store" if stored_files.on_s3 else "on disk"
    assert f"is damaged {where}" in response.get_data(as_text=True)
    assert f"is damaged {where}" in caplog.text
    assert downloads(app) == []


def test_a_truncated_file_is_detected_by_its_size(client, elite_file, stored_files):
    stored_files.overwrite(elite_file["key"], elite_file["data"][:1000])
    response = client.get(elite_file["url"], buffered=True)
    assert response.status_code == 503
    where = "in the file store" if stored_files.on_s3 else "on disk"
    assert f"has 1000 bytes {where} instead of {SIZE}" in response.get_data(as_text=True)


def test_a_missing_file_is_reported(client, elite_file, stored_files):
    stored_files.remove(elite_file["key"])
    response = client.get(elite_file["url"], buffered=True)
    assert response.status_code == 503
    assert "missing from the file store" in response.get_data(as_text=True)


def test_an_intact_file_is_hashed_again_only_after_it_changed(app, client, elite_file,
                                                              stored_files, monkeypatch):
    calls = []
    store_class = type(stored_files.store())
    original = store_class.verify
    monkeypatch.setattr(store_class, "verify",
                        lambda self, *args: calls.append(args) or original(self, *args))
    client.get(elite_file["url"], buffered=True)
    assert calls == []  # verified at publishing; the fingerprint is unchanged
    if stored_files.on_s3:  # written again (a new multipart ETag): checked again, still intact
        store = stored_files.store()
        store.save_stream(io.BytesIO(elite_file["data"]), key=elite_file["key"])
    else:  # touched on disk: checked again, still intact
        os.utime(stored_files.store().path(elite_file["key"]), ns=(1, 1))
    assert client.get(elite_file["url"], buffered=True).status_code == 200
    assert len(calls) == 1


@pytest.mark.parametrize("suffix", [
    "../../../../etc/passwd", "..%2F..%2Fetc%2Fpasswd", "%2Fetc%2Fpasswd",
    "erp-fix.zip%00.txt", "..%5C..%5Cboot.ini", "ERP-FIX.ZIP", "erp-fix.zip/",
])
def test_path_tricks_in_download_urls_find_nothing(client, elite_file, suffix):
    base = elite_file["url"].rsplit("/", 1)[0]
    response = client.get(f"{base}/{suffix}", buffered=True)
    assert response.status_code in (404, 308)
    assert response.status_code != 200


def test_a_file_of_another_patch_is_not_found_through_this_patch(client, publish, patch_file,
                                                                 elite_file):
    other_url, _, _ = patch_file(publish(title="Other"))
    other_file_id = other_url.split("/")[4]
    url = f"/patches/{elite_file['patch_id']}/files/{other_file_id}/fix.zip"
    assert client.get(url).status_code == 404


def test_x_accel_redirect_hands_the_bytes_to_nginx(app, client, elite_file):
    app.config["PATCH_SEND_VIA"] = "x-accel-redirect"
    response = client.get(elite_file["url"], buffered=True)
    key = f"sha256/{elite_file['sha256'][:2]}/{elite_file['sha256'][2:4]}/{elite_file['sha256']}"
    assert response.headers["X-Accel-Redirect"] == f"/_kb_files/{key}"
    assert response.data == b""
    assert [d.outcome for d in downloads(app)] == ["handed-off"]


def test_x_sendfile_names_the_stored_file_for_apache(app, client, elite_file, stored_files):
    if stored_files.on_s3:
        pytest.skip("X-Sendfile names a file on this server's disk")
    app.config["PATCH_SEND_VIA"] = "x-sendfile"
    response = client.get(elite_file["url"], buffered=True)
    assert response.headers["X-Sendfile"] == str(stored_files.store().path(elite_file["key"]))
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.data == b""


def test_the_policy_is_asked_even_when_a_proxy_sends_the_bytes(app, client, auth, customer_on,
                                                              publish, patch_file):
    app.config["PATCH_SEND_VIA"] = "x-accel-redirect"
    url, _, _ = patch_file(publish(min_plan="elite"))
    auth.login(customer_on("premium"))
    response = client.get(url, buffered=True)
    assert response.status_code == 403
    assert "X-Accel-Redirect" not in response.headers


def test_stored_files_have_no_public_url(app, elite_file):
    key = f"sha256/{elite_file['sha256'][:2]}/{elite_file['sha256'][2:4]}/{elite_file['sha256']}"
    anonymous = app.test_client()
    for path in (f"/files/{key}", f"/static/../files/{key}", f"/data/files/{key}",
                 f"/static/%2e%2e/%2e%2e/data/files/{key}"):
        response = anonymous.get(path)
        assert response.status_code == 404, path
        assert elite_file["data"][:64] not in response.data
