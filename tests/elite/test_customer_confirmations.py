"""The customer who books or cancels the special event weekend, or asks for a meeting, gets a
confirmation e-mail (what, when, and a link), as it arrives at a real SMTP server; staff acting
for the organisation do not make one."""

from __future__ import annotations

from sqlalchemy import select

from kb import db
from kb.accounts.queries import user_by_email
from kb.elite import special_events
from kb.elite.models import EliteMeeting, SpecialEventBooking
from kb.mail import OutboxEmail
from kb.notifications import Notification
from tests.alerts.conftest import smtp, smtp_server  # noqa: F401 - the real SMTP server
from tests.elite.test_meetings import ask

ELITE_PAGE = "http://kb.test/elite#special-events"


def deliver(runner) -> None:
    result = runner.invoke(args=["outbox", "run", "--once"])
    assert result.exit_code == 0, result.output


def arrived(smtp, recipient: str, subject: str) -> str:  # noqa: F811 - the fixture's value
    [message] = [m for m in smtp.inbox.to(recipient)
                 if m["Subject"].strip() == f"Orbitec Support: {subject}"]
    return message.get_body(("plain",)).get_content().replace("\r\n", "\n")


def test_booking_and_cancelling_the_weekend_are_confirmed_by_e_mail(
        auth, elite_customer, app, runner, smtp):  # noqa: F811
    auth.login(elite_customer.email)
    booked = auth.post("/elite/special-events", {"weekend": "2027-05-01",
                                                 "product": "Orbit ERP",
                                                 "notes": "Go-live of the new plant"})
    assert booked.status_code == 302
    with app.app_context():
        booking = db.session.scalar(select(SpecialEventBooking))
    assert auth.post(f"/elite/special-events/{booking.id}/cancel").status_code == 302
    deliver(runner)

    text = arrived(smtp, elite_customer.email,
                   "Booked: special event support for the weekend of 2027-05-01")
    assert "Weekend: Saturday 2027-05-01 and Sunday 2027-05-02" in text
    assert "Product: Orbit ERP" in text and "Your notes: Go-live of the new plant" in text
    assert ELITE_PAGE in text
    text = arrived(smtp, elite_customer.email,
                   "Cancelled: special event support for the weekend of 2027-05-01")
    assert "Weekend: Saturday 2027-05-01 and Sunday 2027-05-02" in text and ELITE_PAGE in text
    with app.app_context():  # the portal showed it happen: no notification of one's own act
        customer = user_by_email(elite_customer.email)
        assert db.session.scalars(select(Notification.title).where(
            Notification.user_id == customer.id)).all() == []


def test_a_meeting_request_is_confirmed_by_e_mail(auth, elite_customer, app, runner,
                                                  smtp):  # noqa: F811
    auth.login(elite_customer.email)
    assert ask(auth, preferred_times="Tuesday mornings",
               details="The month-end close is slow.").status_code == 302
    deliver(runner)

    text = arrived(smtp, elite_customer.email,
                   "Requested: Consultation with senior support and development staff, "
                   "Ledger performance")
    assert "Subject: Ledger performance" in text
    assert "Times that suit you: Tuesday mornings" in text
    assert "The month-end close is slow." in text
    assert "http://kb.test/elite/meetings#meeting-" in text


def test_staff_booking_for_the_organisation_sends_no_confirmation_to_staff(
        elite_customer, app):
    with app.app_context():
        staff = user_by_email(elite_customer.csm_email)
        special_events.book(staff, elite_customer.organization(),
                            special_events.first_bookable(), "Orbit ERP")
        subjects = db.session.scalars(select(OutboxEmail.subject)).all()
    assert not any(subject.startswith("Booked:") for subject in subjects)


def test_a_withdrawn_request_is_confirmed_and_the_csm_told(auth, elite_customer, app, runner,
                                                           smtp):  # noqa: F811
    auth.login(elite_customer.email)
    ask(auth)
    with app.app_context():
        meeting_id = db.session.scalar(select(EliteMeeting.id))
    assert auth.post(f"/elite/meetings/{meeting_id}/cancel").status_code == 302
    deliver(runner)

    title = ("Request withdrawn: Consultation with senior support and development staff, "
             "Ledger performance")
    assert "Your customer success manager is told." in arrived(smtp, elite_customer.email, title)
    assert "http://kb.test/staff/elite/organizations/" in arrived(smtp, elite_customer.csm_email,
                                                                  title)
