"""A refused attachment is named in its message, beside the file input; files picked with it
cannot be kept (a page cannot give a browser's picked files back to its file input), so the
message says nothing is attached and names the files to pick again."""

from __future__ import annotations

import io

import lxml.html
from sqlalchemy import select

from kb import db
from kb.support.models import Incident, IncidentAttachment
from tests.conftest import csrf_token

NEW = "/support/incidents/new"


def log_with(client, *files):
    return client.post(NEW, data={
        "csrf_token": csrf_token(client, NEW), "product": "Orbit ERP", "severity": "3",
        "title": "Big dump", "description": "See the files",
        "attachments": [(io.BytesIO(data), name) for name, data in files]},
        content_type="multipart/form-data")


def error_beside_the_files(response) -> str:
    [error] = lxml.html.fromstring(response.get_data(as_text=True)).xpath(
        '//*[@id="attachments-error"]')
    return " ".join(error.text_content().split())


def test_a_file_too_large_is_named_and_the_others_are_to_be_picked_again(app, client, auth,
                                                                        desk):
    app.config["SUPPORT_MAX_ATTACHMENT_BYTES"] = 1000
    auth.login("premium@demo.test")
    response = log_with(client, ("first.log", b"a" * 10), ("dump.bin", b"x" * 5000),
                        ("notes.txt", b"b" * 10))

    assert response.status_code == 413
    assert error_beside_the_files(response) == (
        "dump.bin is larger than the limit of 1000 bytes per file. Nothing is attached yet, "
        "and a browser cannot keep the files picked: pick first.log and notes.txt again, "
        "without dump.bin.")
    with app.app_context():
        assert db.session.scalar(select(Incident)) is None
        assert db.session.scalar(select(IncidentAttachment)) is None


def test_a_single_file_too_large_is_named(app, client, auth, desk):
    app.config["SUPPORT_MAX_ATTACHMENT_BYTES"] = 1000
    auth.login("premium@demo.test")
    response = log_with(client, ("dump.bin", b"x" * 5000))
    assert error_beside_the_files(response) == (
        "dump.bin is larger than the limit of 1000 bytes per file.")


def test_a_program_picked_with_good_files_says_to_pick_them_again(app, client, auth, desk):
    auth.login("premium@demo.test")
    response = log_with(client, ("trace.log", b"fine"), ("setup.exe", b"MZ\x00\x00"))

    assert response.status_code == 422
    error = error_beside_the_files(response)
    assert error.startswith("setup.exe cannot be attached")
    assert error.endswith("pick trace.log again, without setup.exe.")
