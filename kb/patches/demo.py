"""Demo patches, service packs and a product release with small generated files (idempotent:
by title).

Every plan has patches and service packs (the brochure's ``patches`` feature), so none of
these is gated by plan; the early adopter programme's demo keeps its beta build to its
members (``kb/programmes/demo.py``)."""

from __future__ import annotations

import gzip
import hashlib
import io
import tarfile
import zipfile
from collections.abc import Callable
from datetime import date

from sqlalchemy import select

from kb import db
from kb.articles.models import Article
from kb.patches import service
from kb.patches.models import Patch
from kb.products.models import Product
from kb.products.names import version_sort_key
from kb.storage import Upload, file_store

DEMO_PATCHES = [
    {
        "title": "Orbit ERP 12.0 patch 1: invoice rounding",
        "product": "Orbit ERP", "versions": ["12.0"], "released_on": date(2026, 3, 6),
        "summary": "Invoice totals no longer drift by a cent on multi-currency orders.",
        "description": "Rounds each line in the document currency before summing.\n\n"
                       "Apply it on every application server.",
        "fixed_issues": [("ERP-4711", "Invoice totals rounded per document, not per line")],
        "install_notes": "1. Stop the ERP services.\n2. Run `install-patch.sh`.\n3. Start them.",
        "files": [("erp-12.0-p1.zip", 48_000), ("install-patch.sh", 1_200)],
    },
    {
        "title": "Orbit ERP 11.x payroll tax tables 2026",
        "product": "Orbit ERP", "versions": ["11.0..11.1"], "kind": "regulatory",
        "released_on": date(2026, 1, 5),
        "summary": "The 2026 statutory payroll tax tables.",
        "fixed_issues": [("ERP-5001", "Tax tables for 2026")],
        "files": [("payroll-tax-2026.dat", 20_000)],
    },
    {
        "title": "Orbit ERP 12.0 service pack 1",
        "product": "Orbit ERP", "versions": ["12.0"], "kind": "service-pack",
        "released_on": date(2026, 3, 20), "supersedes_titles": [
            "Orbit ERP 12.0 patch 1: invoice rounding"],
        "summary": "Every fix since 12.0, including patch 1.",
        "prerequisites": "Orbit ERP 12.0 (any patch level).",
        "known_issues": "Reports cached before the update are rebuilt on first use.",
        "fixed_issues": [("ERP-4711", "Invoice totals rounded per document"),
                         ("ERP-4802", "Slow month-end close with many cost centres")],
        "files": [("erp-12.0-sp1.zip", 160_000)],
    },
    {
        "title": "Orbit ERP 12.0 cumulative update 1",
        "product": "Orbit ERP", "versions": ["12.0"], "released_on": date(2026, 3, 30),
        "summary": "Build 12.0.4127: the fixes the CU1 release note lists.",
        "install_notes": "Run `orbit-update --package OrbitERP-12.0-CU1.zip` on each server; "
                         "the database schema does not change.",
        "fixed_issues": [("POST-4011", "Reported although a retry succeeded"),
                         ("SSO-212", "Metadata refresh missed a second signing certificate")],
        "files": [("OrbitERP-12.0-CU1.zip", 96_000)],
        "release_note_slugs": ["orbit-erp-12-0-cu1"],
    },
    {
        "title": "Orbit ERP 12.0 installation media",
        "product": "Orbit ERP", "versions": ["12.0"], "kind": "release",
        "released_on": date(2026, 2, 16),
        "summary": "The full Orbit ERP 12.0 installer, for new installations and upgrades "
                   "from 11.x.",
        "prerequisites": "For an upgrade: Orbit ERP 11.0 or 11.1 with its latest patches.",
        "install_notes": "1. Read the upgrade guide.\n2. Back up the database.\n"
                         "3. Run `setup.sh` and follow its steps.",
        "files": [("orbit-erp-12.0-setup.tar.gz", 240_000), ("setup.sh", 2_400)],
    },
    {
        "title": "Orbit Analytics 2026.1 hotfix: dashboard export",
        "product": "Orbit Analytics", "versions": ["2026.1"],
        "released_on": date(2026, 4, 2),
        "summary": "PDF export of dashboards with more than 40 widgets works again.",
        "fixed_issues": [("ANA-310", "Export of large dashboards timed out")],
        "files": [("analytics-2026.1-hf1.tar.gz", 32_000)],
    },
]


