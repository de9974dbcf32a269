"""Writing documents: an item's documents replaced in the caller's transaction (the item's
own), serialised per item by an advisory lock, in the live table and, while a rebuild is
building one, in the new table too (so that the rebuild does not lose the change)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from kb.search.documents import BuiltItem, item_key
from kb.search.postgresql.schema import (
    COLUMNS,
    DOCUMENTS,
    NEW_DOCUMENTS,
    NEW_WORDS,
    SCHEMA_LOCK,
    WORDS,
)
from kb.search.typed import VERSION, release_abbreviations, version_parts

# words offered by "did you mean": letters only, three or more
SPELLING_WORD = re.compile(r"(?<![\w])[^\W\d_]{3,}(?![\w])")
LONGEST_WORD = 40
LIST_FIELDS = ("products", "versions", "tags")


def row(document: dict[str, Any]) -> dict[str, Any]:
    """The column values of a finished document."""
    values = {name: document.get(name) for name in COLUMNS}
    for name in LIST_FIELDS:
        values[name] = [word.strip().lower() for word in (values[name] or "").split(",")
                        if word.strip()]
    for name in ("identifiers", "summary", "body", "kind"):
        values[name] = values[name] or ""
    values["item_id"] = int(values["item_id"])
    values["position"] = None if values["position"] is None else int(values["position"])
    for name in ("visible_from", "updated"):
        values[name] = _aware(values[name])
    values["word_parts"] = parts_of_versions(
        document.get(name) or "" for name in ("title", "summary", "body", "identifiers"))
    return values


def parts_of_versions(texts: Iterable[str]) -> str:
    """The parts and leading versions of every version in the texts, and the abbreviations of
    the releases they spell out (sp1 of "service pack 1"), once each."""
    found: dict[str, None] = {}
    for value in texts:
        found.update(dict.fromkeys(part for version in VERSION.findall(value)
                                   for part in version_parts(version.lower())))
        found.update(dict.fromkeys(short for shorts in release_abbreviations(value).values()
                                   for short in shorts))
    return " ".join(found)


def _aware(value: datetime | None) -> datetime | None:
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)


def insert_statement(table: str):
    names = ", ".join(COLUMNS)
    values = ", ".join(f":{name}" for name in COLUMNS)
    return text(f"INSERT INTO {table} ({names}) VALUES ({values})")


def words_of(documents: Iterable[dict[str, Any]]) -> list[str]:
    """The distinct words of the documents' titles, summaries and bodies, sorted (writers
    inserting overlapping words in one order never deadlock)."""
    found: set[str] = set()
    for document in documents:
        for name in ("title", "summary", "body"):
            found.update(word.lower() for word in SPELLING_WORD.findall(document.get(name) or "")
                         if len(word) <= LONGEST_WORD)
    return sorted(found)


def insert_words(connection: Connection | Session, table: str, words: list[str]) -> None:
    if words:
        connection.execute(text(
            f"INSERT INTO {table} (word) SELECT word FROM unnest(CAST(:words AS text[])) "
            "AS word ORDER BY word ON CONFLICT DO NOTHING"), {"words": words})


def write_documents(connection: Connection | Session, table: str,
                    documents: list[dict[str, Any]]) -> None:
    if documents:
        connection.execute(insert_statement(table), [row(document) for document in documents])


def lock_items(connection: Connection | Session, keys: list[str]) -> None:
    """Wait for, then hold until the transaction ends, the lock of each item (in key order:
    two writers of overlapping items never wait for each other in a circle)."""
    connection.execute(text(
        "SELECT count(pg_advisory_xact_lock(hashtext(key))) FROM "
        "(SELECT key FROM unnest(CAST(:keys AS text[])) AS key ORDER BY key) AS keys"),
        {"keys": keys})


def replace_items(session: Session, built: Iterable[BuiltItem]) -> None:
    """Make the documents tables hold exactly these items' documents (none for a gone or
    failed item), in ``session``'s transaction; not committed."""
    items = list(built)
    if not items:
        return
    keys = sorted({item_key(item.type_name, item.item_id) for item in items})
    documents = [document for item in items if item.error is None
                 for document in item.documents]
    # a rebuild swaps the tables only between writers (schema.swap takes this lock whole)
    session.execute(text("SELECT pg_advisory_xact_lock_shared(hashtext(:name))"),
                    {"name": SCHEMA_LOCK})
    lock_items(session, keys)
    tables = [(DOCUMENTS, WORDS)]
    if session.scalar(text("SELECT to_regclass(:table) IS NOT NULL"),
                      {"table": NEW_DOCUMENTS}):
        tables.append((NEW_DOCUMENTS, NEW_WORDS))
    words = words_of(documents)
    for documents_table, words_table in tables:
        session.execute(text(f"DELETE FROM {documents_table} WHERE item_key = ANY(:keys)"),
                        {"keys": keys})
        write_documents(session, documents_table, documents)
        insert_words(session, words_table, words)
