"""Fixtures shared by every test: an app on its own data directory and database, clients,
sign-in helpers and factories. ``KB_DATABASE_URL`` switches the whole suite to PostgreSQL,
where each test gets a schema of its own."""

from __future__ import annotations

import os
import re
import uuid
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

import kb.models  # noqa: F401 - every table on the metadata
from kb import create_app, db
from kb.db import Base

POSTGRES_URL = os.environ.get("KB_DATABASE_URL", "")
REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED_DIR = Path(os.environ.get("KB_SHARED_DIR", REPO_ROOT.parent / "shared"))
DEMO_PASSWORD = "demo-password"


def on_postgres() -> bool:
    return POSTGRES_URL.startswith("postgresql")


class IsolatedDatabase:
    """A database nobody else uses: a SQLite file, or a fresh PostgreSQL schema."""

    def __init__(self, directory: Path):
        self.schema = None
        if on_postgres():
            self.schema = f"t_{uuid.uuid4().hex[:16]}"
            self._execute(f'CREATE SCHEMA "{self.schema}"')
            separator = "&" if "?" in POSTGRES_URL else "?"
            self.url = f"{POSTGRES_URL}{separator}options={quote(f'-csearch_path={self.schema}')}"
        else:
            self.url = f"sqlite:///{directory / 'kb.sqlite3'}"

    def drop(self) -> None:
        if self.schema:
            self._execute(f'DROP SCHEMA "{self.schema}" CASCADE')

    @staticmethod
    def _execute(statement: str) -> None:
        engine = create_engine(POSTGRES_URL, poolclass=NullPool)
        with engine.connect() as connection:
            connection.execute(text(statement))
            connection.commit()
        engine.dispose()


@pytest.fixture
def isolated_database(tmp_path):
    database = IsolatedDatabase(tmp_path)
    yield database
    database.drop()


def app_settings(data_dir: Path, database_url: str) -> dict:
    return {
        "DATA_DIR": str(data_dir),
        "DATABASE_URL": database_url,
        "SECRET_KEY": "test-secret-key-not-for-production",
        "BASE_URL": "http://kb.test",
        # fast hashing in tests; production uses scrypt
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
    }


@pytest.fixture
def new_app():
    """``create_app`` for a test, whose database connections are closed when the test ends
    (an engine left to the garbage collector leaves its pooled connections open)."""
    created = []

    def make(settings: dict):
        application = create_app(settings)
        created.append(application)
        return application

    yield make
    for application in created:
        application.extensions["kb.database"].engine.dispose()


@pytest.fixture
def app(tmp_path, isolated_database, new_app):
    application = new_app(app_settings(tmp_path / "data", isolated_database.url))
    with application.app_context():
        Base.metadata.create_all(db.database().engine)
        from kb import search

        search.ensure_index()
    return application


@pytest.fixture
def app_context(app):
    with app.app_context():
        yield


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def demo_accounts(app):
    """The demo organisations and users of ``kb demo`` (without the areas' demo content)."""
    from kb import demo

    with app.app_context():
        demo.load_accounts()


CSRF_PATTERN = re.compile(r'name="csrf-token" content="([^"]+)"')


def csrf_token(client, page: str = "/plans") -> str:
    """The CSRF token of the client's session, read from a page as a browser would."""
    html = client.get(page).get_data(as_text=True)
    match = CSRF_PATTERN.search(html)
    assert match, f"no CSRF token on {page}"
    return match.group(1)


class Auth:
    """Signs a test client in and out through the real sign-in form."""

    def __init__(self, client):
        self.client = client

    def login(self, email: str, password: str = DEMO_PASSWORD, next_url: str = ""):
        token = csrf_token(self.client, "/sign-in")
        return self.client.post(
            "/sign-in",
            data={"email": email, "password": password, "next": next_url, "csrf_token": token},
        )

    def logout(self):
        return self.client.post("/sign-out", data={"csrf_token": csrf_token(self.client)})

    def post(self, url: str, data: dict | None = None, **kwargs):
        """POST a form with the session's CSRF token, as the page's own form would."""
        return self.client.post(
            url, data={**(data or {}), "csrf_token": csrf_token(self.client)}, **kwargs
        )


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
    from kb.accounts import service
    from kb.accounts.models import User

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
            service.set_password(user, password)
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
    from kb.accounts import service

    def make(email: str) -> str:
        with app.app_context():
            return service.create_api_token(service.user_by_email(email), "test")[1]

    return make


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def indexed_status(item_key: str) -> str | None:
    """The status the search index holds for an item ("published"/"unpublished"), or None when
    the item is not in the index. Call inside an app context."""
    from kb.search.index import searcher

    for fields in searcher().documents(item_key=item_key):
        return fields["status"]
    return None
