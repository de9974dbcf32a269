"""The incident list names the zone of the time an incident was logged, as its page does."""

from __future__ import annotations

from kb import db
from kb.accounts.queries import user_by_email


def test_the_logged_time_names_the_readers_zone(app, client, auth, log_incident):
    log_incident(title="Posting fails at night")
    with app.app_context():
        user_by_email("elite@demo.test").time_zone = "Asia/Tokyo"
        db.session.commit()
    auth.login("elite@demo.test")
    row = client.get("/support/incidents").text.split("Posting fails at night", 1)[1]
    assert " JST</td>" in row.split("</tr>", 1)[0]
