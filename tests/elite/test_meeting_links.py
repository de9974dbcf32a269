"""A scheduled meeting's place, as staff typed it ("Teams: https://..."), shows its web address
as a link on the customer's and staff's pages; the rest stays text, and nothing typed there
becomes markup."""

from __future__ import annotations

import lxml.html
from sqlalchemy import select

from kb import db
from kb.accounts.queries import user_by_email
from kb.elite import meetings
from kb.elite.models import EliteMeeting
from tests.elite.test_meetings import STARTS, ask

ADDRESS = "https://meet.example.test/review?id=7&room=b"


def links_in_meeting(page_text: str, meeting_id: int) -> list[tuple[str, str]]:
    item = lxml.html.fromstring(page_text).get_element_by_id(f"meeting-{meeting_id}")
    return [(a.get("href"), a.text_content()) for a in item.iter("a")
            if a.get("href", "").startswith("https://")]


def test_the_review_meetings_link_can_be_clicked(auth, elite_customer, app, client):
    auth.login(elite_customer.email)
    assert ask(auth, kind="activity_review", subject="Quarterly review").status_code == 302
    with app.app_context():
        meeting = db.session.scalar(select(EliteMeeting))
        meetings.schedule(user_by_email(elite_customer.csm_email), meeting.id, STARTS, 60,
                          f"Teams: {ADDRESS}. <b>Room</b> 4.12 as a fallback")
        meeting_id = meeting.id

    page = auth.client.get("/elite/meetings").text
    assert links_in_meeting(page, meeting_id) == [(ADDRESS, ADDRESS)]
    assert "&lt;b&gt;Room&lt;/b&gt; 4.12 as a fallback" in page

    auth.logout()
    auth.login(elite_customer.csm_email)
    staff_page = auth.client.get(
        f"/staff/elite/organizations/{elite_customer.organization_id}").text
    assert links_in_meeting(staff_page, meeting_id) == [(ADDRESS, ADDRESS)]


def test_a_room_without_an_address_stays_text(auth, elite_customer, app):
    auth.login(elite_customer.email)
    ask(auth, kind="activity_review", subject="Quarterly review")
    with app.app_context():
        meeting = db.session.scalar(select(EliteMeeting))
        meetings.schedule(user_by_email(elite_customer.csm_email), meeting.id, STARTS, 60,
                          "javascript:alert(1) Room 4.12")
        meeting_id = meeting.id
    page = auth.client.get("/elite/meetings").text
    item = lxml.html.fromstring(page).get_element_by_id(f"meeting-{meeting_id}")
    assert "javascript:alert(1) Room 4.12" in item.text_content()
    assert not [a for a in item.iter("a") if "javascript" in (a.get("href") or "")]
