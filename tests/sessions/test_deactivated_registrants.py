"""A deactivated customer's places in live sessions yet to start are given up as their own
cancellation would give them up: whoever waits first takes the seat and is told, as usual. A
session already held keeps its attendance, and reactivating the account restores no seat."""

from __future__ import annotations

from sqlalchemy import select

from kb import db
from kb.accounts.queries import user_by_email
from kb.notifications import Notification
from kb.sessions.models import Registration
from tests.sessions.test_live_sessions import _begin, _register, _statuses


def _kinds_told(app, email: str) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(Notification.kind).where(
            Notification.user_id == user_by_email(email).id).order_by(Notification.id)))


def _set_enabled(auth, app, email: str, action: str) -> None:
    with app.app_context():
        user_id = user_by_email(email).id
    auth.login("staff@demo.test")
    assert auth.post(f"/organization/users/{user_id}/{action}").status_code == 302
    auth.logout()


def test_deactivating_gives_up_seats_to_come_and_the_first_waiting_moves_up(
        app, client, auth, schedule, customer_on):
    coming, full, held = (schedule(capacity=1) for _ in range(3))
    leaver, waiting, other = customer_on("premium"), customer_on("elite"), customer_on("premium")
    for email, session_id in ((leaver, coming), (waiting, coming), (other, full),
                              (leaver, full), (leaver, held)):
        assert _register(client, auth, email, session_id).status_code == 302
    _begin(app, held)
    with app.app_context():
        db.session.scalar(select(Registration).where(
            Registration.live_session_id == held)).attended = True
        db.session.commit()

    _set_enabled(auth, app, leaver, "deactivate")

    assert _statuses(app, coming) == [(leaver, "cancelled", None), (waiting, "confirmed", None)]
    assert _statuses(app, full) == [(other, "confirmed", None), (leaver, "cancelled", None)]
    assert _statuses(app, held) == [(leaver, "confirmed", None)]
    with app.app_context():
        assert db.session.scalar(select(Registration.attended).where(
            Registration.live_session_id == held)) is True
    assert _kinds_told(app, waiting) == ["session.waitlisted", "session.promoted"]
    assert "session.cancelled" not in _kinds_told(app, leaver)  # deactivated: told nothing

    _set_enabled(auth, app, leaver, "reactivate")
    assert _statuses(app, coming) == [(leaver, "cancelled", None), (waiting, "confirmed", None)]

