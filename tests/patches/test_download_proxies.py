"""Handing a patch file's bytes to the web server in front (X-Accel-Redirect for nginx,
X-Sendfile for Apache) after the policy said yes; stored files have no public address; on the
local and the S3 store."""

from __future__ import annotations

import pytest

from tests.patches.download_helpers import downloads
from tests.stores import both_stores

pytestmark = both_stores


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
