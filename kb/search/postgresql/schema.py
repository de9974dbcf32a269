"""The tables of the PostgreSQL search backend: derived state, created by ``ensure`` in plain
SQL (not on kb's metadata: the test suite creates kb's tables on SQLite too).

``search_documents`` holds one row per index document with its text vectors (generated
columns, so a row can never hold a vector of other text); ``search_words`` the words written
in documents, for "did you mean" by trigram similarity (pg_trgm). A word stays in it after
its documents change (a search checks that a readable document has it); a rebuild starts it
afresh."""

from __future__ import annotations

import logging

from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError

DOCUMENTS = "search_documents"
NEW_DOCUMENTS = "search_documents_new"
WORDS = "search_words"
NEW_WORDS = "search_words_new"
# lexemes of a body beyond this are not indexed (a tsvector holds at most 1 MB)
INDEXED_BODY_CHARACTERS = 400_000
# the opening of a body that the first, cheap ranking of every match reads (querying.py)
RANKED_BODY_CHARACTERS = 1500
# serialises kb processes creating the tables or swapping them (a database-wide lock)
SCHEMA_LOCK = "kb.search.postgresql.schema"
log = logging.getLogger(__name__)

COLUMNS = ("key", "item_key", "type", "item_id", "title", "title_prefix", "identifiers",
           "summary", "body", "products", "versions", "kind", "tags", "feature", "min_plan",
           "status", "visible_from", "updated", "url", "position", "fingerprint", "word_parts")


def documents_table(name: str) -> list[str]:
    """The statements that create a documents table called ``name`` and its indexes (named
    after it, so that a new table can be built beside the live one)."""
    return [f"""
CREATE TABLE IF NOT EXISTS {name} (
    key text PRIMARY KEY,
    item_key text NOT NULL,
    type text NOT NULL,
    item_id bigint NOT NULL,
    title text NOT NULL,
    title_prefix text,
    identifiers text NOT NULL DEFAULT '',
    summary text NOT NULL DEFAULT '',
    body text NOT NULL DEFAULT '',
    products text[] NOT NULL DEFAULT '{{}}',
    versions text[] NOT NULL DEFAULT '{{}}',
    kind text NOT NULL DEFAULT '',
    tags text[] NOT NULL DEFAULT '{{}}',
    feature text NOT NULL,
    min_plan text NOT NULL,
    status text NOT NULL,
    visible_from timestamptz,
    updated timestamptz,
    url text NOT NULL,
    position integer,
    fingerprint text NOT NULL,
    -- the parts and leading versions of the versions in the text (2026 and 1 of 2026.1, 12.4
    -- of 12.4.1): a version is found whole and by them (``kb.search.typed.version_parts``)
    word_parts text NOT NULL DEFAULT '',
    document tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english', title), 'A')
        || setweight(to_tsvector('english', replace(identifiers, ',', ' ')), 'A')
        || setweight(to_tsvector('english', summary), 'B')
        || setweight(to_tsvector('english', left(body, {INDEXED_BODY_CHARACTERS})), 'C')
        || setweight(to_tsvector('simple', word_parts), 'C')
    ) STORED,
    -- the same fields, the body's opening only: small enough to stay in the row, so that
    -- every match can be ranked without reading the whole document vector
    rank_words tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english', title), 'A')
        || setweight(to_tsvector('english', replace(identifiers, ',', ' ')), 'A')
        || setweight(to_tsvector('english', summary), 'B')
        || setweight(to_tsvector('english', left(body, {RANKED_BODY_CHARACTERS})), 'C')
        || setweight(to_tsvector('simple', word_parts), 'C')
    ) STORED,
    title_words tsvector GENERATED ALWAYS AS (to_tsvector('english', title)) STORED,
    -- unstemmed words of the title, for "starts with" autocomplete; only the document that
    -- stands for its item has a title_prefix (not a recording's transcript lines)
    prefix_words tsvector GENERATED ALWAYS AS (
        to_tsvector('simple', coalesce(title_prefix, ''))) STORED
)""",
        f"ALTER TABLE {name} ALTER COLUMN rank_words SET STORAGE MAIN",
        f"CREATE INDEX IF NOT EXISTS {name}_item_key ON {name} (item_key)",
        f"CREATE INDEX IF NOT EXISTS {name}_document ON {name} USING gin (document)",
        f"CREATE INDEX IF NOT EXISTS {name}_prefix ON {name} USING gin (prefix_words)",
        f"CREATE INDEX IF NOT EXISTS {name}_updated ON {name} (updated DESC)",
        # locked titles: the few documents above a reader's plan or features
        f"CREATE INDEX IF NOT EXISTS {name}_min_plan ON {name} (min_plan)",
        f"CREATE INDEX IF NOT EXISTS {name}_feature ON {name} (feature)"]


