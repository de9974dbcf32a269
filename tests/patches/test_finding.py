"""Finding the right patch: by product and version (lists and ranges), for my organisation,
supersedence, release notes, the API's shapes and filters, the demo data."""

from __future__ import annotations

import io
import tarfile
import zipfile
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from kb import db
from kb.accounts.queries import user_by_email
from kb.articles.models import Article
from kb.patches import demo, queries, service
from kb.patches.models import Patch
from kb.products import service as products
from kb.storage import file_store


@pytest.fixture
def catalogue(publish):
    """Patches of Orbit ERP for a version list, a range, an open range and every version."""
    return {
        "listed": publish(title="Listed 11.1 and 12.0", versions=["11.1", "12.0"]),
        "range": publish(title="Range 11.0 to 11.1", versions=["11.0..11.1"]),
        "open": publish(title="Open range from 12.0", versions=["12.0.."], kind="service-pack"),
        "every": publish(title="Every ERP version", kind="regulatory"),
        "other": publish(title="Analytics fix", product="Orbit Analytics", versions=["2026.1"]),
    }


def titles(client, query: str) -> set[str]:
    response = client.get(f"/api/v1/patches?{query}")
    assert response.status_code == 200, response.json
    return {patch["title"] for patch in response.json["patches"]}


@pytest.mark.parametrize("version, expected", [
    ("11.0", {"Range 11.0 to 11.1", "Every ERP version"}),
    ("11.1", {"Listed 11.1 and 12.0", "Range 11.0 to 11.1", "Every ERP version"}),
    ("12.0", {"Listed 11.1 and 12.0", "Open range from 12.0", "Every ERP version"}),
])
def test_by_product_and_version(client, auth, catalogue, version, expected):
    auth.login("elite@demo.test")
    assert titles(client, f"product=Orbit ERP&version={version}") == expected


def test_a_version_created_later_falls_into_an_open_range(app, client, auth, catalogue):
    with app.app_context():
        products.ensure_version(products.ensure_product("Orbit ERP"), "12.5")
        db.session.commit()
    auth.login("elite@demo.test")
    assert titles(client, "product=orbit-erp&version=12.5") == {
        "Open range from 12.0", "Every ERP version"}


def test_by_kind_and_by_product_slug(client, auth, catalogue):
    auth.login("elite@demo.test")
    assert titles(client, "kind=regulatory") == {"Every ERP version"}
    assert titles(client, "product=orbit-analytics") == {"Analytics fix"}
    refused = client.get("/api/v1/patches?product=No such product")
    assert refused.status_code == 422 and refused.json["field"] == "product"


def test_a_version_no_product_has_is_refused_not_answered_with_nothing(client, auth, catalogue):
    auth.login("elite@demo.test")
    refused = client.get("/api/v1/patches?product=Orbit ERP&version=13.5")
    assert refused.status_code == 422 and refused.json["field"] == "version"


def test_patches_for_my_organisation_use_its_installed_versions(client, auth, catalogue):
    auth.login("xtreme@demo.test")  # Northwind runs Orbit ERP 11.1
    assert titles(client, "mine=1") == {
        "Listed 11.1 and 12.0", "Range 11.0 to 11.1", "Every ERP version"}
    auth.logout()
    auth.login("elite@demo.test")  # Fabrikam: ERP 12.0, Integration Hub 4.0, Analytics 2026.1
    assert titles(client, "mine=1") == {
        "Listed 11.1 and 12.0", "Open range from 12.0", "Every ERP version", "Analytics fix"}
    page = client.get("/patches/?mine=1").get_data(as_text=True)
    assert "Analytics fix" in page and "Range 11.0 to 11.1" not in page


def test_browse_page_filters_by_product_and_version(client, auth, catalogue):
    auth.login("elite@demo.test")
    page = client.get("/patches/?product=orbit-erp&version=11.0").get_data(as_text=True)
    assert "Range 11.0 to 11.1" in page and "Every ERP version" in page
    assert "Listed 11.1 and 12.0" not in page and "Analytics fix" not in page
    assert "2 patches" in page


