"""What staff type when publishing that used to come out wrong: fixed issues typed as a Markdown
list, a line with no issue identifier, and an empty (0-byte) file, on the page, the API and
``kb patch add``."""

from __future__ import annotations

import io

from kb import db
from kb.patches.models import Patch
from tests.conftest import bearer, csrf_token
from tests.patches.conftest import stored_blobs, temp_uploads
from tests.patches.publishing_helpers import form_fields, patch_count
from tests.stores import both_stores

pytestmark = both_stores


def _post(client, files, **fields):
    return client.post("/patches/new", content_type="multipart/form-data", data={
        **form_fields(**fields), "csrf_token": csrf_token(client, "/patches/new"),
        "files": files})


def test_fixed_issues_typed_as_a_markdown_list_are_read_as_issues(app, staff_client, auth):
    response = _post(staff_client, [(io.BytesIO(b"fix"), "fix.zip")],
                     fixed_issues="- E-4711 lock\n* E-4712: totals\n3. E-4713 rounding\n-")

    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        patch = db.session.get(Patch, int(response.headers["Location"].rsplit("/", 1)[-1]))
        assert [(i.identifier, i.text) for i in patch.fixed_issues] == [
            ("E-4711", "lock"), ("E-4712", "totals"), ("E-4713", "rounding")]
    auth.logout()
    auth.login("xtreme@demo.test")
    page = staff_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "<li><strong>E-4711</strong> lock</li>" in page
    assert "<strong>-</strong>" not in page


def test_a_fixed_issue_line_without_an_identifier_is_refused_naming_it(app, staff_client):
    response = _post(staff_client, [(io.BytesIO(b"fix"), "fix.zip")], title="Keep me typed",
                     fixed_issues="E-1: fine\n** bold: no id")

    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "the line “** bold: no id” does not start with an issue identifier" in page
    assert 'value="Keep me typed"' in page and "E-1: fine" in page
    assert patch_count(app) == 0 and stored_blobs(app) == [] and temp_uploads(app) == []


def test_an_empty_file_is_refused_on_the_page_keeping_what_was_typed(app, staff_client):
    response = _post(staff_client, [(io.BytesIO(b"fix"), "fix.zip"), (io.BytesIO(b""), "e.zip")],
                     title="Typed title", summary="Typed summary")

    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "e.zip is empty (0 bytes)" in page
    assert 'value="Typed title"' in page and "Typed summary" in page
    assert patch_count(app) == 0 and stored_blobs(app) == [] and temp_uploads(app) == []


def test_the_api_refuses_an_empty_file(app, client, api_token, demo_accounts):
    response = client.post("/api/v1/patches", headers=bearer(api_token("staff@demo.test")),
                           content_type="multipart/form-data",
                           data={"product": "Orbit ERP", "title": "T",
                                 "file": (io.BytesIO(b""), "x.zip")})

    assert response.status_code == 422
    assert "x.zip is empty (0 bytes)" in response.json["error"]
    assert patch_count(app) == 0 and stored_blobs(app) == [] and temp_uploads(app) == []


def test_kb_patch_add_refuses_an_empty_file_and_a_bad_fix_line(app, runner, tmp_path):
    empty, full = tmp_path / "empty.zip", tmp_path / "full.zip"
    empty.write_bytes(b"")
    full.write_bytes(b"x")
    add = ["patch", "add", "--product", "P", "--title", "T"]

    refused_file = runner.invoke(args=[*add, str(empty)])
    refused_line = runner.invoke(args=[*add, "--fixes", "- : nothing", str(full)])
    listed = runner.invoke(args=[*add, "--fixes", "- E-9: nine", str(full)])

    assert refused_file.exit_code != 0 and "empty.zip is empty (0 bytes)" in refused_file.output
    assert refused_line.exit_code != 0 and "Traceback" not in refused_line.output
    assert "“: nothing” does not start with an issue identifier" in refused_line.output
    assert listed.exit_code == 0, listed.output
    with app.app_context():
        patch = db.session.get(Patch, int(listed.output.split()[-1]))
        assert [(i.identifier, i.text) for i in patch.fixed_issues] == [("E-9", "nine")]
    assert patch_count(app) == 1 and temp_uploads(app) == []


def test_an_issue_stored_garbled_from_a_list_is_repaired_by_saving_the_edit_form(
        app, staff_client, publish):
    garbled = publish(title="Lock fix", versions=["12.0"],
                      fixed_issues=[("-", "E-4711 lock"), ("E-4712", "totals")])
    form = staff_client.get(f"/patches/{garbled}/edit").get_data(as_text=True)
    assert "- E-4711 lock\nE-4712: totals</textarea>" in form

    saved = staff_client.post(f"/patches/{garbled}/edit", data={
        "title": "Lock fix", "versions": "12.0", "kind": "patch", "min_plan": "xtreme",
        "fixed_issues": "- E-4711 lock\nE-4712: totals",
        "csrf_token": csrf_token(staff_client, f"/patches/{garbled}")})

    assert saved.status_code == 302, saved.get_data(as_text=True)
    with app.app_context():
        assert [(i.identifier, i.text) for i in db.session.get(Patch, garbled).fixed_issues] == [
            ("E-4711", "lock"), ("E-4712", "totals")]
