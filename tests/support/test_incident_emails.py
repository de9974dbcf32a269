"""The e-mails an incident sends, as they arrive at a real SMTP server on loopback: a reply as
the portal renders it, who wrote it and its files by name; what a status means for the reader;
what a remote access request asks of them. Each links to the incident."""

from __future__ import annotations

import io

from kb import db
from kb.accounts.queries import user_by_email
from kb.storage import Upload
from kb.support import incidents, remote_access, service
from kb.support.models import Incident

CUSTOMER = "premium@demo.test"
STEPS = ("Try this:\n\n1. Stop the **job**\n2. Run `orbit lock clear`\n\n"
         "Then see [the guide](/articles/payroll-locks).")


def _deliver(runner) -> None:
    result = runner.invoke(args=["outbox", "run", "--once"])
    assert result.exit_code == 0, result.output


def _parts(message) -> tuple[str, str]:
    return tuple(message.get_body((kind,)).get_content().replace("\r\n", "\n")
                 for kind in ("plain", "html"))


def _arrived(smtp, recipient: str, subject_start: str):
    [message] = [m for m in smtp.inbox.to(recipient)
                 if m["Subject"].strip().startswith(f"Orbitec Support: {subject_start}")]
    return message


def _incident(log_incident) -> tuple[int, str]:
    incident_id = log_incident(CUSTOMER, severity=3, title="Payroll run stuck")
    return incident_id, f"http://kb.test/support/incidents/{incident_id}"


