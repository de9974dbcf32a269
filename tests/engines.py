"""The two search engines the tests run against: Whoosh on local disk (the default) and
PostgreSQL full-text search (``KB_SEARCH_BACKEND=postgresql``, only when the test database is
PostgreSQL). ``KB_TEST_SEARCH_BACKEND=postgresql`` runs every test on it. A module that means
to cover both sets ``pytestmark = both_search_backends``: its tests search with Whoosh in the
SQLite pass and with PostgreSQL search in the PostgreSQL pass, and a test there about Whoosh's
own machinery (its generations, segments, write lock) says so with ``whoosh_only``.

Why not both engines in the PostgreSQL pass: what differs between Whoosh on SQLite and Whoosh
on PostgreSQL is only the database under it, which every other test of that pass searches
with Whoosh over (pages, API, feeds, journeys). Running these modules a second time on Whoosh
there took about a twelfth of that pass's time, for no behaviour the SQLite pass did not show."""

from __future__ import annotations

import os

import pytest

from tests.databases import on_postgres

both_search_backends = pytest.mark.both_search_backends
whoosh_only = pytest.mark.whoosh_only


@pytest.fixture
def search_engine(request) -> dict:
    """The settings of the engine a test's app searches with: ``{}`` for Whoosh."""
    kind = os.environ.get("KB_TEST_SEARCH_BACKEND", "whoosh")
    if on_postgres() and request.node.get_closest_marker("both_search_backends"):
        kind = "postgresql"
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
