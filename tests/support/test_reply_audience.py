"""Who reads what staff write on an incident is chosen before they write it: "Reply to the
customer" (the default: the customer waits for an answer) or "Internal note (staff only)",
each saying what happens to it, above the box; the button says it again. Customers write only
replies."""

from __future__ import annotations

import lxml.html
from sqlalchemy import select

from kb import db
from kb.support.models import IncidentEntry


def _reply_form(client, incident_id: int):
    page = lxml.html.fromstring(client.get(f"/support/incidents/{incident_id}").get_data(
        as_text=True))
    [form] = page.xpath('//form[contains(@action, "/replies")]')
    return form


def test_staff_choose_who_reads_it_before_the_box_and_a_reply_is_the_default(
        client, auth, log_incident):
    incident_id = log_incident("elite@demo.test")
    auth.login("staff@demo.test")
    form = _reply_form(client, incident_id)

    fields = [element.get("name") for element in form.iter("input", "textarea")
              if element.get("name") in ("kind", "body")]
    assert fields == ["kind", "kind", "body"]  # the choice comes first
    choices = {radio.get("value"): (radio.get("checked") is not None,
                                    " ".join(radio.getparent().text_content().split()))
               for radio in form.xpath('.//input[@name="kind"]')}
    assert choices == {
        "reply": (True, "Reply to the customer The customer sees it and gets an e-mail."),
        "note": (False, "Internal note (staff only) Only staff see it; the customer is never "
                        "told.")}
    # not "Your reply" while it may be a note
    assert form.xpath('.//label[@for="body"]')[0].text_content() == "Message (Markdown)"
    [button] = form.xpath('.//button[@type="submit"]')
    # support.css shows the one that fits the choice
    assert [(span.get("class"), span.text) for span in button] == [
        ("when-reply", "Send to the customer"), ("when-note", "Add the internal note")]


def test_customers_write_only_replies(client, auth, log_incident):
    incident_id = log_incident("elite@demo.test")
    auth.login("elite@demo.test")
    form = _reply_form(client, incident_id)

    assert form.xpath('.//input[@name="kind"]') == []
    assert form.xpath('.//label[@for="body"]')[0].text_content() == "Your reply (Markdown)"
    assert [b.text_content() for b in form.xpath('.//button')][-1] == "Send the reply"


def test_the_note_choice_makes_a_staff_only_note(app, client, auth, log_incident):
    incident_id = log_incident("elite@demo.test")
    auth.login("staff@demo.test")
    auth.post(f"/support/incidents/{incident_id}/replies",
              {"body": "Check the ledger lock first.", "kind": "note"},
              content_type="multipart/form-data")
    auth.logout()
    auth.login("elite@demo.test")

    assert "ledger lock" not in client.get(f"/support/incidents/{incident_id}").get_data(
        as_text=True)
    with app.app_context():
        kinds = db.session.scalars(select(IncidentEntry.kind).where(
            IncidentEntry.incident_id == incident_id, IncidentEntry.kind != "event")).all()
    assert kinds == ["note"]
