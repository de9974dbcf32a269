"""A refused new organisation comes back with a summary where the browser lands."""

from __future__ import annotations

from tests.a11y import problems, refused_summary


def test_an_organisation_without_name_is_summarised(auth, demo_accounts):
    auth.login("staff@demo.test")

    answer = auth.post("/staff/organizations/new", {
        "name": "", "plan": "premium", "term_start": "2026-01-01", "term_end": ""})

    page, summary = refused_summary(answer, "organization-problem")
    assert set(problems(summary)) == {"#name", "#term_end"}
