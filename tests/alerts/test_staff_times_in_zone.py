"""The critical-alert pages give staff the updated time and each step's time in their own
zone, named."""

from __future__ import annotations

import re

from kb import db
from kb.accounts.queries import user_by_email
from tests.alerts.critical_helpers import ERP


def test_alert_times_name_the_staff_members_zone(app, client, auth, catalogue):
    with app.app_context():
        user_by_email("staff@demo.test").time_zone = "Asia/Tokyo"
        db.session.commit()
    auth.login("staff@demo.test")
    opened = auth.post("/staff/alerts", {
        "title": "Posting fails for locked periods", "summary": "We are looking into it.",
        "products": ERP, "versions": "12.0", "min_plan": "xtreme"})
    assert opened.status_code == 302
    when = r"<td>\d{4}-\d\d-\d\d \d\d:\d\d JST</td>"
    assert re.search(when, client.get("/staff/alerts").text)
    history = client.get(opened.headers["Location"]).text.split('id="history"', 1)[1]
    assert re.search(when, history)
