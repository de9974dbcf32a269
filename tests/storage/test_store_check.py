"""``kb storage check`` on both stores: it finds the files the database names that the store
lacks, lists the files nothing names, and removes only those, only when asked, and only once
nothing has written them for the grace period."""

from __future__ import annotations

import io
import uuid

import pytest

from kb.accounts.queries import user_by_email
from kb.db import utcnow
from kb.sessions.recordings import service as recordings
from kb.storage import FILES, MEDIA, file_store
from kb.transfer import store_check
from tests.stores import both_stores
from tests.videos import webm_like

pytestmark = both_stores
DAY = 24 * 3600


@pytest.fixture
def video(app, demo_accounts) -> str:
    """The key of a published recording's video."""
    with app.app_context():
        recording = recordings.publish_recording(
            user_by_email("staff@demo.test"),
            recordings.RecordingFields(title="Monitoring message flows",
                                       recorded_on=utcnow().date(),
                                       product="Orbit Integration Hub", topic="Integration"),
            recordings.Upload("flows.webm", io.BytesIO(webm_like(bytes(256)))), None)
        return recording.media_path


def left_behind(stored_files, data: bytes, namespace: str = FILES) -> str:
    """A file stored as an upload stores it, whose row was never saved."""
    key = None if namespace == FILES else f"recordings/{uuid.uuid4().hex}.webm"
    return stored_files.store(namespace).save_stream(io.BytesIO(data), key=key).key


def test_files_nothing_names_are_listed_and_kept_without_asking(
        app, runner, stored_files, publish, patch_file):
    _, _, named = patch_file(publish(files={"fix.zip": b"a named patch file"}))
    orphan = left_behind(stored_files, b"stored, then the database failed")
    media_orphan = left_behind(stored_files, b"\x1aE\xdf\xa3 video", MEDIA)
    stored_files.age(orphan, 2 * DAY)

    result = runner.invoke(args=["storage", "check"])

    assert result.exit_code == 0, result.output
    assert f"unreferenced: files/{orphan}" in result.output
    assert f"unreferenced: media/{media_orphan}" in result.output
    assert named not in result.output
    assert "files: 1 file(s) named by the database, 0 missing; 1 stored file(s) named by " \
           "nothing (--remove-unreferenced removes those older than 24 hours)." in result.output
    assert stored_files.keys() == sorted([named, orphan])
    assert stored_files.keys(MEDIA) == [media_orphan]


def test_only_old_files_nothing_names_are_removed(
        app, runner, stored_files, publish, patch_file, video):
    _, _, named = patch_file(publish(files={"fix.zip": b"a named patch file"}))
    old_orphan = left_behind(stored_files, b"left two days ago")
    young_orphan = left_behind(stored_files, b"left an hour ago")
    media_orphan = left_behind(stored_files, b"\x1aE\xdf\xa3 video", MEDIA)
    for key, namespace in ((named, FILES), (old_orphan, FILES), (video, MEDIA),
                           (media_orphan, MEDIA)):
        stored_files.age(key, 2 * DAY, namespace)
    stored_files.age(young_orphan, 3600)

    result = runner.invoke(args=["storage", "check", "--remove-unreferenced"])

    assert result.exit_code == 0, result.output
    assert stored_files.keys() == sorted([named, young_orphan])
    assert stored_files.keys(MEDIA) == [video]
    assert f"removed: files/{old_orphan}" in result.output
    assert "files: 1 file(s) named by the database, 0 missing; 2 stored file(s) named by " \
           "nothing: 1 removed, 1 written in the last 24 hours kept, 0 under names kb does not " \
           "give kept" in result.output
    assert "media: 1 file(s) named by the database, 0 missing; 1 stored file(s) named by " \
           "nothing: 1 removed, 0 written in the last 24 hours kept" in result.output

    shorter = runner.invoke(args=["storage", "check", "--remove-unreferenced",
                                  "--older-than", "1"])
    assert shorter.exit_code == 0 and stored_files.keys() == [named]


def test_a_file_under_a_name_kb_never_gives_is_listed_but_kept(app, runner, stored_files):
    stored_files.overwrite("notes/README.txt", b"an operator's note")
    stored_files.age("notes/README.txt", 30 * DAY)

    result = runner.invoke(args=["storage", "check", "--remove-unreferenced"])

    assert result.exit_code == 0
    assert "1 stored file(s) named by nothing: 0 removed, 0 written in the last 24 hours " \
           "kept, 1 under names kb does not give kept" in result.output
    assert stored_files.keys() == ["notes/README.txt"]


def test_identical_bytes_saved_again_make_an_old_file_young(app, runner, stored_files):
    orphan = left_behind(stored_files, b"uploaded again today")
    stored_files.age(orphan, 2 * DAY)
    assert left_behind(stored_files, b"uploaded again today") == orphan  # its row comes next

    runner.invoke(args=["storage", "check", "--remove-unreferenced"])

    assert stored_files.keys() == [orphan]


def test_a_file_named_after_the_listing_is_not_removed(app, stored_files, publish, patch_file,
                                                      monkeypatch):
    _, _, named = patch_file(publish(files={"fix.zip": b"its row came while the check ran"}))
    stored_files.age(named, 2 * DAY)
    # the listing saw no row yet: the upload's transaction committed right after it
    monkeypatch.setattr(store_check, "referenced_keys", lambda namespace: set())

    with app.app_context():
        checks = store_check.check_stores(file_store, remove=True)

    assert checks[0].unreferenced == [named] and checks[0].removed == []
    assert stored_files.keys() == [named]


def test_a_named_file_the_store_lacks_fails_the_check(app, runner, stored_files, publish,
                                                     patch_file, video):
    _, _, named = patch_file(publish(files={"fix.zip": b"lost with a disk"}))
    stored_files.remove(named)
    stored_files.remove(video, MEDIA)

    result = runner.invoke(args=["storage", "check", "--remove-unreferenced"])

    assert result.exit_code == 1
    assert f"missing: files/{named} is named by the database but not stored" in result.output
    assert f"missing: media/{video}" in result.output


def test_the_grace_period_is_at_least_an_hour(runner):
    result = runner.invoke(args=["storage", "check", "--remove-unreferenced",
                                 "--older-than", "0"])
    assert result.exit_code == 2 and "--older-than" in result.output
