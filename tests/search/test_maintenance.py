"""`kb reindex` rebuilds beside the live index and switches while searches go on, an index of
another schema version is rebuilt, and `kb search check` finds and repairs drift."""

from __future__ import annotations

import json
import threading

import pytest
from flask import current_app
from sqlalchemy import text
from whoosh import index as whoosh_index

from kb import db
from kb.accounts.queries import user_by_email
from kb.search import documents, maintenance, sync
from kb.search.backend import backend_name
from kb.search.query import SearchRequest, search
from kb.search.whoosh import build, index
from kb.search.whoosh.index import VERSION_FILE
from tests.engines import both_search_backends, whoosh_only
from tests.search import writer
from tests.search.conftest import titles

pytestmark = both_search_backends


def _live_whoosh():
    return whoosh_index.open_dir(str(index.current_generation()))


@whoosh_only
def test_reindex_switches_generations_while_searches_keep_answering(app, reader, publish,
                                                                    runner):
    for number in range(30):
        publish(f"Osprey {number}", "Ospreys fish.")
    staff = reader("staff")
    before = index.current_generation()
    failures: list[BaseException] = []
    totals: list[int] = []
    stop = threading.Event()

    def keep_searching():
        with app.app_context():  # a session of its own, as a request would have
            try:
                own_staff = user_by_email("staff@demo.test")
                while not stop.is_set():
                    totals.append(search(own_staff, SearchRequest(text="osprey")).total)
            except BaseException as failure:  # noqa: BLE001 - reported below
                failures.append(failure)
            finally:
                index.close_searcher()

    searchers = [threading.Thread(target=keep_searching) for _ in range(3)]
    for thread in searchers:
        thread.start()
    result = runner.invoke(args=["reindex"])
    stop.set()
    for thread in searchers:
        thread.join()
    assert result.exit_code == 0, result.output
    assert "Indexed 30 documents" in result.output
    assert failures == []
    assert totals and set(totals) == {30}
    after = index.current_generation()
    assert after != before and (before / index.RETIRED_MARKER).exists()
    assert index.remove_old_generations() == []  # searches elsewhere may still read it
    assert index.remove_old_generations(grace_seconds=0) == [before.name]
    assert search(staff, SearchRequest(text="osprey")).total == 30


@whoosh_only
def test_changes_committed_during_a_rebuild_are_caught_up(app_context, reader, publish,
                                                          monkeypatch):
    kept = publish("Plover", "Plovers run.")
    edited = publish("Stint", "Stints feed.")
    deleted = publish("Knot", "Knots gather.")
    queued = publish("Godwit", "Godwits probe.")
    drifted = publish("Dotterel", "Dotterels nest.")
    with _live_whoosh().writer() as live:  # the live generation lost it: not a change
        live.delete_by_term("key", f"article:{drifted}")
    real_write = build.write_generation

    def change_while_writing(*arguments, **keywords):
        written = real_write(*arguments, **keywords)  # the rows were read before these
        publish("Sandpiper", "Sandpipers probe.")  # written into the old generation only
        publish("Stint", "Stints wade at dusk.")
        writer.delete(deleted)
        with monkeypatch.context() as crashed:  # committed, then a crash before the index
            crashed.setattr(sync, "apply_pending", lambda: None)
            publish("Godwit", "Godwits fly south.", min_plan="elite")
        return written

    monkeypatch.setattr(build, "write_generation", change_while_writing)
    rebuilt = maintenance.rebuild(processes=1)
    assert rebuilt.documents == 5
    assert rebuilt.caught_up == 3  # the new, the edited and the deleted item; the queued
    # one is applied from the queue, and the one the old generation lacked is not rewritten
    staff, xtreme = reader("staff"), reader("xtreme")
    assert sorted(titles(staff, "sandpiper OR plover OR knot")) == ["Plover", "Sandpiper"]
    assert titles(staff, "wade dusk") == ["Stint"] and titles(staff, "feed") == []
    assert titles(staff, "south") == ["Godwit"] and titles(xtreme, "godwit") == []
    assert titles(staff, "dotterel") == ["Dotterel"]
    assert maintenance.check().clean
    assert kept and edited and queued


