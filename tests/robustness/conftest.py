"""The demo portal the generated tests walk: ``kb demo`` loaded once into a database of its
own (a fresh PostgreSQL schema, or a SQLite file), shared by the API and form fuzzers."""

from __future__ import annotations

import re

import pytest

from kb import create_app, db, demo, search
from kb.db import Base
from kb.search.whoosh import index
from tests.conftest import DEMO_PASSWORD, IsolatedDatabase, app_settings

CSRF_META = re.compile(r'name="csrf-token" content="([^"]+)"')
# one customer on each kind of plan, a customer administrator and staff
ROLES = ["anonymous", "xtreme@demo.test", "elite@demo.test", "elite-admin@demo.test",
         "staff@demo.test"]


@pytest.fixture(scope="package")
def demo_app(tmp_path_factory):
    directory = tmp_path_factory.mktemp("demo")
    database = IsolatedDatabase(directory)
    application = create_app(app_settings(directory / "data", database.url))
    with application.app_context():
        Base.metadata.create_all(db.database().engine)
        search.ensure_index()
        demo.load(echo=lambda line: None)
        index.close_searcher()
    yield application
    application.extensions["kb.database"].engine.dispose()
    database.drop()


@pytest.fixture(autouse=True)
def _fresh_searcher():
    yield
    index.close_searcher()


def signed_in_client(application, role: str):
    """A test client of ``application``, signed in through the form unless anonymous."""
    client = application.test_client()
    if role != "anonymous":
        page = client.get("/sign-in").get_data(as_text=True)
        token = CSRF_META.search(page).group(1)
        answer = client.post("/sign-in", data={"email": role, "password": DEMO_PASSWORD,
                                                "csrf_token": token})
        assert answer.status_code == 302, f"{role} could not sign in"
    return client