def generated_bytes(label: str, size: int) -> bytes:
    """Deterministic bytes, so that every demo install stores the same files."""
    seed = hashlib.sha256(label.encode()).digest()
    blocks = (hashlib.sha256(seed + index.to_bytes(4, "big")).digest()
              for index in range(size // 32 + 1))
    return b"".join(blocks)[:size]


DEMO_NOTE = ("A demo file of the kb support portal ({name}): it installs nothing. Its other "
             "member is filler, so that the download has a realistic size.\n")
# archives made the same on every install: their members' times are fixed
DEMO_TIME = (2026, 1, 1, 0, 0, 0)


def demo_file(name: str, size: int) -> bytes:
    """A file of about ``size`` bytes that opens as what its name says: a zip or tar.gz archive
    (a note and filler), a shell script, or plain filler bytes for any other name."""
    note = DEMO_NOTE.format(name=name).encode()
    filler = generated_bytes(name, max(size - len(note), 0))
    if name.endswith(".zip"):
        return _zip({"README.txt": note, "payload.bin": filler})
    if name.endswith((".tar.gz", ".tgz")):
        return _tar_gz({"README.txt": note, "payload.bin": filler})
    if name.endswith(".sh"):
        script = f"#!/bin/sh\n# {note.decode().strip()}\necho 'Nothing to install: demo file.'\n"
        return (script + "#" * max(size - len(script) - 1, 0) + "\n").encode()
    return generated_bytes(name, size)


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for member, data in members.items():
            archive.writestr(zipfile.ZipInfo(member, DEMO_TIME), data)
    return buffer.getvalue()


def _tar_gz(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", mtime=0) as packed, \
            tarfile.open(fileobj=packed, mode="w") as archive:
        for member, data in members.items():
            info = tarfile.TarInfo(member)
            info.size, info.mtime, info.mode = len(data), 0, 0o644
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def load(echo: Callable[[str], None]) -> None:
    created = 0
    for entry in DEMO_PATCHES:
        if db.session.scalar(select(Patch.id).where(Patch.title == entry["title"])):
            continue
        service.publish_patch(None, _details(entry), _uploads(entry))
        created += 1
    echo(f"Patches: {created} demo patch(es) published.")


def _details(entry: dict) -> service.PatchDetails:
    supersedes = [db.session.scalar(select(Patch.id).where(Patch.title == title))
                  for title in entry.get("supersedes_titles", [])]
    fields = {key: value for key, value in entry.items()
              if key not in ("files", "supersedes_titles", "release_note_slugs")}
    return service.PatchDetails(**fields, supersedes=[i for i in supersedes if i],
                                release_notes=entry.get("release_note_slugs")
                                or _release_notes(entry))


def _release_notes(entry: dict) -> list[str]:
    """The slugs of the release notes that brought out the versions the patch is for: the
    first note of each version (a later update's note is not the version's). Notes are
    matched by their product and version, not by their titles: every note of a product names
    it, whichever version it is of."""
    notes = db.session.scalars(
        select(Article).join(Product, Article.release_product_id == Product.id)
        .where(Article.type == "release-note", Product.name == entry["product"])
        .order_by(Article.released_on.asc().nulls_last(), Article.id))
    first_of_version: dict[str, str] = {}
    for note in notes:
        version = note.release_version
        if version is not None and _applies_to(entry.get("versions", []), version.name):
            first_of_version.setdefault(version.name, note.slug)
    return list(first_of_version.values())


def _applies_to(entries: list[str], version: str) -> bool:
    """Whether a patch for ``entries`` (version names or ``low..high`` ranges, as
    ``service.publish_patch`` reads them; none: every version) is for ``version``."""
    key = version_sort_key(version)
    for entry in entries:
        low, separator, high = (part.strip() for part in entry.partition(service.RANGE_SEPARATOR))
        if not separator and low == version:
            return True
        if separator and (not low or version_sort_key(low) <= key) \
                and (not high or key <= version_sort_key(high)):
            return True
    return not entries


def _uploads(entry: dict) -> list[Upload]:
    uploads = []
    for name, size in entry["files"]:
        staged = file_store().stage(filename=name)
        staged.write(demo_file(name, size))
        uploads.append(Upload(name, staged))
    return uploads
