"""Publishing patches from the browser: the form's product and supersession fields, two files at
once, the CSRF token, customers refused, the API with a session's CSRF header, drafts."""

from __future__ import annotations

import io

from sqlalchemy import select

from kb import db
from kb.patches.models import Patch
from tests.conftest import csrf_token, indexed_status
from tests.patches.conftest import payload, sha256_of, stored_blobs, temp_uploads
from tests.patches.publishing_helpers import (
    _post_form,
    form_fields,
    patch_count,
)
from tests.stores import both_stores

pytestmark = both_stores


def test_a_typo_in_the_product_does_not_create_a_product(app, staff_client):
    typo = _post_form(staff_client, product="Orbit ERPP")

    assert typo.status_code == 422
    assert "There is no product &#39;Orbit ERPP&#39;" in typo.get_data(as_text=True)
    assert patch_count(app) == 0
    assert _post_form(staff_client, product="orbit erp").status_code == 302
    assert _post_form(staff_client, product="Orbit Mobile", new_product="y").status_code == 302
    with app.app_context():
        assert sorted(p.product.name for p in db.session.scalars(select(Patch))) == [
            "Orbit ERP", "Orbit Mobile"]


def test_a_typo_in_a_version_does_not_create_a_version(app, staff_client):
    typo = _post_form(staff_client, versions="12.0, 12.O")

    assert typo.status_code == 422
    assert "Orbit ERP has no version &#39;12.O&#39;" in typo.get_data(as_text=True)
    assert patch_count(app) == 0
    assert _post_form(staff_client, versions="12.0, 11.0..12.0").status_code == 302
    assert _post_form(staff_client, versions="12.5", new_versions="y").status_code == 302
    assert _post_form(staff_client, product="Orbit Mobile", new_product="y",
                      versions="1.0").status_code == 302
    with app.app_context():
        assert sorted(v.name for p in db.session.scalars(select(Patch)) for v in p.versions) \
            == ["1.0", "12.0", "12.5"]
        patch_id = db.session.scalar(select(Patch.id).where(Patch.product.has(name="Orbit ERP")))
    edit = f"/patches/{patch_id}/edit"
    refused = staff_client.post(edit, data={
        **form_fields(versions="99.9"), "csrf_token": csrf_token(staff_client, edit)})
    assert refused.status_code == 422 and "no version &#39;99.9&#39;" in refused.get_data(
        as_text=True)


def test_superseded_patches_and_release_notes_are_picked_by_title(app, staff_client):
    older = [_post_form(staff_client, title=f"Fix {n}").headers["Location"].rsplit("/", 1)[-1]
             for n in (1, 2)]
    page = staff_client.get("/patches/new").get_data(as_text=True)
    assert f'<option value="{older[0]}" >Fix 1 (#{older[0]})</option>' in page

    newer = staff_client.post("/patches/new", content_type="multipart/form-data", data={
        **form_fields(title="Service pack"), "supersedes": older,
        "csrf_token": csrf_token(staff_client, "/patches/new"),
        "files": [(io.BytesIO(b"sp"), "sp.zip")]})

    assert newer.status_code == 302
    with app.app_context():
        patch = db.session.get(Patch, int(newer.headers["Location"].rsplit("/", 1)[-1]))
        assert sorted(str(old.id) for old in patch.supersedes) == sorted(older)


def test_staff_publish_two_files_from_the_browser(app, staff_client):
    first, second = payload(50_000, seed=1), payload(70_000, seed=2)
    response = staff_client.post("/patches/new", content_type="multipart/form-data", data={
        **form_fields(fixed_issues="ERP-1: First\nERP-2 Second", description="# Fix\n\n*bold*"),
        "csrf_token": csrf_token(staff_client, "/patches/new"),
        "files": [(io.BytesIO(first), "erp-fix.zip"), (io.BytesIO(second), "notes.pdf")],
    })
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        patch = db.session.scalar(select(Patch))
        assert patch.status == "published" and patch.published_at is not None
        assert [(f.name, f.size, f.sha256) for f in patch.files] == [
            ("erp-fix.zip", 50_000, sha256_of(first)), ("notes.pdf", 70_000, sha256_of(second))]
        assert [(i.identifier, i.text) for i in patch.fixed_issues] == [
            ("ERP-1", "First"), ("ERP-2", "Second")]
        assert [v.name for v in patch.versions] == ["12.0"]
        assert indexed_status(f"patch:{patch.id}") == "published"
    assert temp_uploads(app) == []
    page = staff_client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'id="doc-fix">Fix' in page and "<em>bold</em>" in page


def test_the_browser_form_refuses_a_missing_csrf_token_and_keeps_nothing(app, staff_client):
    response = staff_client.post("/patches/new", content_type="multipart/form-data", data={
        **form_fields(), "files": [(io.BytesIO(b"x" * 5000), "a.zip")]})
    assert response.status_code == 422
    assert "form expired" in response.get_data(as_text=True)
    assert patch_count(app) == 0 and temp_uploads(app) == [] and stored_blobs(app) == []


def test_customers_may_not_publish(app, client, auth, demo_accounts):
    auth.login("elite@demo.test")
    response = client.post("/patches/new", content_type="multipart/form-data", data={
        **form_fields(), "csrf_token": csrf_token(client),
        "files": [(io.BytesIO(b"x"), "a.zip")]})
    assert response.status_code == 403
    assert patch_count(app) == 0


def test_api_accepts_a_browser_session_with_a_csrf_header(app, staff_client):
    response = staff_client.post(
        "/api/v1/patches", content_type="multipart/form-data",
        headers={"X-CSRFToken": csrf_token(staff_client)},
        data={"product": "Orbit ERP", "title": "From a session",
              "file": (io.BytesIO(payload(30_000)), "s.zip")})
    assert response.status_code == 201, response.json
    assert response.json["files"][0]["sha256"] == sha256_of(payload(30_000))
    assert temp_uploads(app) == []
    refused = staff_client.post("/api/v1/patches", content_type="multipart/form-data",
                                data={"product": "Orbit ERP", "title": "No token",
                                      "file": (io.BytesIO(b"x"), "x.zip")})
    assert refused.status_code == 400 and temp_uploads(app) == []


def test_a_draft_is_hidden_until_published_and_publishing_checks_the_files(
        app, client, auth, publish, patch_file, stored_files):
    patch_id = publish(publish=False, title="Quiet fix")
    auth.login("elite@demo.test")
    assert client.get(f"/patches/{patch_id}").status_code == 404
    assert "Quiet fix" not in client.get("/patches/").get_data(as_text=True)
    auth.logout()
    auth.login("staff@demo.test")
    _, _, key = patch_file(patch_id)
    good = stored_files.read(key)
    stored_files.overwrite(key, b"x" * len(good))
    assert auth.post(f"/patches/{patch_id}/publish").status_code == 503
    stored_files.overwrite(key, good)
    assert auth.post(f"/patches/{patch_id}/publish").status_code == 302
    auth.logout()
    auth.login("elite@demo.test")
    assert client.get(f"/patches/{patch_id}").status_code == 200
