"""/healthz reports the file store: "ok" for a folder kb may write and a bucket that answers;
a store that fails makes the portal "degraded" but keeps the server in (every server shares
the store, so taking one out would not help)."""

from __future__ import annotations

import pytest

from tests.storage.test_s3_store import closed_port_address
from tests.stores import both_stores


@both_stores
def test_a_working_store_is_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json()["storage"] == "ok"
    assert response.get_json()["status"] == "ok"


@pytest.mark.parametrize("storage", ["s3"], indirect=True)
def test_a_bucket_that_is_gone_makes_the_portal_degraded(app, client, s3_endpoint):
    app.config["STORAGE_URL"] = "s3://no-such-bucket-of-kb/kb"
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "degraded", "database": "ok", "index": "ok",
                                   "storage": "error: ClientError"}


@pytest.mark.parametrize("storage", ["s3"], indirect=True)
def test_a_store_that_does_not_answer_is_reported(app, client):
    app.config["S3_ENDPOINT_URL"] = closed_port_address()
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "degraded", "database": "ok", "index": "ok",
                                   "storage": "error: EndpointConnectionError"}
