"""An organisation's administrator invites a team at once, but cannot make the portal mail
any number of addresses: after ``INVITE_RULE.free`` invitations each further one waits, longer
and longer (told beside the address, nothing sent, nobody created). The note sent to the owner
of an address that has an account elsewhere counts alike. Staff are not limited."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from kb import db
from kb.accounts import throttle, users
from kb.accounts.queries import user_by_email
from kb.mail import OutboxEmail
from tests.accounts.test_organization_invites import ADMIN, invite, page_of

# the rule as kb has it, with a few free invitations instead of a hundred
FEW_FREE = throttle.Rule(users.INVITE_RULE.scope, 4, users.INVITE_RULE.first_wait,
                         users.INVITE_RULE.max_wait)
FREE = FEW_FREE.free


@pytest.fixture(autouse=True)
def few_free(monkeypatch):
    monkeypatch.setattr(users, "INVITE_RULE", FEW_FREE)


def mails_to(address: str) -> int:
    return db.session.scalar(select(func.count()).select_from(OutboxEmail)
                             .where(OutboxEmail.recipient == address))


def test_invitations_beyond_the_free_ones_wait_and_send_nothing(app, auth, demo_accounts):
    auth.login(ADMIN)
    for number in range(FREE):
        assert invite(auth, f"colleague-{number}@contoso.example").status_code == 302

    refused = invite(auth, "one-more@contoso.example")

    assert refused.status_code == 429
    [error] = page_of(refused).xpath('//*[@id="email-error"]')
    assert "wait" in error.text_content()
    with app.app_context():
        assert user_by_email("one-more@contoso.example") is None
        assert mails_to("one-more@contoso.example") == 0


def test_notes_to_an_address_of_another_organisation_count_alike(app, auth, demo_accounts):
    auth.login(ADMIN)
    for _ in range(FREE):
        assert invite(auth, "elite@demo.test").status_code == 302
    with app.app_context():
        told = mails_to("elite@demo.test")

    assert invite(auth, "elite@demo.test").status_code == 429
    with app.app_context():
        assert mails_to("elite@demo.test") == told


def test_staff_inviting_is_not_limited(app, demo_accounts):
    with app.app_context():
        staff = user_by_email("staff@demo.test")
        organization = user_by_email("premium@demo.test").organization
        for number in range(FREE + 2):
            users.invite_user(staff, organization, f"hire-{number}@contoso.example",
                              role="customer")
        assert user_by_email(f"hire-{FREE + 1}@contoso.example") is not None
