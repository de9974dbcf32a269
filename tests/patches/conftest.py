"""Helpers for the patch tests: publishing through the real service, files on disk."""

from __future__ import annotations

import hashlib

import pytest

from kb import db
from kb.patches import service
from kb.patches.models import Patch, PatchFile
from kb.storage import file_store
from tests.patches.download_helpers import SIZE
from tests.stores import StoredFiles


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def payload(size: int, seed: int = 1) -> bytes:
    """Bytes that differ at every offset, so a misplaced range cannot match by chance."""
    block = b"".join(hashlib.sha256(f"{seed}:{i}".encode()).digest() for i in range(2048))
    return (block * (size // len(block) + 1))[:size]


@pytest.fixture
def publish(app, demo_accounts):
    """Publish a patch through the service: publish(files={"a.zip": b"..."}, **details)."""

    def make(files: dict[str, bytes] | None = None, publish: bool = True, **details) -> int:
        files = files if files is not None else {"fix.zip": payload(10_000)}
        details.setdefault("product", "Orbit ERP")
        details.setdefault("title", "A patch")
        with app.app_context():
            uploads = []
            for name, data in files.items():
                staged = file_store().stage(filename=name)
                staged.write(data)
                uploads.append(service.Upload(name, staged))
            patch = service.publish_patch(None, service.PatchDetails(**details), uploads,
                                          publish=publish)
            return patch.id

    return make


@pytest.fixture
def patch_file(app):
    """(url, PatchFile fields, storage key) of a patch's file by its name."""

    def find(patch_id: int, name: str | None = None) -> tuple[str, dict, str]:
        with app.app_context():
            patch = db.session.get(Patch, patch_id)
            chosen: PatchFile = next(f for f in patch.files if name in (None, f.name))
            url = f"/patches/{patch_id}/files/{chosen.id}/{chosen.name}"
            fields = {"id": chosen.id, "name": chosen.name, "size": chosen.size,
                      "sha256": chosen.sha256}
            return url, fields, chosen.storage_key

    return find


def temp_uploads(app) -> list[str]:
    """Unfinished uploads left in the app's store (a temporary file or S3 upload)."""
    return StoredFiles(app).unfinished()


def stored_blobs(app) -> list[str]:
    """The keys of the patch files in the app's store."""
    return [key for key in StoredFiles(app).keys() if key.startswith("sha256/")]


@pytest.fixture
def staff_client(app, client, auth, demo_accounts):
    """Staff signed in; the product they publish for exists (a new one is made on purpose)."""
    from kb.products.service import ensure_product

    with app.app_context():
        ensure_product("Orbit ERP")
        db.session.commit()
    auth.login("staff@demo.test")
    return client


@pytest.fixture
def elite_file(publish, patch_file, auth):
    data = payload(SIZE)
    patch_id = publish(files={"erp-fix.zip": data, "readme.txt": b"read me\n"},
                       versions=["12.0"], title="Rounding fix")
    url, fields, key = patch_file(patch_id, "erp-fix.zip")
    auth.login("elite@demo.test")
    return {"data": data, "url": url, "key": key, "patch_id": patch_id, **fields}
