"""Publishing patches through the API (staff only, bad metadata a 422) and ``kb patch add``;
``kb patch verify`` reports a damaged file."""

from __future__ import annotations

import io

from kb import db
from kb.patches.models import Patch
from tests.conftest import bearer
from tests.patches.conftest import payload, sha256_of, stored_blobs, temp_uploads
from tests.patches.publishing_helpers import (
    patch_count,
)
from tests.stores import both_stores

pytestmark = both_stores


def test_api_publishes_with_ranges_and_links(app, client, api_token, publish, demo_accounts):
    older = publish(title="Older fix")
    response = client.post("/api/v1/patches", headers=bearer(api_token("staff@demo.test")),
                           content_type="multipart/form-data", data={
                               "product": "Orbit ERP", "version": ["11.0..12.0", "12.1"],
                               "title": "Service pack 2", "kind": "service-pack",
                               "min_plan": "premium", "released": "2026-05-01",
                               "supersedes": str(older), "fixed_issues": "ERP-9: Nine",
                               "files": [(io.BytesIO(b"one"), "sp2.zip"),
                                         (io.BytesIO(b"two"), "sp2.txt")]})
    assert response.status_code == 201, response.json
    body = response.json
    assert body["versions"] == ["12.1"]
    assert body["version_range"] == {"from": "11.0", "to": "12.0"}
    assert body["supersedes"] == [older] and body["min_plan"] == "premium"
    assert body["released"] == "2026-05-01"
    assert [f["sha256"] for f in body["files"]] == [sha256_of(b"one"), sha256_of(b"two")]


def test_api_publishing_is_for_staff_only(app, client, api_token, demo_accounts):
    response = client.post("/api/v1/patches", headers=bearer(api_token("elite@demo.test")),
                           content_type="multipart/form-data",
                           data={"product": "Orbit ERP", "title": "T",
                                 "file": (io.BytesIO(b"x"), "x.zip")})
    assert response.status_code == 403
    assert patch_count(app) == 0 and temp_uploads(app) == []


def test_api_refuses_bad_metadata_with_422_and_keeps_nothing(app, client, api_token,
                                                            demo_accounts):
    response = client.post("/api/v1/patches", headers=bearer(api_token("staff@demo.test")),
                           content_type="multipart/form-data",
                           data={"product": "Orbit ERP", "title": "T", "kind": "hotfix",
                                 "file": (io.BytesIO(b"x"), "x.zip")})
    assert response.status_code == 422
    assert "Kind must be one of" in response.json["error"]
    assert stored_blobs(app) == [] and temp_uploads(app) == []


def test_kb_patch_add_prints_the_id_last_and_creates_product_and_version(app, runner,
                                                                         tmp_path):
    first, second = tmp_path / "fix.zip", tmp_path / "README"
    first.write_bytes(payload(123_456))
    second.write_text("apply me\n")
    result = runner.invoke(args=[
        "patch", "add", "--product", "Brand New Product", "--version", "1.0",
        "--title", "First fix", "--kind", "service-pack", "--fixes", "BNP-1: crash",
        str(first), str(second)])
    assert result.exit_code == 0, result.output
    patch_id = int(result.output.strip().splitlines()[-1])
    with app.app_context():
        patch = db.session.get(Patch, patch_id)
        assert patch.product.name == "Brand New Product"
        assert [v.name for v in patch.versions] == ["1.0"]
        assert patch.kind == "service-pack" and patch.status == "published"
        assert [f.sha256 for f in patch.files] == [sha256_of(first.read_bytes()),
                                                  sha256_of(second.read_bytes())]
    assert temp_uploads(app) == []


def test_kb_patch_add_recognises_a_file_it_already_stores(app, runner, tmp_path, publish):
    first = publish(files={"base.zip": b"same bytes"}, title="First")
    copy = tmp_path / "again.zip"
    copy.write_bytes(b"same bytes")
    result = runner.invoke(args=["patch", "add", "--product", "Orbit ERP", "--title", "Again",
                                 str(copy)])
    assert result.exit_code == 0, result.output
    assert f"identical to base.zip of patch #{first}, stored once" in result.output
    assert len(stored_blobs(app)) == 1


def test_kb_patch_add_reports_refusals_without_a_trace(app, runner, tmp_path):
    file = tmp_path / "x.zip"
    file.write_bytes(b"x")
    result = runner.invoke(args=["patch", "add", "--product", "P", "--version", "2.0..1.0",
                                 "--title", "T", str(file)])
    assert result.exit_code != 0
    assert "ends before it starts" in result.output
    assert patch_count(app) == 0 and stored_blobs(app) == [] and temp_uploads(app) == []


def test_kb_patch_verify_reports_a_damaged_file(app, runner, publish, patch_file,
                                               stored_files):
    _, fields, key = patch_file(publish())
    assert runner.invoke(args=["patch", "verify"]).exit_code == 0
    stored_files.overwrite(key, b"broken")
    result = runner.invoke(args=["patch", "verify"])
    assert result.exit_code == 1
    assert f"has 6 bytes {'in the file store' if stored_files.on_s3 else 'on disk'}" \
        f" instead of {fields['size']}" in result.output
    stored_files.overwrite(key, b"x" * fields["size"])  # same size: only the hash can tell
    result = runner.invoke(args=["patch", "verify"])
    assert result.exit_code == 1 and "SHA-256 does not match" in result.output
