"""Rows written once per worker process and copied into each test's database that asks for
them (``demo_accounts``): creating the demo organisations and users through the services takes
about 0.1 s of CPU, for some 970 tests; copying their rows a few milliseconds."""

from __future__ import annotations

from sqlalchemy import Table, func, select, text, update
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
    is written once that row is; on PostgreSQL each id sequence then continues after the rows."""
    written: set[str] = set()
    references_later: list[tuple[Table, dict, dict]] = []
    for table in Base.metadata.sorted_tables:
        if table.name not in rows:
            continue
        later = {key.parent.name for key in table.foreign_keys
                 if key.column.table.name not in written}
        plain = [{name: (None if name in later else value) for name, value in row.items()}
                 for row in rows[table.name]]
        connection.execute(table.insert(), plain)
        references_later += [(table, _key_of(table, row), {name: row[name] for name in later})
                             for row in rows[table.name] if any(row[name] for name in later)]
        written.add(table.name)
    for table, key, values in references_later:
        connection.execute(update(table).where(*(table.c[name] == value
                                                  for name, value in key.items())).values(values))
    if connection.dialect.name == "postgresql":
        _continue_sequences(connection, [Base.metadata.tables[name] for name in rows])


def _key_of(table: Table, row: dict) -> dict:
    return {column.name: row[column.name] for column in table.primary_key.columns}


def _continue_sequences(connection: Connection, tables: list[Table]) -> None:
    for table in tables:
        for column in table.primary_key.columns:
            if column.autoincrement is not True and not (
                    column.autoincrement == "auto" and len(table.primary_key.columns) == 1
                    and column.type.python_type is int):
                continue
            sequence = connection.scalar(text("SELECT pg_get_serial_sequence(:t, :c)"),
                                         {"t": table.name, "c": column.name})
            if sequence:
                last = connection.scalar(select(func.max(column)))
                connection.execute(text("SELECT setval(:s, :v)"), {"s": sequence, "v": last})
