"""The OpenAPI document says what the server answers: every list with a page documents its
422, every operation on an item by id its 404, and every upload its multipart body."""

from __future__ import annotations

import io

import pytest

from tests.conftest import bearer


@pytest.fixture
def document(client):
    return client.get("/api/v1/openapi.json").json


def _operations(document):
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            yield method, path, operation


def test_every_operation_with_a_page_documents_the_422_of_a_bad_one(document):
    paged = [(method, path, operation) for method, path, operation in _operations(document)
             if any(p["name"] == "page" for p in operation["parameters"])]
    assert ("get", "/api/v1/articles") in {(method, path) for method, path, _ in paged}
    for method, path, operation in paged:
        assert "422" in operation["responses"], (method, path)


@pytest.mark.parametrize("path", ["/api/v1/articles", "/api/v1/patches",
                                  "/api/v1/release-notes", "/api/v1/community/questions"])
@pytest.mark.parametrize("bad_page", ["abc", "0"])
def test_a_bad_page_is_the_documented_422(client, api_token, demo_accounts, document, path,
                                          bad_page):
    answer = client.get(path, query_string={"page": bad_page},
                        headers=bearer(api_token("elite@demo.test")))
    assert answer.status_code == 422 and answer.json["error"]
    assert "422" in document["paths"][path]["get"]["responses"]


def test_every_operation_on_an_item_by_id_documents_its_404(document):
    by_id = [(method, path, operation) for method, path, operation in _operations(document)
             if any(p["in"] == "path" for p in operation["parameters"])]
    assert ("get", "/api/v1/programmes/{programme_id}") in {(m, p) for m, p, _ in by_id}
    for method, path, operation in by_id:
        assert "404" in operation["responses"], (method, path)


def test_a_missing_programme_is_the_documented_404(client, api_token, demo_accounts, document):
    answer = client.get("/api/v1/programmes/999999",
                        headers=bearer(api_token("elite@demo.test")))
    assert answer.status_code == 404
    assert "404" in document["paths"]["/api/v1/programmes/{programme_id}"]["get"]["responses"]


@pytest.mark.parametrize("method, path, required, files", [
    ("post", "/api/v1/patches", {"product", "title", "files"}, {"files"}),
    ("post", "/api/v1/recordings", {"title", "recorded_on"}, {"video", "transcript"}),
    ("put", "/api/v1/recordings/{recording_id}/media", set(), {"video"}),
])
def test_uploads_document_their_multipart_body(document, method, path, required, files):
    body = document["paths"][path][method]["requestBody"]
    schema = body["content"]["multipart/form-data"]["schema"]
    assert set(schema.get("required", [])) == required
    for name in files:
        field = schema["properties"][name]
        assert "binary" in (field.get("format"), field.get("items", {}).get("format"))


def test_a_patch_sent_as_its_document_describes_is_published(client, api_token, demo_accounts,
                                                              document):
    fields = document["paths"]["/api/v1/patches"]["post"]["requestBody"]["content"][
        "multipart/form-data"]["schema"]["properties"]
    sent = {"product": "Orbit ERP", "title": "Documented upload", "version": ["11.1", "12.0"],
            "kind": fields["kind"]["enum"][0], "min_plan": fields["min_plan"]["enum"][0],
            "files": [(io.BytesIO(b"one"), "one.zip"), (io.BytesIO(b"two"), "two.zip")]}
    assert set(sent) <= set(fields)
    answer = client.post("/api/v1/patches", data=sent, content_type="multipart/form-data",
                         headers=bearer(api_token("staff@demo.test")))
    assert answer.status_code == 201, answer.json
    assert answer.json["versions"] == ["11.1", "12.0"]
    assert sorted(f["name"] for f in answer.json["files"]) == ["one.zip", "two.zip"]


def test_applying_to_a_missing_programme_is_the_documented_404(client, api_token,
                                                                demo_accounts):
    answer = client.post("/api/v1/programmes/999999/applications", json={},
                         headers=bearer(api_token("elite@demo.test")))
    assert answer.status_code == 404


def test_a_multipart_part_that_names_no_field_is_ignored_not_a_server_error(
        client, api_token, demo_accounts):
    boundary = "xyzzy"
    body = (f"--{boundary}\r\nContent-Disposition: form-data\r\n\r\nstray\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nA talk\r\n"
            f"--{boundary}--\r\n").encode()
    answer = client.post("/api/v1/recordings", data=body,
                         content_type=f"multipart/form-data; boundary={boundary}",
                         headers=bearer(api_token("staff@demo.test")))
    assert answer.status_code == 422 and "recorded_on" in answer.json["error"]


def test_a_patch_field_with_nul_is_read_without_it_not_a_server_error(
        client, api_token, demo_accounts):
    answer = client.post("/api/v1/patches", content_type="multipart/form-data",
                         headers=bearer(api_token("staff@demo.test")), data={
                             "product": "Orbit ERP", "title": "Nul\x00 fix",
                             "version": "12.\x000", "files": (io.BytesIO(b"x"), "x.zip")})
    assert answer.status_code == 201, answer.json
    assert answer.json["title"] == "Nul fix" and answer.json["versions"] == ["12.0"]
