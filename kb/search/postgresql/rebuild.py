"""A whole new index built beside the live one (``search_documents_new``) and made live in one
transaction by renaming the tables; searches never see it half-built.

While it is built, writers of items write into both tables (``writing.replace_items``), and
the rebuild reads each chunk of items only once it holds their item locks: whichever of a
writer and the rebuild comes second writes the item as the database has it then, so no change
committed meanwhile is lost."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import text

from kb import db
from kb.search import failures
from kb.search.documents import build_items, content_types, item_key
from kb.search.postgresql import schema, writing

CHUNK = 200


def rebuild(progress: Callable[[int], None] | None = None) -> int:
    """Build the new tables from every content type's items, record the items that could not
    be built, and swap; returns the documents written."""
    engine = db.database().engine
    with engine.begin() as connection:
        schema.ensure(connection)
        schema.drop_new(connection)
        trigrams = schema.trigram_schema(connection)
        for statement in [*schema.documents_table(schema.NEW_DOCUMENTS),
                          *schema.words_table(schema.NEW_WORDS, trigrams)]:
            connection.execute(text(statement))
    session = db.database().sessionmaker()
    try:
        built_after = failures.newest_task_id(session)
        session.commit()
        written, failed = _write_all(session, progress)
        # the planner's statistics of the new tables (a server may run without autovacuum)
        session.execute(text(f"ANALYZE {schema.NEW_DOCUMENTS}, {schema.NEW_WORDS}"))
        schema.swap(session.connection())
        failures.clear_all_failures(session, up_to=built_after)
        failures.record_failures(session, failed)
        session.commit()
    except BaseException:
        session.rollback()
        with engine.begin() as connection:
            schema.drop_new(connection)
        raise
    finally:
        session.close()
    return written


def _write_all(session, progress) -> tuple[int, dict[tuple[str, int], str]]:
    written = 0
    failed: dict[tuple[str, int], str] = {}
    for name, found in content_types().items():
        ids = list(found.all_ids(session))
        session.commit()
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start:start + CHUNK]
            keys = sorted(item_key(name, item_id) for item_id in chunk)
            documents, errors = _built_under_lock(session, name, chunk, keys)
            failed.update(errors)
            session.execute(text(f"DELETE FROM {schema.NEW_DOCUMENTS} "
                                 "WHERE item_key = ANY(:keys)"), {"keys": keys})
            writing.write_documents(session, schema.NEW_DOCUMENTS, documents)
            writing.insert_words(session, schema.NEW_WORDS, writing.words_of(documents))
            session.commit()
            session.expunge_all()  # the next chunk reads rows afresh
            written += len(documents)
            if progress:
                progress(len(chunk))
    return written, failed


def _built_under_lock(session, name: str, ids: list[int], keys: list[str]
                      ) -> tuple[list[dict], dict[tuple[str, int], str]]:
    """The documents of the items, read while their item locks are held. An item that fails
    to build rolls the session back, which lets the locks go: the others are then read again
    under the locks taken anew."""
    failed: dict[tuple[str, int], str] = {}
    while True:
        writing.lock_items(session, keys)
        documents, errors = [], {}
        for built in build_items(session, name, [i for i in ids if (name, i) not in failed]):
            if built.error is not None:
                errors[(name, built.item_id)] = built.error
            else:
                documents.extend(built.documents)
        failed.update(errors)
        if not errors:
            return documents, failed
