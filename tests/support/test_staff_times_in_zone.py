"""Staff read the queue's target times and the conversation's event times in their own zone,
named, as the rest of the incident pages print them."""

from __future__ import annotations

import re

from kb import db
from kb.accounts.queries import user_by_email
from kb.support import incidents
from kb.support.models import Incident


def _staff_in_tokyo(desk) -> None:
    with desk.app_context():
        user_by_email("staff@demo.test").time_zone = "Asia/Tokyo"
        db.session.commit()


def test_the_queues_target_time_names_the_zone(client, auth, log_incident, desk):
    log_incident(severity=1, title="Posting fails at night")
    _staff_in_tokyo(desk)
    auth.login("staff@demo.test")
    row = client.get("/staff/incidents").text.split("Posting fails at night", 1)[1]
    target = row.split('data-label="Target"', 1)[1].split("</td>", 1)[0]
    assert re.search(r"<small class=\"muted\">\w{3} \d\d \w{3} \d\d:\d\d JST</small>", target)


def test_a_conversation_event_names_the_zone(client, auth, log_incident, desk):
    incident_id = log_incident(title="Posting fails at night")
    with desk.app_context():
        staff = user_by_email("staff@demo.test")
        incidents.assign(staff, [db.session.get(Incident, incident_id)], staff)
        db.session.commit()
    _staff_in_tokyo(desk)
    auth.login("staff@demo.test")
    page = client.get(f"/support/incidents/{incident_id}").text
    event = page.split('<p class="event">Assigned to', 1)[1].split("</p>", 1)[0]
    assert re.search(r"\d\d \w{3} \d\d:\d\d JST</small>$", event)
