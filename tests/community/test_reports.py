"""Customers report a post; staff see open reports first on the moderation page; hiding the
post or dismissing the report resolves it. Nobody reports their own post, nor twice."""

from __future__ import annotations

import re


def test_a_report_reaches_staff_and_hiding_resolves_it(world, signed_in):
    premium = signed_in("premium")
    reported = premium.post(f"/community/answers/{world.answer}/report",
                            {"note": "Looks like an advert"})
    assert reported.status_code == 302
    again = premium.post(f"/community/answers/{world.answer}/report", {"note": "Still"})
    assert again.status_code == 302
    staff = signed_in("staff")
    queue = staff.client.get("/staff/community").get_data(as_text=True)
    assert queue.count("Looks like an advert") == 1 and "Still" not in queue
    assert premium.client.get("/staff/community").status_code == 403
    staff.post(f"/community/answers/{world.answer}/hide")
    assert 'id="no-reports"' in staff.client.get("/staff/community").get_data(as_text=True)


def test_dismissing_and_refusals(world, signed_in):
    elite = signed_in("elite")
    assert elite.post(f"/community/questions/{world.open_question}/report",
                      {"note": "Wrong space"}).status_code == 302
    assert elite.post(f"/community/questions/{world.open_question}/report",
                      {"note": "Again"}).status_code == 302  # already reported: not added
    own = signed_in("xtreme").post(f"/community/questions/{world.open_question}/report",
                                   {"note": "mine"})
    assert own.status_code == 409
    empty = signed_in("premium").post(f"/community/questions/{world.open_question}/report",
                                      {"note": " "})
    assert empty.status_code == 422
    hidden_from = signed_in("premium").post(
        f"/community/questions/{world.elite_question}/report", {"note": "x"})
    assert hidden_from.status_code == 403
    staff = signed_in("staff")
    html = staff.client.get("/staff/community").get_data(as_text=True)
    assert "Wrong space" in html and "Again" not in html
    report_id = re.search(r"/staff/community/reports/(\d+)/dismiss", html).group(1)
    assert staff.post(f"/staff/community/reports/{report_id}/dismiss").status_code == 302
    assert "Wrong space" not in staff.client.get("/staff/community").get_data(as_text=True)
