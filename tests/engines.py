"""The two search engines the tests run against: Whoosh on local disk (the default) and
PostgreSQL full-text search (``KB_SEARCH_BACKEND=postgresql``, only when the test database is
PostgreSQL). ``KB_TEST_SEARCH_BACKEND=postgresql`` runs every test on it; a module that means
to cover both sets ``pytestmark = both_search_backends``, and a test there about Whoosh's own
machinery (its generations, segments, write lock) says so with ``whoosh_only``."""

from __future__ import annotations

import os

import pytest

from tests.databases import on_postgres

ENGINES = ("whoosh", "postgresql")
both_search_backends = pytest.mark.both_search_backends
whoosh_only = pytest.mark.whoosh_only


def pytest_generate_tests(metafunc) -> None:
    """Under ``both_search_backends``, on PostgreSQL, every test whose app uses the
    ``search_engine`` fixture runs once per engine (on SQLite only Whoosh can run)."""
    if on_postgres() and metafunc.definition.get_closest_marker("both_search_backends") \
            and not metafunc.definition.get_closest_marker("whoosh_only") \
            and "search_engine" in metafunc.fixturenames:
        metafunc.parametrize("search_engine", ENGINES, indirect=True)


@pytest.fixture
def search_engine(request) -> dict:
    """The settings of the engine a test's app searches with: ``{}`` for Whoosh."""
    kind = getattr(request, "param", None) or os.environ.get("KB_TEST_SEARCH_BACKEND", "whoosh")
    if request.node.get_closest_marker("whoosh_only"):
        kind = "whoosh"
    return {} if kind == "whoosh" else {"SEARCH_BACKEND": kind}


def forget_search_tables(application) -> None:
    """Drop the PostgreSQL search backend's tables from the test's schema, which the next test
    takes again emptied and expects in the shape it had (``TablesSchema``)."""
    from kb import db
    from kb.search.postgresql import schema

    with application.app_context():
        db.session.rollback()
        with db.database().engine.begin() as connection:
            schema.drop_all(connection)
