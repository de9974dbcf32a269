"""The test databases: a SQLite file, or on PostgreSQL (``KB_DATABASE_URL``) a schema of each
test's own (``IsolatedDatabase``) or one per worker process emptied for each test
(``TablesSchema``). Loaded as a pytest plugin by ``tests/conftest.py``."""

from __future__ import annotations

import os
import re
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool

import kb.models  # noqa: F401 - every table on the metadata
from kb.db import Base

POSTGRES_URL = os.environ.get("KB_DATABASE_URL", "")


def on_postgres() -> bool:
    return POSTGRES_URL.startswith("postgresql")


# A test that never reaches the test database (pure functions, files, `kb` processes given no
# database of the suite's) would run alike in both passes: it runs in the SQLite pass only
reaches_no_database = pytest.mark.skipif(
    on_postgres(), reason="reaches no database: runs in the SQLite pass")


class IsolatedDatabase:
    """A database nobody else uses: a SQLite file, or a fresh PostgreSQL schema."""

    def __init__(self, directory: Path | None):
        self.schema = None
        if on_postgres():
            self.schema = f"t_{uuid.uuid4().hex[:16]}"
            self._execute(f'CREATE SCHEMA "{self.schema}"')
            separator = "&" if "?" in POSTGRES_URL else "?"
            # a commit need not wait for its WAL to reach the disk: a test never outlives a
            # server crash, and what other connections see is the same
            options = f"-csearch_path={self.schema} -csynchronous_commit=off"
            self.url = f"{POSTGRES_URL}{separator}options={quote(options)}"
        else:
            self.url = f"sqlite:///{directory / 'kb.sqlite3'}"

    def drop(self) -> None:
        if self.schema:
            self._execute(f'DROP SCHEMA "{self.schema}" CASCADE')

    @staticmethod
    def _execute(statement: str) -> None:
        engine = create_engine(POSTGRES_URL, poolclass=NullPool)
        with engine.connect() as connection:
            connection.execute(text(statement))
            connection.commit()
        engine.dispose()


@pytest.fixture
def isolated_database(tmp_path):
    """A fresh, empty database: no tables (for tests that create the schema themselves)."""
    database = IsolatedDatabase(tmp_path)
    yield database
    database.drop()


# What a schema holds besides its rows, which TRUNCATE ... RESTART IDENTITY leaves alone: its
# objects (tables, views, sequences, types, functions...), and the tables' columns,
# constraints, indexes and triggers. Found through pg_depend's indexes, not by scanning pg_class.
# Each is taken as the catalog row that describes it and that row's version (xmin): any DDL
# writes a new version of a row it changes (DELETE, setval and VACUUM write none), so a change
# of the fingerprint means a change of shape. Describing each object instead (its definition
# as text: pg_get_indexdef, format_type, ...) took 15-35 ms a test, this 3 ms. The lines (some
# 3,200) are summed as 64-bit hashes, in any order: sorting them for an md5 of their text was
# 4.5 ms of the server's CPU a test, the sum 2.7 ms.
SHAPE_LINES = """
WITH objects AS (
    SELECT classid, objid, objsubid FROM pg_depend
    WHERE refclassid = 'pg_namespace'::regclass AND refobjid = CAST({schema} AS regnamespace)
), relations AS (SELECT objid AS oid FROM objects WHERE classid = 'pg_class'::regclass)
SELECT count(*) || ' ' || sum(hashtextextended(line, 0)) FROM (
    SELECT concat_ws(' ', classid, objid, objsubid) AS line FROM objects
  UNION ALL
    SELECT concat_ws(' ', 'class', oid, xmin) FROM pg_class
    WHERE oid IN (SELECT oid FROM relations)
  UNION ALL
    SELECT concat_ws(' ', 'column', attrelid, attnum, xmin) FROM pg_attribute
    WHERE attrelid IN (SELECT oid FROM relations)
  UNION ALL
    SELECT concat_ws(' ', 'default', oid, xmin) FROM pg_attrdef
    WHERE adrelid IN (SELECT oid FROM relations)
  UNION ALL
    SELECT concat_ws(' ', 'constraint', oid, xmin) FROM pg_constraint
    WHERE conrelid IN (SELECT oid FROM relations)
  UNION ALL
    SELECT concat_ws(' ', 'index', indexrelid, xmin) FROM pg_index
    WHERE indrelid IN (SELECT oid FROM relations)
  UNION ALL
    SELECT concat_ws(' ', 'trigger', oid, xmin) FROM pg_trigger
    WHERE tgrelid IN (SELECT oid FROM relations)
  UNION ALL
    SELECT concat_ws(' ', 'sequence', seqrelid, xmin) FROM pg_sequence
    WHERE seqrelid IN (SELECT oid FROM relations)
) AS shape"""
SCHEMA_SHAPE = text(SHAPE_LINES.format(schema=":schema"))


