"""The tables of the PostgreSQL search backend: derived state, created by ``ensure`` in plain
SQL (not on kb's metadata: the test suite creates kb's tables on SQLite too).

``search_documents`` holds one row per index document with its text vectors (generated
columns, so a row can never hold a vector of other text); ``search_words`` the words written
in documents, for "did you mean" by trigram similarity (pg_trgm). A word stays in it after
its documents change (a search checks that a readable document has it); a rebuild starts it
afresh. Words are read with kb's own text search configurations (``STEMMED``, ``UNSTEMMED``),
which fold accents first as the Whoosh index does."""

from __future__ import annotations

import logging

from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError

# raised whenever the tables change: tables of another version are rebuilt, never misread
# (kept as the documents table's comment)
SCHEMA_VERSION = 3
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
# kb's text search configurations, in the schema of its tables: PostgreSQL's english (stemmed)
# and simple, each folding accents first with unaccent where it can be created (café finds
# cafe, and cafe café)
STEMMED = "kb_english"
UNSTEMMED = "kb_simple"
CONFIGURATIONS = ((STEMMED, "english", "english_stem"), (UNSTEMMED, "simple", "simple"))
log = logging.getLogger(__name__)

COLUMNS = ("key", "item_key", "type", "item_id", "title", "title_prefix", "identifiers",
           "summary", "body", "products", "versions", "kind", "tags", "feature", "min_plan",
           "status", "visible_from", "updated", "url", "position", "fingerprint", "word_parts")


def weighted_words(body_characters: int) -> str:
    """The SQL of a document's words with their weights: title and identifiers A, summary B,
    the body's first ``body_characters`` and the versions' parts C."""
    return f"""
        setweight(to_tsvector('{STEMMED}', title), 'A')
        || setweight(to_tsvector('{STEMMED}', replace(identifiers, ',', ' ')), 'A')
        || setweight(to_tsvector('{STEMMED}', summary), 'B')
        || setweight(to_tsvector('{STEMMED}', left(body, {body_characters})), 'C')
        || setweight(to_tsvector('{UNSTEMMED}', word_parts), 'C')"""


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
    -- of 12.4.1): a version is found whole and by them (``kb.search.typed.version_parts``);
    -- and the abbreviations of releases spelled out (sp1 of "service pack 1")
    word_parts text NOT NULL DEFAULT '',
    document tsvector GENERATED ALWAYS AS ({weighted_words(INDEXED_BODY_CHARACTERS)}) STORED,
    -- the same fields, the body's opening only: small enough to stay in the row, so that
    -- every match can be ranked without reading the whole document vector
    rank_words tsvector GENERATED ALWAYS AS ({weighted_words(RANKED_BODY_CHARACTERS)}) STORED,
    title_words tsvector GENERATED ALWAYS AS (to_tsvector('{STEMMED}', title)) STORED,
    -- unstemmed words of the title, for "starts with" autocomplete; only the document that
    -- stands for its item has a title_prefix (not a recording's transcript lines)
    prefix_words tsvector GENERATED ALWAYS AS (
        to_tsvector('{UNSTEMMED}', coalesce(title_prefix, ''))) STORED
)""",
        f"ALTER TABLE {name} ALTER COLUMN rank_words SET STORAGE MAIN",
        f"COMMENT ON TABLE {name} IS 'kb search schema {SCHEMA_VERSION}'",
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


def ensure(connection: Connection) -> bool:
    """Create pg_trgm, unaccent, kb's text search configurations and the tables when missing,
    in the caller's transaction; False when the documents table was written with another
    schema version (it must be rebuilt)."""
    lock(connection)
    trigrams = ensure_extension(connection, "pg_trgm", "search runs without spelling "
                                                       "suggestions")
    ensure_configurations(connection, ensure_extension(
        connection, "unaccent", "search tells accented letters from plain ones"))
    if exists(connection, DOCUMENTS):
        return is_current(connection)
    for statement in [*documents_table(DOCUMENTS), *words_table(WORDS, trigrams)]:
        connection.execute(text(statement))
    return True


def is_current(connection: Connection) -> bool:
    return connection.scalar(text("SELECT obj_description(to_regclass(:table), 'pg_class')"),
                             {"table": DOCUMENTS}) == f"kb search schema {SCHEMA_VERSION}"


def ensure_extension(connection: Connection, name: str, without: str) -> str | None:
    """The schema the extension lives in, created when missing: in ``public`` when there is one.
    An extension exists once per database; created in the schema of kb's tables, it would go
    with that schema (the tests' schemas are dropped while other schemas use it). None when
    it cannot be created (``without`` says what that costs)."""
    found = extension_schema(connection, name)
    if found is not None:
        return found
    public = connection.scalar(text("SELECT to_regnamespace('public') IS NOT NULL"))
    savepoint = connection.begin_nested()
    try:
        connection.execute(text(f"CREATE EXTENSION IF NOT EXISTS {name}"
                                + (" SCHEMA public" if public else "")))
    except DBAPIError as failure:  # no right to create it
        savepoint.rollback()
        log.warning("%s could not be created (%s): %s until it is installed", name,
                    failure.__class__.__name__, without)
        return None
    savepoint.commit()
    return extension_schema(connection, name)


def extension_schema(connection: Connection, name: str) -> str | None:
    return connection.scalar(text(
        "SELECT quote_ident(extnamespace::regnamespace::text) FROM pg_extension "
        "WHERE extname = :name"), {"name": name})


def trigram_schema(connection: Connection) -> str | None:
    return extension_schema(connection, "pg_trgm")


def ensure_configurations(connection: Connection, unaccent_schema: str | None) -> None:
    """kb's text search configurations in the schema of its tables, when missing: copies of
    PostgreSQL's, whose words (those with letters beyond ASCII) unaccent folds first."""
    for name, base, dictionary in CONFIGURATIONS:
        if connection.scalar(text(
                "SELECT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = :name AND "
                "cfgnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema()))"),
                {"name": name}):
            continue
        connection.execute(text(f"CREATE TEXT SEARCH CONFIGURATION {name} "
                                f"(COPY = pg_catalog.{base})"))
        if unaccent_schema:
            connection.execute(text(
                f"ALTER TEXT SEARCH CONFIGURATION {name} ALTER MAPPING FOR hword, hword_part, "
                f"word WITH {unaccent_schema}.unaccent, {dictionary}"))


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
    """Drop every table and text search configuration of the backend (tests)."""
    connection.execute(text(f"DROP TABLE IF EXISTS {DOCUMENTS}, {NEW_DOCUMENTS}, {WORDS}, "
                            f"{NEW_WORDS}"))
    names = ", ".join(name for name, _, _ in CONFIGURATIONS)
    connection.execute(text(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {names}"))
