"""`kb reindex` rebuilds beside the live index and switches while searches go on, an index of
another schema version is rebuilt, and `kb search check` finds and repairs drift."""

from __future__ import annotations

import json
import threading

from whoosh import index as whoosh_index

from kb.accounts.service import user_by_email
from kb.search import index, maintenance
from kb.search.index import VERSION_FILE
from kb.search.query import SearchRequest, search
from tests.search.conftest import titles


def _live_whoosh():
    return whoosh_index.open_dir(str(index.current_generation()))


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


def test_changes_committed_during_a_rebuild_are_caught_up(app_context, reader, publish,
                                                          monkeypatch):
    publish("Plover", "Plovers run.")
    real_switch = maintenance._switch_to

    def switch_after_a_change(directory):
        publish("Sandpiper", "Sandpipers probe.")  # lands in the old generation only
        real_switch(directory)

    monkeypatch.setattr(maintenance, "_switch_to", switch_after_a_change)
    rebuilt = maintenance.rebuild(processes=1)
    assert rebuilt.caught_up == 1
    assert sorted(titles(reader("staff"), "sandpiper OR plover")) == ["Plover", "Sandpiper"]


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
    writer = _live_whoosh().writer()
    writer.delete_by_term("key", f"article:{lost}")
    writer.update_document(key=f"article:{changed}", item_key=f"article:{changed}",
                           type="article", item_id=str(changed), title="Dunlin (old)",
                           body="old", url="/articles/dunlin", feature="how_to",
                           min_plan="xtreme", status="published", fingerprint="old")
    writer.add_document(key="article:9999", item_key="article:9999", type="article",
                        item_id="9999", title="Ghost", body="ghost", url="/articles/ghost",
                        feature="how_to", min_plan="xtreme", status="published",
                        fingerprint="x")
    writer.commit()

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


def test_health_reports_a_missing_index(app, client):
    with app.app_context():
        (index.index_root() / index.POINTER_FILE).unlink()
    answer = client.get("/healthz").get_json()
    assert answer["index"].startswith("missing")


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
