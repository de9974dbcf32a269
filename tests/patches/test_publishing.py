"""Publishing patches from the browser, the API and `kb patch add`: streaming uploads, the
size cap, uploads cut off midway, duplicates, unsafe file names and drafts."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from kb import db
from kb.patches.models import Patch, PatchFile
from kb.storage.names import safe_file_name
from tests.conftest import bearer, csrf_token, indexed_status
from tests.patches.conftest import payload, sha256_of, stored_blobs, temp_uploads
from tests.stores import both_stores

pytestmark = both_stores


def patch_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Patch.id)))


def form_fields(**overrides) -> dict:
    return {"product": "Orbit ERP", "versions": "12.0", "title": "Browser patch",
            "kind": "patch", "min_plan": "xtreme", "publish": "y", **overrides}


@pytest.fixture
def staff_client(app, client, auth, demo_accounts):
    """Staff signed in; the product they publish for exists (a new one is made on purpose)."""
    from kb.products.service import ensure_product

    with app.app_context():
        ensure_product("Orbit ERP")
        db.session.commit()
    auth.login("staff@demo.test")
    return client


def _post_form(client, **fields):
    return client.post("/patches/new", content_type="multipart/form-data", data={
        **form_fields(**fields), "csrf_token": csrf_token(client, "/patches/new"),
        "files": [(io.BytesIO(b"fix"), "fix.zip")]})


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


def test_superseded_patches_and_release_notes_are_picked_by_title(app, staff_client):
    older = [_post_form(staff_client, title=f"Fix {n}").headers["Location"].rsplit("/", 1)[-1]
             for n in (1, 2)]
    page = staff_client.get("/patches/new").get_data(as_text=True)
    assert f'<option value="{older[0]}" >Orbit ERP: Fix 1 (#{older[0]})</option>' in page
    assert "Orbit ERP: Orbit ERP" not in page

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


def test_identical_files_are_stored_once(app, publish):
    data = payload(20_000)
    publish(files={"a.zip": data}, title="First")
    publish(files={"copy-of-a.zip": data, "other.zip": b"other"}, title="Second")
    assert len(stored_blobs(app)) == 2
    with app.app_context():
        keys = db.session.scalars(select(PatchFile.storage_key).where(
            PatchFile.sha256 == sha256_of(data)))
        assert len(set(keys)) == 1


def test_a_refused_publication_removes_the_files_it_stored(app, publish):
    from kb.errors import Invalid

    with pytest.raises(Invalid, match="no patch #999"):
        publish(files={"a.zip": b"new bytes"}, supersedes=[999])
    assert patch_count(app) == 0 and stored_blobs(app) == [] and temp_uploads(app) == []


def test_nothing_is_published_when_a_stored_file_fails_verification(app, publish,
                                                                   stored_files, monkeypatch):
    from kb.storage import StoredFileProblem

    def damaged_on_disk(self, key, sha256, size, label):
        raise StoredFileProblem(f"The file {label} is damaged on disk.")

    monkeypatch.setattr(type(stored_files.store()), "verify", damaged_on_disk)
    with pytest.raises(StoredFileProblem):
        publish(files={"a.zip": b"written but unreadable"})
    assert patch_count(app) == 0 and stored_blobs(app) == [] and temp_uploads(app) == []


def test_a_file_already_stored_for_another_patch_survives_a_refusal(app, publish):
    from kb.errors import Invalid

    publish(files={"a.zip": b"shared bytes"})
    with pytest.raises(Invalid):
        publish(files={"b.zip": b"shared bytes"}, kind="hotfix")
    assert len(stored_blobs(app)) == 1


@pytest.mark.parametrize("raw, safe", [
    ("../../etc/passwd", "passwd"),
    ("..\\..\\Windows\\system.ini", "system.ini"),
    ("C:\\Users\\x\\evil.dll", "evil.dll"),
    ("/etc/shadow", "shadow"),
    ("fix\x00.sh.zip", "fix.sh.zip"),
    ("invoice\u202egpj.exe", "invoicegpj.exe"),       # right-to-left override dropped
    ("\uff0e\uff0e\uff0fsecret.txt", "secret.txt"),  # fullwidth "../" folds, then separates
    ("my patch (final).zip", "my_patch_final.zip"),
    (".htaccess", "htaccess"),
    ("日本語.zip", "日本語.zip"),
    ("Größe März.zip", "Größe_März.zip"),
    ("ｆｉｘ①.zip", "fix1.zip"),                      # compatibility forms fold (NFKC)
    ("क्षमा.zip", "क्षमा.zip"),                           # combining marks stay
])
def test_unsafe_file_names_are_neutralised(raw, safe):
    assert safe_file_name(raw) == safe


@pytest.mark.parametrize("raw", ["..", "/", "\x00", "\u202e", "\x00\u202e.", "?*<>|"])
def test_names_without_usable_characters_are_refused(raw):
    from kb.errors import Invalid

    with pytest.raises(Invalid, match="no usable characters"):
        safe_file_name(raw)


def test_an_uploaded_path_trick_is_stored_under_its_safe_name(app, client, api_token,
                                                             demo_accounts, stored_files):
    response = client.post("/api/v1/patches", headers=bearer(api_token("staff@demo.test")),
                           content_type="multipart/form-data",
                           data={"product": "Orbit ERP", "title": "Tricky",
                                 "file": (io.BytesIO(b"data"), "../../../kb.sqlite3")})
    assert response.status_code == 201
    assert [f["name"] for f in response.json["files"]] == ["kb.sqlite3"]
    assert [stored_files.read(key) for key in stored_blobs(app)] == [b"data"]


def test_two_files_with_the_same_safe_name_are_refused(app, publish):
    from kb.errors import Invalid

    with pytest.raises(Invalid, match="file names must differ"):
        publish(files={"dir/a.zip": b"1", "other/a.zip": b"2"})


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


def _limit_requests_to(app, size: int) -> None:
    """What ``KB_MAX_UPLOAD_BYTES`` sets when the application is created."""
    app.config.update(MAX_UPLOAD_BYTES=size, MAX_CONTENT_LENGTH=size)


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