@whoosh_only
def test_writer_processes_each_write_a_share_of_the_same_index(app_context, reader, publish,
                                                               monkeypatch, runner):
    for number in range(12):
        publish(f"Tern {number}", f"Terns dive, number {number}.",
                min_plan=("xtreme", "premium", "elite")[number % 3])
    monkeypatch.setattr(build, "PARALLEL_MIN_ITEMS", 1)
    monkeypatch.setattr(documents, "ROWS_PER_QUERY", 5)  # three chunks for two processes
    result = runner.invoke(args=["reindex", "--processes", "2", "--memory-mb", "16"])
    assert result.exit_code == 0, result.output
    assert "Indexed 12 documents" in result.output and "(0 items changed" in result.output
    with _live_whoosh().reader() as live:
        assert len(live.leaf_readers()) == 2  # one segment per process
    assert sorted(titles(reader("staff"), "tern")) == sorted(f"Tern {n}" for n in range(12))
    assert len(titles(reader("xtreme"), "tern")) == 4
    assert maintenance.check().clean


@whoosh_only
def test_a_failing_writer_process_keeps_the_live_index(app_context, reader, publish,
                                                       monkeypatch):
    publish("Gannet", "Gannets plunge.")
    publish("Shag", "Shags dry their wings.")
    before = index.current_generation()
    generations = set(index.index_root().iterdir())
    monkeypatch.setattr(build, "PARALLEL_MIN_ITEMS", 1)
    monkeypatch.setattr(documents, "ROWS_PER_QUERY", 1)
    # a writer process builds its own app from these settings: one it cannot open fails it
    monkeypatch.setitem(current_app.config, "DATABASE_URL", "sqlite:////nonexistent/kb.db")
    with pytest.raises(build.BuildFailed, match="OperationalError"):
        maintenance.rebuild(processes=2)
    monkeypatch.undo()
    assert index.current_generation() == before
    assert set(index.index_root().iterdir()) == generations  # the half-built one is gone
    assert titles(reader("staff"), "gannet") == ["Gannet"]


@whoosh_only
def test_an_index_of_another_schema_version_is_rebuilt_not_read(app, reader, publish, client):
    publish("Avocet", "Avocets sweep.")
    generation = index.current_generation()
    (generation / VERSION_FILE).write_text(json.dumps({"schema_version": 1}))
    health = client.get("/healthz")
    assert health.status_code == 503 and health.get_json()["index"].startswith("outdated")
    maintenance.ensure_index()  # what `kb init` does (tests/test_migrations.py runs `kb init`)
    assert index.current_generation() != generation
    assert client.get("/healthz").get_json()["index"] == "ok"
    assert client.get("/healthz").status_code == 200
    assert titles(reader("staff"), "avocet") == ["Avocet"]


def test_check_reports_and_repairs_missing_stale_and_extra_documents(app_context, reader,
                                                                    publish, runner):
    kept = publish("Curlew", "Curlews call.")
    changed = publish("Dunlin", "Dunlins flock.")
    lost = publish("Ruff", "Ruffs display.")
    _damage(lost=f"article:{lost}", changed=f"article:{changed}")

    report = runner.invoke(args=["search", "check", "--no-repair"])
    assert report.exit_code == 1
    assert f"missing: 1 (article:{lost})" in report.output
    assert f"stale: 1 (article:{changed})" in report.output
    assert "extra: 1 (article:9999)" in report.output

    repaired = runner.invoke(args=["search", "check"])
    assert repaired.exit_code == 0 and "Repaired 3 item(s)." in repaired.output
    assert runner.invoke(args=["search", "check", "--no-repair"]).exit_code == 0
    assert maintenance.check().clean
    assert sorted(titles(reader("staff"), "curlew OR dunlin OR ruff OR ghost")) == [
        "Curlew", "Dunlin", "Ruff"]
    assert kept