def test_a_reply_arrives_rendered_with_its_author_title_and_files(
        desk, log_incident, as_user, runner, smtp):
    incident_id, link = _incident(log_incident)
    as_user("staff@demo.test", lambda staff: incidents.reply(
        staff, db.session.get(Incident, incident_id), STEPS,
        [Upload("steps.pdf", io.BytesIO(b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n"))]))
    _deliver(runner)

    text, html = _parts(_arrived(smtp, CUSTOMER, "Support replied"))
    assert "Sam Staff wrote on incident #1, “Payroll run stuck”:" in text
    assert "> 1. Stop the job\n> 2. Run orbit lock clear" in text
    assert "**" not in text and "`" not in text
    assert "<ol>" in html and "<strong>job</strong>" in html
    assert "<code>orbit lock clear</code>" in html and "**" not in html
    assert "Sam Staff wrote on incident #1, “Payroll run stuck”:" in html
    # the portal's own links work from a mail client
    assert "the guide (http://kb.test/articles/payroll-locks)" in text
    assert '<a href="http://kb.test/articles/payroll-locks">the guide</a>' in html
    assert "- steps.pdf" in text and "<li>steps.pdf</li>" in html
    assert link in text and f'<a href="{link}">' in html
    assert "/attachments/" not in text and "/attachments/" not in html  # no direct downloads


def test_the_customer_reply_to_support_names_its_author_and_quotes_it(
        desk, log_incident, as_user, runner, smtp):
    incident_id, _ = _incident(log_incident)
    as_user("staff@demo.test", lambda staff: incidents.assign(
        staff, [db.session.get(Incident, incident_id)], staff))
    as_user(CUSTOMER, lambda customer: incidents.reply(
        customer, db.session.get(Incident, incident_id), "Still **stuck** after step 2"))
    _deliver(runner)

    text, html = _parts(_arrived(smtp, "staff@demo.test", "The customer replied"))
    assert "wrote on incident #1 · Contoso Manufacturing, “Payroll run stuck”:" in text
    assert "> Still stuck after step 2" in text and "<strong>stuck</strong>" in html


def test_status_changes_say_what_they_mean_and_quote_the_latest_reply(
        desk, log_incident, as_user, runner, smtp):
    incident_id, link = _incident(log_incident)

    def staff_work(staff):
        incident = db.session.get(Incident, incident_id)
        incidents.reply(staff, incident, "Which **version** runs the payroll?")
        incidents.change_status(staff, incident, "waiting_for_customer")

    as_user("staff@demo.test", staff_work)
    as_user("staff@demo.test", lambda staff: incidents.change_status(
        staff, db.session.get(Incident, incident_id), "resolved"))
    _deliver(runner)

    text, html = _parts(_arrived(smtp, CUSTOMER, "Waiting for customer"))
    assert "Support is waiting for your answer on incident #1, “Payroll run stuck”" in text
    assert "The latest reply, from Sam Staff:\n\n> Which version runs the payroll?" in text
    assert "Which version runs the payroll?" in html and link in html
    text, html = _parts(_arrived(smtp, CUSTOMER, "Resolved"))
    assert "Support marked incident #1, “Payroll run stuck” as resolved" in text
    assert "your reply reopens it" in text and link in text
    assert not text.startswith("Resolved: Incident #1")


def test_a_remote_access_request_says_to_grant_or_refuse_it_on_the_incident_page(
        desk, log_incident, as_user, runner, smtp):
    incident_id, link = _incident(log_incident)
    as_user("staff@demo.test", lambda staff: remote_access.request_access(
        staff, db.session.get(Incident, incident_id), "To read the payroll job's log"))
    _deliver(runner)

    text, html = _parts(_arrived(smtp, CUSTOMER, "Support asks for remote access"))
    assert "Sam Staff of support asks for remote access to your system" in text
    assert "> To read the payroll job's log" in text
    assert "Grant it for a time window you choose, or refuse it, on the incident page" in text
    assert link in text and f'<a href="{link}">' in html


def test_staff_emails_of_an_incident_without_target_name_the_customers_plan(
        desk, log_incident, as_user, runner, smtp):
    def no_critical_target(admin):
        analytics = service.find_product("Orbit Analytics")
        service.set_target(admin, "elite", 1, analytics, None, "around_the_clock")

    as_user("admin@demo.test", no_critical_target)
    incident_id = log_incident("elite@demo.test", severity=1, title="Dashboards are empty",
                               product="Orbit Analytics")
    as_user("admin@demo.test", lambda admin: incidents.assign(
        admin, [db.session.get(Incident, incident_id)], user_by_email("staff@demo.test")))
    _deliver(runner)

    for subject in ("Severity 1 logged", "Assigned to you"):
        text, html = _parts(_arrived(smtp, "staff@demo.test", subject))
        assert ("No response target applies to severity 1 on Orbit Analytics on the "
                "customer's plan (Elite)") in text
        assert "your plan" not in text and "your plan" not in html
    text, _ = _parts(_arrived(smtp, "elite@demo.test", "Logged"))
    assert "No response target applies to this severity and product on your plan." in text


def _subjects(smtp, recipient: str) -> list[str]:
    return [" ".join(m["Subject"].split()) for m in smtp.inbox.to(recipient)]


def test_the_customers_reply_that_moves_the_status_is_one_email_naming_no_one_for_it(
        desk, log_incident, as_user, runner, smtp):
    incident_id, _ = _incident(log_incident)

    def wait_for_customer(staff):
        incident = db.session.get(Incident, incident_id)
        incidents.assign(staff, [incident], staff)
        incidents.change_status(staff, incident, "waiting_for_customer")

    as_user("staff@demo.test", wait_for_customer)
    _deliver(runner)
    before = len(smtp.inbox.to("staff@demo.test"))
    as_user(CUSTOMER, lambda customer: incidents.reply(
        customer, db.session.get(Incident, incident_id), "It runs **12.0 SP1**."))
    _deliver(runner)

    assert _subjects(smtp, "staff@demo.test")[before:] == [
        "Orbitec Support: The customer replied (In progress): Incident #1 · Contoso "
        "Manufacturing (severity 3): Payroll run stuck"]
    text, _ = _parts(_arrived(smtp, "staff@demo.test", "The customer replied"))
    assert "Paula Premium wrote on incident #1 · Contoso Manufacturing" in text
    assert "The reply put it back in progress: it is now “In progress”." in text
    assert "set incident" not in text
    with desk.app_context():
        [event] = [entry for entry in db.session.get(Incident, incident_id).entries
                   if entry.body.startswith("Status: Waiting for customer")]
        assert event.author_id is None and "on the customer's reply" in event.body


def test_a_staff_reply_that_sets_waiting_for_customer_is_one_email_saying_both(
        desk, log_incident, client, auth, runner, smtp):
    from tests.conftest import csrf_token

    incident_id, link = _incident(log_incident)
    _deliver(runner)
    before = len(smtp.inbox.to(CUSTOMER))
    auth.login("staff@demo.test")
    page = f"/support/incidents/{incident_id}"
    assert 'id="reply-status"' in client.get(page).get_data(as_text=True)
    sent = client.post(f"{page}/replies", data={
        "csrf_token": csrf_token(client, page), "body": "Which **version** runs it?",
        "kind": "reply", "status": "waiting_for_customer"}, content_type="multipart/form-data")
    assert sent.status_code == 302
    _deliver(runner)

    [subject] = _subjects(smtp, CUSTOMER)[before:]
    assert subject.startswith("Orbitec Support: Support replied (Waiting for customer): "
                              "Incident #1")
    text, html = _parts(_arrived(smtp, CUSTOMER, "Support replied"))
    assert "Sam Staff wrote on incident #1, “Payroll run stuck”:" in text
    assert "> Which version runs it?" in text
    assert "Support is waiting for your answer on incident #1" in text and link in text
    with desk.app_context():
        assert db.session.get(Incident, incident_id).status == "waiting_for_customer"


def test_a_colleagues_reply_is_told_to_who_logged_the_incident(
        desk, log_incident, as_user, runner, smtp):
    admin_id = as_user("premium-admin@demo.test", lambda admin: admin.id)
    incident_id = log_incident(CUSTOMER, severity=3, title="Payroll run stuck",
                               watchers=[admin_id])
    as_user("premium-admin@demo.test", lambda admin: incidents.reply(
        admin, db.session.get(Incident, incident_id), "Same here in **Berlin**."))
    _deliver(runner)
    text, _ = _parts(_arrived(smtp, CUSTOMER, "Carl Contoso replied"))
    assert "> Same here in Berlin." in text
    assert not any("replied" in s for s in _subjects(smtp, "premium-admin@demo.test"))


def test_the_resolved_email_offers_what_the_page_offers_and_closing_works(
        desk, log_incident, as_user, client, auth, runner, smtp):
    from tests.conftest import csrf_token

    incident_id, _ = _incident(log_incident)
    as_user("staff@demo.test", lambda staff: incidents.change_status(
        staff, db.session.get(Incident, incident_id), "resolved", "Fixed in SP2."))
    _deliver(runner)
    text, _ = _parts(_arrived(smtp, CUSTOMER, "Resolved"))
    assert "You may also reopen or close it there." in text
    auth.login(CUSTOMER)
    page = f"/support/incidents/{incident_id}"
    shown = client.get(page).get_data(as_text=True)
    assert "Reopen the incident" in shown and "Close: the problem is solved" in shown
    closed = client.post(f"{page}/status", data={"csrf_token": csrf_token(client, page),
                                                  "status": "closed"})
    assert closed.status_code == 302
    with desk.app_context():
        assert db.session.get(Incident, incident_id).status == "closed"
    assert "Close: the problem is solved" not in client.get(page).get_data(as_text=True)


def test_a_staff_note_that_sets_a_status_tells_the_status_never_the_note(
        desk, log_incident, client, auth, runner, smtp):
    from tests.conftest import csrf_token

    incident_id, _ = _incident(log_incident)
    _deliver(runner)
    before = len(smtp.inbox.to(CUSTOMER))
    auth.login("staff@demo.test")
    page = f"/support/incidents/{incident_id}"
    sent = client.post(f"{page}/replies", data={
        "csrf_token": csrf_token(client, page), "body": "Customer is on a **forked** build",
        "kind": "note", "status": "in_progress"}, content_type="multipart/form-data")
    assert sent.status_code == 302
    _deliver(runner)
    [message] = smtp.inbox.to(CUSTOMER)[before:]
    assert message["Subject"].strip().startswith("Orbitec Support: In progress: Incident #1")
    text, html = _parts(message)
    assert "forked" not in text and "forked" not in html
