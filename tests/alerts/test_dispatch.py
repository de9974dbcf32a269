"""The one path every message takes: ``tell`` makes an in-app notification and an e-mail,
reaches a user once per key, carries attachments, and honours an e-mail opt-out."""

from __future__ import annotations

from kb import db
from kb.accounts.queries import user_by_email
from kb.alerts.dispatch import Attachment, Notice, tell
from kb.alerts.unsubscribe import unsubscribe, unsubscribe_url
from kb.notifications import notifications_for

INVITE = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n"


def _tell(app, email: str, notice: Notice) -> bool:
    with app.app_context():
        told = tell(user_by_email(email), notice)
        db.session.commit()
        return told


def test_a_notice_reaches_the_app_and_the_inbox_with_its_link_and_attachment(
        app, runner, smtp, customer_on):
    email = customer_on("premium")
    notice = Notice("session.rescheduled", "“Tuning” has moved", "/live-sessions/7",
                    body="The session now starts at 10:00 UTC.",
                    attachments=(Attachment("invite.ics", "text/calendar; method=REQUEST",
                                            INVITE),))

    assert _tell(app, email, notice)
    assert runner.invoke(args=["outbox", "run", "--once"]).exit_code == 0

    with app.app_context():
        [shown] = notifications_for(user_by_email(email))
        assert (shown.kind, shown.url) == ("session.rescheduled", "/live-sessions/7")
    [arrived] = smtp.inbox.to(email)
    assert "“Tuning” has moved" in arrived["Subject"]
    text = arrived.get_body(("plain",)).get_content()
    assert "10:00 UTC" in text and "/live-sessions/7" in text
    [invite] = list(arrived.iter_attachments())
    assert invite.get_filename() == "invite.ics"
    assert invite.get_content_type() == "text/calendar"
    assert invite.get_param("method") == "REQUEST"
    assert "METHOD:REQUEST" in invite.get_content()


def test_a_keyed_notice_is_told_once(app, runner, smtp, customer_on):
    email = customer_on("elite")
    notice = Notice("alert.workaround", "Workaround ready", "/articles/x", key="alert:1:r1")

    assert _tell(app, email, notice)
    assert not _tell(app, email, notice)
    assert _tell(app, email, Notice("alert.workaround", "Workaround updated", "/articles/x",
                                    key="alert:1:r2"))
    runner.invoke(args=["outbox", "run", "--once"])

    assert [m["Subject"].split(": ", 1)[-1] for m in smtp.inbox.to(email)] == [
        "Workaround ready", "Workaround updated"]


def test_unsubscribing_from_a_family_stops_its_e_mail_but_not_the_notification(
        app, runner, smtp, customer_on):
    email = customer_on("xtreme")
    with app.app_context():
        link = unsubscribe_url(user_by_email(email), "patch.published")
        unsubscribe(link.rsplit("/", 1)[-1])

    _tell(app, email, Notice("patch.published", "Patch 7.1.2 is out", "/patches/3"))
    _tell(app, email, Notice("topic.scheduled", "Your topic is scheduled", "/topics/1"))
    runner.invoke(args=["outbox", "run", "--once"])

    assert [m["Subject"].split(": ", 1)[-1] for m in smtp.inbox.to(email)] == [
        "Your topic is scheduled"]
    with app.app_context():
        assert len(notifications_for(user_by_email(email))) == 2
