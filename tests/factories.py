"""Factories of accounts (organisations, users, API tokens, the demo accounts) and the signed-in
client helper ``auth``. Loaded as a pytest plugin by ``tests/conftest.py``."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from kb import db
from tests.rows import Rows, read_rows, write_rows
from tests.web import DEMO_PASSWORD, Auth


@pytest.fixture
def demo_accounts(app, demo_account_rows):
    """The demo organisations and users of ``kb demo`` (without the areas' demo content): the
    rows ``demo.load_accounts`` wrote for this worker process, copied."""
    with app.app_context():
        write_rows(db.session.connection(), demo_account_rows)
        db.session.commit()


@pytest.fixture(scope="session")
def demo_account_rows(tmp_path_factory, request) -> Rows:
    """What ``demo.load_accounts`` writes into an empty database, written once per worker
    process (on the database the tests run on) and read back."""
    from kb import create_app, demo
    from tests.conftest import app_settings, empty_database_url

    directory = tmp_path_factory.mktemp("demo-accounts")
    application = create_app(app_settings(directory / "data", empty_database_url(request,
                                                                                  directory)))
    try:
        with application.app_context():
            demo.load_accounts()
            rows = read_rows(db.session.connection())
            db.session.rollback()
    finally:
        application.extensions["kb.database"].engine.dispose()
    return rows


@pytest.fixture
def auth(client):
    return Auth(client)


@pytest.fixture
def make_organization(app):
    """Create an organisation: make_organization(plan="premium", lapsed=False, name=None)."""
    from kb.accounts.models import Organization
    from kb.policy import today

    def make(plan: str = "xtreme", *, lapsed: bool = False, name: str | None = None):
        start = today() - timedelta(days=400 if lapsed else 10)
        with app.app_context():
            organization = Organization(
                name=name or f"Org {uuid.uuid4().hex[:8]}",
                plan=plan,
                term_start=start,
                term_end=start + timedelta(days=364),
            )
            db.session.add(organization)
            db.session.commit()
            return organization.id

    return make


@pytest.fixture
def make_user(app):
    """Create a user: make_user(email, role="customer", organization_id=None, password=...)."""
    from kb.accounts.models import User
    from kb.accounts.passwords import set_password

    def make(email: str | None = None, *, role: str = "customer",
             organization_id: int | None = None, password: str = DEMO_PASSWORD,
             enabled: bool = True):
        with app.app_context():
            user = User(
                email=email or f"user-{uuid.uuid4().hex[:8]}@example.test",
                role=role,
                organization_id=organization_id,
                is_enabled=enabled,
            )
            set_password(user, password)
            db.session.add(user)
            db.session.commit()
            return user.email

    return make


@pytest.fixture
def customer_on(make_organization, make_user):
    """A signed-out customer on a plan: customer_on("premium", lapsed=False) -> e-mail."""

    def make(plan: str, *, lapsed: bool = False, role: str = "customer") -> str:
        return make_user(role=role, organization_id=make_organization(plan, lapsed=lapsed))

    return make


@pytest.fixture
def api_token(app):
    """A fresh API token for the user with this e-mail."""
    from kb.accounts.queries import user_by_email
    from kb.accounts.tokens import create_api_token


    def make(email: str) -> str:
        with app.app_context():
            return create_api_token(user_by_email(email), "test")[1]

    return make
