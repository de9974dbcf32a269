"""A running early adopter programme for Orbit ERP (two seats) with a published patch and a
question in the members' space kept to it, each carrying a word nothing else has; the demo
accounts; helpers that sign a client in or make an API token."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
from sqlalchemy import select

from kb import db, policy
from kb.accounts.queries import user_by_email
from kb.community import service as community
from kb.community.models import Space
from kb.patches import service as patches
from kb.programmes import service
from kb.programmes.models import Programme
from kb.storage import Upload, file_store
from tests.conftest import Auth, bearer

PATCH_WORD = "zephyrbuild"
QUESTION_WORD = "quokkaquery"


@dataclass
class World:
    programme: int
    patch: int
    file_url: str
    space_slug: str
    question: int

    def programme_row(self) -> Programme:
        return db.session.get(Programme, self.programme)


def open_programme(staff, seats: int = 2, **changes) -> Programme:
    today = policy.today()
    fields = dict(title="Orbit ERP 13 early access", product="Orbit ERP",
                  offer="Beta builds.", conditions="Test systems only.", seats=seats,
                  opens_on=today - timedelta(days=1), ends_on=today + timedelta(days=30))
    fields.update(changes)
    return service.open_programme(staff, service.ProgrammeFields(**fields))


def restricted_patch(staff, programme_id: int, word: str = PATCH_WORD) -> int:
    staged = file_store().stage(filename="beta.zip")
    staged.write(word.encode())
    draft = patches.publish_patch(staff, patches.PatchDetails(
        product="Orbit ERP", title=f"Orbit ERP 13.0 beta {word}", description=word),
        [Upload("beta.zip", staged)], publish=False)
    service.keep_to_programme(staff, programme_id, "patch", draft.id, True)
    return patches.publish_draft(staff, draft.id).id


@pytest.fixture
def world(app, demo_accounts) -> World:
    with app.app_context():
        staff = user_by_email("staff@demo.test")
        programme = open_programme(staff)
        patch_id = restricted_patch(staff, programme.id)
        patch = patches.get_patch(staff, patch_id)
        file_url = f"/patches/{patch_id}/files/{patch.files[0].id}/{patch.files[0].name}"
        space = db.session.scalar(select(Space).where(Space.programme_id == programme.id))
        question = community.ask(staff, space, f"Welcome to the beta {QUESTION_WORD}",
                                 f"Tell us how {QUESTION_WORD} goes.")
        return World(programme.id, patch_id, file_url, space.slug, question.id)


def apply_and_accept(app, world: World, email: str = "elite@demo.test") -> int:
    with app.app_context():
        application = service.apply(user_by_email(email), world.programme, "We run 12.0.")
        service.decide(user_by_email("staff@demo.test"), application.id, True)
        return application.id


@pytest.fixture
def signed_in(app):
    def make(who: str) -> Auth:
        auth = Auth(app.test_client())
        email = who if "@" in who else f"{who}@demo.test"
        assert auth.login(email).status_code == 302
        return auth

    return make


@pytest.fixture
def token_for(api_token):
    return lambda who: bearer(api_token(who if "@" in who else f"{who}@demo.test"))
