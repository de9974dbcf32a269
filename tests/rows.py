"""Rows written once per worker process and copied into each test's database that asks for
them (``demo_accounts``): creating the demo organisations and users through the services takes
about 0.1 s of CPU, for some 970 tests; copying their rows a few milliseconds."""

from __future__ import annotations

from sqlalchemy import Table, bindparam, text, update
from sqlalchemy.engine import Connection

from kb.db import Base

Rows = dict[str, list[dict]]


def read_rows(connection: Connection) -> Rows:
    """Every row of every table that has any, by table name."""
    rows: Rows = {}
    for table in Base.metadata.sorted_tables:
        found = [dict(row._mapping) for row in connection.execute(table.select())]
        if found:
            rows[table.name] = found
    return rows


def write_rows(connection: Connection, rows: Rows) -> None:
    """Insert ``rows`` (from ``read_rows``) into an empty database, parents first. A reference
    to a row not written yet (organisation -> its administrator, a user -> the organisation)
    is written once that row is; on PostgreSQL each id sequence then continues after the rows.
    A round trip per table and a few more: on PostgreSQL each costs about a millisecond."""
    written: set[str] = set()
    references_later: list[tuple[Table, set[str]]] = []
    for table in Base.metadata.sorted_tables:
        if table.name not in rows:
            continue
        later = {key.parent.name for key in table.foreign_keys
                 if key.column.table.name not in written}
        connection.execute(table.insert(), [{name: None if name in later else value
                                             for name, value in row.items()}
                                            for row in rows[table.name]])
        if later:
            references_later.append((table, later))
        written.add(table.name)
    for table, later in references_later:
        _write_references(connection, table, later, rows[table.name])
    if connection.dialect.name == "postgresql":
        _continue_sequences(connection, {name: Base.metadata.tables[name] for name in rows},
                            rows)


def _write_references(connection: Connection, table: Table, columns: set[str],
                      rows: list[dict]) -> None:
    keys = [column.name for column in table.primary_key.columns]
    statement = update(table).where(*(table.c[key] == bindparam(f"key_{key}") for key in keys))
    values = [{**{f"key_{key}": row[key] for key in keys}, **{name: row[name] for name in columns}}
              for row in rows if any(row[name] is not None for name in columns)]
    if values:
        connection.execute(statement.values({name: bindparam(name) for name in columns}), values)


def _continue_sequences(connection: Connection, tables: dict[str, Table], rows: Rows) -> None:
    """One ``setval`` per table with a serial id, in one statement."""
    calls = []
    for name, table in tables.items():
        column = table.autoincrement_column
        if column is not None:
            last = max(row[column.name] for row in rows[name])
            calls.append(f"setval(pg_get_serial_sequence('{name}', '{column.name}'), {int(last)})")
    if calls:
        connection.execute(text("SELECT " + ", ".join(calls)))
