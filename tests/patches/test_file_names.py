"""Patch file names in any script: kept readable (not collapsed to ``zip``), distinct names stay
distinct, downloads carry the RFC 5987 ``filename*``, and every stored name downloads, even
one stored before names were cleaned."""

from __future__ import annotations

import io
import unicodedata
from urllib.parse import quote

import pytest
from sqlalchemy import update

from kb import db
from kb.patches.models import PatchFile
from tests.conftest import bearer, on_postgres
from tests.patches.conftest import payload

# PostgreSQL text cannot hold NUL, so only SQLite can have such a row from before
NUL_NEEDS_SQLITE = pytest.mark.skipif(on_postgres(), reason="PostgreSQL text holds no NUL")


def _api_publish(client, api_token, files: dict[str, bytes]):
    return client.post("/api/v1/patches", headers=bearer(api_token("staff@demo.test")),
                       content_type="multipart/form-data",
                       data={"product": "Orbit ERP", "title": "Names",
                             "file": [(io.BytesIO(data), name) for name, data in files.items()]})


def _download(client, url: str, token: str):
    """GET a file and close the response (it holds the stored file open until closed)."""
    response = client.get(url, headers=bearer(token))
    response.get_data()
    response.close()
    return response


def test_non_ascii_names_stay_readable_and_distinct(client, api_token, demo_accounts):
    response = _api_publish(client, api_token, {"補丁一.zip": b"one", "補丁二.zip": b"two",
                                                "Größe.zip": b"three"})
    assert response.status_code == 201, response.json
    assert [f["name"] for f in response.json["files"]] == [
        "補丁一.zip", "補丁二.zip", "Größe.zip"]


def test_a_download_names_the_file_in_utf8_and_in_ascii(client, api_token, demo_accounts):
    created = _api_publish(client, api_token, {"補丁一.zip": b"one"}).json
    url = created["files"][0]["url"]
    response = _download(client, url, api_token("xtreme@demo.test"))
    assert response.status_code == 200 and response.data == b"one"
    assert response.headers["Content-Disposition"] == (
        f"attachment; filename=\"download.zip\"; filename*=UTF-8''{quote('補丁一.zip')}")


def test_the_patch_page_lists_the_non_ascii_name(client, auth, api_token, demo_accounts):
    created = _api_publish(client, api_token, {"Größe.zip": payload(100)}).json
    auth.login("xtreme@demo.test")
    page = client.get(f"/patches/{created['id']}").get_data(as_text=True)
    assert "Größe.zip" in page


@pytest.mark.parametrize("stored_name", [
    pytest.param("fix\x00.zip", marks=NUL_NEEDS_SQLITE), "fix\r\n.zip", "fix\u202e.zip"])
def test_every_stored_name_downloads(app, client, api_token, demo_accounts, stored_name):
    created = _api_publish(client, api_token, {"fix.zip": b"bytes"}).json
    with app.app_context():  # a name stored before names were cleaned
        db.session.execute(update(PatchFile).values(name=stored_name))
        db.session.commit()
    token = api_token("xtreme@demo.test")
    listed = client.get(f"/api/v1/patches/{created['id']}", headers=bearer(token)).json
    response = _download(client, listed["files"][0]["url"], token)
    assert response.status_code == 200 and response.data == b"bytes"
    disposition = response.headers["Content-Disposition"]
    assert not any(unicodedata.category(ch)[0] == "C" for ch in disposition)


@pytest.mark.parametrize("name, fallback", [
    ("walk-ü_é.bin", "walk-u_e.bin"),    # accents dropped, the letters kept
    ("Größe.zip", "Grosse.zip"),          # a letter NFKD keeps whole, spelled out
    ("Ærø_løg.tar.gz", "AEro_log.tar.gz"),
    ("ログ_2026.txt", "2026.txt"),          # what has no ASCII form is left out
    ("補丁一.zip", "download.zip"),         # nothing left: a placeholder, the extension kept
])
def test_the_ascii_name_is_a_transliteration(client, api_token, demo_accounts, name,
                                             fallback):
    """``curl -OJ`` reads only ``filename=``: it saves the file under this name."""
    created = _api_publish(client, api_token, {name: b"bytes"}).json
    response = _download(client, created["files"][0]["url"], api_token("xtreme@demo.test"))
    assert response.headers["Content-Disposition"] == (
        f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name)}")


def test_files_of_one_patch_keep_distinct_ascii_names(client, api_token, demo_accounts):
    """Several accented names of one patch no longer all save as download.bin."""
    names = ["walk-ü_é.bin", "walk-ö_è.bin", "walk-å_ï.bin", "walk-ß.bin"]
    created = _api_publish(client, api_token, {name: name.encode() for name in names}).json
    token = api_token("xtreme@demo.test")
    saved_as = [_download(client, item["url"], token).headers["Content-Disposition"]
                .split('filename="')[1].split('"')[0] for item in created["files"]]
    assert saved_as == ["walk-u_e.bin", "walk-o_e.bin", "walk-a_i.bin", "walk-ss.bin"]


@pytest.mark.parametrize("extension, content_type", [(".tar.gz", "application/x-tar"),
                                                     (".zip", "application/zip")])
def test_a_long_name_is_shortened_but_keeps_its_extension(client, api_token, demo_accounts,
                                                          extension, content_type):
    """Cut at 200 characters, a name lost its ``.zip``: saved without it, the file opened
    with nothing, and its type fell back to whatever the uploading browser said."""
    name = "Orbit-ERP-12.0-cumulative-update-" + "x" * 300 + extension
    created = _api_publish(client, api_token, {name: b"bytes"})
    assert created.status_code == 201, created.json
    [stored] = created.json["files"]
    assert len(stored["name"]) == 200 and stored["name"].endswith("x" + extension)
    assert stored["name"].startswith("Orbit-ERP-12.0-cumulative-update-xxx")
    assert stored["content_type"] == content_type
    response = _download(client, stored["url"], api_token("xtreme@demo.test"))
    assert response.status_code == 200 and f'filename="{stored["name"]}"' in (
        response.headers["Content-Disposition"])
