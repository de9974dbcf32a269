"""The stored target table: seeded by `kb init` and `kb demo`, edited by staff only, and read
back by the engine on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest
from sqlalchemy import select

from kb import db
from kb.accounts import queries as accounts
from kb.policy import AccessDenied
from kb.products.service import ensure_product
from kb.support import defaults, service
from kb.support.models import CoverageCalendar, ResponseTarget
from tests.conftest import app_settings

SATURDAY = datetime(2026, 12, 5, 10, tzinfo=UTC)


def general_rows() -> dict:
    rows = db.session.scalars(select(ResponseTarget).where(ResponseTarget.product_id.is_(None)))
    return {(row.plan, row.severity): (row.response_minutes, row.clock) for row in rows}


def calendar_rows() -> dict:
    return {row.plan: (row.business_days, row.opens, row.closes)
            for row in db.session.scalars(select(CoverageCalendar))}


def test_kb_init_seeds_the_default_table(tmp_path, isolated_database, new_app):
    app = new_app(app_settings(tmp_path / "data", isolated_database.url))
    result = app.test_cli_runner().invoke(args=["init"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert general_rows() == defaults.TARGETS
        assert calendar_rows() == defaults.CALENDARS
        assert service.ensure_default_table() == 0


def test_the_default_table_is_added_once_and_edits_survive(app_context, demo_accounts):
    assert service.ensure_default_table() == len(defaults.TARGETS) + len(defaults.CALENDARS)
    staff = accounts.user_by_email("staff@demo.test")
    service.set_target(staff, "xtreme", 2, None, 300, "business_hours")
    assert service.ensure_default_table() == 0
    assert general_rows()[("xtreme", 2)] == (300, "business_hours")


def test_kb_demo_marks_severity_1_unavailable_for_one_product(app, runner):
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert general_rows() == defaults.TARGETS
        for plan in ("xtreme", "premium", "elite"):
            assert service.target_for(plan, 1, "Orbit Analytics", SATURDAY, "UTC", None) is None
            assert service.target_for(plan, 1, "Orbit ERP", SATURDAY, "UTC", None) is not None
    again = runner.invoke(args=["demo"])
    assert again.exit_code == 0, again.output
    assert "response-target row" not in again.output


@pytest.mark.parametrize("email", ["premium@demo.test", "elite@demo.test", None])
def test_only_staff_edit_the_table(app_context, demo_accounts, email):
    service.ensure_default_table()
    user = accounts.user_by_email(email) if email else None
    with pytest.raises(AccessDenied):
        service.set_target(user, "elite", 1, None, 5, "around_the_clock")
    with pytest.raises(AccessDenied):
        service.set_calendar(user, "elite", "1234567", time(0), time(23))
    assert general_rows()[("elite", 1)] == defaults.TARGETS[("elite", 1)]


def test_staff_edits_change_the_targets_the_engine_computes(app_context, demo_accounts):
    service.ensure_default_table()
    staff = accounts.user_by_email("staff@demo.test")
    product = ensure_product("Orbit Integration Hub")
    db.session.commit()
    service.set_target(staff, "premium", 1, product, 3 * 60, "weekdays")
    assert service.target_for("premium", 1, "orbit-integration-hub", SATURDAY, "UTC",
                              None) == datetime(2026, 12, 7, 3, tzinfo=UTC)
    assert service.target_for("premium", 1, "Orbit ERP", SATURDAY, "UTC", None) == (
        datetime(2026, 12, 5, 12, tzinfo=UTC))
    service.set_calendar(staff, "premium", "67", time(10), time(12))
    assert service.target_for("premium", 2, "Orbit ERP", SATURDAY, "UTC", None) == (
        datetime(2026, 12, 6, 12, tzinfo=UTC))
    service.remove_product_target(staff, "premium", 1, product)
    assert service.target_for("premium", 1, "Orbit Integration Hub", SATURDAY, "UTC",
                              None) == datetime(2026, 12, 5, 12, tzinfo=UTC)
