"""Two ``User`` objects are the same user when they are the same row: Flask-Login's mixin
compared ``get_id()``, which in kb is the browser session's secret, so any two users loaded
outside a signed-in request (a command, the outbox worker, a token's request) were equal."""

from __future__ import annotations

from sqlalchemy import select

from kb import db
from kb.accounts.models import User


def test_two_users_loaded_outside_a_signed_in_request_differ(app, make_user):
    first, second = make_user(), make_user()
    with app.app_context():
        one = db.session.scalar(select(User).where(User.email == first))
        other = db.session.scalar(select(User).where(User.email == second))
        assert one.get_id() is None and other.get_id() is None
        assert one != other and not one == other
        assert one in [one] and other not in [one]
        assert len({one, other}) == 2


def test_the_same_row_is_the_same_user_in_another_session(app, make_user):
    email = make_user()
    with app.app_context():
        here = db.session.scalar(select(User).where(User.email == email))
    with app.app_context():
        there = db.session.scalar(select(User).where(User.email == email))
        assert here is not there
        assert here == there and hash(here) == hash(there) and len({here, there}) == 1
        there.session_secret = "the secret of a signed-in browser"
        assert here == there


def test_new_users_not_yet_stored_are_equal_only_to_themselves():
    one, other = User(email="a@example.test"), User(email="b@example.test")
    assert one == one and one != other and one != "a@example.test"
