"""Migration 0049 repairs the fixed issues stored garbled from a Markdown list ("- E-4711 lock"
kept as the issue "-"), as saving the patch's edit form does, and lets the search index learn
each repaired patch; a line with no identifier behind its marker is left for staff."""

from __future__ import annotations

from alembic import command
from sqlalchemy import text

from kb import migrate
from kb.db import make_engine
from tests.migration_data import demo_at_head, read

BEFORE = "0048_recording_language"
STORED = [("-", "E-4711 lock"), ("*", "E-4712  totals"), ("1.", "E-4713 rounding"),
          ("-", ""), ("-", "** bold"), ("E-4714", "fine")]


def test_0049_repairs_fixed_issues_stored_garbled(tmp_path, isolated_database, new_app):
    url = isolated_database.url
    app = demo_at_head(tmp_path, isolated_database, new_app)
    command.downgrade(migrate.alembic_config(app), BEFORE)
    garbled, untouched = (row[0] for row in read(url, "SELECT id FROM patches ORDER BY id")[:2])
    untouched_issues = _issues(url, untouched)
    _write(url, "DELETE FROM patch_fixed_issues WHERE patch_id = :p", p=garbled)
    _write(url, "DELETE FROM index_tasks")
    for position, (identifier, words) in enumerate(STORED):  # as the older code stored them
        _write(url, "INSERT INTO patch_fixed_issues (patch_id, position, identifier, text) "
                    "VALUES (:p, :n, :i, :t)", p=garbled, n=position, i=identifier, t=words)

    command.upgrade(migrate.alembic_config(app), "head")

    assert _issues(url, garbled) == [("E-4711", "lock"), ("E-4712", "totals"),
                                     ("E-4713", "rounding"), ("-", "** bold"),
                                     ("E-4714", "fine")]
    assert _issues(url, untouched) == untouched_issues
    assert read(url, "SELECT item_type, item_id FROM index_tasks") == [("patch", garbled)]


def _issues(url: str, patch_id: int) -> list[tuple[str, str]]:
    return [tuple(row) for row in read(
        url, "SELECT identifier, text FROM patch_fixed_issues WHERE patch_id = :p "
             "ORDER BY position, id", p=patch_id)]


def _write(url: str, sql: str, **parameters) -> None:
    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            connection.execute(text(sql), parameters)
    finally:
        engine.dispose()
