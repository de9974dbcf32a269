"""The index never falls out of step: every change reaches it after the commit, in one writer
for a batch, across a crash between the database commit and the index write, and while another
process holds the write lock."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from contextlib import contextmanager

import pytest
from sqlalchemy import func, select
from whoosh import index as whoosh_index

from kb import db, search
from kb.search import documents, sync
from kb.search.outbox import IndexTask
from kb.search.whoosh import index
from tests.conftest import REPO_ROOT, indexed_status
from tests.engines import both_search_backends, whoosh_only
from tests.search import writer
from tests.search.conftest import titles

pytestmark = both_search_backends


def pending_tasks() -> list[IndexTask]:
    db.session.expire_all()
    return list(db.session.scalars(select(IndexTask)))


def test_a_change_is_found_by_the_next_search_after_the_service_returns(reader, publish):
    staff = reader("staff")
    assert titles(staff, "pelican") == []  # this thread's searcher is now open
    article_id = publish("Pelican guide", "All about pelicans.")
    assert titles(staff, "pelican") == ["Pelican guide"]
    publish("Pelican handbook", "All about pelicans.", slug="pelican-guide")
    assert titles(staff, "pelican") == ["Pelican handbook"]
    publish("Pelican handbook", "All about pelicans.", slug="pelican-guide", status="draft")
    assert titles(reader("xtreme"), "pelican") == []
    assert titles(staff, "pelican") == ["Pelican handbook"]
    publish("Pelican handbook", "All about pelicans.", slug="pelican-guide", min_plan="elite")
    assert titles(reader("premium"), "pelican") == []
    assert titles(reader("elite"), "pelican") == ["Pelican handbook"]
    writer.delete(article_id)
    assert titles(staff, "pelican") == []
    assert pending_tasks() == []


@whoosh_only
def test_a_batch_of_commits_is_applied_with_one_writer(app_context, monkeypatch):
    opened = []
    real_writer = index.live_writer

    def counting_writer():
        opened.append(1)
        return real_writer()

    monkeypatch.setattr(index, "live_writer", counting_writer)
    with search.deferred():
        for number in range(60):
            writer.publish(f"Heron note {number}", "Herons everywhere.")
        assert opened == []
        assert len(pending_tasks()) == 60
    assert opened == [1]
    assert index.searcher().doc_count() == 60
    assert pending_tasks() == []


def _run_writer(environment: dict, *arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tests.search.writer", *arguments],
                          cwd=REPO_ROOT, env=environment, capture_output=True, text=True,
                          timeout=120)


@pytest.fixture
def environment(app):
    import os

    return {**os.environ, "KB_DATA_DIR": app.config["DATA_DIR"],
            "KB_DATABASE_URL": app.config["DATABASE_URL"],
            "KB_SECRET_KEY": "test-secret-key-not-for-production"}


def test_a_crash_between_commit_and_index_write_loses_nothing(app, reader, environment,
                                                             runner):
    crashed = _run_writer(environment, "crash", json.dumps({"title": "Albatross flight"}))
    assert crashed.returncode == 3, crashed.stderr
    staff = reader("staff")
    assert titles(staff, "albatross") == []  # committed, but the index never heard of it
    assert len(pending_tasks()) == 1
    result = runner.invoke(args=["search", "apply"])
    assert result.exit_code == 0, result.output
    assert titles(staff, "albatross") == ["Albatross flight"]
    assert pending_tasks() == []


def test_a_crashed_change_is_retried_by_a_later_request(app, client, reader, environment):
    app.config["SEARCH_RETRY_SECONDS"] = 0
    assert _run_writer(environment, "crash", json.dumps({"title": "Cormorant"})).returncode == 3
    assert titles(reader("staff"), "cormorant") == []
    client.get("/healthz")
    assert titles(reader("staff"), "cormorant") == ["Cormorant"]


def test_a_failing_item_is_recorded_with_its_error_and_retried_by_search_apply(
        app_context, reader, monkeypatch):
    content_type = documents.content_type("article")

    def broken(row):
        raise RuntimeError("renderer exploded")

    monkeypatch.setitem(documents._registry, "article",
                        documents.ContentType("article", content_type.load, broken,
                                              content_type.all_ids, content_type.load_many))
    writer.publish("Puffin", "Puffins.")  # the service returns normally
    task, = pending_tasks()
    assert task.attempts == 1 and "renderer exploded" in task.last_error and task.failed_at
    assert sync.apply_pending().applied == 0  # ordinary applies skip it
    monkeypatch.setitem(documents._registry, "article", content_type)
    report = sync.apply_pending(retry_failed=True)  # what `kb search apply` does
    assert report.applied == 1 and not report.failed
    assert titles(reader("staff"), "puffin") == ["Puffin"]
    assert pending_tasks() == []


HOLD_LOCK = """
import sys, time
from whoosh import index
lock = index.open_dir(sys.argv[1]).lock("WRITELOCK")
assert lock.acquire(blocking=True)
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
lock.release()
"""


@contextmanager
def lock_held_by_another_process(seconds: float):
    """Another process takes the index's write lock, keeps it ``seconds``, then releases it;
    the block runs while it is held and the context waits for the release."""
    with subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(index.current_generation()),
                           str(seconds)], stdout=subprocess.PIPE, text=True) as holder:
        assert holder.stdout.readline().strip() == "locked"
        yield
        holder.wait(timeout=30)


def test_an_applier_settling_late_never_deletes_a_newer_task(app_context, reader):
    # Appliers delete the tasks they applied after their index commit, once the lock is free:
    # meanwhile a second applier may apply (and delete) the same task. A change recorded after
    # that must keep its own task, even when it is the newest one (SQLite would otherwise give
    # it the id of the deleted task, which the first applier then deletes).
    with search.deferred():
        writer.publish("Shearwater", "Shearwaters glide.", slug="shearwater")
        session = db.database().sessionmaker()
        first_applier_read = sync._read_tasks(session, after_id=0)
    # (the block's end is the second applier: it applies the task and deletes it)
    with search.deferred():
        changed = writer.publish("Shearwater", "Shearwaters skim the waves.", slug="shearwater")
        sync._settle(session, first_applier_read, failed={})  # the first applier, late
        session.close()
        assert [task.item_id for task in pending_tasks()] == [changed]
    assert titles(reader("staff"), "waves") == ["Shearwater"]


@whoosh_only
def test_a_change_waits_for_a_lock_held_by_another_process(app_context, reader):
    with lock_held_by_another_process(1.0):
        started = time.monotonic()
        writer.publish("Gannet", "Gannets dive.")  # no LockError reaches the caller
        assert time.monotonic() - started >= 0.5
    assert titles(reader("staff"), "gannet") == ["Gannet"]
    assert pending_tasks() == []


@whoosh_only
def test_a_lock_held_past_the_timeout_leaves_the_change_queued_until_released(app, reader):
    app.config["SEARCH_LOCK_TIMEOUT"] = 0.3
    with lock_held_by_another_process(2.0):
        writer.publish("Kittiwake", "Kittiwakes nest.")
        task, = pending_tasks()
        assert task.attempts == 1 and "lock" in task.last_error
        assert titles(reader("staff"), "kittiwake") == []
    assert sync.apply_pending().applied == 1
    assert titles(reader("staff"), "kittiwake") == ["Kittiwake"]


@whoosh_only
def test_segments_are_written_without_compound_files(app_context, publish):
    publish("Skua", "Skuas.")
    generation = index.current_generation()
    assert not list(generation.glob("*.seg"))
    assert whoosh_index.open_dir(str(generation)).doc_count() == 1


def test_rolled_back_changes_apply_nothing(app_context, reader):
    writer.publish("Tern", "Terns.")
    db.session.add(IndexTask(item_type="article", item_id=999))
    search.record_change("article", 998)
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(IndexTask)) == 0
    assert titles(reader("staff"), "tern") == ["Tern"]


@whoosh_only
def test_files_out_of_use_stay_until_the_grace_period_has_passed(app_context, publish,
                                                                 monkeypatch):
    """A searcher in another process opens stored fields lazily: a commit must not delete
    the files of segments it merged away while such a searcher may still read them."""
    first = publish("Shearwater", "Shearwaters glide.")
    old_reader = index.searcher()
    for number in range(12):  # enough commits for Whoosh to merge the small segments
        publish(f"Petrel {number}", "Petrels.")
    assert old_reader.stored_fields(0)["item_id"] == str(first)
    monkeypatch.setattr(index, "GRACE_SECONDS", -1.0)
    publish("Fulmar", "Fulmars.")
    generation = index.current_generation()
    live = {segment.segment_id() for segment in whoosh_index.open_dir(str(generation))._segments()}
    names = {path.name.split(".")[0] for path in generation.iterdir()
             if path.name.startswith("MAIN_") and path.name != "MAIN_WRITELOCK"}
    assert names == live  # once the grace period is over, unused files go


def test_a_savepoint_inside_a_change_does_not_apply_it_early_nor_lose_it(publish):
    """A released SAVEPOINT is announced like a commit; the change is applied once the outer
    transaction commits (before, the savepoint started an applier that waited on the
    transaction's own locks, and the commit then forgot the change)."""
    from kb.articles.models import Article

    article = db.session.get(Article, publish("Posting keeps running"))
    key = f"article:{article.id}"
    assert indexed_status(key) == "published"
    article.status = "draft"
    search.record_change("article", article.id)
    with db.session.begin_nested():
        pass
    assert indexed_status(key) == "published"
    db.session.commit()
    assert indexed_status(key) != "published"


def test_an_applier_finding_the_queue_emptied_by_another_stops_quietly(app_context, monkeypatch):
    """Between seeing tasks and taking the write lock, another applier may apply them all."""
    seen = iter([True])
    monkeypatch.setattr(sync, "_pending_exists", lambda *args, **kwargs: next(seen, False))
    report = sync.apply_pending()
    assert report.applied == 0 and not report.failed and report.busy is None