INDEX_SUFFIXES = ("pkey", "item_key", "document", "prefix", "updated", "min_plan", "feature")


def words_table(name: str, trigram_schema: str | None) -> list[str]:
    statements = [f"CREATE TABLE IF NOT EXISTS {name} (word text PRIMARY KEY)"]
    if trigram_schema:
        statements.append(f"CREATE INDEX IF NOT EXISTS {name}_trigram ON {name} "
                          f"USING gin (word {trigram_schema}.gin_trgm_ops)")
    return statements


def lock(connection: Connection) -> None:
    connection.execute(text("SELECT pg_advisory_xact_lock(hashtext(:name))"),
                       {"name": SCHEMA_LOCK})


def ensure(connection: Connection) -> None:
    """Create pg_trgm and the tables when missing, in the caller's transaction."""
    lock(connection)
    trigrams = ensure_trigrams(connection)
    for statement in [*documents_table(DOCUMENTS), *words_table(WORDS, trigrams)]:
        connection.execute(text(statement))


def ensure_trigrams(connection: Connection) -> str | None:
    """The schema pg_trgm lives in, created when missing: in ``public`` when there is one.
    An extension exists once per database; created in the schema of kb's tables, it would go
    with that schema (the tests' schemas are dropped while other schemas use it). None when
    it cannot be created (no suggestions then)."""
    found = trigram_schema(connection)
    if found is not None:
        return found
    public = connection.scalar(text("SELECT to_regnamespace('public') IS NOT NULL"))
    savepoint = connection.begin_nested()
    try:
        connection.execute(text("CREATE EXTENSION IF NOT EXISTS pg_trgm"
                                + (" SCHEMA public" if public else "")))
    except DBAPIError as failure:  # no right to create it: searched without suggestions
        savepoint.rollback()
        log.warning("pg_trgm could not be created (%s): search runs without spelling "
                    "suggestions until it is installed", failure.__class__.__name__)
        return None
    savepoint.commit()
    return trigram_schema(connection)


def trigram_schema(connection: Connection) -> str | None:
    return connection.scalar(text(
        "SELECT quote_ident(extnamespace::regnamespace::text) FROM pg_extension "
        "WHERE extname = 'pg_trgm'"))


def exists(connection: Connection, table: str) -> bool:
    return connection.scalar(text("SELECT to_regclass(:table) IS NOT NULL"),
                             {"table": table})


def drop_new(connection: Connection) -> None:
    connection.execute(text(f"DROP TABLE IF EXISTS {NEW_DOCUMENTS}, {NEW_WORDS}"))


def swap(connection: Connection) -> None:
    """Make the new tables live in the caller's transaction: the old ones dropped, the new
    ones and their indexes renamed."""
    lock(connection)
    connection.execute(text(f"DROP TABLE IF EXISTS {DOCUMENTS}, {WORDS}"))
    connection.execute(text(f"ALTER TABLE {NEW_DOCUMENTS} RENAME TO {DOCUMENTS}"))
    connection.execute(text(f"ALTER TABLE {NEW_WORDS} RENAME TO {WORDS}"))
    renames = [(f"{NEW_DOCUMENTS}_{suffix}", f"{DOCUMENTS}_{suffix}")
               for suffix in INDEX_SUFFIXES]
    renames += [(f"{NEW_WORDS}_pkey", f"{WORDS}_pkey"),
                (f"{NEW_WORDS}_trigram", f"{WORDS}_trigram")]
    for old, new in renames:
        connection.execute(text(f"ALTER INDEX IF EXISTS {old} RENAME TO {new}"))


def drop_all(connection: Connection) -> None:
    """Drop every table of the backend (tests)."""
    connection.execute(text(f"DROP TABLE IF EXISTS {DOCUMENTS}, {NEW_DOCUMENTS}, {WORDS}, "
                            f"{NEW_WORDS}"))
