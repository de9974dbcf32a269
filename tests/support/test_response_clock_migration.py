"""Migration 0043 gives every existing incident the response clock of its logging: its target
and first response as they were; finished unanswered, it was withdrawn only when a customer
closed it (the thread's status line tells who), else it stays a missed target."""

from __future__ import annotations

from alembic import command
from sqlalchemy import text

from kb import migrate
from kb.db import make_engine
from tests.conftest import app_settings


def _rows(url: str, query: str, **values) -> list:
    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            result = connection.execute(text(query), values)
            return list(result.all()) if result.returns_rows else []
    finally:
        engine.dispose()


def test_0043_gives_each_incident_the_clock_of_its_logging(tmp_path, isolated_database,
                                                            new_app):
    url = isolated_database.url
    app = new_app(app_settings(tmp_path / "data", url))
    runner = app.test_cli_runner()
    assert runner.invoke(args=["init"]).exit_code == 0
    assert runner.invoke(args=["demo"]).exit_code == 0
    command.downgrade(migrate.alembic_config(app), "0042_recovery_code_lookup")
    unanswered = [row[0] for row in _rows(url, "SELECT id FROM support_incidents WHERE "
                                               "responded_at IS NULL ORDER BY id")]
    by_customer, by_staff = unanswered[:2]
    for incident_id, author in ((by_customer, "elite@demo.test"),
                                (by_staff, "staff@demo.test")):  # as the older code let them
        _rows(url, "UPDATE support_incidents SET status = 'closed', resolved_at = updated_at "
                   "WHERE id = :id", id=incident_id)
        _rows(url, "INSERT INTO support_incident_entries (incident_id, kind, author_id, body, "
                   "body_html, created_at) SELECT :id, 'event', id, 'Status: New → Closed', "
                   "'', created_at FROM users WHERE email = :email", id=incident_id,
              email=author)
    command.upgrade(migrate.alembic_config(app), "head")
    clocks = _rows(url, "SELECT c.incident_id, c.reason, c.severity = i.severity, "
                        "c.due = i.response_due OR (c.due IS NULL AND i.response_due IS NULL), "
                        "c.responded_at IS NOT NULL, i.responded_at IS NOT NULL, "
                        "c.stopped_at IS NOT NULL, c.withdrawn "
                        "FROM support_response_clocks c JOIN support_incidents i "
                        "ON i.id = c.incident_id ORDER BY c.incident_id")
    incidents = _rows(url, "SELECT id FROM support_incidents ORDER BY id")
    assert [clock[0] for clock in clocks] == [row[0] for row in incidents]
    for incident_id, reason, same_severity, same_due, answered, was_answered, stopped, \
            withdrawn in clocks:
        assert (reason, same_severity, same_due, answered) == ("logged", True, True,
                                                               was_answered)
        assert bool(stopped) == (incident_id in (by_customer, by_staff))
        assert bool(withdrawn) == (incident_id == by_customer)