def test_superseded_patches_link_to_the_newer_one(client, auth, publish):
    older = publish(title="Hotfix 1")
    newer = publish(title="Service pack 1", kind="service-pack", supersedes=[older])
    auth.login("premium@demo.test")
    older_page = client.get(f"/patches/{older}").get_data(as_text=True)
    assert "Superseded by" in older_page and f'href="/patches/{newer}"' in older_page
    newer_page = client.get(f"/patches/{newer}").get_data(as_text=True)
    assert "Replaces" in newer_page and f'href="/patches/{older}"' in newer_page
    listing = client.get("/patches/").get_data(as_text=True)
    assert "Superseded by" in listing
    api = client.get(f"/api/v1/patches/{older}").json
    assert api["superseded_by"] == [newer]


def test_release_notes_and_patches_link_both_ways(app, client, auth, publish):
    with app.app_context():
        note = Article(type="release-note", slug="erp-12-0", title="Orbit ERP 12.0 release notes",
                       status="published", body="Notes")
        db.session.add(note)
        db.session.commit()
    patch_id = publish(title="Linked fix", release_notes=["erp-12-0"])
    auth.login("premium@demo.test")
    assert "Orbit ERP 12.0 release notes" in client.get(f"/patches/{patch_id}").get_data(
        as_text=True)
    assert client.get(f"/api/v1/patches/{patch_id}").json["release_notes"] == ["erp-12-0"]
    with app.test_request_context():
        note = db.session.scalar(select(Article).where(Article.slug == "erp-12-0"))
        linked = queries.patches_for_release_note(user_by_email("premium@demo.test"), note)
        assert [patch.title for patch in linked] == ["Linked fix"]
    note_page = client.get("/release-notes/erp-12-0").get_data(as_text=True)
    assert f'<a href="/patches/{patch_id}">Patch: Linked fix</a>' in note_page
    listing = client.get("/release-notes/").get_data(as_text=True)
    assert f'<a href="/patches/{patch_id}">Patch: Linked fix</a>' in listing


def test_api_patch_shape(client, auth, publish):
    patch_id = publish(title="Shape", versions=["12.0"], fixed_issues=[("ERP-1", "One")],
                       files={"a.zip": b"alpha"})
    auth.login("elite@demo.test")
    body = client.get(f"/api/v1/patches/{patch_id}").json
    assert body["files"] == [{
        "id": body["files"][0]["id"], "name": "a.zip", "size": 5,
        "sha256": "8ed3f6ad685b959ead7022518e1af76cd816f8e8ec7ccdda1ed4018e8f2223f8",
        "content_type": "application/zip",
        "url": f"http://kb.test/patches/{patch_id}/files/{body['files'][0]['id']}/a.zip",
    }]
    assert {key: body[key] for key in ("id", "kind", "title", "product", "versions",
                                       "fixed_issues", "status")} == {
        "id": patch_id, "kind": "patch", "title": "Shape", "product": "Orbit ERP",
        "versions": ["12.0"], "fixed_issues": [{"id": "ERP-1", "text": "One"}],
        "status": "published"}
    # the address names the configured base URL; the test client signed in on its own host
    assert client.get(urlsplit(body["files"][0]["url"]).path, buffered=True).data == b"alpha"


def test_api_list_pages(client, auth, publish):
    for number in range(5):
        publish(title=f"Patch {number}")
    auth.login("elite@demo.test")
    first = client.get("/api/v1/patches?per_page=2").json
    assert (first["total"], first["page"], first["per_page"], len(first["patches"])) == (
        5, 1, 2, 2)
    last = client.get("/api/v1/patches?per_page=2&page=3").json
    assert len(last["patches"]) == 1
    seen = {p["id"] for page in (1, 2, 3)
            for p in client.get(f"/api/v1/patches?per_page=2&page={page}").json["patches"]}
    assert len(seen) == 5
    assert client.get("/api/v1/patches/9999").status_code == 404


def test_openapi_documents_the_patch_endpoints(client, auth, demo_accounts):
    document = client.get("/api/v1/openapi.json").json
    assert {"get", "post"} <= set(document["paths"]["/api/v1/patches"])
    assert "get" in document["paths"]["/api/v1/patches/{patch_id}"]


def test_rendered_markdown_is_cached_until_the_source_changes(app, publish, monkeypatch):
    from kb import markdown

    patch_id = publish(description="**first**", install_notes="1. stop\n2. start")
    calls = []
    original = markdown.render
    monkeypatch.setattr(markdown, "render", lambda source: calls.append(source) or
                        original(source))
    with app.app_context():
        patch = db.session.get(Patch, patch_id)
        assert "<strong>first</strong>" in service.rendered_sections(patch)["description"]
        rendered_once = len(calls)
        service.rendered_sections(db.session.get(Patch, patch_id))
        assert len(calls) == rendered_once  # the cache served it
        patch.description = "**second**"
        assert "<strong>second</strong>" in service.rendered_sections(patch)["description"]


