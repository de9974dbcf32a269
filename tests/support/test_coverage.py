"""What a plan covers, in the organisation's time zone: the phone is answered for a severity
while its clock runs (around the clock, whole business days, business hours), never on the
organisation's public holidays; the coverage page and API say so."""

from __future__ import annotations

from datetime import UTC, datetime, time
from pathlib import Path

import pytest
from sqlalchemy import select

from kb import db
from kb.accounts.models import Organization
from kb.support import clock
from kb.support.coverage import covered_at, hours_text
from kb.support.demo import DEMO_PHONE_LINES

WEEKDAYS = clock.Calendar(frozenset({1, 2, 3, 4, 5}), time(9), time(17))


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


@pytest.mark.parametrize("rule_clock, zone, country, moment, covered", [
    ("weekdays", "UTC", None, "2026-12-05T10:00", False),  # Xtreme Sev 1 on a Saturday
    ("around_the_clock", "UTC", None, "2026-12-05T10:00", True),  # Premium, Elite Sev 1
    ("weekdays", "UTC", None, "2026-12-07T03:00", True),  # Monday night counts for Sev 1
    ("business_hours", "UTC", None, "2026-12-07T08:59", False),
    ("business_hours", "UTC", None, "2026-12-07T09:00", True),
    ("business_hours", "America/New_York", None, "2026-12-07T13:00", False),  # 08:00 there
    ("business_hours", "America/New_York", None, "2026-12-07T15:00", True),  # 10:00 there
    ("business_hours", "Asia/Tokyo", None, "2026-12-07T01:00", True),  # Monday 10:00 Tokyo
    ("weekdays", "Europe/Berlin", "DE", "2026-12-25T10:00", False),  # Christmas
    ("weekdays", "Europe/Berlin", None, "2026-12-25T10:00", True),  # no holidays set
])
def test_whether_support_answers_now(rule_clock, zone, country, moment, covered):
    assert covered_at(rule_clock, WEEKDAYS, zone, country, utc(moment)) is covered


def test_hours_read_in_the_organisations_zone():
    assert hours_text("business_hours", WEEKDAYS, "Europe/Berlin", "DE") == (
        "Mon–Fri 09:00–17:00, except public holidays (DE), Europe/Berlin time")
    assert hours_text("around_the_clock", WEEKDAYS, "UTC", None).startswith("Around the clock")


def test_the_coverage_page_shows_phone_lines_in_the_customers_zone(client, auth, desk):
    desk.config["SUPPORT_PHONE_LINES"] = DEMO_PHONE_LINES
    with desk.app_context():
        organization = db.session.scalar(select(Organization).where(
            Organization.name == "Contoso Manufacturing"))
        organization.time_zone, organization.holiday_country = "Europe/Berlin", "DE"
        db.session.commit()
    auth.login("premium@demo.test")
    page = client.get("/support/coverage").get_data(as_text=True)
    assert "+49 30 5550 1990" in page and "Europe/Berlin time" in page
    assert "Around the clock" in page  # Premium Severity 1: extended critical support
    auth.logout()
    auth.login("xtreme@demo.test")
    page = client.get("/support/coverage").get_data(as_text=True)
    assert "All day Mon–Fri" in page  # Xtreme Severity 1: weekdays only


def test_staff_look_at_any_plans_coverage(client, auth, desk):
    auth.login("staff@demo.test")
    assert "All day Mon–Fri" in client.get("/support/coverage?plan=xtreme").get_data(
        as_text=True)
    assert client.get("/api/v1/support/coverage").json["plan"] == "elite"
    assert client.get("/support/coverage?plan=gold").status_code == 422


@pytest.fixture
def no_phone_lines(monkeypatch):
    """``KB_SUPPORT_PHONE_LINES`` set empty, before the app reads the environment."""
    monkeypatch.setenv("KB_SUPPORT_PHONE_LINES", "")


def test_a_portal_without_phone_lines_shows_none_and_says_how_to_reach_support(
        no_phone_lines, app, client, auth, desk):
    assert app.config["SUPPORT_PHONE_LINES"] == ""
    auth.login("premium@demo.test")
    page = client.get("/support/coverage").get_data(as_text=True)
    assert "+1 800 555 0199" not in page and 'href="tel:' not in page
    assert "This portal lists no support phone number" in page
    assert '<a href="/support/incidents/new">log an incident</a>' in page
    assert client.get("/api/v1/support/coverage").json["phone"] == []


def test_a_number_without_a_label_is_shown_rather_than_dropped(app, client, auth, desk):
    app.config["SUPPORT_PHONE_LINES"] = "+44 20 5550 1234; Nordics: +46 8 555 012"
    auth.login("elite@demo.test")
    assert client.get("/api/v1/support/coverage").json["phone"] == [
        {"label": "", "number": "+44 20 5550 1234"},
        {"label": "Nordics", "number": "+46 8 555 012"}]
    page = client.get("/support/coverage").get_data(as_text=True)
    assert '<li><a href="tel:+442055501234">+44 20 5550 1234</a></li>' in page


def test_a_portal_never_given_phone_lines_shows_no_made_up_number(
        monkeypatch, app, client, auth, desk):
    monkeypatch.delenv("KB_SUPPORT_PHONE_LINES", raising=False)
    assert app.config["SUPPORT_PHONE_LINES"] == ""
    auth.login("elite@demo.test")
    page = client.get("/support/coverage").get_data(as_text=True)
    assert "555" not in page and 'href="tel:' not in page
    assert "This portal lists no support phone number" in page
    assert client.get("/api/v1/support/coverage").json["phone"] == []


def test_kb_demo_keeps_its_example_lines_for_the_portals_next_start(
        monkeypatch, app, desk, new_app):
    from kb.support import demo
    from tests.conftest import app_settings
    monkeypatch.delenv("KB_SUPPORT_PHONE_LINES", raising=False)
    config_file = Path(app.config["DATA_DIR"]) / "config.py"
    config_file.write_text("PAGE_SIZE = 20")  # an operator's own setting, kept
    told = []
    with app.app_context():
        demo.load(told.append)
        demo.load(told.append)  # idempotent: the lines are written once

    assert config_file.read_text().count("SUPPORT_PHONE_LINES") == 1
    assert config_file.read_text().startswith("PAGE_SIZE = 20\n")
    assert [line for line in told if "phone lines" in line] == [
        f"Support: the demo's example phone lines are set in {config_file}."]
    settings = app_settings(Path(app.config["DATA_DIR"]), app.config["DATABASE_URL"])
    restarted = new_app(settings)
    assert restarted.config["SUPPORT_PHONE_LINES"] == DEMO_PHONE_LINES
    monkeypatch.setenv("KB_SUPPORT_PHONE_LINES", "")  # the operator's word wins over the file
    assert new_app(settings).config["SUPPORT_PHONE_LINES"] == ""
