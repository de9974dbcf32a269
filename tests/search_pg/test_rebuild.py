"""Writing the PostgreSQL backend's index: a rebuild beside the live table made live at once,
keeping changes committed while it ran and recording items that fail; fingerprints for
check; concurrent writers of one item leave exactly one set of its documents."""

from __future__ import annotations

import dataclasses
import threading

from sqlalchemy import text

from kb import db
from kb.articles.models import Article
from kb.search import failures
from kb.search.documents import _registry, build_items, content_types
from kb.search.postgresql import schema
from tests.search import writer
from tests.search_pg.conftest import documents_of, index, only_on_postgres, titles

pytestmark = only_on_postgres


def expected_fingerprints() -> dict[str, tuple[str, str]]:
    found = {}
    for name, content_type in content_types().items():
        ids = list(content_type.all_ids(db.session))
        for built in build_items(db.session, name, ids) if ids else ():
            for document in built.documents:
                found[document["key"]] = (document["fingerprint"], document["item_key"])
    return found


def test_rebuild_writes_every_item_and_swaps_the_tables(backend, find, demo_accounts):
    first = writer.publish("Cormorant diving", "Cormorants dive.")
    second = writer.publish("Cormorant drying", "Wings out.", min_plan="premium")
    writer.publish("Cormorant draft", "Unfinished.", status="draft")
    assert find("staff", "cormorant").total == 0  # written through the service only
    assert backend.rebuild().documents == 3
    assert backend.fingerprints() == expected_fingerprints()
    assert [hit.item_id for hit in find("xtreme", "cormorant").hits] == [first]
    assert {hit.item_id for hit in find("premium", "cormorant").hits} == {first, second}
    with db.database().engine.connect() as connection:
        assert not schema.exists(connection, schema.NEW_DOCUMENTS)
    # and again, over the live tables
    writer.delete(first)
    assert backend.rebuild().documents == 2
    assert find("xtreme", "cormorant").total == 0
    assert backend.health() == "ok"


def test_a_change_committed_during_a_rebuild_is_kept(backend, find, demo_accounts):
    ids = [writer.publish(f"Grebe {number}", f"Grebe note {number}.", slug=f"grebe-{number}")
           for number in range(3)]
    changed = []

    def progress(count: int) -> None:
        if not changed:  # the first chunk of the first content type is written
            changed.append(writer.publish("Grebe renamed", "Grebe note.", slug="grebe-0"))
            index(backend, "article", ids[0])

    backend.rebuild(progress)
    assert changed == [ids[0]]
    assert sorted(titles(find("xtreme", "grebe"))) == ["Grebe 1", "Grebe 2", "Grebe renamed"]
    assert backend.fingerprints() == expected_fingerprints()


def test_a_rebuild_leaves_out_and_records_an_item_that_fails(backend, find, demo_accounts,
                                                             monkeypatch):
    good = writer.publish("Plover sand", "Plovers.")
    bad = writer.publish("Plover broken", "Plovers.")
    articles = _registry["article"]

    def documents(row):
        if row.id == bad:
            raise ValueError("cannot render this one")
        return articles.documents(row)

    monkeypatch.setitem(_registry, "article", dataclasses.replace(articles,
                                                                  documents=documents))
    rebuilt = backend.rebuild()
    assert (rebuilt.documents, rebuilt.failed) == (1, 1)
    assert [hit.item_id for hit in find("xtreme", "plover").hits] == [good]
    failed = failures.failed_items(db.session)
    assert [(item.item_type, item.item_id) for item in failed] == [("article", bad)]
    assert "cannot render this one" in failed[0].error


def at_once(app, writers: int, write) -> list[BaseException]:
    """Run ``write(number)`` in ``writers`` threads, each in an app context of its own (its
    own session and connection), released together; the errors they raised."""
    barrier = threading.Barrier(writers)
    errors: list[BaseException] = []

    def run(number: int) -> None:
        with app.app_context():
            try:
                barrier.wait()
                write(number)
            except BaseException as failure:  # noqa: BLE001 - reported to the test
                errors.append(failure)
            finally:
                db.session.rollback()

    threads = [threading.Thread(target=run, args=(number,)) for number in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def test_concurrent_writers_of_one_item_leave_one_set_of_documents(app, backend):
    """Writers outside the item's transaction (nothing but the item lock orders them): each
    replaces the documents whole, none fails, one set remains."""
    article = writer.publish("Avocet", "Avocets.")

    def write(number: int) -> None:
        for round_ in range(5):
            writer.publish(f"Avocet {number}.{round_}", "Avocets.", slug="avocet")
            index(backend, "article", article)

    assert at_once(app, 6, write) == []
    assert documents_of(f"article:{article}") == [f"article:{article}"]


def test_writers_in_the_items_transaction_leave_its_last_version(app, backend):
    """As kb writes (``writes_in_transaction``): the documents replaced in the transaction
    that changes the item, so the index ends with the version the database ends with."""
    article = writer.publish("Stilt", "Stilts.")

    def write(number: int) -> None:
        for round_ in range(5):
            row = db.session.get(Article, article)
            row.title = f"Stilt {number}.{round_}"
            db.session.flush()  # the row's lock, until the commit
            backend.replace_items(db.session, build_items(db.session, "article", [article]))
            db.session.commit()

    assert at_once(app, 6, write) == []
    db.session.expire_all()
    assert documents_of(f"article:{article}") == [f"article:{article}"]
    assert backend.fingerprints() == expected_fingerprints()


def test_health_says_what_is_missing_and_ensure_is_idempotent(backend):
    with db.database().engine.begin() as connection:
        schema.drop_all(connection)
    assert backend.health().startswith("missing")
    backend.ensure()
    backend.ensure()
    assert backend.health() == "ok"
    assert backend.fingerprints() == {}


def test_tables_of_another_schema_version_are_rebuilt_by_ensure(backend, put, find):
    put("Heron fishing", "Herons stand still.")
    with db.database().engine.begin() as connection:
        connection.execute(text(f"COMMENT ON TABLE {schema.DOCUMENTS} IS 'kb search schema 0'"))
        connection.execute(text(f"DELETE FROM {schema.DOCUMENTS}"))
    assert backend.health().startswith("outdated")
    backend.ensure()
    assert backend.health() == "ok"
    assert titles(find("xtreme", "heron")) == ["Heron fishing"]


def test_dropping_the_backend_leaves_the_schema_as_the_next_test_takes_it(app, tables_schema):
    """The tests' cleanup (``schema.drop_all``) takes away all the backend made (tables and text
    search configurations): a schema left in another shape is made afresh for the next test,
    0.3 s each time (every PostgreSQL-search test paid it while the configurations stayed)."""
    from kb.search.postgresql import PostgresBackend

    with app.app_context():
        PostgresBackend().ensure()
        assert tables_schema._shape() != tables_schema.shape
        with db.database().engine.begin() as connection:
            schema.drop_all(connection)
    assert tables_schema._shape() == tables_schema.shape
