"""Copy every table of one kb database into another, empty one, and prove the copy equal.

Rows keep their ids, so everything that names them (the search index, stored files, links in
e-mails already sent) stays true. Schema and rows are one transaction on the target: on
PostgreSQL, whose schema changes are transactional, the copy lands whole or leaves nothing."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy import (
    Column,
    Connection,
    Engine,
    Integer,
    Table,
    bindparam,
    inspect,
    select,
    text,
    update,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError

import kb.models  # noqa: F401 - registers every table on the metadata
from kb import migrate
from kb.db import Base, make_engine
from kb.errors import DomainError

BATCH_ROWS = 1000


@dataclass(frozen=True)
class TableCopy:
    name: str
    rows: int
    checksum: str


class TransferRefused(DomainError):
    pass


def copy_database(source_url: str, target_url: str,
                  echo: Callable[[str], None] = lambda line: None) -> list[TableCopy]:
    """Bring the target's schema to the newest revision, copy every row into it and verify
    counts and checksums table by table. Refuses a target that already holds rows."""
    _refuse_same_database(source_url, target_url)
    source, target = make_engine(source_url), _target_engine(target_url)
    try:
        _refuse_outdated_source(source)
        tables = Base.metadata.sorted_tables
        _refuse_used_target(target, tables)
        with source.connect() as reading, target.begin() as writing:
            echo("Creating the schema in the target database ...")
            migrate.upgrade_connection_to_head(writing)
            _remove_seeded_rows(writing, tables)
            for table in tables:
                copied = _copy_table(reading, writing, table)
                echo(f"  {table.name}: {copied} rows")
            _fill_deferred_references(reading, writing, tables)
            _advance_id_sequences(writing, tables)
        echo("Verifying counts and checksums ...")
        return _verify(source, target, tables)
    finally:
        source.dispose()
        target.dispose()


def _target_engine(target_url: str) -> Engine:
    try:
        return make_engine(target_url)
    except ArgumentError as problem:  # the scheme only: the rest may hold a password
        raise TransferRefused(
            f"kb cannot use a target URL starting {target_url.partition(':')[0] + ':'!r} "
            f"({problem}); PostgreSQL is postgresql+psycopg://USER@HOST/DATABASE.") from None


def _refuse_same_database(source_url: str, target_url: str) -> None:
    if make_url(source_url) == make_url(target_url):
        raise TransferRefused("The target is the installation's own database.")


def _refuse_outdated_source(source: Engine) -> None:
    with source.connect() as connection:
        revision = migrate.revision_of(connection)
    if revision != migrate.head_revision():
        raise TransferRefused(
            f"The installation's database is at revision {revision or 'none'}, not "
            f"{migrate.head_revision()}: run `kb init` first to bring it up to date.")


def _refuse_used_target(target: Engine, tables: Iterable[Table]) -> None:
    try:
        with target.connect() as connection:
            existing = set(inspect(connection).get_table_names())
    except OperationalError as problem:
        reason = str(problem.orig).strip().splitlines()[0]
        raise TransferRefused(
            f"kb cannot connect to the target database "
            f"{target.url.render_as_string(hide_password=True)} ({reason}): create it first "
            "(an empty database) and check the URL.") from None
    found = sorted(existing & ({table.name for table in tables} | {"alembic_version"}))
    if found:
        raise TransferRefused(
            "The target database already has kb tables (" + ", ".join(found[:5])
            + (", ..." if len(found) > 5 else "") + "): kb copies only into an empty database.")


def _remove_seeded_rows(writing: Connection, tables: list[Table]) -> None:
    """Migrations seed some tables (the default response targets); the installation's own
    rows, perhaps edited since, replace them."""
    for table in reversed(tables):
        writing.execute(table.delete())


def _deferred_columns(table: Table) -> list[Column]:
    """Columns whose foreign key closes a cycle between tables (``use_alter``): they are copied
    empty, and filled in once every table's rows exist."""
    return [key.parent for key in table.foreign_keys if key.use_alter]


def _copy_table(reading: Connection, writing: Connection, table: Table) -> int:
    deferred = {column.name for column in _deferred_columns(table)}
    copied = 0
    for batch in _batches(reading, table):
        rows = [{**row, **dict.fromkeys(deferred)} for row in batch]
        try:
            writing.execute(table.insert(), rows)
        except DBAPIError as error:
            raise TransferRefused(
                f"Table {table.name}: the target refused a row ({error.orig}). Nothing was "
                "copied.") from None
        copied += len(rows)
    return copied


def _batches(reading: Connection, table: Table) -> Iterator[list[dict]]:
    result = reading.execution_options(yield_per=BATCH_ROWS).execute(
        select(table).order_by(*table.primary_key.columns))
    for partition in result.mappings().partitions(BATCH_ROWS):
        yield [dict(row) for row in partition]


def _fill_deferred_references(reading: Connection, writing: Connection,
                              tables: Iterable[Table]) -> None:
    for table in tables:
        for column in _deferred_columns(table):
            keys = list(table.primary_key.columns)
            found = reading.execute(
                select(*keys, column).where(column.is_not(None))).mappings().all()
            if not found:
                continue
            statement = update(table).values({column.name: bindparam("_value")})
            for key in keys:
                statement = statement.where(key == bindparam(f"_key_{key.name}"))
            writing.execute(statement, [
                {"_value": row[column.name], **{f"_key_{key.name}": row[key.name] for key in keys}}
                for row in found])


def _advance_id_sequences(writing: Connection, tables: Iterable[Table]) -> None:
    """PostgreSQL hands out ids from sequences the copy did not use: start them past the
    copied ids, so the next row a server writes does not collide."""
    if writing.dialect.name != "postgresql":
        return
    for table in tables:
        keys = list(table.primary_key.columns)
        if len(keys) != 1 or not isinstance(keys[0].type, Integer):
            continue
        column = keys[0].name
        writing.execute(text(
            f'SELECT setval(pg_get_serial_sequence(:table, :column), '
            f'COALESCE(MAX("{column}"), 1), MAX("{column}") IS NOT NULL) FROM "{table.name}"'),
            {"table": table.name, "column": column})


def _verify(source: Engine, target: Engine, tables: Iterable[Table]) -> list[TableCopy]:
    copies = []
    with source.connect() as original, target.connect() as copy:
        for table in tables:
            expected, found = _fingerprint(original, table), _fingerprint(copy, table)
            if expected != found:
                raise TransferRefused(
                    f"Table {table.name} differs after the copy ({expected[0]} rows and "
                    f"{found[0]} copied, or the same count with other values).")
            copies.append(TableCopy(table.name, *expected))
    return copies


def _fingerprint(connection: Connection, table: Table) -> tuple[int, str]:
    """Row count and a checksum that does not depend on the order a database returns rows in
    (SQLite and PostgreSQL sort text differently)."""
    digests = sorted(
        hashlib.sha256(repr(tuple(_comparable(value) for value in row)).encode()).digest()
        for batch in _batches(connection, table) for row in (r.values() for r in batch))
    return len(digests), hashlib.sha256(b"".join(digests)).hexdigest()


def _comparable(value: object) -> object:
    if isinstance(value, datetime):
        return (value.astimezone(UTC) if value.tzinfo else value).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value.normalize())
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True)
    if isinstance(value, memoryview):
        return bytes(value)
    return value
