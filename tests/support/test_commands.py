"""`kb support target` as the contract states it: the target in UTC, ISO 8601, alone on the last
line; clear errors for bad input."""

from __future__ import annotations

import pytest

from kb import db
from kb.accounts import queries as accounts
from kb.products.service import ensure_product
from kb.support import service


@pytest.fixture
def table(app, demo_accounts):
    with app.app_context():
        service.ensure_default_table()
        ensure_product("Orbit ERP")
        db.session.commit()


def target(runner, *options: str):
    return runner.invoke(args=["support", "target", *options])


@pytest.mark.parametrize(("plan", "at", "extra", "due"), [
    ("xtreme", "2026-12-05T10:00:00Z", [], "2026-12-07T04:00:00+00:00"),
    ("premium", "2026-12-05T10:00:00Z", [], "2026-12-05T12:00:00+00:00"),
    ("elite", "2026-12-05T11:00:00+01:00", [], "2026-12-05T11:00:00+00:00"),
    ("xtreme", "2026-12-24T22:00", ["--time-zone", "Europe/Berlin", "--holidays", "DE"],
     "2026-12-28T01:00:00+00:00"),
    ("xtreme", "2026-12-24T22:00", ["--time-zone", "Europe/Berlin", "--holidays", "none"],
     "2026-12-25T01:00:00+00:00"),
])
def test_the_target_is_alone_on_the_last_line(runner, table, plan, at, extra, due):
    result = target(runner, "--plan", plan, "--severity", "1", "--product", "Orbit ERP",
                    "--at", at, *extra)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == due


def test_the_settings_give_the_default_zone_and_holidays(app, runner, table):
    app.config.update(SUPPORT_TIME_ZONE="Europe/Berlin", SUPPORT_HOLIDAYS="DE")
    result = target(runner, "--plan", "xtreme", "--severity", "1", "--product", "orbit erp",
                    "--at", "2026-12-24T22:00")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == "2026-12-28T01:00:00+00:00"


@pytest.mark.parametrize(("options", "message"), [
    (["--plan", "gold", "--severity", "1", "--product", "Orbit ERP", "--at", "2026-12-05T10:00Z"],
     "'gold' is not one of"),
    (["--plan", "elite", "--severity", "5", "--product", "Orbit ERP", "--at", "2026-12-05T10:00Z"],
     "5 is not in the range 1<=x<=4"),
    (["--plan", "elite", "--severity", "one", "--product", "Orbit ERP", "--at", "2026-12-05"],
     "'one' is not a valid integer"),
    (["--plan", "elite", "--severity", "1", "--product", "Orbit CRM", "--at", "2026-12-05T10:00Z"],
     "No product called 'Orbit CRM'"),
    (["--plan", "elite", "--severity", "1", "--product", "Orbit ERP", "--at", "tomorrow"],
     "--at 'tomorrow' is no ISO 8601 time"),
    (["--plan", "elite", "--severity", "1", "--product", "Orbit ERP", "--at", "2026-13-05T10:00"],
     "is no ISO 8601 time"),
    (["--plan", "elite", "--severity", "1", "--product", "Orbit ERP", "--at", "2026-12-05T10:00Z",
      "--time-zone", "Mars/Olympus"], "Unknown time zone 'Mars/Olympus'"),
    (["--plan", "elite", "--severity", "1", "--product", "Orbit ERP", "--at", "2026-12-05T10:00Z",
      "--holidays", "XX"], "Unknown holiday country 'XX'"),
    (["--plan", "elite", "--severity", "1", "--product", "Orbit ERP"], "Missing option '--at'"),
])
def test_bad_input_fails_with_a_clear_message(runner, table, options, message):
    result = target(runner, *options)
    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output


def test_a_product_without_the_target_says_so(app, runner, table):
    with app.app_context():
        product = ensure_product("Orbit Analytics")
        db.session.commit()
        service.set_target(accounts.user_by_email("staff@demo.test"), "premium", 1, product,
                           None, "around_the_clock")
    result = target(runner, "--plan", "premium", "--severity", "1", "--product",
                    "Orbit Analytics", "--at", "2026-12-05T10:00:00Z")
    assert result.exit_code == 1
    assert "not available for Orbit Analytics" in result.output


def test_the_table_command_lists_every_plan(runner, table):
    result = runner.invoke(args=["support", "table"])
    assert result.exit_code == 0, result.output
    assert "Premium: business days 12345, 09:00-17:00 local" in result.output
    assert "120 min  around_the_clock" in result.output
