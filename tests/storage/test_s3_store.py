"""The S3 store through the real app, against an S3 server on loopback: a patch larger than
several parts is streamed in parts (never whole in memory), downloaded with Range and verified;
a store that is down answers 503 and loses nothing; unfinished uploads are cleaned up; a
storage URL kb cannot use stops it from starting."""

from __future__ import annotations

import io
import socket

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from kb import create_app, db
from kb.patches.models import Patch
from kb.storage import StorageUnavailable
from kb.storage.s3_io import PART_SIZE as S3_PART_SIZE
from kb.storage.s3_io import S3Upload
from tests.conftest import app_settings, bearer
from tests.patches.conftest import payload, sha256_of, temp_uploads

on_s3 = pytest.mark.parametrize("storage", ["s3"], indirect=True)
LARGE = 2 * S3_PART_SIZE + 1_000_003


def closed_port_address() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{probe.getsockname()[1]}"


def upload_patch(client, token: str, files: dict[str, bytes]):
    """POST a patch to the API (the body built in memory: the test client would spool a large
    one to a temporary file it never closes)."""
    fields = MultiDict({"product": "Orbit ERP", "title": "Large service pack",
                        "kind": "service-pack"})
    for name, data in files.items():
        fields.add("files", FileStorage(io.BytesIO(data), name))
    boundary, body = encode_multipart(fields)
    return client.post("/api/v1/patches", headers=bearer(token), input_stream=io.BytesIO(body),
                       content_type=f"multipart/form-data; boundary={boundary}",
                       content_length=len(body))


def patch_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Patch.id)))


@on_s3
def test_a_large_patch_goes_up_in_parts_and_comes_down_with_range(
        app, client, api_token, demo_accounts, runner, monkeypatch):
    sent_parts, buffered = [], []
    original_send, original_write = S3Upload._send_part, S3Upload.write

    def spied_send(upload, body):
        sent_parts.append(len(body))
        return original_send(upload, body)

    def spied_write(upload, data):
        written = original_write(upload, data)
        buffered.append(len(upload.buffer))
        return written

    monkeypatch.setattr(S3Upload, "_send_part", spied_send)
    monkeypatch.setattr(S3Upload, "write", spied_write)
    data = payload(LARGE, seed=7)
    response = upload_patch(client, api_token("staff@demo.test"), {"sp3.zip": data})
    assert response.status_code == 201, response.json
    assert sent_parts == [S3_PART_SIZE, S3_PART_SIZE, 1_000_003]
    assert 0 < max(buffered) < S3_PART_SIZE  # less than a part waits in memory
    assert response.json["files"][0]["sha256"] == sha256_of(data)
    assert temp_uploads(app) == []

    url = response.json["files"][0]["url"].removeprefix("http://kb.test")
    customer = app.test_client()
    token = bearer(api_token("premium@demo.test"))
    middle = customer.get(url, headers={**token, "Range": "bytes=9000000-9000999"},
                          buffered=True)
    assert middle.status_code == 206 and middle.data == data[9_000_000:9_001_000]
    assert middle.headers["ETag"] == f'"{sha256_of(data)}"'
    whole = customer.get(url, headers=token, buffered=True)
    assert whole.status_code == 200 and sha256_of(whole.data) == sha256_of(data)

    verify = runner.invoke(args=["patch", "verify"])
    assert verify.exit_code == 0 and "0 problem(s)" in verify.output


@on_s3
def test_a_store_that_is_down_answers_503_and_loses_nothing(
        app, client, api_token, demo_accounts, publish, patch_file, runner):
    url, fields, _ = patch_file(publish(files={"fix.zip": b"kept safe"}))
    working_endpoint = app.config["S3_ENDPOINT_URL"]
    app.config["S3_ENDPOINT_URL"] = closed_port_address()

    refused = upload_patch(client, api_token("staff@demo.test"), {"new.zip": b"new"})
    assert refused.status_code == 503
    assert "file store is not available" in refused.json["error"]
    assert patch_count(app) == 1

    token = bearer(api_token("elite@demo.test"))
    download = app.test_client().get(url, headers=token, buffered=True)
    assert download.status_code == 503 and b"Traceback" not in download.data
    verify = runner.invoke(args=["patch", "verify"])
    assert verify.exit_code == 1 and "file store is not available" in verify.output
    assert verify.exception is None or isinstance(verify.exception, SystemExit)

    app.config["S3_ENDPOINT_URL"] = working_endpoint  # back again: nothing was lost
    download = app.test_client().get(url, headers=token, buffered=True)
    assert download.status_code == 200 and download.data == b"kept safe"


@on_s3
def test_an_oversized_upload_to_s3_is_413_and_leaves_no_parts(
        app, client, api_token, demo_accounts):
    app.config["PATCH_MAX_FILE_BYTES"] = S3_PART_SIZE + 10
    response = upload_patch(client, api_token("staff@demo.test"),
                            {"huge.zip": payload(S3_PART_SIZE + 11)})
    assert response.status_code == 413 and "larger than the limit" in response.json["error"]
    assert patch_count(app) == 0 and temp_uploads(app) == []


@on_s3
def test_unfinished_uploads_are_removed_once_stale(app, stored_files):
    store = stored_files.store()
    upload = store.stage()
    upload.write(payload(S3_PART_SIZE + 5))  # one part sent: a multipart upload is open
    assert upload.upload_id is not None and len(stored_files.unfinished()) == 1
    assert store.remove_stale_uploads(older_than_seconds=3600) == 0
    assert store.remove_stale_uploads(older_than_seconds=-60) == 1
    assert stored_files.unfinished() == []


@on_s3
def test_keys_sizes_existence_and_deletion(app, stored_files):
    store = stored_files.store()
    blob = store.save_stream(io.BytesIO(b"twelve bytes"))
    named = store.save_stream(io.BytesIO(b""), key="recordings/empty.webm")
    assert sorted(store.keys()) == sorted([blob.key, named.key])
    assert store.size(blob.key) == 12 and store.size(named.key) == 0
    assert store.exists(blob.key) and not store.exists("sha256/00/00/none")
    with store.open(blob.key, 3, 8) as reader:
        assert reader.read() == b"lve b"
    store.delete(blob.key)
    assert not store.exists(blob.key) and store.size(blob.key) is None
    assert store.fingerprint(blob.key) is None


def test_a_store_down_is_a_domain_error_not_a_crash(s3_endpoint):
    from kb.storage import store_at

    store = store_at("s3://nowhere/kb", "files", endpoint_url=closed_port_address(),
                     max_attempts=1)
    with pytest.raises(StorageUnavailable):
        store.exists("sha256/00/00/none")


@pytest.mark.parametrize("settings, message", [
    ({"STORAGE_URL": "ftp://files.example.com/kb"}, "is not s3://BUCKET/PREFIX"),
    ({"STORAGE_URL": "s3:///no-bucket"}, "is not s3://BUCKET/PREFIX"),
    ({"STORAGE_URL": "s3://bucket/kb", "PATCH_SEND_VIA": "x-sendfile"}, "x-sendfile"),
])
def test_a_storage_setting_kb_cannot_use_stops_it_from_starting(tmp_path, settings, message):
    base = app_settings(tmp_path / "data", f"sqlite:///{tmp_path / 'kb.sqlite3'}")
    with pytest.raises(ValueError, match=message):
        create_app({**base, **settings})
