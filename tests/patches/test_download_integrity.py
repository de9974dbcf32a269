"""Damaged, truncated or missing stored patch files are detected and never served, intact ones
hashed again only after a change; path tricks find nothing; on the local and the S3 store."""

from __future__ import annotations

import io
import os

import pytest

from tests.patches.download_helpers import SIZE, downloads
from tests.stores import both_stores

pytestmark = both_stores


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
