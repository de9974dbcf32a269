"""Invitations that do not tell a customer administrator who has an account."""

from __future__ import annotations

from sqlalchemy import select

from kb import db
from kb.accounts.models import User
from kb.mail import OutboxEmail


def test_inviting_another_organisations_user_reveals_nothing(app, auth, demo_accounts):
    auth.login("elite-admin@demo.test")
    answers = []
    for address in ("premium@demo.test", "staff@demo.test", "brand.new@fabrikam.example"):
        response = auth.post("/organization/users", {"email": address, "role": "customer"},
                             follow_redirects=True)
        page = response.get_data(as_text=True)
        answers.append((response.status_code, "has been invited" in page,
                        "exists already" in page))
    assert answers == [(200, True, False)] * 3
    with app.app_context():
        premium = db.session.scalar(select(User).where(User.email == "premium@demo.test"))
        assert premium.organization.name != "Fabrikam Logistics"
        notice = db.session.scalar(select(OutboxEmail).where(
            OutboxEmail.recipient == "premium@demo.test"))
        assert "already has an account" in notice.body


def test_inviting_an_own_colleague_again_says_so(app, auth, demo_accounts):
    auth.login("elite-admin@demo.test")
    response = auth.post("/organization/users", {"email": "elite@demo.test",
                                                 "role": "customer"})
    assert response.status_code == 422
    assert b"already a user of your organisation" in response.data
