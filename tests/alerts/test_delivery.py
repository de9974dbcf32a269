"""Delivery through a real SMTP server on loopback: multipart messages with their headers,
retries with backoff while the server is down, permanent refusals, and redacted secrets."""

from __future__ import annotations

from datetime import timedelta

from kb.db import utcnow


def _run_once(runner):
    result = runner.invoke(args=["outbox", "run", "--once"])
    assert result.exit_code == 0, result.output
    return result.output


def test_a_message_arrives_with_text_and_html_parts_and_unsubscribe_headers(
        app, runner, smtp, queue, outbox_row, customer_on):
    email = customer_on("premium")
    message_id = queue(email, "New patch for Quasar", "A <b>patch</b> is out:\n"
                       "https://kb.test/patches/7", kind="patch.published")

    assert "Sent 1" in _run_once(runner)

    [arrived] = smtp.inbox.to(email)
    row = outbox_row(message_id)
    assert arrived["Subject"] == "Orbitec Support: New patch for Quasar"
    assert arrived["From"] == "Orbitec Support <noreply@kb.test>"
    assert arrived["Message-ID"] == row.message_id
    assert arrived.get_content_type() == "multipart/alternative"
    text = arrived.get_body(("plain",)).get_content()
    html = arrived.get_body(("html",)).get_content()
    assert "A <b>patch</b> is out:" in text
    assert "A &lt;b&gt;patch&lt;/b&gt; is out:" in html and "<b>" not in html
    assert '<a href="https://kb.test/patches/7">' in html
    assert arrived["List-Unsubscribe"] == f"<{row.unsubscribe_url}>"
    assert arrived["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # as sent, not as a decoding parser reads it: mail clients find the <URL> only unencoded
    sent_as = dict(arrived.raw_items())["List-Unsubscribe"]
    assert "".join(sent_as.split()) == f"<{row.unsubscribe_url}>"
    assert row.unsubscribe_url in text and row.unsubscribe_url in html
    assert (row.status, row.attempts, row.sent_at is not None) == ("sent", 1, True)
    assert row.body.startswith("A <b>patch</b>")


def test_a_password_reset_has_no_unsubscribe_link_and_its_body_is_redacted_once_sent(
        app, client, runner, smtp, customer_on):
    from kb import db
    from kb.alerts.models import OutboxEmail
    from kb.alerts.schedule import run_due_jobs
    from tests.conftest import csrf_token

    email = customer_on("xtreme")
    client.post("/reset-password", data={"email": email,
                                         "csrf_token": csrf_token(client, "/reset-password")})
    with app.app_context():
        run_due_jobs()  # as the outbox loop does before delivering: the request becomes a link
        waiting = db.session.query(OutboxEmail).filter_by(recipient=email).one()
        assert waiting.sensitive and "/reset-password/" in waiting.body

    _run_once(runner)

    [arrived] = smtp.inbox.to(email)
    assert arrived["Subject"] == "Orbitec Support: Reset your password"
    assert arrived["List-Unsubscribe"] is None
    link = next(line for line in arrived.get_body(("plain",)).get_content().splitlines()
                if "/reset-password/" in line)
    assert client.get(link.removeprefix("http://kb.test")).status_code == 200
    with app.app_context():
        sent = db.session.get(OutboxEmail, waiting.id)
        assert sent.status == "sent" and "/reset-password/" not in sent.body
        assert "Removed after delivery" in sent.body
        assert (sent.recipient, sent.subject, sent.message_id) == (
            email, arrived["Subject"], arrived["Message-ID"])


def test_retries_while_smtp_is_down_then_delivers_once_when_it_is_back(
        app, runner, smtp_server, queue, outbox_row):
    app.config.update(SMTP_URL=smtp_server.url, OUTBOX_RETRY_SECONDS=0)
    message_id = queue("someone@example.test", "Hello", "Body")

    _run_once(runner)
    _run_once(runner)
    waiting = outbox_row(message_id)
    assert (waiting.status, waiting.attempts) == ("queued", 2)
    assert "SMTP server unreachable" in waiting.last_error

    smtp_server.start()
    _run_once(runner)
    _run_once(runner)
    assert len(smtp_server.inbox.to("someone@example.test")) == 1
    sent = outbox_row(message_id)
    assert (sent.status, sent.attempts, sent.last_error) == ("sent", 3, "")


def test_a_failed_attempt_waits_with_exponential_backoff(app, runner, smtp_server, queue,
                                                         outbox_row):
    app.config["SMTP_URL"] = smtp_server.url
    message_id = queue("someone@example.test")
    before = utcnow()
    _run_once(runner)
    first = outbox_row(message_id)
    assert first.next_attempt_at >= before + timedelta(seconds=30)

    smtp_server.start()
    _run_once(runner)
    assert outbox_row(message_id).attempts == 1 and smtp_server.inbox.messages == []

    with app.app_context():
        from kb.alerts.outbox import retry_delay

        assert [retry_delay(n).total_seconds() for n in (1, 2, 3, 8, 30)] == [
            30, 60, 120, 3600, 3600]


def test_a_permanent_refusal_fails_at_once_and_staff_can_see_and_resend_it(
        app, runner, smtp, queue, outbox_row):
    smtp.inbox.refused["gone@example.test"] = "550 5.1.1 No such mailbox"
    refused = queue("gone@example.test")
    delivered = queue("here@example.test")

    _run_once(runner)
    row = outbox_row(refused)
    assert (row.status, row.attempts) == ("failed", 1)
    assert "550 5.1.1 No such mailbox" in row.last_error
    assert outbox_row(delivered).status == "sent"
    status = runner.invoke(args=["outbox", "status"]).output
    assert "sent 1, failed 1" in status and "gone@example.test" in status

    del smtp.inbox.refused["gone@example.test"]
    assert "Queued 1" in runner.invoke(args=["outbox", "retry", str(refused)]).output
    _run_once(runner)
    assert outbox_row(refused).status == "sent"
    assert len(smtp.inbox.to("gone@example.test")) == 1


def test_a_message_that_keeps_failing_is_marked_failed_after_the_last_attempt(
        app, runner, smtp_server, queue, outbox_row):
    app.config.update(SMTP_URL=smtp_server.url, OUTBOX_RETRY_SECONDS=0, OUTBOX_MAX_ATTEMPTS=2)
    message_id = queue("someone@example.test")
    _run_once(runner)
    assert outbox_row(message_id).status == "queued"
    _run_once(runner)
    assert (outbox_row(message_id).status, outbox_row(message_id).attempts) == ("failed", 2)


def test_without_an_smtp_url_mail_stays_in_the_outbox(app, runner, queue, outbox_row):
    message_id = queue("someone@example.test")
    result = runner.invoke(args=["outbox", "run", "--once"])
    assert result.exit_code != 0 and "KB_SMTP_URL is not set" in result.output
    assert outbox_row(message_id).status == "queued"


def test_a_malformed_smtp_url_is_a_clear_error(app, runner):
    app.config["SMTP_URL"] = "http://mail.example.test"
    result = runner.invoke(args=["outbox", "run", "--once"])
    assert result.exit_code != 0 and "smtp://host:port" in result.output


def test_smtp_url_forms():
    from kb.alerts.delivery import SmtpServer, smtp_server

    assert smtp_server("smtp://mail.example.test") == SmtpServer("mail.example.test", 25)
    assert smtp_server("smtps://mail.example.test") == SmtpServer(
        "mail.example.test", 465, implicit_tls=True)
    assert smtp_server("smtp://kb%40example.test:p%3Ass@relay.test:587?starttls=1") == SmtpServer(
        "relay.test", 587, starttls=True, username="kb@example.test", password="p:ss")


def test_staff_see_failed_messages_without_their_bodies_and_can_send_them_again(
        app, runner, smtp, queue, outbox_row, auth, client, demo_accounts):
    smtp.inbox.refused["gone@example.test"] = "550 5.1.1 No such mailbox"
    refused = queue("gone@example.test", "Reset your password", "secret-reset-link")
    _run_once(runner)

    auth.login("premium@demo.test")
    assert client.get("/staff/outbox").status_code == 403
    assert auth.post(f"/staff/outbox/{refused}/resend").status_code == 403
    auth.logout()
    auth.login("staff@demo.test")
    page = client.get("/staff/outbox").get_data(as_text=True)
    assert "gone@example.test" in page and "550 5.1.1 No such mailbox" in page
    assert "secret-reset-link" not in page
    assert "No mail server is set" not in page

    assert auth.post(f"/staff/outbox/{refused}/resend").status_code == 302
    assert outbox_row(refused).status == "queued"
    assert auth.post(f"/staff/outbox/{refused}/resend").status_code == 409


def test_staff_see_the_latest_messages_and_that_none_leaves_without_a_mail_server(
        app, queue, auth, client, demo_accounts):
    queue("someone@example.test", "Your invitation", "secret-invitation-link")
    auth.login("staff@demo.test")
    page = client.get("/staff/outbox").get_data(as_text=True)
    latest = page.partition("<h2>Latest messages</h2>")[2]
    assert "someone@example.test" in latest and "Your invitation" in latest
    assert "secret-invitation-link" not in page
    assert "No mail server is set" in page


def test_kb_outbox_run_keeps_delivering_until_sigterm(app, smtp, queue, outbox_process):
    import signal

    worker = outbox_process(smtp.url, once=False, OUTBOX_POLL_SECONDS="0.1")
    queue("first@example.test")
    smtp.inbox.wait_for(1)
    queue("second@example.test")
    smtp.inbox.wait_for(2)

    worker.send_signal(signal.SIGTERM)
    output = worker.communicate(timeout=60)[0]
    assert worker.returncode == 0, output
    assert [message["To"] for message in smtp.inbox.messages] == [
        "first@example.test", "second@example.test"]


def test_a_line_break_in_a_subject_stays_inside_the_subject(app, runner, smtp, queue,
                                                            outbox_row):
    message_id = queue("someone@example.test", "Poison subject\r\nBcc: victim@example.test")

    assert "Sent 1" in _run_once(runner)

    [arrived] = smtp.inbox.to("someone@example.test")
    assert arrived["Subject"] == "Orbitec Support: Poison subject Bcc: victim@example.test"
    assert arrived["Bcc"] is None and smtp.inbox.to("victim@example.test") == []
    assert outbox_row(message_id).subject == arrived["Subject"]


def test_a_message_that_cannot_be_built_fails_alone_and_the_others_go_out(
        app, runner, smtp, queue, outbox_row):
    from kb import db
    from kb.alerts.models import OutboxEmail

    before = queue("first@example.test")
    broken = queue("broken@example.test")
    after = queue("after@example.test")
    with app.app_context():  # written before kb kept subjects to one line
        db.session.get(OutboxEmail, broken).subject = "Poison\nBcc: victim@example.test"
        db.session.commit()

    output = _run_once(runner)

    assert "Sent 2" in output and "could not be built" in output
    assert [outbox_row(id).status for id in (before, broken, after)] == ["sent", "failed", "sent"]
    assert "could not be built" in outbox_row(broken).last_error
    assert smtp.inbox.to("victim@example.test") == smtp.inbox.to("broken@example.test") == []


def test_a_subject_longer_than_its_column_is_cut(app, queue, outbox_row):
    subject = outbox_row(queue("someone@example.test", "word " * 100)).subject
    assert len(subject) == 300 and subject.endswith("…")


def test_retrying_a_message_that_is_not_failed_says_so(app, runner, queue):
    waiting = queue("someone@example.test")
    result = runner.invoke(args=["outbox", "retry", str(waiting), "99999"])
    assert result.exit_code == 1
    assert "Queued 0 message(s) again." in result.output
    assert "2 of the messages named are not failed ones" in result.output
    assert "kb outbox status" in result.output