def _damage(lost: str, changed: str) -> None:
    """Behind kb's back: one document lost, one left in an older state, one that no item
    implies."""
    ghost = {"key": "article:9999", "item_key": "article:9999", "type": "article",
             "item_id": "9999", "title": "Ghost", "body": "ghost", "url": "/articles/ghost",
             "feature": "how_to", "min_plan": "xtreme", "status": "published",
             "fingerprint": "x"}
    if backend_name() == "postgresql":
        from kb.search.postgresql.writing import write_documents

        db.session.execute(text("DELETE FROM search_documents WHERE key = :key"), {"key": lost})
        db.session.execute(text("UPDATE search_documents SET title = 'Dunlin (old)', "
                                "fingerprint = 'old' WHERE key = :key"), {"key": changed})
        write_documents(db.session, "search_documents", [ghost])
        db.session.commit()
        return
    writer = _live_whoosh().writer()
    writer.delete_by_term("key", lost)
    writer.update_document(key=changed, item_key=changed, type="article",
                           item_id=changed.split(":")[1], title="Dunlin (old)", body="old",
                           url="/articles/dunlin", feature="how_to", min_plan="xtreme",
                           status="published", fingerprint="old")
    writer.add_document(**ghost)
    writer.commit()


@whoosh_only
def test_health_reports_a_missing_index(app, client):
    with app.app_context():
        (index.index_root() / index.POINTER_FILE).unlink()
    answer = client.get("/healthz").get_json()
    assert answer["index"].startswith("missing")


@whoosh_only
def test_searches_on_an_outdated_index_answer_503_not_a_misreading(app, client, auth,
                                                                  demo_accounts):
    with app.app_context():
        generation = index.current_generation()
    (generation / VERSION_FILE).write_text(json.dumps({"schema_version": 1}))
    auth.login("premium@demo.test")
    page = client.get("/search?q=anything")
    assert page.status_code == 503 and b"being rebuilt" in page.data
    answer = client.get("/api/v1/search?q=anything")
    assert answer.status_code == 503 and "rebuilt" in answer.get_json()["error"]


def _lose_the_index(app) -> None:
    """The state after switching KB_SEARCH_BACKEND without `kb reindex`: no index at all."""
    with app.app_context():
        if backend_name() == "whoosh":
            (index.index_root() / index.POINTER_FILE).unlink()
        else:
            db.session.execute(text("DROP TABLE search_documents"))
            db.session.commit()


@pytest.mark.parametrize("command", [["search", "check"], ["search", "apply"]])
def test_check_and_apply_without_an_index_say_to_build_it(app, runner, command):
    _lose_the_index(app)
    result = runner.invoke(args=command)
    assert result.exit_code == 1
    assert "The search index" in result.output and "is missing: run 'kb init' or 'kb reindex'" \
        in result.output
    assert isinstance(result.exception, SystemExit)  # said, not a traceback
    assert runner.invoke(args=["reindex"]).exit_code == 0
    assert runner.invoke(args=command).exit_code == 0


def test_without_an_index_searches_answer_503_and_changes_stay_queued(app, client, auth, runner,
                                                                       demo_accounts):
    _lose_the_index(app)
    auth.login("premium@demo.test")
    page = client.get("/search?q=anything")
    assert page.status_code == 503 and b"please try again in a few minutes" in page.data
    answer = client.get("/api/v1/search?q=anything")
    assert answer.status_code == 503 and "try again" in answer.get_json()["error"]
    with app.app_context():
        article_id = writer.publish("Queued while the index is missing", "Kept for later.")
        report = sync.apply_pending()
        assert report.applied == 0 and "kb reindex" in report.busy  # queued, not raised
    assert runner.invoke(args=["reindex"]).exit_code == 0
    with app.app_context():
        found = search(user_by_email("premium@demo.test"),
                       SearchRequest(text="Queued while the index is missing"))
        assert [hit.item_id for hit in found.hits][:1] == [article_id]
