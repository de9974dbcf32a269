"""Fixtures of the PostgreSQL search backend's tests: the backend with its tables in the
test's schema (dropped afterwards, which leaves the schema's shape as the next test expects
it), articles published through the service and indexed by the backend, readers by plan.
Every test here needs PostgreSQL (``KB_DATABASE_URL``); on SQLite they are skipped."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from kb import db, policy
from kb.accounts.queries import user_by_email
from kb.search.documents import build_items
from kb.search.postgresql import PostgresBackend, schema
from kb.search.results import SearchRequest, SearchResults
from tests.databases import on_postgres
from tests.search import writer

only_on_postgres = pytest.mark.skipif(not on_postgres(),
                                      reason="the PostgreSQL search backend needs PostgreSQL")


@pytest.fixture
def search_engine() -> dict:
    """The app's own engine is Whoosh (the items are written through the service alone): the
    backend under test is driven directly, whatever engine the run chooses for other tests."""
    return {}


@pytest.fixture
def backend(app_context):
    found = PostgresBackend()
    found.ensure()
    yield found
    db.session.rollback()
    with db.database().engine.begin() as connection:
        schema.drop_all(connection)


def index(backend: PostgresBackend, type_name: str, *ids: int) -> None:
    """Write these items' documents through the backend in a transaction of their own."""
    backend.replace_items(db.session, build_items(db.session, type_name, list(ids)))
    db.session.commit()


@pytest.fixture
def put(backend):
    """put(title, body, **publish fields) -> article id: published through the service and
    indexed by the backend."""

    def make(title: str, body: str = "", **fields) -> int:
        article_id = writer.publish(title, body, **fields)
        index(backend, "article", article_id)
        return article_id

    return make


@pytest.fixture
def reader(app_context, demo_accounts):
    """The demo user of a role: reader("xtreme"|"premium"|"elite"|"lapsed"|"staff")."""
    return lambda name: user_by_email(f"{name}@demo.test")


@pytest.fixture
def find(backend, reader):
    """find(role, text, **request fields) -> SearchResults, as that reader."""

    def search(role: str, text: str = "", **fields) -> SearchResults:
        user = reader(role)
        return backend.search(policy.read_scope(user), SearchRequest(text=text, **fields),
                              locked_titles=policy.sees_locked_titles(user))

    return search


def titles(results: SearchResults) -> list[str]:
    return [hit.title for hit in results.hits]


def documents_of(item_key: str) -> list[str]:
    return list(db.session.scalars(text(
        f"SELECT key FROM {schema.DOCUMENTS} WHERE item_key = :key ORDER BY key"),
        {"key": item_key}))
