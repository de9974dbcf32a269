"""What the tests of a session's messages share: acting as a user, delivering the outbox, the
kinds and subjects a user was told, a message's text and calendar invite, the reminder job."""

from __future__ import annotations

from datetime import UTC, datetime

from icalendar import Calendar
from sqlalchemy import select

from kb import db
from kb.accounts.models import Organization
from kb.accounts.queries import user_by_email
from kb.notifications import Notification
from kb.sessions.live.reminders import remind_registrants

START = datetime(2030, 7, 1, 15, 0)  # a Monday, UTC


START_UTC = START.replace(tzinfo=UTC)


def _as(app, email, action, *arguments):
    with app.app_context():
        return action(user_by_email(email), *arguments)


def _deliver(runner):
    result = runner.invoke(args=["outbox", "run", "--once"])
    assert result.exit_code == 0, result.output


def _kinds(app, email):
    with app.app_context():
        user = user_by_email(email)
        return [n.kind for n in db.session.scalars(select(Notification).where(
            Notification.user_id == user.id).order_by(Notification.id))]


def _subjects(smtp, email):
    return [message["Subject"] for message in smtp.inbox.to(email)]


def _text(message) -> str:
    return message.get_body(("plain",)).get_content().replace("\r\n", "\n")


def _page(app, session_id) -> str:
    """The session page's absolute link, as e-mail carries it."""
    return f"{app.config['BASE_URL']}/sessions/live/{session_id}"


def _invite(message):
    """The one attached invite: (its METHOD, its VEVENT)."""
    [attachment] = list(message.iter_attachments())
    assert attachment.get_content_type() == "text/calendar"
    calendar = Calendar.from_ical(attachment.get_content())
    assert attachment.get_param("method") == str(calendar["method"])
    [event] = calendar.walk("VEVENT")
    return str(calendar["method"]), event


def _set_zone(app, email, zone):
    with app.app_context():
        user_by_email(email).time_zone = zone
        db.session.commit()


def _reminded(app, now) -> int:
    with app.app_context():
        return remind_registrants(now)


def _change_organization(app, email, **values):
    with app.app_context():
        organization = db.session.get(Organization,
                                      user_by_email(email).organization_id)
        for name, value in values.items():
            setattr(organization, name, value)
        db.session.commit()
