"""The files of a publication: duplicates stored once, a refused publication's files removed
(those of other patches kept), verification, unsafe and clashing file names."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from kb import db
from kb.patches.models import PatchFile
from kb.storage.names import safe_file_name
from tests.conftest import bearer
from tests.patches.conftest import payload, sha256_of, stored_blobs, temp_uploads
from tests.patches.publishing_helpers import (
    patch_count,
)
from tests.stores import both_stores

pytestmark = both_stores


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
    ("cafe\u0301.zip", "caf\u00e9.zip"),                  # stored composed (NFC)...
    ("cafe\u200d\u0301.zip", "caf\u00e9.zip"),            # ...also once a joiner is dropped
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
