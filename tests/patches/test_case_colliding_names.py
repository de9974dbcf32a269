"""Two files of one patch whose names differ only in case (``Setup.exe``, ``setup.exe``) would
overwrite each other on Windows and macOS: refused wherever files are added to a patch (the
API, the publishing form, ``kb patch add``), naming both, and nothing is kept."""

from __future__ import annotations

import io

import pytest

from tests.a11y import described_by, problems, refused_summary
from tests.conftest import bearer, csrf_token
from tests.patches.conftest import stored_blobs, temp_uploads
from tests.patches.publishing_helpers import form_fields, patch_count

COLLIDING = [("Setup.exe", "setup.exe"), ("\u00dcberblick.pdf", "\u00fcberblick.PDF")]


def _files(names) -> list:
    return [(io.BytesIO(f"bytes of {name}".encode()), name) for name in names]


def _nothing_kept(app) -> bool:
    return patch_count(app) == 0 and stored_blobs(app) == [] and temp_uploads(app) == []


@pytest.mark.parametrize("names", COLLIDING)
def test_the_api_refuses_names_differing_only_in_case(app, client, api_token, demo_accounts,
                                                      names):
    response = client.post("/api/v1/patches", headers=bearer(api_token("staff@demo.test")),
                           content_type="multipart/form-data",
                           data={"product": "Orbit ERP", "title": "Installer",
                                 "files": _files(["readme.txt", *names])})
    assert response.status_code == 422
    assert list(response.json) == ["error"]
    assert f"{names[0]} and {names[1]} differ only in upper and lower case" \
        in response.json["error"]
    assert _nothing_kept(app)


def test_names_differing_in_more_than_case_are_published(client, api_token, demo_accounts):
    response = client.post("/api/v1/patches", headers=bearer(api_token("staff@demo.test")),
                           content_type="multipart/form-data",
                           data={"product": "Orbit ERP", "title": "Installer",
                                 "files": _files(["Setup.exe", "setup.exe.sig"])})
    assert response.status_code == 201, response.json
    assert [f["name"] for f in response.json["files"]] == ["Setup.exe", "setup.exe.sig"]


def test_the_form_shows_the_refusal_beside_the_files(app, staff_client):
    response = staff_client.post("/patches/new", content_type="multipart/form-data", data={
        **form_fields(title="Installer 12.0.3"),
        "csrf_token": csrf_token(staff_client, "/patches/new"),
        "files": _files(["Setup.exe", "setup.exe"])})

    assert response.status_code == 422
    page, summary = refused_summary(response, "patch-problem")
    message = ("Setup.exe and setup.exe differ only in upper and lower case: downloaded to "
               "Windows or macOS, one would overwrite the other. Rename one of them, or leave "
               "one out.")
    assert problems(summary) == {"#patch-files": f"Files: {message}"}
    assert described_by(page, "patch-files")[-1] == message
    assert page.get_element_by_id("patch-files").get("aria-invalid") == "true"
    assert page.get_element_by_id("title").get("value") == "Installer 12.0.3"
    assert _nothing_kept(app)


def test_kb_patch_add_refuses_them_too(app, runner, tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    upper, lower = tmp_path / "a" / "Setup.exe", tmp_path / "b" / "setup.exe"
    upper.write_bytes(b"one")
    lower.write_bytes(b"two")
    result = runner.invoke(args=["patch", "add", "--product", "Orbit ERP", "--title", "T",
                                 str(upper), str(lower)])
    assert result.exit_code != 0
    assert "Setup.exe and setup.exe differ only in upper and lower case" in result.output
    assert _nothing_kept(app)