def emptying_statement(shape: str) -> str:
    """One round trip that checks that the current schema still has ``shape`` (raising when it
    has not: emptying cannot undo a change of shape), then leaves every table without rows and
    every sequence where a fresh schema has it (its next value is its start), as ``TRUNCATE ...
    RESTART IDENTITY`` would. DELETE, children before parents, not TRUNCATE: TRUNCATE gives
    each table, index and sequence a new file, i.e. a new pg_class row (some 235 for every
    test), and on this autovacuum-less server the dead rows piled up and slowed every catalog
    lookup: TRUNCATE took 1-2 s a test, DELETE of the few tables with rows takes 20-60 ms.
    The used sequences are found among the schema's own: the ``pg_sequences`` view reads every
    sequence of the database (those of other workers' and left-over schemas too), 20-30 ms
    a test with 480 of them, against 3-10 ms."""
    if not re.fullmatch(r"\d+ -?\d+", shape):
        raise ValueError(f"not a schema shape: {shape!r}")
    children_first = ", ".join(f"'{table.name}'" for table in reversed(Base.metadata.sorted_tables))
    return f"""
DO $$
DECLARE
    table_name text;
    used record;
BEGIN
    IF ({SHAPE_LINES.format(schema="current_schema()")}) IS DISTINCT FROM '{shape}' THEN
        RAISE EXCEPTION 'the schema changed shape';
    END IF;
    FOREACH table_name IN ARRAY ARRAY[{children_first}] LOOP
        EXECUTE format('DELETE FROM %I', table_name);
    END LOOP;
    FOR used IN WITH own AS MATERIALIZED (
                    SELECT class.oid, class.relname, sequence.seqstart
                    FROM pg_sequence AS sequence JOIN pg_class AS class
                        ON class.oid = sequence.seqrelid
                    WHERE class.relnamespace = CAST(current_schema() AS regnamespace))
                SELECT relname, seqstart FROM own
                WHERE pg_sequence_last_value(oid) IS NOT NULL LOOP
        PERFORM setval(quote_ident(used.relname), used.seqstart, false);
    END LOOP;
END
$$"""


# The tables of the current schema whose rows (deleted ones included) fill more than 1 MB.
BLOATED_TABLES = text("""
SELECT relname FROM pg_class
WHERE relnamespace = CAST(current_schema() AS regnamespace) AND relkind = 'r'
  AND pg_table_size(oid) > 1024 * 1024
""")


class TablesSchema:
    """The PostgreSQL schema of one worker process's ``app`` fixtures: every table, no rows.

    Why: a fresh schema per test (CREATE SCHEMA and ``create_all`` of every table) costs about
    0.2 s and leaves dead catalog rows behind; emptying this one (``emptying_statement``)
    about 0.02 s, and leaves what a fresh schema would hold: no rows, ids starting at 1.
    Before reusing it, ``take`` checks that the previous test left its shape alone (no table,
    column, index, sequence, ... added, altered or dropped); if it did not, emptying cannot
    undo that, so the schema is dropped and a fresh one made. Tests that need an empty
    database (no tables, e.g. to run the migrations) use ``isolated_database``, which stays
    fresh per test.
    """

    def __init__(self):
        self.database: IsolatedDatabase | None = None
        self.engine = None
        self.shape = None
        self.emptying = None

    def take(self) -> str:
        """The URL of the schema, emptied; created on first use and after a change of shape."""
        if self.database is not None and not self._emptied():
            self.drop()
        if self.database is None:
            self.database = IsolatedDatabase(None)
            self.engine = create_engine(self.database.url)
            Base.metadata.create_all(self.engine)
            self.shape = self._shape()
            self.emptying = text(emptying_statement(self.shape))
        return self.database.url

    def _emptied(self) -> bool:
        """Empty the schema; False when its shape changed, or emptying it failed. One
        connection and transaction for the check of its shape, the emptying and the look at
        its size: 2 round trips (a connection each for the check and the emptying, 3 round
        trips, took 1 ms more of the client's CPU and as much of the server's)."""
        try:
            with self.engine.begin() as connection:
                connection.execute(self.emptying)
                bloated = connection.scalars(BLOATED_TABLES).all()
            if bloated:
                self._vacuum(bloated)
        except DBAPIError:
            return False
        return True

    def _vacuum(self, tables: list[str]) -> None:
        """Give the space of deleted rows back (the server runs without autovacuum): left,
        it would be scanned by every later DELETE and by every query reading a whole table."""
        names = ", ".join(f'"{table}"' for table in tables)
        with self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text(f"VACUUM {names}"))

    def _shape(self) -> str:
        with self.engine.connect() as connection:
            return connection.scalar(SCHEMA_SHAPE, {"schema": self.database.schema})

    def drop(self) -> None:
        if self.database is not None:
            self.engine.dispose()
            self.database.drop()
            self.database = None


@pytest.fixture(scope="session")
def tables_schema():
    """One ``TablesSchema`` per test session, i.e. per xdist worker process."""
    schema = TablesSchema()
    yield schema
    schema.drop()
