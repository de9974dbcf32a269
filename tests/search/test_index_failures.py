"""An item whose documents cannot be built never stops the index: it is recorded as failed with
its error, its old documents leave the index (so its current gate is never bypassed), every
other change is applied, and `/healthz`, `kb search apply` and `kb search check` report it
until a later successful build clears it."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import update

from kb import db, search
from kb.accounts.queries import user_by_email
from kb.db import utcnow
from kb.search import documents, maintenance, sync
from kb.search.whoosh import build
from kb.sessions.models import Recording, TranscriptSegment
from kb.sessions.recordings import service as recordings
from tests.conftest import indexed_status, on_postgres
from tests.engines import both_search_backends, whoosh_only
from tests.search import writer
from tests.search.conftest import titles
from tests.sessions.conftest import WEBVTT
from tests.videos import webm_like

pytestmark = both_search_backends

HOUR_600000_MS = 600_000 * 3600 * 1000


def publish_recording(title: str = "Godwit flyways") -> int:
    staff = user_by_email("staff@demo.test")
    fields = recordings.RecordingFields(title=title, recorded_on=utcnow().date(),
                                        topic="Integration")
    video = recordings.Upload("godwit.webm", io.BytesIO(webm_like(bytes(256))))
    return recordings.publish_recording(staff, fields, video, WEBVTT).id


def cue_at_hour_600000(recording_id: int) -> None:
    """A cue the transcript parser once accepted, written as the service wrote it."""
    db.session.add(TranscriptSegment(recording_id=recording_id, position=99,
                                     start_ms=HOUR_600000_MS, end_ms=HOUR_600000_MS + 1000,
                                     text="Godwits at the end of time."))


def empty_title(recording_id: int) -> None:
    db.session.execute(update(Recording).where(Recording.id == recording_id).values(title=""))


BREAKAGES = [
    pytest.param(cue_at_hour_600000, id="cue-at-hour-600000", marks=pytest.mark.skipif(
        on_postgres(), reason="PostgreSQL's integer column refuses the value itself")),
    pytest.param(empty_title, id="empty-title"),
]


def break_recording(recording_id: int, breakage, **changes) -> None:
    """Store data the recording's documents cannot be built from (bypassing the validation
    of the forms), with ``changes`` to the recording, and commit as a service would."""
    breakage(recording_id)
    if changes:
        db.session.execute(update(Recording).where(Recording.id == recording_id)
                           .values(**changes))
    search.record_change("recording", recording_id)
    db.session.commit()


@pytest.mark.parametrize("breakage", BREAKAGES)
def test_a_recording_that_cannot_be_indexed_does_not_hold_back_an_article_raised_to_elite(
        app_context, reader, client, runner, breakage):
    article_id = writer.publish("Avocet wading", "Avocets sweep their bills.")
    recording_id = publish_recording()
    assert titles(reader("xtreme"), "avocet") == ["Avocet wading"]

    break_recording(recording_id, breakage)
    writer.publish("Avocet wading", "Avocets sweep their bills.", min_plan="elite")

    assert titles(reader("xtreme"), "avocet") == []
    assert titles(reader("elite"), "avocet") == ["Avocet wading"]
    applied = runner.invoke(args=["search", "apply"])
    assert applied.exception is None or isinstance(applied.exception, SystemExit)
    assert f"failed recording:{recording_id}:" in applied.output
    assert applied.exit_code == 1

    health = client.get("/healthz")
    assert health.status_code == 200
    assert health.get_json()["status"] == "degraded"
    assert health.get_json()["index_failures"] == 1
    checked = runner.invoke(args=["search", "check"])
    assert checked.exception is None or isinstance(checked.exception, SystemExit)
    assert "failed: 1\n" in checked.output
    assert f"  recording:{recording_id}: ValueError: " in checked.output
    assert checked.exit_code == 1
    assert indexed_status(f"article:{article_id}") == "published"


@pytest.mark.parametrize("breakage", BREAKAGES)
def test_an_unpublished_recording_leaves_the_index_even_when_its_documents_fail(
        app_context, reader, breakage):
    recording_id = publish_recording()
    assert set(titles(reader("xtreme"), "godwit")) == {"Godwit flyways"}

    break_recording(recording_id, breakage, status="draft")

    assert titles(reader("xtreme"), "godwit") == []
    assert titles(reader("xtreme"), "queues depth") == []  # a transcript segment's words
    assert indexed_status(f"recording:{recording_id}") is None


def test_a_later_successful_build_clears_the_failure(app_context, reader, client, runner):
    recording_id = publish_recording()
    break_recording(recording_id, empty_title)
    assert client.get("/healthz").get_json()["status"] == "degraded"

    recordings.update_recording(
        user_by_email("staff@demo.test"), db.session.get(Recording, recording_id),
        recordings.RecordingFields(title="Godwit flyways, again", recorded_on=utcnow().date(),
                                   topic="Integration", external_url="https://v.test/g"))

    assert set(titles(reader("xtreme"), "godwit")) == {"Godwit flyways, again"}
    assert client.get("/healthz").get_json() == {"status": "ok", "database": "ok",
                                                 "index": "ok", "storage": "ok"}
    checked = runner.invoke(args=["search", "check"])
    assert checked.exit_code == 0 and "failed: 0" in checked.output


def test_a_reindex_skips_an_item_that_cannot_be_indexed_and_records_it(app_context, reader,
                                                                       client, runner):
    writer.publish("Stilt wading", "Stilts have long legs.")
    recording_id = publish_recording()
    db.session.execute(update(Recording).where(Recording.id == recording_id).values(title=""))
    db.session.commit()  # no index task: only a full build meets the broken row

    rebuilt = runner.invoke(args=["reindex"])

    assert rebuilt.exit_code == 0, rebuilt.output
    assert titles(reader("xtreme"), "stilt") == ["Stilt wading"]
    assert indexed_status(f"recording:{recording_id}") is None
    assert client.get("/healthz").get_json()["index_failures"] == 1
    checked = runner.invoke(args=["search", "check"])
    assert f"recording:{recording_id}: ValueError" in checked.output


@whoosh_only
def test_search_apply_applies_the_queue_around_an_item_that_cannot_be_indexed(
        app_context, reader, runner, monkeypatch):
    writer.publish("Avocet wading", "Avocets sweep their bills.")
    recording_id = publish_recording()
    with monkeypatch.context() as crashed:  # committed, then a crash before the index
        crashed.setattr(sync, "apply_pending", lambda: None)
        break_recording(recording_id, empty_title)
        writer.publish("Avocet wading", "Avocets sweep their bills.", min_plan="elite")
        writer.publish("Redshank calls", "Redshanks are the sentinels.")

    applied = runner.invoke(args=["search", "apply"])

    assert "Applied 2 item(s)." in applied.output
    assert f"failed recording:{recording_id}: ValueError: " in applied.output
    assert applied.exit_code == 1
    assert titles(reader("xtreme"), "avocet") == []
    assert titles(reader("xtreme"), "redshank") == ["Redshank calls"]
    assert set(titles(reader("staff"), "godwit")) == set()


def test_check_finds_an_item_that_cannot_be_indexed_and_removes_its_documents(
        app_context, reader, runner):
    recording_id = publish_recording()
    db.session.execute(update(Recording).where(Recording.id == recording_id)
                       .values(title="", status="draft"))
    db.session.commit()  # no index task: the index still holds the published recording
    assert set(titles(reader("xtreme"), "godwit")) == {"Godwit flyways"}

    checked = runner.invoke(args=["search", "check"])

    assert f"extra: 4 (recording:{recording_id}" in checked.output
    assert f"  recording:{recording_id}: ValueError: recording:{recording_id}: document " \
           "lacks title" in checked.output
    assert "Repaired 1 item(s)." in checked.output and checked.exit_code == 1
    assert titles(reader("xtreme"), "godwit") == [] and titles(reader("staff"), "godwit") == []
    assert search.failed_item_count() == 1


def test_an_applier_settling_late_never_brings_back_a_cleared_failure(app_context, reader):
    # Appliers settle after their index commit, once the lock is free: meanwhile the item may
    # have been fixed and written by another applier. A failure settled late must not be
    # recorded again over that newer success.
    recording_id = publish_recording()
    with search.deferred():
        break_recording(recording_id, empty_title)
        session = db.database().sessionmaker()
        first_applier_read = sync._read_tasks(session, after_id=0)
    assert search.failed_item_count() == 1  # the block's end: a second applier failed it
    recordings.update_recording(
        user_by_email("staff@demo.test"), db.session.get(Recording, recording_id),
        recordings.RecordingFields(title="Godwit flyways", recorded_on=utcnow().date(),
                                   topic="Integration", external_url="https://v.test/g"))
    assert search.failed_item_count() == 0
    sync._settle(session, first_applier_read,  # the first applier, late
                 failed={("recording", recording_id): "ValueError: late"})
    session.close()
    assert search.failed_item_count() == 0


def test_writer_processes_report_the_items_they_could_not_index(app_context, reader, runner,
                                                                 monkeypatch):
    monkeypatch.setattr(build, "PARALLEL_MIN_ITEMS", 1)
    monkeypatch.setattr(documents, "ROWS_PER_QUERY", 1)
    for name in ("Knot", "Sanderling", "Turnstone"):
        writer.publish(name, f"{name}s feed on the shore.")
    recording_id = publish_recording()
    db.session.execute(update(Recording).where(Recording.id == recording_id).values(title=""))
    db.session.commit()

    rebuilt = maintenance.rebuild(processes=2)

    assert rebuilt.failed == 1
    assert sorted(titles(reader("xtreme"), "shore")) == ["Knot", "Sanderling", "Turnstone"]
    assert [failure.key for failure in maintenance.check().failed] == [
        f"recording:{recording_id}"]
