"""The community's world for tests: the demo accounts, a space open to every plan, an Elite
space, and helpers that sign a client in or make an API token."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from kb.accounts.queries import user_by_email
from kb.community import service, spaces
from kb.community.models import Question
from tests.conftest import Auth, bearer

READERS = ("xtreme", "premium", "elite", "lapsed", "staff")


@dataclass
class World:
    open_slug: str
    elite_slug: str
    open_question: int
    elite_question: int
    answer: int  # staff's answer to the open question


def ask(app, email: str, slug: str, title: str, body: str = "Some details.") -> int:
    from sqlalchemy import select

    from kb import db
    from kb.community.models import Space

    with app.app_context():
        space = db.session.scalar(select(Space).where(Space.slug == slug))
        return service.ask(user_by_email(email), space, title, body).id


def answer(app, email: str, question_id: int, body: str = "Try this.") -> int:
    from kb import db

    with app.app_context():
        return service.answer(user_by_email(email), db.session.get(Question, question_id),
                              body).id


@pytest.fixture
def world(app, demo_accounts) -> World:
    with app.app_context():
        opened = spaces.create_space(None, spaces.SpaceFields(name="Orbit ERP",
                                                              product="Orbit ERP"))
        elite = spaces.create_space(None, spaces.SpaceFields(
            name="Early adopters", product="Orbit ERP", min_plan="elite"))
        open_slug, elite_slug = opened.slug, elite.slug
    open_question = ask(app, "xtreme@demo.test", open_slug, "Posting job stuck in queue")
    elite_question = ask(app, "elite@demo.test", elite_slug, "Preview build upgrade fails")
    staff_answer = answer(app, "staff@demo.test", open_question, "Restart the posting job.")
    return World(open_slug, elite_slug, open_question, elite_question, staff_answer)


@pytest.fixture
def signed_in(app):
    """A test client signed in as <reader>@demo.test (or any e-mail)."""

    def make(who: str) -> Auth:
        auth = Auth(app.test_client())
        email = who if "@" in who else f"{who}@demo.test"
        assert auth.login(email).status_code == 302
        return auth

    return make


@pytest.fixture
def token_for(api_token):
    """Bearer headers of <reader>@demo.test."""
    return lambda who: bearer(api_token(who if "@" in who else f"{who}@demo.test"))
