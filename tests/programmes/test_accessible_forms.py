"""Refused programme forms land on a summary that takes the focus, titled "Error: ..."."""

from __future__ import annotations

from kb.programmes.forms import NOTE_LIMIT
from tests.a11y import problems, refused_summary


def test_a_note_too_long_is_summarised_above_the_application(world, signed_in):
    customer = signed_in("elite")

    answer = customer.post(f"/programmes/{world.programme}/apply",
                           data={"note": "x" * (NOTE_LIMIT + 1)})

    assert answer.status_code == 422
    _, summary = refused_summary(answer, "apply-problem")
    assert list(problems(summary)) == ["#note"]


def test_a_programme_ending_before_it_opens_is_summarised(world, signed_in):
    staff = signed_in("staff")

    answer = staff.post("/staff/programmes/", data={
        "title": "Beta", "product": "Orbit ERP", "seats": "3", "opens_on": "2027-01-10",
        "ends_on": "2027-01-01"})

    assert answer.status_code == 422
    _, summary = refused_summary(answer, "programme-problem")
    assert "ends on or after" in summary.text_content()
