"""Incident attachments are anything but programs and scripts: a name with a refused extension
(``SUPPORT_REFUSED_ATTACHMENT_TYPES``) and a Windows, Linux or macOS program under any name are
refused, on the incident form and on a reply or note, beside the file input, with every typed
word kept and nothing logged, sent or stored; logs, dumps (core dumps are ELF files too),
archives, images, PDFs and text go through byte for byte."""

from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import func, select

from kb import db
from kb.support.models import Incident, IncidentAttachment, IncidentEntry
from tests.conftest import csrf_token
from tests.stores import StoredFiles

# a Windows program's first bytes: the DOS header (its last field points at the PE header)
PE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + bytes(46) + b"\x80\x00\x00\x00" \
    + bytes(64) + b"PE\x00\x00" + bytes(200)
ELF_PROGRAM = b"\x7fELF\x02\x01\x01" + bytes(9) + b"\x02\x00\x3e\x00" + bytes(200)
ELF_CORE_DUMP = b"\x7fELF\x02\x01\x01" + bytes(9) + b"\x04\x00\x3e\x00" + bytes(200)
MACH_O_PROGRAM = b"\xcf\xfa\xed\xfe\x07\x00\x00\x01\x03\x00\x00\x00\x02\x00\x00\x00" \
    + bytes(200)
KEPT = {
    "trace.log": b"2026-12-07 10:00:01 ERROR posting failed\n",
    "MZ-7421.log": b"MZ-7421 batch posted twice: see line 4\n",  # text that begins "MZ"
    "erp.dmp": b"MDMP\x93\xa7\x00\x00" + bytes(120),  # a Windows minidump
    "core.4711": ELF_CORE_DUMP,
    "settings.zip": b"PK\x03\x04" + bytes(60),
    "logs.7z": b"7z\xbc\xaf\x27\x1c" + bytes(60),
    "trace.log.gz": b"\x1f\x8b\x08\x00" + bytes(60),
    "screen.png": b"\x89PNG\r\n\x1a\n" + bytes(60),
    "export.pdf": b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n",
    "notes.txt": "Grüße aus München: the queue stops at 10:00.\n".encode(),
}
TYPED = {"product": "Orbit ERP", "version": "12.0 SP1", "severity": "2",
         "title": "Invoices post twice", "description": "Since this morning, *every* batch.",
         "contact": "Paula, +49 30 1234"}


def _log(client, files: list[tuple[bytes, str]]):
    return client.post("/support/incidents/new", data={
        "csrf_token": csrf_token(client, "/support/incidents/new"), **TYPED,
        "attachments": [(io.BytesIO(data), name) for data, name in files]},
        content_type="multipart/form-data")


def _count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def _refusal(name: str, why: str, picked_with: str = "") -> str:
    """The refusal shown beside the file input; ``picked_with``: the file picked with it,
    which is to be picked again (a browser cannot keep it)."""
    again = (f" Nothing is attached yet, and a browser cannot keep the files picked: pick "
             f"{picked_with} again, without {name}.") if picked_with else ""
    return (f'<small id="attachments-error" class="field-error">{name} cannot be attached: '
            f'{why}. Attach logs, dumps, text, PDFs, images, documents and archives (.zip, .7z, '
            f'.gz, .tar); a program support asked for goes inside a .zip archive.{again}</small>')


@pytest.mark.parametrize(("name", "data", "why"), [
    ("setup.exe", b"any bytes at all", ".exe files are programs or scripts"),
    ("Fix.PS1", b"Write-Host 'hi'\n", ".ps1 files are programs or scripts"),
    ("run.sh", b"#!/bin/sh\necho hi\n", ".sh files are programs or scripts"),
    ("invoice.pdf.js", b"alert(1)\n", ".js files are programs or scripts"),
    ("readme.txt", PE, "it is a Windows program, whatever its name says"),
    ("output.log", ELF_PROGRAM, "it is a Linux program, whatever its name says"),
    ("report", MACH_O_PROGRAM, "it is a macOS program, whatever its name says"),
])
def test_a_program_or_script_is_refused_beside_the_file_input_and_nothing_is_logged(
        app, client, auth, desk, name, data, why):
    auth.login("premium@demo.test")
    response = _log(client, [(b"first line\n", "before.log"), (data, name)])
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert _refusal(name, why, picked_with="before.log") in page
    assert "The incident is not logged yet: see Attachments below." in page
    assert re.search(r'<input id="attachments" type="file" name="attachments" multiple '
                     r'aria-describedby="attachments-error" aria-invalid="true"', page)
    for field in ("version", "title", "contact"):
        assert f'value="{TYPED[field]}"' in page
    assert "Since this morning, *every* batch.</textarea>" in page
    assert re.search(r'<input checked[^>]*value="2"', page)  # the severity chosen
    assert _count(app, Incident) == 0 and _count(app, IncidentAttachment) == 0
    assert StoredFiles(app).keys() == []


