"""A deactivated account hears nothing more: whoever left the organisation is not sent its
meeting invites, declines or topic news (in the portal, by e-mail or in the digest), the
invites the others get do not list them, and a manager who left manages nobody."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from icalendar import Calendar
from sqlalchemy import func, select

from kb import db
from kb.accounts import users
from kb.accounts.queries import user_by_email
from kb.alerts.models import OutboxAttachment, OutboxEmail
from kb.elite import csm, meetings
from kb.errors import Invalid
from kb.notifications import Notification
from kb.sessions.topics import service as topics

STARTS = datetime(2030, 3, 19, 9, 0, tzinfo=UTC)


def told(email: str) -> int:
    """Notifications and e-mails that reached ``email``."""
    user = user_by_email(email)
    notices = db.session.scalar(select(func.count()).select_from(Notification)
                                .where(Notification.user_id == user.id))
    mails = db.session.scalar(select(func.count()).select_from(OutboxEmail)
                              .where(OutboxEmail.recipient == email))
    return notices + mails


def deactivate(staff_email: str, email: str) -> None:
    users.set_user_enabled(user_by_email(staff_email), user_by_email(email), False)


def request(email: str, subject: str) -> int:
    return meetings.request_meeting(user_by_email(email), "senior_consultation", subject).id


def invited(email: str) -> set[str]:
    """Attendees of the invites e-mailed to ``email``."""
    rows = db.session.scalars(
        select(OutboxAttachment).join(OutboxEmail, OutboxAttachment.email_id == OutboxEmail.id)
        .where(OutboxEmail.recipient == email))
    found = set()
    for row in rows:
        for event in Calendar.from_ical(row.content).walk("VEVENT"):
            attendees = event.get("attendee")  # one attendee: not in a list
            attendees = attendees if isinstance(attendees, list) else [attendees]
            found |= {str(attendee).removeprefix("mailto:") for attendee in attendees}
    return found


def test_a_meeting_asked_for_by_someone_who_left_is_not_sent_to_them(app, elite_customer):
    with app.app_context():
        scheduled = request(elite_customer.email, "Ledger performance")
        declined = request(elite_customer.email, "Archive sizing")
        deactivate(elite_customer.csm_email, elite_customer.email)
        before = told(elite_customer.email)
        staff = user_by_email(elite_customer.csm_email)
        meetings.schedule(staff, scheduled, STARTS, 45, "https://meet.example.test/x")
        meetings.decline(staff, declined, "Covered by the ledger call.")
        meetings.cancel(staff, scheduled)

        assert told(elite_customer.email) == before
        assert invited(elite_customer.csm_email) == {elite_customer.csm_email}


def test_topic_news_does_not_reach_a_deactivated_voter(app, elite_customer, make_user):
    voter = make_user(organization_id=elite_customer.organization_id)
    with app.app_context():
        topic = topics.request_topic(user_by_email(elite_customer.email), "Ledger archiving")
        topics.upvote(user_by_email(voter), topic)
        deactivate(elite_customer.csm_email, voter)
        before, asker_before = told(voter), told(elite_customer.email)
        topics.change_status(user_by_email(elite_customer.csm_email), topic, "declined",
                             reason="Covered by the recorded archiving session.")

        assert told(voter) == before
        assert told(elite_customer.email) > asker_before  # an enabled requester still hears


def test_a_deactivated_manager_is_no_manager(app, elite_customer, make_user):
    """Their customers are told none is assigned, rather than writing to nobody."""
    admin = make_user(role="admin")
    with app.app_context():
        deactivate(admin, elite_customer.csm_email)
        customer = user_by_email(elite_customer.email)

        assert csm.csm_of(customer.organization) is None
        with pytest.raises(Invalid, match="no customer success manager"):
            csm.send_message(customer, customer.organization, "Are you there?")
        with pytest.raises(Invalid, match="none is assigned"):
            request(elite_customer.email, "Ledger performance")
