"""A reset or invitation link never works for a deactivated user, however it came to exist:
deactivating voids the user's links, but a link issued by a request that had found the account
enabled a moment earlier (an invitation resent, which locks no row, while another administrator
deactivates) would outlive it. Such a link is refused while the user is deactivated, and a
reactivation voids it as a deactivation does."""

from __future__ import annotations

from sqlalchemy import select

from kb import db
from kb.accounts.models import PasswordResetToken, User
from kb.accounts.queries import user_by_email
from tests.accounts.security_helpers import _reset_links, _use_link, browser

ADMIN = "premium-admin@demo.test"


def _deactivated_behind_its_back(app, email: str) -> None:
    """What such a race leaves: a deactivated user holding an unused link."""
    with app.app_context():
        user = user_by_email(email)
        user.is_enabled = False
        db.session.commit()


def test_a_link_issued_as_its_user_is_deactivated_never_works(app, auth, demo_accounts):
    email = "premium@demo.test"
    browser(app).post("/reset-password", {"email": email})
    (link,) = _reset_links(app, email)
    _deactivated_behind_its_back(app, email)
    with app.app_context():
        assert not db.session.scalar(select(User.is_enabled).where(User.email == email))
        assert db.session.scalar(select(PasswordResetToken.used_at)) is None

    stranger = browser(app)
    assert stranger.client.get(link).status_code == 422
    assert _use_link(stranger.client, link).status_code == 422

    auth.login(ADMIN)
    with app.app_context():
        user_id = user_by_email(email).id
    assert auth.post(f"/organization/users/{user_id}/reactivate").status_code == 302
    assert stranger.client.get(link).status_code == 422  # reactivated: the link is void
    assert _use_link(stranger.client, link).status_code == 422
    assert browser(app).login(email).status_code == 302  # the password is still theirs
