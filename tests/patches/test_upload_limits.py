"""Patch uploads over the size cap or the request limit, cut off midway or ending early: a 413
(JSON from the API) and nothing kept, no temporary file left."""

from __future__ import annotations

import io

import pytest
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from tests.conftest import bearer, csrf_token
from tests.patches.conftest import payload, stored_blobs, temp_uploads
from tests.patches.publishing_helpers import (
    _limit_requests_to,
    form_fields,
    patch_count,
)
from tests.stores import both_stores

pytestmark = both_stores


def test_an_upload_over_the_cap_is_413_and_leaves_nothing(app, staff_client):
    app.config["PATCH_MAX_FILE_BYTES"] = 10_000
    response = staff_client.post("/patches/new", content_type="multipart/form-data", data={
        **form_fields(), "csrf_token": csrf_token(staff_client, "/patches/new"),
        "files": [(io.BytesIO(b"a" * 5_000), "small.zip"), (io.BytesIO(b"b" * 10_001), "big.iso")],
    })
    assert response.status_code == 413
    assert "big.iso is larger than the limit of 9.8 KiB per file" in response.get_data(
        as_text=True)
    assert patch_count(app) == 0 and temp_uploads(app) == [] and stored_blobs(app) == []


def test_an_api_upload_over_the_cap_is_413_json(app, client, api_token, demo_accounts):
    app.config["PATCH_MAX_FILE_BYTES"] = 100
    response = client.post("/api/v1/patches", headers=bearer(api_token("staff@demo.test")),
                           content_type="multipart/form-data",
                           data={"product": "Orbit ERP", "title": "T",
                                 "file": (io.BytesIO(b"z" * 101), "z.bin")})
    assert response.status_code == 413
    assert "larger than the limit" in response.json["error"]
    assert temp_uploads(app) == []


def test_an_upload_cut_off_midway_publishes_nothing_and_removes_its_temporary_file(
        app, staff_client, stored_files, monkeypatch):
    store_class = type(stored_files.store())
    staged = []
    original_stage = store_class.stage
    monkeypatch.setattr(store_class, "stage", lambda self, *args, **kwargs: staged.append(
        original_stage(self, *args, **kwargs)) or staged[-1])
    boundary, body = encode_multipart({
        **form_fields(), "csrf_token": csrf_token(staff_client, "/patches/new"),
        "files": FileStorage(io.BytesIO(payload(400_000)), "big.zip")})
    assert len(body) > 400_000
    cut_off = body[: len(body) // 2]  # the client vanishes halfway through the file
    response = staff_client.post(
        "/patches/new", input_stream=io.BytesIO(cut_off),
        content_type=f"multipart/form-data; boundary={boundary}",
        environ_overrides={"CONTENT_LENGTH": str(len(body))})
    assert response.status_code == 400
    assert "nothing was published" in response.get_data(as_text=True)
    assert [staged_file.size for staged_file in staged] == [pytest.approx(200_000, abs=2000)]
    assert patch_count(app) == 0 and temp_uploads(app) == [] and stored_blobs(app) == []


def test_a_body_that_simply_ends_early_is_refused_the_same_way(app, staff_client):
    """gunicorn hands the application an input that just ends (no ClientDisconnected)."""
    boundary, body = encode_multipart({
        **form_fields(), "csrf_token": csrf_token(staff_client, "/patches/new"),
        "files": FileStorage(io.BytesIO(payload(100_000)), "big.zip")})
    response = staff_client.post(
        "/patches/new", input_stream=io.BytesIO(body[:60_000]),
        content_type=f"multipart/form-data; boundary={boundary}",
        environ_overrides={"CONTENT_LENGTH": str(len(body)), "wsgi.input_terminated": True})
    assert response.status_code == 400
    assert patch_count(app) == 0 and temp_uploads(app) == [] and stored_blobs(app) == []


def test_a_browser_upload_over_the_request_limit_is_413_and_leaves_nothing(app, staff_client):
    _limit_requests_to(app, 50_000)
    response = staff_client.post("/patches/new", content_type="multipart/form-data", data={
        **form_fields(), "csrf_token": csrf_token(staff_client, "/patches/new"),
        "files": [(io.BytesIO(payload(30_000)), "a.zip"), (io.BytesIO(payload(30_000, 2)),
                                                           "b.zip")],
    })
    assert response.status_code == 413
    assert "at most 48.8 KiB per request" in response.get_data(as_text=True)
    assert patch_count(app) == 0 and temp_uploads(app) == [] and stored_blobs(app) == []


def test_an_api_upload_over_the_request_limit_is_413_json(app, client, api_token,
                                                          demo_accounts):
    _limit_requests_to(app, 50_000)
    response = client.post("/api/v1/patches", headers=bearer(api_token("staff@demo.test")),
                           content_type="multipart/form-data",
                           data={"product": "Orbit ERP", "title": "T",
                                 "file": (io.BytesIO(payload(60_000)), "z.bin")})
    assert response.status_code == 413
    assert "at most 48.8 KiB per request" in response.json["error"]
    assert patch_count(app) == 0 and temp_uploads(app) == [] and stored_blobs(app) == []


def test_a_streamed_upload_of_unknown_length_stops_at_the_request_limit(app, staff_client):
    """A chunked body (no Content-Length; the server marks the input terminated) is cut off
    at the limit while it streams in, never read whole."""
    _limit_requests_to(app, 50_000)
    boundary, body = encode_multipart({
        **form_fields(), "csrf_token": csrf_token(staff_client, "/patches/new"),
        "files": FileStorage(io.BytesIO(payload(200_000)), "big.zip")})
    response = staff_client.post(
        "/patches/new", input_stream=io.BytesIO(body),
        content_type=f"multipart/form-data; boundary={boundary}",
        environ_overrides={"wsgi.input_terminated": True})
    assert response.status_code == 413
    assert "per request" in response.get_data(as_text=True)
    assert patch_count(app) == 0 and temp_uploads(app) == [] and stored_blobs(app) == []