def test_kb_demo_publishes_demo_patches_once(app, runner):
    first = runner.invoke(args=["demo"])
    assert first.exit_code == 0, first.output
    assert "6 demo patch(es) published" in first.output
    again = runner.invoke(args=["demo"])
    assert "0 demo patch(es) published" in again.output
    with app.app_context():
        # besides these, the early adopter programme's demo keeps a beta build to its members
        patches = list(db.session.scalars(select(Patch).where(Patch.programme_id.is_(None))
                                          .order_by(Patch.id)))
        assert len(patches) == 6
        service_pack = next(p for p in patches if p.kind == "service-pack")
        assert [older.title for older in service_pack.supersedes] == [
            "Orbit ERP 12.0 patch 1: invoice rounding"]
        assert all(p.files and p.status == "published" for p in patches)
        # patches and service packs are a feature of every plan: the demo gates none by plan
        assert {p.min_plan for p in patches} == {"xtreme"}


def _read_all(stream) -> bytes:
    with stream:
        return stream.read()


def test_demo_downloads_open_as_what_their_names_say(app, runner):
    assert runner.invoke(args=["demo"]).exit_code == 0
    with app.app_context():
        files = {item.name: _read_all(file_store().open(item.storage_key))
                 for patch in db.session.scalars(select(Patch)) for item in patch.files}
    for name, data in files.items():
        if name.endswith(".zip"):
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                assert archive.testzip() is None
                assert b"installs nothing" in archive.read("README.txt")
        elif name.endswith(".tar.gz"):
            with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
                assert b"installs nothing" in archive.extractfile("README.txt").read()
        elif name.endswith(".sh"):
            assert data.startswith(b"#!/bin/sh\n")
    assert {"erp-12.0-sp1.zip", "orbit-erp-12.0-setup.tar.gz", "setup.sh"} <= set(files)
    assert demo.demo_file("erp-12.0-sp1.zip", 160_000) == files["erp-12.0-sp1.zip"]  # the same


def test_demo_patches_belong_to_the_release_notes_of_their_versions(app, runner, client, auth):
    """Each demo patch is linked to the release note that brought out each version it is for,
    not to whichever notes of its product come first."""
    assert runner.invoke(args=["demo"]).exit_code == 0
    with app.app_context():
        linked = {patch.title: [note.slug for note in patch.release_notes] for patch in
                  db.session.scalars(select(Patch).where(Patch.programme_id.is_(None)))}
    assert linked == {
        "Orbit ERP 12.0 patch 1: invoice rounding": ["orbit-erp-12-0"],
        "Orbit ERP 11.x payroll tax tables 2026": ["orbit-erp-11-0", "orbit-erp-11-1"],
        "Orbit ERP 12.0 service pack 1": ["orbit-erp-12-0"],
        "Orbit ERP 12.0 installation media": ["orbit-erp-12-0"],
        "Orbit ERP 12.0 cumulative update 1": ["orbit-erp-12-0-cu1"],
        "Orbit Analytics 2026.1 hotfix: dashboard export": ["orbit-analytics-2026-1"],
    }
    auth.login("elite@demo.test")
    new_release = client.get("/release-notes/orbit-erp-12-0").get_data(as_text=True)
    assert "Service pack: Orbit ERP 12.0 service pack 1" in new_release
    assert "Product release: Orbit ERP 12.0 installation media" in new_release
    assert "Patch: Orbit ERP 12.0 cumulative update 1" in client.get(
        "/release-notes/orbit-erp-12-0-cu1").get_data(as_text=True)
    older_note = client.get("/release-notes/orbit-erp-11-1").get_data(as_text=True)
    assert "Regulatory update: Orbit ERP 11.x payroll tax tables 2026" in older_note
    assert "12.0 patch 1" not in older_note and "12.0 service pack 1" not in older_note
    with app.app_context():
        patch_id = db.session.scalar(select(Patch.id).where(
            Patch.title == "Orbit ERP 12.0 service pack 1"))
    patch_page = client.get(f"/patches/{patch_id}").get_data(as_text=True)
    # the note's version in brackets only where its title does not say it already
    assert ">Orbit ERP 12.0</a></li>" in patch_page