def test_logs_dumps_archives_images_pdfs_and_text_are_kept_byte_for_byte(app, client, auth,
                                                                          desk):
    auth.login("premium@demo.test")
    response = _log(client, [(data, name) for name, data in KEPT.items()])
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        kept = {row.name: StoredFiles(app).read(row.storage_key)
                for row in db.session.scalars(select(IncidentAttachment))}
    assert kept == KEPT


def test_the_refused_extensions_are_a_setting_and_programs_stay_refused_by_content(
        app, client, auth, desk):
    app.config["SUPPORT_REFUSED_ATTACHMENT_TYPES"] = ".exe, .msi"
    auth.login("premium@demo.test")
    assert _log(client, [(b"#!/bin/sh\n", "collect-logs.sh")]).status_code == 302
    refused = _log(client, [(b"x", "tool.msi")]).get_data(as_text=True)
    assert _refusal("tool.msi", ".msi files are programs or scripts") in refused
    refused = _log(client, [(PE, "tool.dat")]).get_data(as_text=True)
    assert _refusal("tool.dat", "it is a Windows program, whatever its name says") in refused
    assert _count(app, Incident) == 1


@pytest.fixture
def no_refused_extensions(monkeypatch):
    """``KB_SUPPORT_REFUSED_ATTACHMENT_TYPES`` set empty, before the app reads the
    environment."""
    monkeypatch.setenv("KB_SUPPORT_REFUSED_ATTACHMENT_TYPES", "")


def test_the_setting_set_empty_refuses_no_extension_but_still_refuses_programs(
        no_refused_extensions, app, client, auth, desk):
    assert app.config["SUPPORT_REFUSED_ATTACHMENT_TYPES"] == ""
    auth.login("premium@demo.test")
    scripts = [(b"#!/bin/sh\ntar czf logs.tgz /var/log/orbit\n", "collect-logs.sh"),
               (b"Get-EventLog -LogName Application\n", "events.ps1"),
               (b"not a program\n", "readme.exe")]
    assert _log(client, scripts).status_code == 302
    refused = _log(client, [(PE, "tool.exe")]).get_data(as_text=True)
    assert _refusal("tool.exe", "it is a Windows program, whatever its name says") in refused
    refused = _log(client, [(ELF_PROGRAM, "collect")]).get_data(as_text=True)
    assert _refusal("collect", "it is a Linux program, whatever its name says") in refused
    assert _count(app, Incident) == 1


def test_other_settings_set_empty_keep_their_defaults(monkeypatch, new_app, tmp_path):
    from tests.conftest import app_settings

    monkeypatch.setenv("KB_PORTAL_NAME", "")
    monkeypatch.setenv("KB_SUPPORT_TIME_ZONE", "")
    application = new_app(app_settings(tmp_path / "data", f"sqlite:///{tmp_path / 'kb.db'}"))
    assert application.config["PORTAL_NAME"] == "Orbitec Support"
    assert application.config["SUPPORT_TIME_ZONE"] == "UTC"
    assert " exe " in application.config["SUPPORT_REFUSED_ATTACHMENT_TYPES"]


def test_a_reply_or_note_with_a_program_keeps_its_text_and_sends_nothing(
        app, client, auth, log_incident):
    incident_id = log_incident("premium@demo.test")
    entries = _count(app, IncidentEntry)
    for email, kind in (("premium@demo.test", "reply"), ("staff@demo.test", "note")):
        auth.login(email)
        url = f"/support/incidents/{incident_id}"
        response = client.post(f"{url}/replies", data={
            "csrf_token": csrf_token(client, url), "body": f"The {kind} as typed", "kind": kind,
            "attachments": (io.BytesIO(PE), "patch-notes.txt")},
            content_type="multipart/form-data")
        page = response.get_data(as_text=True)
        assert response.status_code == 422
        assert "Your reply is not sent yet: see Attachments below." in page
        assert (_refusal("patch-notes.txt", "it is a Windows program, whatever its name says")
                .replace('id="attachments-error"', 'id="reply-attachments-error"')) in page
        assert f"The {kind} as typed</textarea>" in page
        auth.logout()
    assert _count(app, IncidentEntry) == entries
    assert _count(app, IncidentAttachment) == 0
